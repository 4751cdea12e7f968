/* cpubench kernels: plain C99 integer code, no platform dependencies (they also build on a
 * host for checking: cc -O2 kernels.c yourmain.c). */
#ifndef CPUBENCH_KERNELS_H
#define CPUBENCH_KERNELS_H

#include <stdint.h>
#include <stddef.h>
#include "xorshift.h"

#define FFT_LOG2N 8
#define FFT_N (1 << FFT_LOG2N)

/* Q15 helpers. */
static inline int16_t q15_sat(int32_t v) { return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v; }

/* Twiddles W^k = cos(2*pi*k/N) - j*sin(2*pi*k/N), k < N/2, in Q15; bit-reversal table. */
void fft_init(void);
/* In-place radix-2 decimation-in-time FFT of FFT_N complex Q15 samples, scaled by 1/2 per stage
 * (the result is DFT/N). Input magnitudes below 1.0 cannot overflow. */
void fft_q15(int16_t *re, int16_t *im);
/* One bin of the same scaled DFT computed directly (64-bit accumulation). */
void dft_bin_q15(const int16_t *re, const int16_t *im, unsigned k, int32_t *out_re, int32_t *out_im);

/* Full linear convolution y[0 .. n+taps-2] = sum_k h[k] x[n-k], 32-bit accumulators, no scaling. */
void fir_full(const int16_t *x, size_t n, const int16_t *h, size_t taps, int32_t *y);
/* Streaming Q15 FIR with rounding and saturation: y[i] = sat((sum_k h[k] x[i-k] + 2^14) >> 15),
 * x[i-k] = 0 for i-k < 0. */
void fir_q15(const int16_t *x, size_t n, const int16_t *h, size_t taps, int16_t *y);

/* Q15 dot product two ways: direct multiply-accumulate, and through
 * 4ab = (a+b)^2 - (a-b)^2. Both exact. */
int64_t dot_q15(const int16_t *a, const int16_t *b, size_t n);
int64_t dot_q15_squares(const int16_t *a, const int16_t *b, size_t n);

/* CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320) bit by bit and through a 256-entry table. */
uint32_t crc32_bitwise(const uint8_t *p, size_t n);
void crc32_table_init(void);
uint32_t crc32_table(const uint8_t *p, size_t n);

/* Greatest common divisor by Euclid (remainders) and by Stein (shifts and subtractions). */
uint32_t gcd_euclid(uint32_t a, uint32_t b);
uint32_t gcd_binary(uint32_t a, uint32_t b);

/* In-place sorts of 16-bit keys: insertion sort and heap sort. */
void sort_insertion(uint16_t *v, size_t n);
void sort_heap(uint16_t *v, size_t n);

#endif
