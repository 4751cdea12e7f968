/* memcpy for the firmware, replacing picolibc's (built for size: one byte per 6-instruction
 * loop iteration). The keyword spotter copies ~48 KB per TDNN window between its layer
 * histories and the NPU's input vectors, which made the byte loop 27 % of all instructions
 * (scripts/fw_profile.py on a retirement trace; README "Keyword spotting"). Words when source and destination share their alignment mod 4,
 * halfwords when they share it mod 2, bytes otherwise. Linked from cimvp_rt ahead of libc. */
#include <stddef.h>
#include <stdint.h>

typedef uint32_t __attribute__((may_alias)) word_t;
typedef uint16_t __attribute__((may_alias)) half_t;

/* no-tree-loop-distribute-patterns: GCC would otherwise turn the byte loop into a memcpy call. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    const uintptr_t mis = (uintptr_t)d ^ (uintptr_t)s;
    if ((mis & 3u) == 0) {
        while (n && ((uintptr_t)d & 3u)) {
            *d++ = *s++;
            n--;
        }
        word_t *dw = (word_t *)d;
        const word_t *sw = (const word_t *)s;
        for (; n >= 16; n -= 16, dw += 4, sw += 4) {
            const uint32_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
            dw[0] = a;
            dw[1] = b;
            dw[2] = c;
            dw[3] = e;
        }
        for (; n >= 4; n -= 4) *dw++ = *sw++;
        d = (unsigned char *)dw;
        s = (const unsigned char *)sw;
    } else if ((mis & 1u) == 0) {
        if (n && ((uintptr_t)d & 1u)) {
            *d++ = *s++;
            n--;
        }
        half_t *dh = (half_t *)d;
        const half_t *sh = (const half_t *)s;
        for (; n >= 2; n -= 2) *dh++ = *sh++;
        d = (unsigned char *)dh;
        s = (const unsigned char *)sh;
    }
    while (n--) *d++ = *s++;
    return dst;
}
