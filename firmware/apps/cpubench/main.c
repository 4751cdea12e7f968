/* cpubench: cimvp's integer DSP-style CPU benchmark.
 *
 * A fixed workload (about 30 million instructions) of the kinds of code a keyword-spotting
 * front end runs: Q15 radix-2 FFTs (256 points), Q15 FIR filtering and dot products, plus
 * branchy integer code (CRC-32, gcd, sorting). Every kernel's result is checked against a
 * property that holds by construction (tone peaks in the right FFT bins, FFT = direct DFT,
 * sum of a convolution = product of sums, two algorithms agree, CRC-32 check value ...).
 *
 * Prints instructions and cycles (minstret/mcycle) per kernel and in total, a checksum of all
 * results, and "cpubench: PASS" (exit 0) or "cpubench: FAIL" (exit 1). */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "kernels.h"

#ifdef __riscv
#include "csr.h"
static uint64_t read_cycles(void) { return csr_cycle64(); }
static uint64_t read_instret(void) { return csr_instret64(); }
#else /* host build of the kernels, for checking them */
static uint64_t read_cycles(void) { return 0; }
static uint64_t read_instret(void) { return 0; }
#endif

/* Workload: repetitions per kernel. */
#define FFT_REPS 120
#define FIR_N 1024
#define FIR_TAPS 31
#define FIR_REPS 8
#define DOT_N 2048
#define DOT_REPS 40
#define CRC_LEN 4096
#define CRC_REPS 4
#define GCD_PAIRS 6000
#define SORT_N 400
#define SORT_REPS 12

/* Test tones: a cosine at bin TONE0 and a sine at bin TONE1. */
#define TONE0 17
#define TONE0_AMP 16384 /* 0.5 */
#define TONE1 40
#define TONE1_AMP 8192 /* 0.25 */

static unsigned checks, failures;
static uint32_t checksum = 2166136261u;

static void check(int ok, const char *what, long a, long b) {
    checks++;
    if (!ok) {
        failures++;
        if (failures <= 10) printf("cpubench: check failed: %s (%ld vs %ld)\n", what, a, b);
    }
}

static void mix(uint32_t v) { checksum = (checksum ^ v) * 16777619u; }

static int16_t tone_re[FFT_N];
static int16_t buf_re[FFT_N], buf_im[FFT_N], in_re[FFT_N], in_im[FFT_N];
static int16_t fir_x[FIR_N], fir_h[FIR_TAPS], fir_y16[FIR_N];
static int32_t fir_y32[FIR_N + FIR_TAPS - 1];
static int16_t dot_a[DOT_N], dot_b[DOT_N];
static uint8_t crc_buf[CRC_LEN];
static uint16_t sort_a[SORT_N], sort_b[SORT_N];

struct span {
    uint64_t c0, i0;
};
static uint64_t total_cycles, total_instret;

static struct span span_begin(void) {
    struct span s;
    s.i0 = read_instret();
    s.c0 = read_cycles();
    return s;
}

static void span_end(struct span s, const char *name, const char *work) {
    const uint64_t c = read_cycles() - s.c0, i = read_instret() - s.i0;
    total_cycles += c;
    total_instret += i;
    printf("  %-5s %-34s %10llu instret %10llu cycles\n", name, work, (unsigned long long)i, (unsigned long long)c);
}

static int32_t iabs32(int32_t v) { return v < 0 ? -v : v; }

static void setup(void) {
    const double pi = 3.14159265358979323846;
    fft_init();
    crc32_table_init();
    for (unsigned n = 0; n < FFT_N; n++)
        tone_re[n] = (int16_t)lround(TONE0_AMP * cos(2 * pi * TONE0 * n / FFT_N) +
                                     TONE1_AMP * sin(2 * pi * TONE1 * n / FFT_N));
    /* Low-pass FIR: Hann-windowed sinc, cut-off at a quarter of the sample rate, taps summing
     * to exactly 32768 (unity DC gain in Q15; the centre tap takes the rounding error). */
    int32_t sum = 0;
    for (int k = 0; k < FIR_TAPS; k++) {
        const double m = k - (FIR_TAPS - 1) / 2.0;
        const double sinc = m == 0 ? 0.5 : sin(pi * 0.5 * m) / (pi * m);
        const double hann = 0.5 - 0.5 * cos(2 * pi * (k + 1) / (FIR_TAPS + 1));
        fir_h[k] = (int16_t)lround(32768.0 * sinc * hann);
        sum += fir_h[k];
    }
    double norm = 0;
    for (int k = 0; k < FIR_TAPS; k++) norm += fir_h[k];
    sum = 0;
    for (int k = 0; k < FIR_TAPS; k++) {
        fir_h[k] = (int16_t)lround(fir_h[k] * 32768.0 / norm);
        sum += fir_h[k];
    }
    fir_h[(FIR_TAPS - 1) / 2] += (int16_t)(32768 - sum);
}

/* ------------------------------------------------------------------ FFT */
static void bench_fft(void) {
    uint32_t seed = 0x1234567u;
    struct span s = span_begin();
    for (unsigned rep = 0; rep < FFT_REPS; rep++) {
        const int tone = (rep & 1) == 0;
        for (unsigned n = 0; n < FFT_N; n++) {
            if (tone) {
                in_re[n] = tone_re[n];
                in_im[n] = 0;
            } else { /* random complex input, components within +-0.25 */
                in_re[n] = (int16_t)((int32_t)xorshift32(&seed) >> 18);
                in_im[n] = (int16_t)((int32_t)xorshift32(&seed) >> 18);
            }
        }
        memcpy(buf_re, in_re, sizeof buf_re);
        memcpy(buf_im, in_im, sizeof buf_im);
        fft_q15(buf_re, buf_im);
        uint32_t h = 0;
        for (unsigned k = 0; k < FFT_N; k++) h = h * 31 + (uint16_t)buf_re[k] + ((uint32_t)(uint16_t)buf_im[k] << 16);
        mix(h);

        if (tone) {
            /* Peaks: X[TONE0] = A0/2 (real), X[TONE1] = -j A1/2; mirror bins conjugate. */
            unsigned peak = 0, second = 0;
            int32_t peak_p = -1, second_p = -1, rest = 0;
            for (unsigned k = 1; k < FFT_N / 2; k++) {
                const int32_t p = (int32_t)buf_re[k] * buf_re[k] + (int32_t)buf_im[k] * buf_im[k];
                if (p > peak_p) {
                    second = peak;
                    second_p = peak_p;
                    peak = k;
                    peak_p = p;
                } else if (p > second_p) {
                    second = k;
                    second_p = p;
                }
            }
            for (unsigned k = 1; k < FFT_N / 2; k++)
                if (k != TONE0 && k != TONE1) {
                    const int32_t m = iabs32(buf_re[k]) + iabs32(buf_im[k]);
                    if (m > rest) rest = m;
                }
            if (rep == 0) {
                check(peak == TONE0, "FFT peak bin", peak, TONE0);
                check(second == TONE1, "FFT second peak bin", second, TONE1);
                check(iabs32(buf_re[TONE0] - TONE0_AMP / 2) <= 8, "FFT re X[tone0]", buf_re[TONE0], TONE0_AMP / 2);
                check(iabs32(buf_im[TONE0]) <= 8, "FFT im X[tone0]", buf_im[TONE0], 0);
                check(iabs32(buf_im[TONE1] + TONE1_AMP / 2) <= 8, "FFT im X[tone1]", buf_im[TONE1], -TONE1_AMP / 2);
                check(iabs32(buf_re[TONE1]) <= 8, "FFT re X[tone1]", buf_re[TONE1], 0);
                check(iabs32(buf_re[FFT_N - TONE0] - buf_re[TONE0]) <= 4 &&
                          iabs32(buf_im[FFT_N - TONE0] + buf_im[TONE0]) <= 4,
                      "FFT conjugate symmetry", buf_re[FFT_N - TONE0], buf_re[TONE0]);
                check(rest <= 12, "FFT leakage outside the tones", rest, 12);
            }
        }
        if (rep < 4) { /* FFT against the direct DFT at every 8th bin and the tone bins */
            for (unsigned k = 0; k < FFT_N; k++) {
                if ((k & 7) && k != TONE0 && k != TONE1) continue;
                int32_t dr, di;
                dft_bin_q15(in_re, in_im, k, &dr, &di);
                check(iabs32(dr - buf_re[k]) <= 6 && iabs32(di - buf_im[k]) <= 6, "FFT = DFT", buf_re[k], dr);
            }
        }
    }
    span_end(s, "fft", "256-point Q15 FFTs");
}

/* ------------------------------------------------------------------ FIR + dot products */
static void bench_fir(void) {
    uint32_t seed = 0xC0FFEEu;
    struct span s = span_begin();
    for (unsigned rep = 0; rep < FIR_REPS; rep++) {
        int64_t sum_x = 0, sum_h = 0, sum_y = 0;
        for (unsigned n = 0; n < FIR_N; n++) {
            fir_x[n] = (int16_t)((int32_t)xorshift32(&seed) >> 16);
            sum_x += fir_x[n];
        }
        for (unsigned k = 0; k < FIR_TAPS; k++) sum_h += fir_h[k];
        fir_full(fir_x, FIR_N, fir_h, FIR_TAPS, fir_y32);
        for (unsigned n = 0; n < FIR_N + FIR_TAPS - 1; n++) sum_y += fir_y32[n];
        check(sum_y == sum_h * sum_x, "FIR: sum(y) = sum(h) sum(x)", (long)(sum_y >> 16), (long)((sum_h * sum_x) >> 16));
        fir_q15(fir_x, FIR_N, fir_h, FIR_TAPS, fir_y16);
        for (unsigned n = 0; n < FIR_N; n++) {
            /* Same sum, rounded and saturated. */
            const int32_t r = q15_sat((fir_y32[n] + (1 << 14)) >> 15);
            if (fir_y16[n] != r) {
                check(0, "FIR Q15 = rounded full convolution", fir_y16[n], r);
                break;
            }
            mix((uint16_t)fir_y16[n]);
        }
    }
    /* Impulse response and DC gain. */
    memset(fir_x, 0, sizeof fir_x);
    fir_x[0] = 32767;
    fir_q15(fir_x, FIR_N, fir_h, FIR_TAPS, fir_y16);
    for (unsigned k = 0; k < FIR_TAPS; k++) check(fir_y16[k] == fir_h[k], "FIR impulse response", fir_y16[k], fir_h[k]);
    for (unsigned n = 0; n < FIR_N; n++) fir_x[n] = -12345;
    fir_q15(fir_x, FIR_N, fir_h, FIR_TAPS, fir_y16);
    check(fir_y16[FIR_N - 1] == -12345, "FIR unity DC gain", fir_y16[FIR_N - 1], -12345);
    span_end(s, "fir", "31-tap Q15 FIR, 1024 samples");

    s = span_begin();
    for (unsigned rep = 0; rep < DOT_REPS; rep++) {
        for (unsigned n = 0; n < DOT_N; n++) {
            const uint32_t r = xorshift32(&seed);
            dot_a[n] = (int16_t)r;
            dot_b[n] = (int16_t)(r >> 16);
        }
        if (rep == 0) dot_a[0] = dot_b[0] = -32768; /* extremes */
        const int64_t d1 = dot_q15(dot_a, dot_b, DOT_N);
        const int64_t d2 = dot_q15_squares(dot_a, dot_b, DOT_N);
        check(d1 == d2, "dot product two ways", (long)(d1 >> 8), (long)(d2 >> 8));
        mix((uint32_t)d1);
        mix((uint32_t)(d1 >> 32));
    }
    span_end(s, "dot", "Q15 dot products, 2048 long");
}

/* ------------------------------------------------------------------ branchy code */
static void bench_branchy(void) {
    uint32_t seed = 0xBADC0DEu;
    struct span s = span_begin();
    check(crc32_bitwise((const uint8_t *)"123456789", 9) == 0xCBF43926u, "CRC-32 check value",
          (long)crc32_bitwise((const uint8_t *)"123456789", 9), (long)0xCBF43926u);
    for (unsigned rep = 0; rep < CRC_REPS; rep++) {
        for (unsigned n = 0; n < CRC_LEN; n++) crc_buf[n] = (uint8_t)xorshift32(&seed);
        const uint32_t c1 = crc32_bitwise(crc_buf, CRC_LEN), c2 = crc32_table(crc_buf, CRC_LEN);
        check(c1 == c2, "CRC-32 bitwise = table", (long)c1, (long)c2);
        mix(c1);
    }
    span_end(s, "crc", "CRC-32, 4 KiB blocks");

    s = span_begin();
    check(gcd_euclid(1071, 462) == 21 && gcd_binary(1071, 462) == 21, "gcd(1071, 462) = 21", gcd_euclid(1071, 462), 21);
    check(gcd_euclid(0, 7) == 7 && gcd_binary(7, 0) == 7, "gcd with zero", gcd_binary(7, 0), 7);
    uint32_t gsum = 0;
    for (unsigned i = 0; i < GCD_PAIRS; i++) {
        const uint32_t f = 1u + (xorshift32(&seed) & 0xFF);
        const uint32_t a = (xorshift32(&seed) >> 8) * f, b = (xorshift32(&seed) >> 12) * f;
        const uint32_t g1 = gcd_euclid(a, b), g2 = gcd_binary(a, b);
        if (g1 != g2 || g1 % f != 0) {
            check(0, "gcd Euclid = binary", (long)g1, (long)g2);
            break;
        }
        gsum += g1;
    }
    mix(gsum);
    span_end(s, "gcd", "Euclid and binary gcd");

    s = span_begin();
    for (unsigned rep = 0; rep < SORT_REPS; rep++) {
        uint32_t sum = 0, x = 0;
        for (unsigned n = 0; n < SORT_N; n++) {
            sort_a[n] = sort_b[n] = (uint16_t)xorshift32(&seed);
            sum += sort_a[n];
            x ^= sort_a[n];
        }
        sort_insertion(sort_a, SORT_N);
        sort_heap(sort_b, SORT_N);
        int ok = memcmp(sort_a, sort_b, sizeof sort_a) == 0;
        for (unsigned n = 0; n < SORT_N; n++) {
            if (n && sort_a[n - 1] > sort_a[n]) ok = 0;
            sum -= sort_a[n];
            x ^= sort_a[n];
        }
        check(ok && sum == 0 && x == 0, "sorts agree, ordered, same keys", ok, 1);
        mix(sort_a[SORT_N / 2]);
    }
    span_end(s, "sort", "insertion and heap sort, 400 keys");
}

int main(void) {
    printf("cpubench: Q15 FFT/FIR/dot product, CRC-32, gcd, sort\n");
    setup();
    bench_fft();
    bench_fir();
    bench_branchy();
    const unsigned cpi1000 = total_instret ? (unsigned)(total_cycles * 1000 / total_instret) : 0;
    printf("cpubench: total %llu instret %llu cycles CPI %u.%03u\n", (unsigned long long)total_instret,
           (unsigned long long)total_cycles, cpi1000 / 1000, cpi1000 % 1000);
    printf("cpubench: checksum 0x%08lx, %u checks, %u failed\n", (unsigned long)checksum, checks, failures);
    if (failures) {
        printf("cpubench: FAIL\n");
        return 1;
    }
    printf("cpubench: PASS\n");
    return 0;
}
