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

/* ---- log floor ---------------------------------------------------------------------------- */
#define MFCC_EXP_INT_LEN 12u /* e^-12 * 2^15 < 0.5: the Q15 exponential is 0 from there */
static const uint16_t exp_frac_q15[128] = { /* round(2^15 e^(-i/128)) */
    32768u, 32513u, 32260u, 32009u, 31760u, 31513u, 31267u, 31024u, 30783u, 30543u, 30305u, 30070u,
    29836u, 29603u, 29373u, 29144u, 28918u, 28693u, 28469u, 28248u, 28028u, 27810u, 27593u, 27379u,
    27166u, 26954u, 26744u, 26536u, 26330u, 26125u, 25922u, 25720u, 25520u, 25321u, 25124u, 24929u,
    24735u, 24542u, 24351u, 24162u, 23974u, 23787u, 23602u, 23418u, 23236u, 23055u, 22876u, 22698u,
    22521u, 22346u, 22172u, 21999u, 21828u, 21658u, 21490u, 21323u, 21157u, 20992u, 20829u, 20667u,
    20506u, 20346u, 20188u, 20031u, 19875u, 19720u, 19567u, 19414u, 19263u, 19113u, 18965u, 18817u,
    18671u, 18525u, 18381u, 18238u, 18096u, 17955u, 17816u, 17677u, 17539u, 17403u, 17268u, 17133u,
    17000u, 16868u, 16736u, 16606u, 16477u, 16349u, 16221u, 16095u, 15970u, 15846u, 15722u, 15600u,
    15479u, 15358u, 15239u, 15120u, 15002u, 14886u, 14770u, 14655u, 14541u, 14428u, 14315u, 14204u,
    14093u, 13984u, 13875u, 13767u, 13660u, 13553u, 13448u, 13343u, 13239u, 13136u, 13034u, 12933u,
    12832u, 12732u, 12633u, 12535u, 12437u, 12341u, 12245u, 12149u};
static const uint32_t exp_int_q30[MFCC_EXP_INT_LEN] = { /* round(2^30 e^-k) */
    1073741824u, 395007542u, 145315154u, 53458458u, 19666268u, 7234816u,
    2661540u, 979126u, 360200u, 132510u, 48748u, 17933u};

uint32_t mfcc_exp_neg_q15(uint32_t d_q7) {
  const uint32_t k = d_q7 >> 7;
  if (k >= MFCC_EXP_INT_LEN) return 0;
  return (uint32_t)(((uint64_t)exp_int_q30[k] * exp_frac_q15[d_q7 & 127u] + (1u << 29)) >> 30);
}

/* Q51 natural log -> q8.7, round half up. */
static int32_t q51_to_q7(int64_t v) { return (int32_t)sra64(v + ((int64_t)1 << 43), 44); }

/* ln(e^l + e^fl) = max + ln(1 + e^-|l - fl|), q8.7, saturated */
static int16_t soft_floor(int32_t l, int32_t fl) {
  const int32_t hi = l > fl ? l : fl, d = l > fl ? l - fl : fl - l;
  const uint32_t e = mfcc_exp_neg_q15((uint32_t)d);
  return sat16(hi + (e ? q51_to_q7(fbank_ln_q51(32768u + e, -15)) : 0));
}

int16_t mfcc_log_floor(int16_t *logmel, size_t n, int16_t rel_q7) {
  size_t i;
  int32_t mx = -32768, fl;
  uint32_t sum = 0;
  if (n == 0 || n > MFCC_MAX_FLOOR_VALUES) return -32768;
  for (i = 0; i < n; i++)
    if (logmel[i] > mx) mx = logmel[i];
  /* mean power relative to the largest: sum <= n 2^15 < 2^31, and >= 2^15 (the largest) */
  for (i = 0; i < n; i++) sum += mfcc_exp_neg_q15((uint32_t)(mx - logmel[i]));
  fl = mx + q51_to_q7(fbank_ln_q51(sum, -15) - fbank_ln_q51((uint32_t)n, 0)) + rel_q7;
  fl = fl < -32768 ? -32768 : fl > 32767 ? 32767 : fl;
  for (i = 0; i < n; i++) logmel[i] = soft_floor(logmel[i], fl);
  return (int16_t)fl;
}

int mfcc_noise_floor(int16_t *logmel, unsigned frames, unsigned bands, int16_t rel_q7,
                     int16_t *floor_q7) {
  int32_t energy[MFCC_MAX_NOISE_FRAMES];
  uint8_t quiet[MFCC_MAX_NOISE_FRAMES];
  unsigned t, b, k;
  const unsigned nq = (frames + 3u) / 4u;
  if (frames == 0 || frames > MFCC_MAX_NOISE_FRAMES || bands == 0 || bands > MFCC_MAX_MEL) return -1;
  for (t = 0; t < frames; t++) { /* a frame's level: the sum of its bands' log power */
    int32_t s = 0;
    for (b = 0; b < bands; b++) s += logmel[t * bands + b];
    energy[t] = s;
    quiet[t] = 0;
  }
  for (k = 0; k < nq; k++) { /* the nq quietest frames, the earlier on a tie */
    unsigned best = frames;
    for (t = 0; t < frames; t++)
      if (!quiet[t] && (best == frames || energy[t] < energy[best])) best = t;
    quiet[best] = 1;
  }
  for (b = 0; b < bands; b++) {
    int32_t s = 0, fl;
    for (t = 0; t < frames; t++)
      if (quiet[t]) s += logmel[t * bands + b];
    fl = div_rnd32(s, (int32_t)nq) + rel_q7; /* |s| < 64 x 2^15: div_rnd32's range */
    fl = fl < -32768 ? -32768 : fl > 32767 ? 32767 : fl;
    if (floor_q7) floor_q7[b] = (int16_t)fl;
    for (t = 0; t < frames; t++) logmel[t * bands + b] = soft_floor(logmel[t * bands + b], fl);
  }
  return 0;
}
