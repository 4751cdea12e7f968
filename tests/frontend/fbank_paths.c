/* Digests of fbank_rfft and fbank_process_signal on fixed inputs, one line per case. Built twice,
 * against the scalar FFT (FBANK_SCALAR) and the AVX2 one (-mavx2, FBANK_FFT_AVX2), and the two
 * outputs compared line by line (compare_outputs.cmake): the AVX2 path is a host speed-up that must
 * give the scalar path's bits for any input the header allows (|v| < 2^31), every FFT size and
 * every block-exponent shift. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fbank_math.h"

static uint32_t tables[FBANK_TABLE_WORDS_MAX];
static int32_t work[FBANK_WORK_WORDS_MAX];
static int32_t buf[FBANK_MAX_FFT + 2u];

static uint64_t rng_state;
static uint32_t rng(void) { /* splitmix64, high word */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static uint64_t fnv(const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  uint64_t h = 0xCBF29CE484222325ull;
  size_t i;
  for (i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001B3ull;
  return h;
}

/* a value with |v| < 2^k (k <= 31), uniform in bits */
static int32_t value(unsigned k) {
  uint32_t mag = k >= 32u ? rng() : rng() & (((uint32_t)1 << k) - 1u);
  if (mag > 0x7FFFFFFFu) mag = 0x7FFFFFFFu;
  return (rng() & 1u) ? -(int32_t)mag : (int32_t)mag;
}

static int init(fbank_t *fb, unsigned fft, unsigned frame, unsigned mel, unsigned dither, unsigned spec) {
  fbank_config_t cfg;
  fbank_config_default(&cfg);
  cfg.fft_size = (uint16_t)fft;
  cfg.frame_len = (uint16_t)frame;
  cfg.frame_shift = (uint16_t)(frame / 2u);
  cfg.num_mel = (uint8_t)mel;
  cfg.dither = (uint8_t)dither;
  cfg.spectrum = (uint8_t)spec;
  if (mel <= 2u) cfg.f_high_hz = 8000; /* two wide filters, none empty at any FFT size */
  {
    fbank_status_t st = fbank_init(fb, &cfg, tables, FBANK_TABLE_WORDS_MAX);
    if (st != FBANK_OK) fprintf(stderr, "fbank_init(fft %u, frame %u, mel %u): %s\n", fft, frame, mel, fbank_status_str(st));
    return st == FBANK_OK;
  }
}

int main(void) {
  static const unsigned ks[] = {1, 2, 5, 15, 27, 28, 29, 30, 31, 32};
  static int16_t audio[16000], out[FBANK_MAX_MEL * 128];
  fbank_t fb;
  unsigned fft, ki, seed, pat, i;
  for (fft = FBANK_MIN_FFT; fft <= FBANK_MAX_FFT; fft *= 2u) {
    if (!init(&fb, fft, fft, 2u, 0, FBANK_SPEC_POWER)) return 2;
    for (ki = 0; ki < sizeof ks / sizeof ks[0]; ki++) {
      for (seed = 0; seed < 24u; seed++) {
        int32_t e;
        rng_state = (uint64_t)fft << 40 | (uint64_t)ks[ki] << 20 | seed;
        for (i = 0; i < fft; i++) buf[i] = value(ks[ki]);
        e = fbank_rfft(&fb, buf, 0);
        printf("rfft n=%u |v|<2^%u seed=%u exp=%" PRId32 " digest=%016" PRIx64 "\n", fft, ks[ki], seed, e,
               fnv(buf, (fft + 2u) * sizeof buf[0]));
      }
    }
    for (pat = 0; pat < 4u; pat++) { /* full scale: constant, alternating, impulse, one sign each half */
      int32_t e;
      for (i = 0; i < fft; i++) {
        buf[i] = pat == 0u ? 0x7FFFFFFF
                 : pat == 1u ? ((i & 1u) ? -0x7FFFFFFF : 0x7FFFFFFF)
                 : pat == 2u ? (i == 0u ? -0x7FFFFFFF : 0)
                             : (i < fft / 2u ? 0x7FFFFFFF : -0x7FFFFFFF);
      }
      e = fbank_rfft(&fb, buf, 0);
      printf("rfft n=%u pattern=%u exp=%" PRId32 " digest=%016" PRIx64 "\n", fft, pat, e,
             fnv(buf, (fft + 2u) * sizeof buf[0]));
    }
  }
  /* whole frames: the default front end and others, on noise, loud noise and a full-scale square */
  {
    static const unsigned cfgs[][5] = {{1024, 640, 40, 0, FBANK_SPEC_POWER}, {1024, 640, 40, 1, FBANK_SPEC_POWER},
                                       {512, 400, 40, 3, FBANK_SPEC_MAGNITUDE}, {256, 256, 23, 0, FBANK_SPEC_POWER},
                                       {64, 50, 8, 8, FBANK_SPEC_POWER}};
    unsigned c, sig;
    for (c = 0; c < sizeof cfgs / sizeof cfgs[0]; c++) {
      if (!init(&fb, cfgs[c][0], cfgs[c][1], cfgs[c][2], cfgs[c][3], cfgs[c][4])) return 2;
      for (sig = 0; sig < 3u; sig++) {
        uint32_t dither = FBANK_DITHER_SEED_RESET;
        size_t frames;
        rng_state = 1000u + 10u * c + sig;
        for (i = 0; i < 16000u; i++)
          audio[i] = sig == 0u ? (int16_t)(value(9) >> 0)
                     : sig == 1u ? (int16_t)(value(16) / 2)
                                 : (int16_t)(((i / 37u) & 1u) ? 32767 : -32768);
        frames = fbank_process_signal(&fb, audio, 16000u, &dither, work, out);
        printf("signal fft=%u frame=%u mel=%u dither=%u spec=%u signal=%u frames=%zu digest=%016" PRIx64 "\n",
               cfgs[c][0], cfgs[c][1], cfgs[c][2], cfgs[c][3], cfgs[c][4], sig, frames,
               fnv(out, frames * cfgs[c][2] * sizeof out[0]));
      }
    }
  }
  return 0;
}
