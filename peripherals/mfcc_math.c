/* mfcc_math.c - see mfcc_math.h. */
#include "mfcc_math.h"

#include "fbank_math.h"

/* floor(a / b) for b > 0. */
static int64_t div_floor(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b) != 0 && a < 0) q--;
  return q;
}

/* round(a / b), half up, b > 0. */
static int64_t div_rnd(int64_t a, int64_t b) { return div_floor(2 * a + b, 2 * b); }

static int16_t sat16(int64_t v) {
  return (int16_t)(v < -32768 ? -32768 : v > 32767 ? 32767 : v);
}

/* floor(x / 2^s), s >= 1, without implementation-defined >> of negatives. */
static int64_t sra64(int64_t x, unsigned s) {
  return x >= 0 ? (int64_t)((uint64_t)x >> s) : (int64_t)~((uint64_t)~x >> s);
}

/* Largest t (Q56) with M t^2 <= c, c = 1 or 2: sqrt(c / M) rounded down. */
static uint64_t sqrt_ratio_q56(unsigned c, unsigned m) {
  uint64_t t = 0;
  int bit;
  for (bit = 57; bit >= 0; bit--) {
    uint64_t cand = t | ((uint64_t)1 << bit), hi, lo, h1, l1, H;
    fbank_mul_u64(cand, cand, &hi, &lo); /* Q112 */
    fbank_mul_u64(lo, m, &h1, &l1);
    H = hi * m + h1;
    if (H < ((uint64_t)c << 48) || (H == ((uint64_t)c << 48) && l1 == 0)) t = cand;
  }
  return t;
}

/* round(|cos(2 pi k / den)| scale) with the sign of the cosine; scale Q56, result Q15. */
static int16_t dct_coef(uint32_t k, uint32_t den, uint64_t scale) {
  int64_t c, s, v;
  uint64_t mag, hi, lo;
  fbank_cos_sin_q62(k, den, &c, &s);
  mag = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
  fbank_mul_u64(mag, scale, &hi, &lo); /* Q118 */
  v = (int64_t)((hi + ((uint64_t)1 << 38)) >> 39); /* round to Q15 */
  if (v > 32767) v = 32767;
  return (int16_t)(c < 0 ? -v : v);
}

int mfcc_dct_init(int16_t *table, unsigned num_mel, unsigned num_ceps) {
  /* Row j >= 1, column m: cos(pi j (2m + 1) / (2M)) = cos(2 pi k / (4M)) with
   * k = j (2m + 1) mod 4M, so the 4M coefficients of the rows j >= 1 are computed once each
   * (the firmware's start-up: 160 cosines instead of 1560 for 40 x 40). */
  int16_t coef[4u * MFCC_MAX_MEL];
  unsigned j, m, k;
  if (!table || num_mel < 1u || num_mel > MFCC_MAX_MEL || num_ceps < 1u || num_ceps > num_mel)
    return -1;
  {
    const int16_t row0 = dct_coef(0u, 4u * num_mel, sqrt_ratio_q56(1u, num_mel));
    for (m = 0; m < num_mel; m++) table[m] = row0;
  }
  if (num_ceps > 1u) {
    const uint64_t s1 = sqrt_ratio_q56(2u, num_mel);
    for (k = 0; k < 4u * num_mel; k++) coef[k] = dct_coef(k, 4u * num_mel, s1);
  }
  for (j = 1; j < num_ceps; j++)
    for (m = 0; m < num_mel; m++) table[j * num_mel + m] = coef[(j * (2u * m + 1u)) % (4u * num_mel)];
  return 0;
}

void mfcc_dct(const int16_t *table, unsigned num_mel, unsigned num_ceps,
              const int16_t *logmel_q7, int16_t *ceps_q7) {
  unsigned j, m;
  for (j = 0; j < num_ceps; j++) {
    const int16_t *row = table + (size_t)j * num_mel;
    int64_t acc = 0;
    for (m = 0; m < num_mel; m++) acc += (int32_t)logmel_q7[m] * (int32_t)row[m];
    ceps_q7[j] = sat16(sra64(acc + (1 << 14), 15));
  }
}

uint32_t mfcc_dct_macs(unsigned num_mel, unsigned num_ceps) {
  return (uint32_t)num_mel * (uint32_t)num_ceps;
}

void mfcc_frame_mean_sub(int16_t *v, unsigned n) {
  int64_t sum = 0;
  unsigned i;
  if (n == 0) return;
  for (i = 0; i < n; i++) sum += v[i];
  for (i = 0; i < n; i++) v[i] = sat16(div_rnd((int64_t)v[i] * n - sum, (int64_t)n));
}

/* div_rnd in 32 bits, for |2a + b| and 2b below 2^31: RV32M divides in one instruction,
 * where the 64-bit division is a libgcc call (about 18 % of the keyword spotter's instructions
 * went to mfcc_cmn's). Same result as div_rnd. */
static int32_t div_rnd32(int32_t a, int32_t b) {
  const int32_t n = 2 * a + b, d = 2 * b;
  int32_t q = n / d;
  if ((n % d) != 0 && n < 0) q--;
  return q;
}

void mfcc_cmn(int16_t *feat, size_t frames, unsigned dim) {
  unsigned d;
  size_t t;
  if (frames == 0) return;
  if (frames < 16384u) { /* |x n - sum| <= 2^16 n: 2 (x n - sum) + n fits int32 */
    const int32_t n = (int32_t)frames;
    for (d = 0; d < dim; d++) {
      int32_t sum = 0;
      for (t = 0; t < frames; t++) sum += feat[t * dim + d];
      for (t = 0; t < frames; t++) feat[t * dim + d] = sat16(div_rnd32(feat[t * dim + d] * n - sum, n));
    }
    return;
  }
  for (d = 0; d < dim; d++) {
    int64_t sum = 0;
    for (t = 0; t < frames; t++) sum += feat[t * dim + d];
    for (t = 0; t < frames; t++)
      feat[t * dim + d] =
          sat16(div_rnd((int64_t)feat[t * dim + d] * (int64_t)frames - sum, (int64_t)frames));
  }
}

int mfcc_cmvn(int16_t *feat, size_t frames, unsigned dim, unsigned out_frac_bits) {
  unsigned d;
  size_t t;
  if (frames > MFCC_MAX_CMVN_FRAMES || out_frac_bits > 14u) return -1;
  if (frames == 0) return 0;
  for (d = 0; d < dim; d++) {
    int64_t sum = 0, sq = 0, n = (int64_t)frames, var;
    uint32_t den;
    for (t = 0; t < frames; t++) {
      int64_t x = feat[t * dim + d];
      sum += x;
      sq += x * x;
    }
    /* (x - mean) / std = (x n - sum) / sqrt(n sq - sum^2): exact integers up to the sqrt */
    var = n * sq - sum * sum;
    den = fbank_isqrt64((uint64_t)var);
    if ((uint64_t)var - (uint64_t)den * den > den) den++; /* round(sqrt) */
    for (t = 0; t < frames; t++) {
      int64_t num = (int64_t)feat[t * dim + d] * n - sum;
      feat[t * dim + d] =
          den ? sat16(div_rnd(num * ((int64_t)1 << out_frac_bits), (int64_t)den)) : 0;
    }
  }
  return 0;
}

void mfcc_q7_to_int8(const int16_t *q7, int8_t *out, size_t n, unsigned frac_bits) {
  size_t i;
  const unsigned sh = 7u - (frac_bits > 7u ? 7u : frac_bits);
  for (i = 0; i < n; i++) {
    int64_t v = sh ? sra64((int64_t)q7[i] + (1 << (sh - 1u)), sh) : q7[i];
    out[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
  }
}
