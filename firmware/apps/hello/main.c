/* hello: the smallest end-to-end check of the firmware path. Prints a greeting with the ISA
 * decoded from misa at run time, a few identification CSRs and counters, and exits 0. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "csr.h"
#include "simctrl.h"

/* misa -> "RV32IMC": MXL gives the width; the base letter (I/E) comes first, then the standard
 * extensions in canonical order, then any other letters alphabetically. */
static void decode_misa(uint32_t misa, char *out, size_t size) {
    static const char canonical[] = "MAFDQLCBKJTPVH";
    const unsigned mxl = misa >> 30;
    const unsigned xlen = mxl == 1 ? 32 : mxl == 2 ? 64 : mxl == 3 ? 128 : 0;
    char letters[32];
    size_t n = 0;
    if (misa & (1u << ('I' - 'A'))) letters[n++] = 'I';
    else if (misa & (1u << ('E' - 'A'))) letters[n++] = 'E';
    for (const char *c = canonical; *c; c++)
        if (misa & (1u << (*c - 'A'))) letters[n++] = *c;
    for (char c = 'A'; c <= 'Z'; c++)
        if ((misa & (1u << (c - 'A'))) && c != 'I' && c != 'E' && !strchr(canonical, c)) letters[n++] = c;
    letters[n] = '\0';
    snprintf(out, size, "RV%u%s", xlen, letters);
}

int main(void) {
    const uint32_t misa = csr_read(CSR_MISA);
    char isa[48];
    if (misa == 0)
        snprintf(isa, sizeof isa, "unknown ISA (misa not implemented)");
    else
        decode_misa(misa, isa, sizeof isa);

    printf("Hello from cimvp: hart %lu, %s (misa 0x%08lx)\n", (unsigned long)csr_read(CSR_MHARTID), isa,
           (unsigned long)misa);
    printf("mvendorid 0x%08lx marchid 0x%08lx mimpid 0x%08lx\n", (unsigned long)csr_read(CSR_MVENDORID),
           (unsigned long)csr_read(CSR_MARCHID), (unsigned long)csr_read(CSR_MIMPID));

    /* Something computed: the first primes, and what that cost in cycles. */
    const uint64_t c0 = csr_cycle64(), i0 = csr_instret64();
    unsigned primes = 0, last = 0;
    for (unsigned n = 2; primes < 100; n++) {
        unsigned d = 2;
        while (d * d <= n && n % d) d++;
        if (d * d > n) {
            primes++;
            last = n;
        }
    }
    const uint64_t c1 = csr_cycle64(), i1 = csr_instret64();
    printf("the 100th prime is %u (%llu instructions, %llu cycles)\n", last, (unsigned long long)(i1 - i0),
           (unsigned long long)(c1 - c0));
    printf("simulated time %llu ns\n", (unsigned long long)simctrl_time_ns());
    return last == 541 ? 0 : 1;
}
