/* cpubench kernels (see kernels.h). */
#include "kernels.h"

#include <math.h>

/* ---------------------------------------------------------------- FFT */
static int16_t tw_re[FFT_N / 2], tw_im[FFT_N / 2];
static uint16_t bitrev[FFT_N];

void fft_init(void) {
    const double pi = 3.14159265358979323846;
    for (unsigned k = 0; k < FFT_N / 2; k++) {
        const double a = 2.0 * pi * k / FFT_N;
        tw_re[k] = q15_sat((int32_t)lround(cos(a) * 32768.0));
        tw_im[k] = q15_sat((int32_t)lround(-sin(a) * 32768.0));
    }
    for (unsigned i = 0; i < FFT_N; i++) {
        unsigned r = 0;
        for (unsigned b = 0; b < FFT_LOG2N; b++)
            if (i & (1u << b)) r |= 1u << (FFT_LOG2N - 1 - b);
        bitrev[i] = (uint16_t)r;
    }
}

void fft_q15(int16_t *re, int16_t *im) {
    for (unsigned i = 0; i < FFT_N; i++) {
        const unsigned j = bitrev[i];
        if (j > i) {
            int16_t t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    for (unsigned half = 1, step = FFT_N / 2; half < FFT_N; half <<= 1, step >>= 1) {
        for (unsigned j = 0; j < half; j++) {
            const int32_t wr = tw_re[j * step], wi = tw_im[j * step];
            for (unsigned a = j; a < FFT_N; a += 2 * half) {
                const unsigned b = a + half;
                const int32_t br = re[b], bi = im[b];
                const int32_t tr = (br * wr - bi * wi + (1 << 14)) >> 15;
                const int32_t ti = (br * wi + bi * wr + (1 << 14)) >> 15;
                const int32_t ar = re[a], ai = im[a];
                re[b] = (int16_t)((ar - tr) >> 1);
                im[b] = (int16_t)((ai - ti) >> 1);
                re[a] = (int16_t)((ar + tr) >> 1);
                im[a] = (int16_t)((ai + ti) >> 1);
            }
        }
    }
}

void dft_bin_q15(const int16_t *re, const int16_t *im, unsigned k, int32_t *out_re, int32_t *out_im) {
    int64_t sr = 0, si = 0;
    for (unsigned n = 0; n < FFT_N; n++) {
        /* W^(nk): angle index modulo N; the second half of the circle is minus the first. */
        unsigned idx = (n * k) & (FFT_N - 1);
        int32_t wr, wi;
        if (idx < FFT_N / 2) {
            wr = tw_re[idx];
            wi = tw_im[idx];
        } else {
            wr = -tw_re[idx - FFT_N / 2];
            wi = -tw_im[idx - FFT_N / 2];
        }
        sr += (int64_t)re[n] * wr - (int64_t)im[n] * wi;
        si += (int64_t)re[n] * wi + (int64_t)im[n] * wr;
    }
    /* Q30 sum -> Q15, divided by N. */
    const int shift = 15 + FFT_LOG2N;
    *out_re = (int32_t)((sr + ((int64_t)1 << (shift - 1))) >> shift);
    *out_im = (int32_t)((si + ((int64_t)1 << (shift - 1))) >> shift);
}

/* ---------------------------------------------------------------- FIR and dot products */
void fir_full(const int16_t *x, size_t n, const int16_t *h, size_t taps, int32_t *y) {
    for (size_t i = 0; i < n + taps - 1; i++) {
        const size_t k0 = i >= n ? i - n + 1 : 0;
        const size_t k1 = i < taps - 1 ? i : taps - 1;
        int32_t acc = 0;
        for (size_t k = k0; k <= k1; k++) acc += (int32_t)h[k] * x[i - k];
        y[i] = acc;
    }
}

void fir_q15(const int16_t *x, size_t n, const int16_t *h, size_t taps, int16_t *y) {
    for (size_t i = 0; i < n; i++) {
        const size_t kmax = i < taps - 1 ? i : taps - 1;
        int32_t acc = 1 << 14;
        for (size_t k = 0; k <= kmax; k++) acc += (int32_t)h[k] * x[i - k];
        y[i] = q15_sat(acc >> 15);
    }
}

int64_t dot_q15(const int16_t *a, const int16_t *b, size_t n) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) s += (int32_t)a[i] * b[i];
    return s;
}

int64_t dot_q15_squares(const int16_t *a, const int16_t *b, size_t n) {
    int64_t s = 0;
    for (size_t i = 0; i < n; i++) {
        const int32_t p = (int32_t)a[i] + b[i], m = (int32_t)a[i] - b[i];
        s += (int64_t)p * p - (int64_t)m * m;
    }
    return s / 4;
}

/* ---------------------------------------------------------------- branchy integer code */
uint32_t crc32_bitwise(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int b = 0; b < 8; b++) {
            if (c & 1)
                c = (c >> 1) ^ 0xEDB88320u;
            else
                c >>= 1;
        }
    }
    return ~c;
}

static uint32_t crc_table[256];

void crc32_table_init(void) {
    /* Entry i: the CRC register after shifting the byte i through eight steps from zero. */
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int b = 0; b < 8; b++) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        crc_table[i] = c;
    }
}

uint32_t crc32_table(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return ~c;
}

uint32_t gcd_euclid(uint32_t a, uint32_t b) {
    while (b) {
        const uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

uint32_t gcd_binary(uint32_t a, uint32_t b) {
    if (a == 0) return b;
    if (b == 0) return a;
    unsigned shift = 0;
    while (((a | b) & 1) == 0) {
        a >>= 1;
        b >>= 1;
        shift++;
    }
    while ((a & 1) == 0) a >>= 1;
    do {
        while ((b & 1) == 0) b >>= 1;
        if (a > b) {
            const uint32_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << shift;
}

void sort_insertion(uint16_t *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        const uint16_t key = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > key) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = key;
    }
}

static void sift_down(uint16_t *v, size_t root, size_t n) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && v[child + 1] > v[child]) child++;
        if (v[root] >= v[child]) return;
        const uint16_t t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

void sort_heap(uint16_t *v, size_t n) {
    for (size_t i = n / 2; i-- > 0;) sift_down(v, i, n);
    for (size_t end = n; end-- > 1;) {
        const uint16_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift_down(v, 0, end);
    }
}
