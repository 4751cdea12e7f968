/* fbank_math.c - see fbank_math.h for the datapath and every number format. */
#include "fbank_math.h"

/* ------------------------------------------------------------------------------------------
 * Integer helpers
 * ---------------------------------------------------------------------------------------- */

/* floor(x / 2^s) for signed x without relying on implementation-defined >> of negatives
 * (GCC and Clang compile this to one arithmetic shift). */
static int64_t sra64(int64_t x, unsigned s) {
  return x >= 0 ? (int64_t)((uint64_t)x >> s) : (int64_t)~((uint64_t)~x >> s);
}

/* round(x / 2^s), half up, s >= 1. The caller guarantees x + 2^(s-1) does not overflow. */
static int64_t rnd_shift64(int64_t x, unsigned s) {
  return sra64(x + ((int64_t)1 << (s - 1u)), s);
}

/* Index of the most significant set bit, x != 0. */
static unsigned msb64(uint64_t x) {
  unsigned n = 0;
  if (x >> 32) { n += 32; x >>= 32; }
  if (x >> 16) { n += 16; x >>= 16; }
  if (x >> 8) { n += 8; x >>= 8; }
  if (x >> 4) { n += 4; x >>= 4; }
  if (x >> 2) { n += 2; x >>= 2; }
  if (x >> 1) { n += 1; }
  return n;
}

static uint32_t abs32(int32_t x) { return x < 0 ? 0u - (uint32_t)x : (uint32_t)x; }

void fbank_mul_u64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
  uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
  *lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
  *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* (a * b) / 2^62, rounded, for a, b <= 2^62. */
static uint64_t mul_q62(uint64_t a, uint64_t b) {
  uint64_t hi, lo;
  fbank_mul_u64(a, b, &hi, &lo);
  lo += (uint64_t)1 << 61;
  if (lo < ((uint64_t)1 << 61)) hi++;
  return (hi << 2) | (lo >> 62);
}

uint32_t fbank_isqrt64(uint64_t x) {
  uint64_t res = 0, bit = (uint64_t)1 << 62;
  while (bit > x) bit >>= 2;
  while (bit) {
    if (x >= res + bit) {
      x -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  return (uint32_t)res;
}

/* round(sqrt(x)) (< 2^32 for x < 2^63 + 2^31.5). */
static uint32_t isqrt64_rnd(uint64_t x) {
  uint32_t r = fbank_isqrt64(x);
  /* round up when x - r^2 > r, i.e. x >= r^2 + r + 1 > (r + 1/2)^2 */
  if (x - (uint64_t)r * r > (uint64_t)r) r++;
  return r;
}

#define Q62_ONE ((uint64_t)1 << 62)
#define PI_2_Q62 UINT64_C(7244019458077122842) /* round(pi/2 * 2^62) */
#define LN2_Q31 INT64_C(1488522236)            /* round(ln 2 * 2^31) */

/* sin and cos of x in [0, pi/4], Q62 (Taylor series to x^17 resp. x^16, Horner; the
 * divisions by the constants are multiplications by their Q62 reciprocals). */
static void sincos_q62_octant(uint64_t x, uint64_t *s, uint64_t *c) {
  static const uint64_t sinv[8] = {Q62_ONE / 272u, Q62_ONE / 210u, Q62_ONE / 156u,
                                   Q62_ONE / 110u, Q62_ONE / 72u,  Q62_ONE / 42u,
                                   Q62_ONE / 20u,  Q62_ONE / 6u};
  static const uint64_t cinv[8] = {Q62_ONE / 240u, Q62_ONE / 182u, Q62_ONE / 132u,
                                   Q62_ONE / 90u,  Q62_ONE / 56u,  Q62_ONE / 30u,
                                   Q62_ONE / 12u,  Q62_ONE / 2u};
  uint64_t x2 = mul_q62(x, x), ts = Q62_ONE, tc = Q62_ONE;
  unsigned i;
  for (i = 0; i < 8; i++) {
    ts = Q62_ONE - mul_q62(mul_q62(x2, ts), sinv[i]);
    tc = Q62_ONE - mul_q62(mul_q62(x2, tc), cinv[i]);
  }
  *s = mul_q62(x, ts);
  *c = tc;
}

void fbank_cos_sin_q62(uint32_t num, uint32_t den, int64_t *cos_q62, int64_t *sin_q62) {
  /* angle = 2 pi num/den = (pi/2) (q + r/den), quadrant q, r < den */
  uint64_t n4 = ((uint64_t)(num % den)) * 4u, r = n4;
  uint32_t q = 0;
  while (r >= den) { /* quadrant, 0..3 */
    r -= den;
    q++;
  }
  uint64_t s0, c0, x, step = PI_2_Q62 / den, rem = PI_2_Q62 % den;
  int64_t c, s;
  int swap = 0;
  if (2u * r > den) { /* use the complement angle pi/2 - alpha */
    r = den - r;
    swap = 1;
  }
  x = step * r + (rem * r) / den; /* floor(pi/2 * r/den) in Q62 */
  sincos_q62_octant(x, &s0, &c0);
  if (swap) { uint64_t t = s0; s0 = c0; c0 = t; }
  c = (int64_t)c0;
  s = (int64_t)s0;
  switch (q) {
    case 0: *cos_q62 = c; *sin_q62 = s; break;
    case 1: *cos_q62 = -s; *sin_q62 = c; break;
    case 2: *cos_q62 = -c; *sin_q62 = -s; break;
    default: *cos_q62 = s; *sin_q62 = -c; break;
  }
}

int64_t fbank_log2_q52(uint32_t x) {
  unsigned n = msb64(x), i;
  uint64_t y = (uint64_t)x << (61u - n); /* mantissa in [1, 2), Q61 */
  int64_t frac = 0;
  for (i = 1; i <= 52; i++) {
    uint64_t hi, lo;
    fbank_mul_u64(y, y, &hi, &lo);
    y = (hi << 3) | (lo >> 61); /* y^2 in Q61, in [1, 4) */
    if (y >= ((uint64_t)1 << 62)) {
      y >>= 1;
      frac |= (int64_t)1 << (52u - i);
    }
  }
  return ((int64_t)n << 52) + frac;
}

/* round(32768 * num / den) for 0 <= num < den, by long division (no 128-bit numerator). */
static uint32_t ratio_q15(uint64_t num, uint64_t den) {
  uint32_t q = 0;
  unsigned i;
  for (i = 0; i < 16; i++) { /* floor(2^16 num / den) */
    q <<= 1;
    if (num >= den - num) { /* 2 num >= den without overflow */
      num = num - (den - num);
      q |= 1u;
    } else {
      num <<= 1;
    }
  }
  return (q + 1u) >> 1; /* floor((floor(2^16 x) + 1) / 2) = round(2^15 x) */
}

/* ------------------------------------------------------------------------------------------
 * Configuration
 * ---------------------------------------------------------------------------------------- */

void fbank_config_default(fbank_config_t *cfg) {
  cfg->sample_rate_hz = 16000;
  cfg->frame_len = 640;
  cfg->frame_shift = 320;
  cfg->fft_size = 1024;
  cfg->window = FBANK_WIN_HANN;
  cfg->window_symmetric = 0;
  cfg->preemph_q15 = 0;
  cfg->num_mel = 40;
  cfg->spectrum = FBANK_SPEC_POWER;
  cfg->f_low_hz = 20;
  cfg->f_high_hz = 4000;
  cfg->out_format = FBANK_OUT_Q7_INT16;
  cfg->out_frac_bits = 7;
  cfg->log_floor_q7 = -20 * 128;
  cfg->log_offset_q7 = 0;
  cfg->dither = 0;
}

const char *fbank_status_str(fbank_status_t st) {
  switch (st) {
    case FBANK_OK: return "ok";
    case FBANK_ERR_NULL: return "null pointer";
    case FBANK_ERR_SAMPLE_RATE: return "sample rate outside 1000..96000 Hz";
    case FBANK_ERR_FFT_SIZE: return "fft_size not a power of two in 16..1024";
    case FBANK_ERR_FRAME_LEN: return "frame_len not in 2..fft_size";
    case FBANK_ERR_FRAME_SHIFT: return "frame_shift not in 1..frame_len";
    case FBANK_ERR_WINDOW: return "unknown window";
    case FBANK_ERR_PREEMPH: return "pre-emphasis coefficient above 32767 (Q15)";
    case FBANK_ERR_NUM_MEL: return "num_mel not in 1..64";
    case FBANK_ERR_TOO_MANY_FILTERS: return "more Mel filters than spectrum bins";
    case FBANK_ERR_FREQ_RANGE: return "f_low >= f_high";
    case FBANK_ERR_F_HIGH: return "f_high above the Nyquist frequency";
    case FBANK_ERR_EMPTY_FILTER: return "a Mel filter covers no spectrum bin";
    case FBANK_ERR_SPECTRUM: return "unknown spectrum type";
    case FBANK_ERR_OUTPUT: return "unknown output format or out_frac_bits > 7";
    case FBANK_ERR_BUFFER: return "table storage too small";
    case FBANK_ERR_DITHER: return "dither level above 8";
  }
  return "unknown status";
}

static unsigned log2_exact(uint32_t n) { return msb64(n); }

/* Mel geometry in log2 units (Q52). mel(f) is proportional to log2(700 + f), so with
 * lambda(f) = log2(700 N + f N) every ratio of mel differences is a ratio of lambda
 * differences. Position of bin k, scaled by (K+1):  u_k = (K+1) (lambda_k - lambda_low);
 * interval i = floor(u_k / D), D = lambda_high - lambda_low; rising weight (u_k - i D) / D. */
typedef struct {
  int64_t lam_low, d;
  uint32_t kp1;
} mel_geom_t;

static void mel_geom(const fbank_config_t *cfg, mel_geom_t *g) {
  uint32_t n = cfg->fft_size;
  g->lam_low = fbank_log2_q52(700u * n + cfg->f_low_hz * n);
  g->d = fbank_log2_q52(700u * n + cfg->f_high_hz * n) - g->lam_low;
  g->kp1 = (uint32_t)cfg->num_mel + 1u;
}

/* Interval of bin k (0..K; K+1 = at or above f_high; -1 = below f_low) and its weight. */
static int mel_bin(const fbank_config_t *cfg, const mel_geom_t *g, uint32_t k, uint32_t *w) {
  int64_t lam = fbank_log2_q52(700u * cfg->fft_size + k * cfg->sample_rate_hz);
  int64_t u = lam - g->lam_low;
  int64_t i;
  *w = 0;
  if (u < 0) return -1;
  u *= (int64_t)g->kp1;
  i = u / g->d;
  if (i >= (int64_t)g->kp1) return (int)g->kp1;
  *w = ratio_q15((uint64_t)(u - i * g->d), (uint64_t)g->d);
  return (int)i;
}

static fbank_status_t check_basic(const fbank_config_t *cfg) {
  uint32_t n;
  if (!cfg) return FBANK_ERR_NULL;
  if (cfg->sample_rate_hz < FBANK_MIN_SAMPLE_RATE || cfg->sample_rate_hz > FBANK_MAX_SAMPLE_RATE)
    return FBANK_ERR_SAMPLE_RATE;
  n = cfg->fft_size;
  if (n < FBANK_MIN_FFT || n > FBANK_MAX_FFT || (n & (n - 1u)) != 0) return FBANK_ERR_FFT_SIZE;
  if (cfg->frame_len < 2u || cfg->frame_len > n) return FBANK_ERR_FRAME_LEN;
  if (cfg->frame_shift < 1u || cfg->frame_shift > cfg->frame_len) return FBANK_ERR_FRAME_SHIFT;
  if (cfg->window > FBANK_WIN_HAMMING || cfg->window_symmetric > 1u) return FBANK_ERR_WINDOW;
  if (cfg->preemph_q15 > 32767u) return FBANK_ERR_PREEMPH;
  if (cfg->num_mel < 1u || cfg->num_mel > FBANK_MAX_MEL) return FBANK_ERR_NUM_MEL;
  if (cfg->num_mel > n / 2u + 1u) return FBANK_ERR_TOO_MANY_FILTERS;
  if (cfg->f_low_hz >= cfg->f_high_hz) return FBANK_ERR_FREQ_RANGE;
  if (cfg->f_high_hz > cfg->sample_rate_hz / 2u) return FBANK_ERR_F_HIGH;
  if (cfg->spectrum > FBANK_SPEC_MAGNITUDE) return FBANK_ERR_SPECTRUM;
  if (cfg->out_format > FBANK_OUT_INT8) return FBANK_ERR_OUTPUT;
  if (cfg->out_format == FBANK_OUT_INT8 && cfg->out_frac_bits > 7u) return FBANK_ERR_OUTPUT;
  if (cfg->dither > FBANK_MAX_DITHER) return FBANK_ERR_DITHER;
  return FBANK_OK;
}

/* Walks the bins once; optionally stores weights and interval starts. Returns
 * FBANK_ERR_EMPTY_FILTER if a filter's total weight is zero. */
static fbank_status_t build_mel(const fbank_config_t *cfg, uint32_t *weight, uint32_t *edge) {
  mel_geom_t g;
  const uint32_t nb = cfg->fft_size / 2u + 1u, K = cfg->num_mel;
  uint32_t k, rise = 0, fall = 0; /* filter cur's rising sum, filter cur-1's running sum */
  int cur = 0;                    /* interval being summed */
  uint32_t m;
  mel_geom(cfg, &g);
  if (weight)
    for (k = 0; k < nb; k++) weight[k] = 0;
  if (edge)
    for (m = 0; m <= K + 1u; m++) edge[m] = nb;
  for (k = 0; k <= nb; k++) { /* k = nb: sentinel that closes the last intervals */
    uint32_t w = 0;
    int i = (k < nb) ? mel_bin(cfg, &g, k, &w) : (int)K + 1;
    if (i < 0) continue; /* below f_low */
    if (edge && edge[0] == nb) edge[0] = k;
    while (cur < i) { /* interval cur is complete, and with it filter cur-1 */
      if (cur >= 1 && fall == 0) return FBANK_ERR_EMPTY_FILTER;
      fall = rise;
      rise = 0;
      cur++;
      if (edge) edge[cur] = k;
    }
    if (i > (int)K) break; /* at or above f_high */
    if (weight) weight[k] = w;
    if (i < (int)K) rise += w;
    if (i >= 1) fall += 32768u - w;
  }
  return FBANK_OK;
}

fbank_status_t fbank_validate(const fbank_config_t *cfg) {
  fbank_status_t st = check_basic(cfg);
  if (st != FBANK_OK) return st;
  return build_mel(cfg, 0, 0);
}

size_t fbank_table_words(const fbank_config_t *cfg) {
  return FBANK_TABLE_WORDS(cfg->frame_len, cfg->fft_size, cfg->num_mel);
}

size_t fbank_work_words(const fbank_config_t *cfg) {
  return FBANK_WORK_WORDS(cfg->fft_size, cfg->num_mel);
}

unsigned fbank_out_elem_bytes(const fbank_config_t *cfg) {
  return cfg->out_format == FBANK_OUT_INT8 ? 1u : 2u;
}

size_t fbank_num_frames(const fbank_config_t *cfg, size_t n) {
  if (n < cfg->frame_len || cfg->frame_shift == 0) return 0;
  return 1u + (n - cfg->frame_len) / cfg->frame_shift;
}

fbank_status_t fbank_init(fbank_t *fb, const fbank_config_t *cfg, uint32_t *table_mem,
                          size_t table_words) {
  fbank_status_t st;
  uint32_t n, L, t, den;
  uint32_t *tw, *win, *wt, *edge;
  if (!fb || !cfg || !table_mem) return FBANK_ERR_NULL;
  st = check_basic(cfg);
  if (st != FBANK_OK) return st;
  if (table_words < fbank_table_words(cfg)) return FBANK_ERR_BUFFER;
  n = cfg->fft_size;
  L = cfg->frame_len;
  tw = table_mem;
  win = tw + n / 4u + 1u;
  wt = win + L;
  edge = wt + n / 2u + 1u;

  st = build_mel(cfg, wt, edge);
  if (st != FBANK_OK) return st;

  for (t = 0; t <= n / 4u; t++) { /* sin(2 pi t / N) in Q30, correctly rounded */
    int64_t c, s;
    fbank_cos_sin_q62(t, n, &c, &s);
    tw[t] = (uint32_t)(int32_t)(((uint64_t)s + ((uint64_t)1 << 31)) >> 32);
  }

  den = cfg->window_symmetric ? L - 1u : L;
  for (t = 0; t < L; t++) {
    int64_t c, s;
    uint32_t w;
    if (cfg->window == FBANK_WIN_RECT) {
      w = (uint32_t)1 << 31;
    } else {
      fbank_cos_sin_q62(t, den, &c, &s);
      if (cfg->window == FBANK_WIN_HANN) { /* (1 - c)/2 * 2^31 = (2^62 - c_q62) / 2^32 */
        w = (uint32_t)((Q62_ONE - (uint64_t)c + ((uint64_t)1 << 31)) >> 32);
      } else { /* (0.54 - 0.46 c) * 2^31 = (54 * 2^50 - 46 c_q50) / (100 * 2^19) */
        int64_t c50 = rnd_shift64(c, 12);
        int64_t num = ((int64_t)54 << 50) - 46 * c50;
        w = (uint32_t)((num + ((int64_t)50 << 19)) / ((int64_t)100 << 19));
      }
    }
    win[t] = w;
  }

  fb->cfg = *cfg;
  fb->twiddle = (const int32_t *)tw;
  fb->window = win;
  fb->mel_weight = wt;
  fb->mel_edge = edge;
  fb->log2_fft = log2_exact(n);
  return FBANK_OK;
}

/* ------------------------------------------------------------------------------------------
 * Per-frame datapath
 * ---------------------------------------------------------------------------------------- */

uint32_t fbank_dither_step(uint32_t state) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

int32_t fbank_dither_value(uint32_t state, unsigned level) {
  /* bit 31 - bit 30: -1, 0, 0, +1 (triangular), scaled to +-2^(level-1) */
  return ((int32_t)(state >> 31) - (int32_t)((state >> 30) & 1u)) * ((int32_t)1 << (level - 1u));
}

int32_t fbank_front_end(const fbank_t *fb, const int16_t *frame, int16_t prev, uint32_t *dither,
                        int32_t *buf) {
  const uint32_t L = fb->cfg.frame_len, n = fb->cfg.fft_size;
  const int32_t a = (int32_t)fb->cfg.preemph_q15;
  const unsigned level = dither ? fb->cfg.dither : 0u;
  uint32_t ds = dither ? *dither : 0u;
  uint64_t orv = 0;
  uint32_t i;
  int s;
  /* pass 1: e[n] (Q30) into buf, OR of |e w| for the block exponent */
  for (i = 0; i < L; i++) {
    int32_t x = frame[i];
    int32_t e;
    int64_t p;
    if (level) { /* step 0: x + d, saturated to int16 */
      ds = fbank_dither_step(ds);
      x += fbank_dither_value(ds, level);
      x = x > 32767 ? 32767 : x < -32768 ? -32768 : x;
    }
    e = x * 32768 - a * (int32_t)prev; /* |e| < 2^31 since a <= 32767 */
    p = (int64_t)e * (int64_t)fb->window[i];
    buf[i] = e;
    orv |= (uint64_t)(p < 0 ? -p : p);
    prev = (int16_t)x;
  }
  if (level) *dither = ds;
  for (i = L; i < n; i++) buf[i] = 0;
  if (orv == 0) {
    for (i = 0; i < L; i++) buf[i] = 0;
    return FBANK_EXP_ZERO;
  }
  /* pass 2: v = round(e w / 2^s), max |v| in [2^28, 2^29] */
  s = (int)msb64(orv) - 28;
  for (i = 0; i < L; i++) {
    int64_t p = (int64_t)buf[i] * (int64_t)fb->window[i];
    buf[i] = (int32_t)(s > 0 ? rnd_shift64(p, (unsigned)s) : p * ((int64_t)1 << (unsigned)-s));
  }
  return (int32_t)s - 61;
}

/* Block-exponent shift for data whose OR of magnitudes is orv (see the header). */
static unsigned bfp_shift(uint32_t orv) {
  return orv < ((uint32_t)1 << 29) ? 0u : orv < ((uint32_t)1 << 30) ? 1u : 2u;
}

/* W_N^t = cos - j sin of 2 pi t / N for t in [0, N/2], from the quarter-wave table. */
static void twiddle(const int32_t *q, uint32_t quarter, uint32_t t, int32_t *c, int32_t *s) {
  if (t <= quarter) {
    *c = q[quarter - t];
    *s = q[t];
  } else {
    *c = -q[t - quarter];
    *s = q[2u * quarter - t];
  }
}

#if defined(__GNUC__)
#define FB_INLINE static inline __attribute__((always_inline))
#else
#define FB_INLINE static inline
#endif

/* round(x / 2^sh) for 30 <= sh <= 32 when the result is known to fit in int32: only the low
 * 32 bits of the (logical) 64-bit shift are kept, which equal the arithmetic result then. */
FB_INLINE int32_t rnd_shift_i32(int64_t x, unsigned sh) {
  uint32_t u = (uint32_t)(((uint64_t)x + ((uint64_t)1 << (sh - 1u))) >> sh);
  return u <= 0x7FFFFFFFu ? (int32_t)u : -(int32_t)(~u) - 1;
}

/* One radix-2 DIT stage over groups of len points (outputs / 2^(sh - 30)); returns the OR of
 * the output magnitudes for the next block-exponent decision. */
FB_INLINE uint32_t fft_stage(int32_t *buf, uint32_t m, uint32_t len, uint32_t step,
                             const int32_t *q, uint32_t quarter, unsigned sh) {
  const uint32_t half = len / 2u;
  uint32_t i, j, orv = 0;
  for (j = 0; j < half; j++) {
    int32_t c, s;
    twiddle(q, quarter, j * step, &c, &s);
    for (i = j; i < m; i += len) {
      int32_t *pa = buf + 2 * i, *pb = buf + 2 * (i + half);
      int64_t br = pb[0], bi = pb[1];
      int64_t tr = (int64_t)c * br + (int64_t)s * bi; /* (c - j s)(br + j bi), Q30 */
      int64_t ti = (int64_t)c * bi - (int64_t)s * br;
      int64_t ar = (int64_t)pa[0] * ((int64_t)1 << 30), ai = (int64_t)pa[1] * ((int64_t)1 << 30);
      int32_t o0 = rnd_shift_i32(ar + tr, sh), o1 = rnd_shift_i32(ai + ti, sh);
      int32_t o2 = rnd_shift_i32(ar - tr, sh), o3 = rnd_shift_i32(ai - ti, sh);
      pa[0] = o0;
      pa[1] = o1;
      pb[0] = o2;
      pb[1] = o3;
      orv |= abs32(o0) | abs32(o1) | abs32(o2) | abs32(o3);
    }
  }
  return orv;
}

#if defined(__AVX2__) && !defined(FBANK_SCALAR)
#define FBANK_FFT_AVX2 1
#include <immintrin.h>

/* fft_stage four butterflies at a time, a host speed-up where the build targets AVX2 (the front
 * end of the dataset and the trainings, scripts/kws_features.py; the CMake build's library, the
 * firmware and FBANK_SCALAR builds use fft_stage). Lane k of the
 * 64-bit vectors a, b holds one butterfly's points (re in the low word, im in the high), c and s
 * its twiddle; every lane does fft_stage's integer operations (32x32 -> 64-bit products, 64-bit
 * sums, the low 32 bits of the rounding shift), so the outputs are the same bits. The butterflies
 * of a stage do not overlap, so their order does not matter either. */
typedef struct {
  __m256i rnd, k30, orv;
  __m128i sh;
} fft_avx2_t;

FB_INLINE __m256i fft_out_pair(const fft_avx2_t *v, __m256i re, __m256i im) {
  /* (round(re), round(im)) as interleaved int32: the low words of the shifted 64-bit sums */
  __m256i r = _mm256_srl_epi64(_mm256_add_epi64(re, v->rnd), v->sh);
  __m256i i = _mm256_srl_epi64(_mm256_add_epi64(im, v->rnd), v->sh);
  return _mm256_blend_epi32(r, _mm256_slli_epi64(i, 32), 0xAA);
}

FB_INLINE void fft_bfly4(fft_avx2_t *v, __m256i a, __m256i b, __m256i c, __m256i s, __m256i *oa,
                         __m256i *ob) {
  /* mul_epi32 reads the low word of each lane as signed: b = br, bi = bi, a = ar, ai = ai */
  const __m256i bi = _mm256_srli_epi64(b, 32), ai = _mm256_srli_epi64(a, 32);
  const __m256i tr = _mm256_add_epi64(_mm256_mul_epi32(c, b), _mm256_mul_epi32(s, bi));
  const __m256i ti = _mm256_sub_epi64(_mm256_mul_epi32(c, bi), _mm256_mul_epi32(s, b));
  const __m256i ar = _mm256_mul_epi32(a, v->k30), aim = _mm256_mul_epi32(ai, v->k30);
  *oa = fft_out_pair(v, _mm256_add_epi64(ar, tr), _mm256_add_epi64(aim, ti));
  *ob = fft_out_pair(v, _mm256_sub_epi64(ar, tr), _mm256_sub_epi64(aim, ti));
  v->orv = _mm256_or_si256(v->orv, _mm256_or_si256(_mm256_abs_epi32(*oa), _mm256_abs_epi32(*ob)));
}

FB_INLINE __m256i fft_load4(const int32_t *p) { /* four int32 twiddles, one per 64-bit lane */
  return _mm256_cvtepi32_epi64(_mm_loadu_si128((const __m128i *)(const void *)p));
}

/* One stage of len points per group (m >= 8): len 2 and 4 pair the points of two vectors by
 * unpacking / swapping halves, longer stages take four consecutive butterflies of a group. cw, sw:
 * the twiddles of W_len^j for j < len / 2. Returns the OR of the output magnitudes. */
static uint32_t fft_stage_avx2(int32_t *buf, uint32_t m, uint32_t len, const int32_t *cw,
                               const int32_t *sw, unsigned sh) {
  const uint32_t half = len / 2u;
  fft_avx2_t v;
  __m256i oa, ob;
  __m128i o;
  uint32_t g, j;
  v.rnd = _mm256_set1_epi64x((long long)((uint64_t)1 << (sh - 1u)));
  v.k30 = _mm256_set1_epi64x((long long)1 << 30);
  v.orv = _mm256_setzero_si256();
  v.sh = _mm_cvtsi32_si128((int)sh);
  if (len <= 4u) {
    /* X = points g..g+3, Y = g+4..g+7. len 2: (0,1) (4,5) (2,3) (6,7) by unpacking 64-bit words;
     * len 4: (0,2) (1,3) (4,6) (5,7) by 128-bit halves */
    const int32_t c2[4] = {cw[0], cw[half - 1u], cw[0], cw[half - 1u]};
    const int32_t s2[4] = {sw[0], sw[half - 1u], sw[0], sw[half - 1u]};
    const __m256i c = fft_load4(c2), s = fft_load4(s2);
    for (g = 0; g < m; g += 8u) {
      __m256i *px = (__m256i *)(void *)(buf + 2u * g), *py = px + 1;
      const __m256i x = _mm256_loadu_si256(px), y = _mm256_loadu_si256(py);
      if (len == 2u) {
        fft_bfly4(&v, _mm256_unpacklo_epi64(x, y), _mm256_unpackhi_epi64(x, y), c, s, &oa, &ob);
        _mm256_storeu_si256(px, _mm256_unpacklo_epi64(oa, ob));
        _mm256_storeu_si256(py, _mm256_unpackhi_epi64(oa, ob));
      } else {
        fft_bfly4(&v, _mm256_permute2x128_si256(x, y, 0x20), _mm256_permute2x128_si256(x, y, 0x31), c, s,
                  &oa, &ob);
        _mm256_storeu_si256(px, _mm256_permute2x128_si256(oa, ob, 0x20));
        _mm256_storeu_si256(py, _mm256_permute2x128_si256(oa, ob, 0x31));
      }
    }
  } else {
    for (g = 0; g < m; g += len) {
      for (j = 0; j < half; j += 4u) {
        __m256i *pa = (__m256i *)(void *)(buf + 2u * (g + j)), *pb = (__m256i *)(void *)(buf + 2u * (g + j + half));
        fft_bfly4(&v, _mm256_loadu_si256(pa), _mm256_loadu_si256(pb), fft_load4(cw + j), fft_load4(sw + j), &oa,
                  &ob);
        _mm256_storeu_si256(pa, oa);
        _mm256_storeu_si256(pb, ob);
      }
    }
  }
  o = _mm_or_si128(_mm256_castsi256_si128(v.orv), _mm256_extracti128_si256(v.orv, 1));
  o = _mm_or_si128(o, _mm_shuffle_epi32(o, 0x4E));
  o = _mm_or_si128(o, _mm_shuffle_epi32(o, 0xB1));
  return (uint32_t)_mm_cvtsi128_si32(o);
}
#endif

int32_t fbank_rfft(const fbank_t *fb, int32_t *buf, int32_t exp_in) {
  const uint32_t n = fb->cfg.fft_size, m = n / 2u, quarter = n / 4u;
  const int32_t *q = fb->twiddle;
  uint32_t i, rev, len, orv = 0;
#ifdef FBANK_FFT_AVX2
  int32_t cw_m[FBANK_MAX_FFT / 4u], sw_m[FBANK_MAX_FFT / 4u], cw[FBANK_MAX_FFT / 4u], sw[FBANK_MAX_FFT / 4u];
#endif
  int32_t e = exp_in;
  if (exp_in == FBANK_EXP_ZERO) return FBANK_EXP_ZERO;

  /* bit-reverse permutation of the M complex points, and the first block-exponent scan; rev is i
   * reversed over log2(M) bits, stepped by a reversed increment */
  for (i = 0, rev = 0; i < m; i++) {
    uint32_t bit = m >> 1;
    if (rev > i) {
      int32_t t0 = buf[2 * i], t1 = buf[2 * i + 1];
      buf[2 * i] = buf[2 * rev];
      buf[2 * i + 1] = buf[2 * rev + 1];
      buf[2 * rev] = t0;
      buf[2 * rev + 1] = t1;
    }
    orv |= abs32(buf[2 * i]) | abs32(buf[2 * i + 1]);
    while (bit & rev) {
      rev ^= bit;
      bit >>= 1;
    }
    rev |= bit;
  }
#ifdef FBANK_FFT_AVX2
  for (i = 0; m >= 8u && i < m / 2u; i++) twiddle(q, quarter, i * (n / m), &cw_m[i], &sw_m[i]);
#endif

  /* radix-2 DIT stages: W_len^j = W_N^(j N/len); the shift is dispatched as a constant */
  for (len = 2; len <= m; len <<= 1) {
    const unsigned r = bfp_shift(orv);
    e += (int32_t)r;
#ifdef FBANK_FFT_AVX2
    if (m >= 8u) { /* the stage's twiddles W_len^j = the last stage's W_m^(j m/len) */
      uint32_t j, st = m / len;
      for (j = 0; j < len / 2u; j++) {
        cw[j] = cw_m[j * st];
        sw[j] = sw_m[j * st];
      }
      orv = fft_stage_avx2(buf, m, len, cw, sw, 30u + r);
      continue;
    }
#endif
    switch (r) {
      case 0: orv = fft_stage(buf, m, len, n / len, q, quarter, 30u); break;
      case 1: orv = fft_stage(buf, m, len, n / len, q, quarter, 31u); break;
      default: orv = fft_stage(buf, m, len, n / len, q, quarter, 32u); break;
    }
  }

  /* split: X[k] = (Ev - j W_N^k Od) / 2, Ev = Z[k] + Z*[M-k], Od = Z[k] - Z*[M-k] */
  {
    const unsigned r = bfp_shift(orv), sh = 31u + r;
    e += (int32_t)r;
    for (i = 0; i <= m / 2u; i++) {
      const uint32_t k2 = (i == 0) ? 0u : m - i;
      int64_t ar = buf[2 * i], ai = buf[2 * i + 1], br = buf[2 * k2], bi = buf[2 * k2 + 1];
      int64_t evr = (ar + br) * ((int64_t)1 << 30), evi = (ai - bi) * ((int64_t)1 << 30);
      int64_t odr = ar - br, odi = ai + bi;
      int32_t c, s;
      int64_t cr, ci, sr, si;
      twiddle(q, quarter, i, &c, &s);
      cr = (int64_t)c * odr;
      ci = (int64_t)c * odi;
      sr = (int64_t)s * odr;
      si = (int64_t)s * odi;
      /* X[k]   = ((Ev_r + c od_i - s od_r) + j (Ev_i - s od_i - c od_r)) / 2
       * X[M-k] = ((Ev_r - c od_i + s od_r) + j (-Ev_i - s od_i - c od_r)) / 2 */
      {
        int32_t x0 = (int32_t)rnd_shift64(evr + ci - sr, sh);
        int32_t x1 = (int32_t)rnd_shift64(evi - si - cr, sh);
        int32_t y0 = (int32_t)rnd_shift64(evr - ci + sr, sh);
        int32_t y1 = (int32_t)rnd_shift64(-evi - si - cr, sh);
        uint32_t kk = (i == 0) ? m : m - i;
        buf[2 * i] = x0;
        buf[2 * i + 1] = x1;
        if (kk != i) {
          buf[2 * kk] = y0;
          buf[2 * kk + 1] = y1;
        }
      }
    }
  }
  return e;
}

/* 96-bit accumulator: value = hi * 2^32 + lo. */
typedef struct {
  uint64_t hi, lo;
} acc96_t;

static void acc_add(acc96_t *a, uint32_t w, uint64_t p) {
  a->hi += (uint64_t)w * (p >> 32);
  a->lo += (uint64_t)w * (p & 0xFFFFFFFFu);
}

/* Normalise to a 32-bit mantissa (truncated): value = mant * 2^shift. */
static uint32_t acc_norm(const acc96_t *a, int32_t *shift) {
  uint64_t top = a->hi + (a->lo >> 32); /* bits 32..95 */
  uint32_t low = (uint32_t)(a->lo & 0xFFFFFFFFu);
  if (top) {
    unsigned b = msb64(top); /* the value's msb is b + 32 */
    *shift = (int32_t)b + 1;
    if (b >= 31u) return (uint32_t)(top >> (b - 31u));
    return (uint32_t)((top << (31u - b)) | ((uint64_t)low >> (b + 1u)));
  }
  if (low) {
    unsigned b = msb64(low);
    *shift = (int32_t)b - 31;
    return low << (31u - b);
  }
  *shift = 0;
  return 0;
}

void fbank_mel(const fbank_t *fb, const int32_t *spec, int32_t spec_exp, uint32_t *mant,
               int32_t *exp) {
  const uint32_t K = fb->cfg.num_mel;
  const int mag = fb->cfg.spectrum == FBANK_SPEC_MAGNITUDE;
  acc96_t fall = {0, 0}, rise;
  uint32_t i, k;
  int32_t eoff;
  if (spec_exp == FBANK_EXP_ZERO) {
    for (i = 0; i < K; i++) {
      mant[i] = 0;
      exp[i] = 0;
    }
    return;
  }
  eoff = (mag ? spec_exp : 2 * spec_exp) - 15; /* weights are Q15 */
  for (i = 0; i <= K; i++) { /* interval i: rising half of filter i, falling of filter i-1 */
    rise.hi = 0;
    rise.lo = 0;
    for (k = fb->mel_edge[i]; k < fb->mel_edge[i + 1]; k++) {
      int64_t xr = spec[2 * k], xi = spec[2 * k + 1];
      uint64_t p = (uint64_t)(xr * xr) + (uint64_t)(xi * xi);
      uint32_t w = fb->mel_weight[k];
      if (mag) p = isqrt64_rnd(p);
      if (i < K) acc_add(&rise, w, p);
      if (i >= 1) acc_add(&fall, 32768u - w, p);
    }
    if (i >= 1) {
      int32_t sh;
      mant[i - 1] = acc_norm(&fall, &sh);
      exp[i - 1] = mant[i - 1] ? sh + eoff : 0;
    }
    fall = rise;
  }
}

/* log2(1 + i/64) in Q20, i = 0..64 (correctly rounded). */
static const uint32_t log2_tab_q20[65] = {
    0,      23454,  46551,  69300,  91711,  113796, 135563, 157021, 178179, 199045,
    219628, 239934, 259971, 279746, 299266, 318537, 337566, 356359, 374920, 393257,
    411375, 429278, 446971, 464460, 481749, 498843, 515745, 532461, 548995, 565349,
    581529, 597537, 613378, 629054, 644570, 659928, 675132, 690185, 705089, 719848,
    734464, 748941, 763280, 777484, 791557, 805500, 819315, 833005, 846573, 860020,
    873348, 886561, 899658, 912644, 925518, 938284, 950944, 963498, 975949, 988298,
    1000547, 1012698, 1024752, 1036711, 1048576};

int64_t fbank_ln_q51(uint32_t mant, int32_t exp) {
  unsigned b = msb64(mant);
  uint32_t m = mant << (31u - b); /* [2^31, 2^32) */
  int32_t e = exp + (int32_t)b;   /* value = (m / 2^31) * 2^e */
  uint32_t idx = (m >> 25) & 63u, f = (m >> 13) & 4095u;
  uint32_t t0 = log2_tab_q20[idx], t1 = log2_tab_q20[idx + 1];
  int64_t l2 = (int64_t)e * (1 << 20) + (int64_t)(t0 + (((t1 - t0) * f + 2048u) >> 12));
  return l2 * LN2_Q31; /* Q20 * Q31 = Q51 */
}

void fbank_log_mel(const fbank_t *fb, const uint32_t *mant, const int32_t *exp, void *out) {
  const uint32_t K = fb->cfg.num_mel;
  const int i8 = fb->cfg.out_format == FBANK_OUT_INT8;
  const unsigned f = i8 ? fb->cfg.out_frac_bits : 7u;
  const int64_t floor_q51 = (int64_t)fb->cfg.log_floor_q7 * ((int64_t)1 << 44);
  const int64_t off_q51 = (int64_t)fb->cfg.log_offset_q7 * ((int64_t)1 << 44);
  const int32_t lo = i8 ? -128 : -32768, hi = i8 ? 127 : 32767;
  uint32_t i;
  for (i = 0; i < K; i++) {
    int64_t y = mant[i] ? fbank_ln_q51(mant[i], exp[i]) : floor_q51;
    int64_t o;
    if (y < floor_q51) y = floor_q51;
    o = rnd_shift64(y + off_q51, 51u - f);
    if (o < lo) o = lo;
    if (o > hi) o = hi;
    if (i8)
      ((int8_t *)out)[i] = (int8_t)o;
    else
      ((int16_t *)out)[i] = (int16_t)o;
  }
}

void fbank_process_frame(const fbank_t *fb, const int16_t *frame, int16_t prev, uint32_t *dither,
                         int32_t *work, void *out) {
  const uint32_t n = fb->cfg.fft_size, K = fb->cfg.num_mel;
  uint32_t *mant = (uint32_t *)(work + n + 2);
  int32_t *exp = work + n + 2 + K;
  int32_t e = fbank_front_end(fb, frame, prev, dither, work);
  e = fbank_rfft(fb, work, e);
  fbank_mel(fb, work, e, mant, exp);
  fbank_log_mel(fb, mant, exp, out);
}

size_t fbank_process_signal(const fbank_t *fb, const int16_t *x, size_t n, uint32_t *dither,
                            int32_t *work, void *out) {
  size_t frames = fbank_num_frames(&fb->cfg, n), t;
  const size_t stride = (size_t)fb->cfg.num_mel * fbank_out_elem_bytes(&fb->cfg);
  for (t = 0; t < frames; t++) {
    size_t start = t * fb->cfg.frame_shift;
    fbank_process_frame(fb, x + start, start ? x[start - 1] : 0, dither, work,
                        (unsigned char *)out + t * stride);
  }
  return frames;
}

fbank_status_t fbank_op_counts(const fbank_config_t *cfg, fbank_ops_t *ops) {
  fbank_status_t st;
  mel_geom_t g;
  uint32_t k, nb, m, stages, K;
  if (!ops) return FBANK_ERR_NULL;
  {
    fbank_ops_t z = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    *ops = z;
  }
  st = fbank_validate(cfg);
  if (st != FBANK_OK) return st;
  m = cfg->fft_size / 2u;
  nb = m + 1u;
  K = cfg->num_mel;
  stages = log2_exact(m);
  ops->preemph_macs = cfg->preemph_q15 ? cfg->frame_len : 0u;
  ops->window_mults = cfg->frame_len;
  ops->norm_ops = 2u * cfg->frame_len;
  ops->fft_points = m;
  ops->fft_stages = stages;
  ops->butterflies = (m / 2u) * stages;
  ops->trivial_butterflies = m - 1u; /* one group leader (j = 0) per group: sum of M/len */
  ops->split_ops = m / 2u + 1u;
  ops->bfp_scans = stages + 1u;
  mel_geom(cfg, &g);
  for (k = 0; k < nb; k++) {
    uint32_t w;
    int i = mel_bin(cfg, &g, k, &w);
    if (i < 0 || i > (int)K) continue;
    ops->bins++;
    ops->mel_macs += (i >= 1 && i < (int)K) ? 2u : 1u;
  }
  ops->squares = 2u * ops->bins;
  ops->sqrts = cfg->spectrum == FBANK_SPEC_MAGNITUDE ? ops->bins : 0u;
  ops->logs = K;
  return FBANK_OK;
}
