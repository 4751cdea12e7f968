/* xorshift32 pseudo-random generator (Marsaglia 2003): test data and dither in the programs.
 * Not hardware, but shared by every program, so it sits with the HAL headers. */
#ifndef CIMVP_XORSHIFT_H
#define CIMVP_XORSHIFT_H
#include <stdint.h>

/* Advances *s (never 0) and returns the new state. */
static inline uint32_t xorshift32(uint32_t *s) {
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}
#endif
