/*
 * fbank_math.h - bit-exact fixed-point reference of the Fbank accelerator's datapath
 * (pre-emphasis, window, real FFT, power/magnitude spectrum, Mel filterbank, log).
 *
 * Portable C99, integer-only (no floating point anywhere, not even at init), no malloc:
 * the caller provides the table storage (fbank_init) and the per-frame work buffer.
 * The same source builds on the host (C or C++) and for the RV32IMC firmware
 * (riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32). The SystemC Fbank model and the
 * firmware use it as the definition of the accelerator's output: any change here changes
 * the hardware contract.
 *
 * Datapath and number formats, per frame of L = frame_len int16 samples (N = fft_size,
 * M = N/2, K = num_mel). "value" is the real number the integer stands for.
 *
 *  0. input       x[n]  int16, Q15: value = x/2^15 in [-1, 1). prev = x[-1], the sample
 *                 before the frame in the stream (0 for the first frame).
 *     dither      (dither level k > 0 and a generator state given) x[n] = sat16(x[n] + d[n]),
 *                 n = 0..L-1 in order, each sample one xorshift32 step of the state
 *                 (s ^= s << 13; s ^= s >> 17; s ^= s << 5) and
 *                 d = (bit 31 - bit 30 of s) * 2^(k-1): triangular, -1/0/+1 with
 *                 probability 1/4, 1/2, 1/4, variance 4^(k-1)/2 LSB^2. prev is not
 *                 dithered; the pre-emphasis of sample n > 0 uses the dithered x[n-1].
 *                 Why: exact digital silence (a muted microphone) otherwise gives every
 *                 band log_floor, a constant no real input produces; dithered, it reads as
 *                 the quietest white noise (Kaldi's front end dithers for the same reason).
 *  1. pre-emph.   e[n] = x[n]*2^15 - a*x[n-1]   int32, Q30, exact (no rounding).
 *                 a = preemph_q15 (Q15, 0..32767; 0 = off, then e = x*2^15).
 *  2. window      p[n] = e[n] * w[n]            int64, Q61, exact.
 *                 w[n] uint32, Q31 unsigned (2^31 = 1.0), correctly rounded from the exact
 *                 window (periodic or symmetric Hann / Hamming, or rectangular).
 *  3. normalise   block floating point: s = msb(max|p|) - 28;
 *                 v[n] = round(p[n] / 2^s) (left shift if s < 0), so max|v| in [2^28, 2^29].
 *                 v int32, value = v * 2^E0 with E0 = s - 61; zero padded to N.
 *                 An all-zero frame skips steps 4-6 (every Mel energy is 0).
 *  4. real FFT    v is packed as M complex points z[n] = v[2n] + j v[2n+1] (the int32
 *                 array read as interleaved re/im), an M-point radix-2 DIT complex FFT, then
 *                 the split step giving X[k], k = 0..M (N+2 int32 words, re/im interleaved).
 *                 X[k] = sum_n value(v[n]) e^{-j 2 pi k n / N}  (unnormalised DFT).
 *                 Twiddles: quarter-wave table sin(2 pi t / N), t = 0..N/4, int32 Q30,
 *                 correctly rounded. Every complex product is formed exactly in int64 and the
 *                 butterfly outputs are rounded once (round half up).
 *                 Block floating point per stage: before each of the log2(M) stages and
 *                 before the split step, with B = OR of |re|,|im| over the array:
 *                 r = 0 if B < 2^29, 1 if B < 2^30, else 2; the stage's outputs are divided
 *                 by 2^r and the block exponent grows by r. Inputs <= 2^29 grow by at most
 *                 1 + sqrt(2) per stage, so no int32 overflow is possible, and data keep
 *                 28..31 significant bits whatever the input level.
 *                 X int32, value = X * 2^E with E = E0 + sum(r)   (fbank_rfft returns E).
 *  5. spectrum    power:     P[k] = Xr^2 + Xi^2, uint64 exact (< 2^63), value P * 2^(2E)
 *                 magnitude: A[k] = round(sqrt(P[k])), uint32,      value A * 2^E
 *  6. Mel         HTK mel scale, mel(f) = 2595 log10(1 + f/700); K+2 edges equally spaced in
 *                 mel from f_low to f_high; filter m is a triangle in the mel domain (rising
 *                 from edge m to edge m+1, falling to edge m+2, peak 1, no area
 *                 normalisation). Bin k (f = k*fs/N) lying in the mel interval
 *                 [edge i, edge i+1) has the rising weight
 *                   u[k] = (mel(f) - mel_i) / (mel_{i+1} - mel_i),  Q15 uint (0..32768),
 *                 correctly rounded, and gives u[k] to filter i and 32768 - u[k] to filter
 *                 i-1 (so the two weights of a bin add to exactly 1.0). Bins outside
 *                 [f_low, f_high) are not used.
 *                 S_m = sum weight * P (or * A), accumulated exactly in 96 bits (two uint64
 *                 halves), then truncated to a normalised 32-bit mantissa:
 *                 Mel energy = mant * 2^exp, mant uint32 in [2^31, 2^32) (or 0),
 *                 exp int32 (weights' Q15 and the spectrum exponent included).
 *  7. log         ln(mant * 2^exp) = ln2 * (exp + 31 + log2(mant/2^31)); log2 of the
 *                 mantissa: 64-entry table of log2(1 + i/64) in Q20 (65 values) with linear
 *                 interpolation on the next 12 bits (error < 5e-5), times ln2 (Q31) -> Q51.
 *                 y = max(ln E, log_floor) + log_offset; an energy of 0 gives log_floor.
 *  8. output      q8.7 int16: round(y * 2^7) saturated to int16   (FBANK_OUT_Q7_INT16)
 *                 int8:       round(y * 2^f) saturated to int8, f = out_frac_bits 0..7
 *                 (FBANK_OUT_INT8; scale 2^f). Rounding is round half up.
 *
 * Supported: fft_size 16, 32, ..., 1024; frame_len 2..fft_size; frame_shift 1..frame_len;
 * num_mel 1..64; sample rate 1000..96000 Hz; 0 <= f_low < f_high <= fs/2; every filter must
 * get a non-zero weight from at least one bin.
 *
 * Dynamic range: the FFT keeps 28..31 significant bits per stage, so its rounding noise lies
 * ~165 dB (power) below the frame's strongest bin - far below the int16 input's own
 * quantisation noise. Only synthetic noise-free input (e.g. an exact full-scale Nyquist tone)
 * can have bands further down; they then read at that noise level, not at log_floor.
 *
 * Cost: no division of any kind in the per-frame path; 32x32->64 multiplies. fbank_init and
 * fbank_validate use 64-bit integer multiply/divide (libgcc helpers on RV32, no float).
 * Measured on the cimvp RV32IMC core (core_alone, -O2, tests/frontend/rv32/fbank_bench.c):
 * per frame 403k cycles (40 ms, FFT 1024, power), 371k (30 ms, FFT 512, magnitude),
 * 580k (40 ms, FFT 1024, magnitude: 64-bit integer square roots); fbank_init 2.5M cycles
 * (FFT 1024) / 1.9M (FFT 512). Storage: tables FBANK_TABLE_WORDS (1860 words = 7.3 KiB for
 * L = N = 1024, K = 64; 1452 words for the default config), work FBANK_WORK_WORDS (1106
 * words for the default config).
 */
#ifndef CIMVP_FBANK_MATH_H
#define CIMVP_FBANK_MATH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FBANK_MIN_FFT 16u
#define FBANK_MAX_FFT 1024u
#define FBANK_MAX_MEL 64u
#define FBANK_MIN_SAMPLE_RATE 1000u
#define FBANK_MAX_SAMPLE_RATE 96000u
#define FBANK_MAX_DITHER 8u
/* The dither generator's state after reset (xorshift32 must never hold 0). */
#define FBANK_DITHER_SEED_RESET 0x2545F491u

enum fbank_window {
  FBANK_WIN_RECT = 0,
  FBANK_WIN_HANN = 1,   /* 0.5 - 0.5 cos(2 pi n / D) */
  FBANK_WIN_HAMMING = 2 /* 0.54 - 0.46 cos(2 pi n / D) */
};                      /* D = L (periodic, window_symmetric = 0) or L - 1 (symmetric) */

enum fbank_spectrum { FBANK_SPEC_POWER = 0, FBANK_SPEC_MAGNITUDE = 1 };

enum fbank_output {
  FBANK_OUT_Q7_INT16 = 0, /* int16, q8.7 natural log */
  FBANK_OUT_INT8 = 1      /* int8, natural log * 2^out_frac_bits */
};

typedef struct {
  uint32_t sample_rate_hz;  /* FBANK_MIN_SAMPLE_RATE..FBANK_MAX_SAMPLE_RATE */
  uint16_t frame_len;       /* samples per frame, 2..fft_size (zero padded to fft_size) */
  uint16_t frame_shift;     /* hop in samples, 1..frame_len (used by fbank_process_signal) */
  uint16_t fft_size;        /* power of two, FBANK_MIN_FFT..FBANK_MAX_FFT */
  uint8_t window;           /* enum fbank_window */
  uint8_t window_symmetric; /* 0: periodic (DFT-even, TF/librosa default), 1: symmetric */
  uint16_t preemph_q15;     /* pre-emphasis coefficient a, Q15, 0..32767; 0 = off */
  uint8_t num_mel;          /* Mel filters, 1..FBANK_MAX_MEL */
  uint8_t spectrum;         /* enum fbank_spectrum */
  uint32_t f_low_hz;        /* lower edge of the first filter */
  uint32_t f_high_hz;       /* upper edge of the last filter, <= sample_rate_hz / 2 */
  uint8_t out_format;       /* enum fbank_output */
  uint8_t out_frac_bits;    /* FBANK_OUT_INT8 only: 0..7 (int8 = round(ln * 2^f)) */
  int16_t log_floor_q7;     /* q8.7: ln energies below this (and zero energies) are clamped */
  int16_t log_offset_q7;    /* q8.7: added to the (clamped) log before output scaling */
  uint8_t dither;           /* 0 = off; k = 1..FBANK_MAX_DITHER: +-2^(k-1) LSB triangular
                               dither on every frame sample (step 0 above) */
} fbank_config_t;

typedef enum {
  FBANK_OK = 0,
  FBANK_ERR_NULL = 1,               /* null pointer */
  FBANK_ERR_SAMPLE_RATE = 2,        /* sample rate outside 1000..96000 Hz */
  FBANK_ERR_FFT_SIZE = 3,           /* not a power of two, or outside 16..1024 */
  FBANK_ERR_FRAME_LEN = 4,          /* frame_len < 2 or > fft_size */
  FBANK_ERR_FRAME_SHIFT = 5,        /* frame_shift 0 or > frame_len */
  FBANK_ERR_WINDOW = 6,             /* unknown window type or window_symmetric not 0/1 */
  FBANK_ERR_PREEMPH = 7,            /* preemph_q15 > 32767 */
  FBANK_ERR_NUM_MEL = 8,            /* num_mel 0 or > 64 */
  FBANK_ERR_TOO_MANY_FILTERS = 9,   /* num_mel > fft_size/2 + 1 bins */
  FBANK_ERR_FREQ_RANGE = 10,        /* f_low >= f_high */
  FBANK_ERR_F_HIGH = 11,            /* f_high > sample_rate / 2 */
  FBANK_ERR_EMPTY_FILTER = 12,      /* a filter gets no non-zero weight from any bin */
  FBANK_ERR_SPECTRUM = 13,          /* unknown spectrum type */
  FBANK_ERR_OUTPUT = 14,            /* unknown output format or out_frac_bits > 7 */
  FBANK_ERR_BUFFER = 15,            /* table storage too small (fbank_init only) */
  FBANK_ERR_DITHER = 16             /* dither > FBANK_MAX_DITHER */
} fbank_status_t;

/* Table storage for fbank_init, in uint32 words: twiddles (N/4+1), window (L),
 * Mel bin weights (N/2+1), Mel interval start bins (K+2). */
#define FBANK_TABLE_WORDS(frame_len, fft_size, num_mel) \
  ((size_t)(fft_size) / 4u + 1u + (size_t)(frame_len) + (size_t)(fft_size) / 2u + 1u + \
   (size_t)(num_mel) + 2u)
#define FBANK_TABLE_WORDS_MAX FBANK_TABLE_WORDS(FBANK_MAX_FFT, FBANK_MAX_FFT, FBANK_MAX_MEL)
/* Per-frame work buffer for fbank_process_frame, in int32 words: spectrum (N+2) and the
 * Mel mantissas and exponents (2K). */
#define FBANK_WORK_WORDS(fft_size, num_mel) ((size_t)(fft_size) + 2u + 2u * (size_t)(num_mel))
#define FBANK_WORK_WORDS_MAX FBANK_WORK_WORDS(FBANK_MAX_FFT, FBANK_MAX_MEL)

/* Returned by fbank_front_end / fbank_rfft for an all-zero frame. */
#define FBANK_EXP_ZERO INT32_MIN

typedef struct {
  fbank_config_t cfg;
  const int32_t *twiddle;     /* N/4+1: sin(2 pi t / N), Q30 */
  const uint32_t *window;     /* L: Q31 unsigned */
  const uint32_t *mel_weight; /* N/2+1: rising weight u[k], Q15 (0 outside the range) */
  const uint32_t *mel_edge;   /* K+2: first bin of each mel interval i = 0..K, then the end */
  unsigned log2_fft;
} fbank_t;

/* Operation counts for one frame (all frames cost the same, except that an all-zero frame
 * stops after the normalisation scan). For the accelerator's latency model and the
 * software estimate. */
typedef struct {
  uint32_t preemph_macs;     /* L if pre-emphasis is on, else 0 */
  uint32_t window_mults;     /* L (32x32 -> 64) */
  uint32_t norm_ops;         /* 2L: max scan + shift (the product is redone in the shift pass) */
  uint32_t fft_points;       /* M = N/2 complex points */
  uint32_t fft_stages;       /* log2(M) radix-2 stages (+1 split pass, + BFP scans) */
  uint32_t butterflies;      /* (M/2) log2(M) radix-2 butterflies, 4 real mults each */
  uint32_t trivial_butterflies; /* of which twiddle = 1 (one per group) */
  uint32_t split_ops;        /* M/2 + 1 real-FFT split steps (4 real mults each) */
  uint32_t bfp_scans;        /* log2(M) + 1 block-exponent checks over N words */
  uint32_t bins;             /* spectrum bins used by the filterbank */
  uint32_t squares;          /* 2 * bins (Xr^2 + Xi^2, 32x32 -> 64) */
  uint32_t sqrts;            /* bins if magnitude, else 0 (64-bit integer square root) */
  uint32_t mel_macs;         /* filter taps: weight * P, 2 per interior bin, 1 at the ends */
  uint32_t logs;             /* K (table log2 + 1 multiply each) */
} fbank_ops_t;

/* 16 kHz, 40 ms / 20 ms, FFT 1024, periodic Hann, no pre-emphasis, 40 Mel 20-4000 Hz,
 * power spectrum, q8.7 output, floor ln = -20.0, offset 0, no dither. */
void fbank_config_default(fbank_config_t *cfg);

/* FBANK_OK or the first problem found (see fbank_status_t). Integer only; scans the bins
 * once to check that no filter is empty. */
fbank_status_t fbank_validate(const fbank_config_t *cfg);
const char *fbank_status_str(fbank_status_t st);

/* Validate cfg and build the tables into table_mem (table_words uint32 words, at least
 * FBANK_TABLE_WORDS(...)). fb keeps pointers into table_mem. Integer only. */
fbank_status_t fbank_init(fbank_t *fb, const fbank_config_t *cfg, uint32_t *table_mem,
                          size_t table_words);
size_t fbank_table_words(const fbank_config_t *cfg);
size_t fbank_work_words(const fbank_config_t *cfg);
/* Number of output elements per frame (= num_mel) and bytes per element (2 or 1). */
unsigned fbank_out_elem_bytes(const fbank_config_t *cfg);
/* Frames in a signal of n samples: 0 if n < L, else 1 + (n - L) / frame_shift. */
size_t fbank_num_frames(const fbank_config_t *cfg, size_t n);

/* The whole datapath for one frame: frame[0..L-1], prev = sample before the frame,
 * dither = the dither generator's state (advanced L steps when cfg.dither > 0; NULL: no
 * dither whatever cfg.dither says), work = fbank_work_words() int32 words,
 * out = num_mel int16 (q8.7) or int8. */
void fbank_process_frame(const fbank_t *fb, const int16_t *frame, int16_t prev, uint32_t *dither,
                         int32_t *work, void *out);
/* All frames of a signal (frame t starts at t * frame_shift; its prev is the sample before
 * it, 0 for t = 0), the dither state carried from frame to frame (start it at
 * FBANK_DITHER_SEED_RESET to match the accelerator after reset). out holds
 * fbank_num_frames() * num_mel elements. Returns the frames. */
size_t fbank_process_signal(const fbank_t *fb, const int16_t *x, size_t n, uint32_t *dither,
                            int32_t *work, void *out);

/* --- The stages, for tests and for models that expose intermediate results. --- */

/* Steps 0-3 (dither as in fbank_process_frame): buf = N int32 words (normalised, zero padded).
 * Returns E0, or FBANK_EXP_ZERO if the windowed frame is all zero (then buf is all zero). */
int32_t fbank_front_end(const fbank_t *fb, const int16_t *frame, int16_t prev, uint32_t *dither,
                        int32_t *buf);
/* Step 0's generator: the next xorshift32 state, and the dither it gives at level k >= 1. */
uint32_t fbank_dither_step(uint32_t state);
int32_t fbank_dither_value(uint32_t state, unsigned level);
/* Step 4, in place: buf holds N real int32 values (any |v| < 2^31) of value v * 2^exp_in,
 * and N+2 words on return: X[0..N/2] re/im of value X * 2^(returned exponent).
 * exp_in = FBANK_EXP_ZERO returns FBANK_EXP_ZERO without touching buf. */
int32_t fbank_rfft(const fbank_t *fb, int32_t *buf, int32_t exp_in);
/* Steps 5-6: spec from fbank_rfft; mant[m], exp[m] with Mel energy = mant * 2^exp
 * (mant 0 for a zero energy). spec_exp = FBANK_EXP_ZERO gives all zero. */
void fbank_mel(const fbank_t *fb, const int32_t *spec, int32_t spec_exp, uint32_t *mant,
               int32_t *exp);
/* Steps 7-8 for num_mel energies. */
void fbank_log_mel(const fbank_t *fb, const uint32_t *mant, const int32_t *exp, void *out);
/* Step 7 alone: ln(mant * 2^exp) in Q51 (int64); mant must be non-zero. */
int64_t fbank_ln_q51(uint32_t mant, int32_t exp);

/* Operation counts per frame for a valid config (zeroed if invalid). */
fbank_status_t fbank_op_counts(const fbank_config_t *cfg, fbank_ops_t *ops);

/* --- Integer-only helpers shared with mfcc_math.c (init-time use). --- */

/* cos and sin of 2 pi num / den in Q62 (int64, |error| <= ~4 LSB). den > 0. */
void fbank_cos_sin_q62(uint32_t num, uint32_t den, int64_t *cos_q62, int64_t *sin_q62);
/* floor(sqrt(x)) for 64-bit x. */
uint32_t fbank_isqrt64(uint64_t x);
/* 64x64 -> 128-bit unsigned product. */
void fbank_mul_u64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo);
/* log2(x) in Q52 for x >= 1 (error ~2^-50). */
int64_t fbank_log2_q52(uint32_t x);

#ifdef __cplusplus
}
#endif

#endif /* CIMVP_FBANK_MATH_H */
