/* memcpy_check: the HAL's memcpy (hal/memcpy.c) against a byte-by-byte copy, for every
 * destination and source offset 0..7 and every length 0..80, with guard bytes around the
 * destination. Prints "memcpy: PASS" and exits 0, or names the first case that differs and
 * exits 1. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAXLEN 80u
#define GUARD 8u

static unsigned char src_buf[MAXLEN + 16] __attribute__((aligned(4)));
static unsigned char dst_buf[MAXLEN + 16 + 2 * GUARD] __attribute__((aligned(4)));
static unsigned char want[sizeof dst_buf];

int main(void) {
    unsigned cases = 0;
    for (unsigned i = 0; i < sizeof src_buf; i++) src_buf[i] = (unsigned char)(i * 37u + 11u);
    for (unsigned doff = 0; doff < 8; doff++)
        for (unsigned soff = 0; soff < 8; soff++)
            for (unsigned n = 0; n <= MAXLEN; n++) {
                for (unsigned i = 0; i < sizeof dst_buf; i++) dst_buf[i] = want[i] = (unsigned char)(0xA5u ^ i);
                for (unsigned i = 0; i < n; i++) want[GUARD + doff + i] = src_buf[soff + i];
                /* volatile pointer: the call cannot be folded into inline code */
                void *(*volatile copy)(void *, const void *, size_t) = memcpy;
                void *r = copy(dst_buf + GUARD + doff, src_buf + soff, n);
                if (r != dst_buf + GUARD + doff) {
                    printf("memcpy: returned %p, not the destination %p (dst offset %u, src offset %u, %u bytes)\n",
                           r, (void *)(dst_buf + GUARD + doff), doff, soff, n);
                    return 1;
                }
                for (unsigned i = 0; i < sizeof dst_buf; i++)
                    if (dst_buf[i] != want[i]) {
                        printf("memcpy: dst offset %u, src offset %u, %u bytes: byte %d is 0x%02x, want 0x%02x\n", doff,
                               soff, n, (int)i - (int)(GUARD + doff), dst_buf[i], want[i]);
                        return 1;
                    }
                cases++;
            }
    printf("memcpy: PASS (%u cases)\n", cases);
    return 0;
}
