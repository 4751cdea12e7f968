/*
 * mfcc_math.h - the CPU's half of the MFCC front end: DCT-II of the Fbank accelerator's
 * log-Mel output, normalisation helpers and int8 quantisation. Portable C99, integer only,
 * no malloc (the caller provides the coefficient table). Builds on the host and for RV32IMC.
 *
 * Formats:
 *   log-Mel input   int16 q8.7 natural log (FBANK_OUT_Q7_INT16 from fbank_math.h)
 *   DCT table       int16 Q15, table[j * num_mel + m] = round(2^15 s_j cos(pi j (m + 1/2) / M)),
 *                   orthonormal scaling s_0 = sqrt(1/M), s_j = sqrt(2/M) (j >= 1), correctly
 *                   rounded (integer-only init), saturated to 32767 (only M = 1 needs it).
 *                   So c_j = sum_m logmel_m * table[j][m] is the orthonormal DCT-II
 *                   (scipy.fft.dct(type=2, norm='ortho')); c_0 = sqrt(M) * mean(log-Mel).
 *   MFCC output     int16 q8.7: round(sum / 2^15) saturated; the sum is exact in int64.
 */
#ifndef CIMVP_MFCC_MATH_H
#define CIMVP_MFCC_MATH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MFCC_MAX_MEL 64u
#define MFCC_MAX_CMVN_FRAMES 65535u

/* Table length in int16 entries. */
#define MFCC_DCT_TABLE_LEN(num_mel, num_ceps) ((size_t)(num_mel) * (size_t)(num_ceps))

/* Fill table (num_ceps * num_mel int16). Returns 0, or -1 unless
 * 1 <= num_ceps <= num_mel <= MFCC_MAX_MEL. */
int mfcc_dct_init(int16_t *table, unsigned num_mel, unsigned num_ceps);

/* ceps_q7[j] = round(sum_m logmel_q7[m] * table[j][m] / 2^15), saturated to int16. */
void mfcc_dct(const int16_t *table, unsigned num_mel, unsigned num_ceps,
              const int16_t *logmel_q7, int16_t *ceps_q7);

/* Multiply-accumulates per frame of mfcc_dct (num_mel * num_ceps). */
uint32_t mfcc_dct_macs(unsigned num_mel, unsigned num_ceps);

/* Per-frame mean removal, in place: v[i] = round(v[i] - mean(v)) exactly (one rounding). */
void mfcc_frame_mean_sub(int16_t *v, unsigned n);

/* Per-utterance cepstral mean normalisation, in place, on frames x dim values stored frame
 * after frame: feat[t][d] = round(feat[t][d] - mean_t feat[t][d]). */
void mfcc_cmn(int16_t *feat, size_t frames, unsigned dim);

/* Per-utterance mean and variance normalisation, in place:
 * feat[t][d] = round((feat[t][d] - mean_d) / std_d * 2^out_frac_bits), saturated, with the
 * population standard deviation; a constant dimension gives 0. Returns 0, or -1 if
 * frames > MFCC_MAX_CMVN_FRAMES or out_frac_bits > 14 (nothing changed). */
int mfcc_cmvn(int16_t *feat, size_t frames, unsigned dim, unsigned out_frac_bits);

/* Log floor over a window of log-Mel values (q8.7, e.g. frames x bands), in place: the Mel power
 * gets a flat floor at e^rel times the window's mean power,
 *   F = ln(mean_i e^L_i) + rel,   L_i = ln(e^L_i + e^F) = max(L_i, F) + ln(1 + e^-|L_i - F|),
 * so a quiet window gets the floor a noisy one already has and a noisy window keeps its noise
 * (docs/kws.md "Features", kws_train.py --log-floor). Integer only: the exponential from two tables (mfcc_exp_neg_q15),
 * the logarithm fbank_ln_q51's. Returns F (q8.7); nothing changes and -32768 is returned if
 * n is 0 or above MFCC_MAX_FLOOR_VALUES. */
#define MFCC_MAX_FLOOR_VALUES 65535u
int16_t mfcc_log_floor(int16_t *logmel, size_t n, int16_t rel_q7);

/* Noise-following log floor over a window of frames x bands log-Mel values (q8.7, frame after
 * frame), in place: band b's noise level N_b is its mean log power over the window's quietest
 * quarter of frames (ceil(frames / 4) frames with the smallest sum over the bands, the earlier on
 * a tie; the mean rounded half up), its floor F_b = N_b + rel, and every value becomes
 * L = ln(e^L + e^F_b). A quiet window's floor sits at its silence, so its words keep their detail;
 * a noisy one's at its noise, whose fluctuations it smooths (docs/kws.md "Features",
 * kws_train.py --noise-floor). The same integer arithmetic as mfcc_log_floor. floor_q7 (NULL or
 * bands values) receives F_b. Returns 0, or -1 with nothing changed if frames is 0 or above
 * MFCC_MAX_NOISE_FRAMES, or bands 0 or above MFCC_MAX_MEL. */
#define MFCC_MAX_NOISE_FRAMES 256u
int mfcc_noise_floor(int16_t *logmel, unsigned frames, unsigned bands, int16_t rel_q7,
                     int16_t *floor_q7);

/* round(2^15 e^(-d / 128)) within 1 LSB for d >= 0 in q8.7 (0 from d = 12 nats). */
uint32_t mfcc_exp_neg_q15(uint32_t d_q7);

/* int8 with a power-of-two scale: out = round(q7 * 2^(frac_bits - 7)), saturated;
 * frac_bits 0..7. */
void mfcc_q7_to_int8(const int16_t *q7, int8_t *out, size_t n, unsigned frac_bits);

#ifdef __cplusplus
}
#endif

#endif /* CIMVP_MFCC_MATH_H */
