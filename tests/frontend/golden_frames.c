/* golden_frames.c - see golden_frames.h. */
#include "golden_frames.h"

#include "fbank_math.h"
#include "mfcc_math.h"

#define NS 4800

static int16_t sig[NS];
static uint32_t tables[FBANK_TABLE_WORDS_MAX];
static int32_t work[FBANK_WORK_WORDS_MAX];
static int16_t logmel[FBANK_MAX_MEL];
static int16_t dct[40 * 13];
static int16_t ceps[13];

static uint32_t fnv(uint32_t h, const int16_t *p, unsigned n) {
  unsigned i;
  for (i = 0; i < n; i++) { /* little-endian bytes whatever the host */
    h = (h ^ ((uint32_t)(uint16_t)p[i] & 0xFFu)) * 16777619u;
    h = (h ^ ((uint32_t)(uint16_t)p[i] >> 8)) * 16777619u;
  }
  return h;
}

static void no_mark(int phase) { (void)phase; }

uint32_t fe_golden_hash(int config, fe_golden_mark_fn mark) {
  uint32_t s = 12345, i, h = 2166136261u;
  fbank_config_t c;
  fbank_t fb;
  size_t t, frames;
  if (!mark) mark = no_mark;
  for (i = 0; i < NS; i++) { /* 70 Hz + 1310 Hz tones and uniform noise, integer only */
    int64_t c1, s1, c2, s2;
    s = s * 1664525u + 1013904223u;
    fbank_cos_sin_q62(i * 7u, 1600u, &c1, &s1);
    fbank_cos_sin_q62(i * 131u, 1600u, &c2, &s2);
    sig[i] = (int16_t)(c1 / ((int64_t)1 << 50) + s2 / ((int64_t)1 << 51) +
                       ((int32_t)(s >> 20) - 2048) / 4);
  }
  fbank_config_default(&c);
  if (config == 1) {
    c.frame_len = 480;
    c.fft_size = 512;
    c.spectrum = FBANK_SPEC_MAGNITUDE;
    c.preemph_q15 = 31785;
    c.f_low_hz = 125;
    c.f_high_hz = 7500;
  } else if (config == 2) {
    c.spectrum = FBANK_SPEC_MAGNITUDE;
  }
  mark(0);
  if (fbank_init(&fb, &c, tables, FBANK_TABLE_WORDS_MAX) != FBANK_OK) return 0;
  mark(1);
  if (mfcc_dct_init(dct, 40, 13) != 0) return 0;
  frames = fbank_num_frames(&c, NS);
  for (t = 0; t < frames; t++) {
    const size_t st = t * c.frame_shift;
    mark(2);
    fbank_process_frame(&fb, sig + st, st ? sig[st - 1] : 0, NULL, work, logmel);
    mark(3);
    mfcc_dct(dct, 40, 13, logmel, ceps);
    mark(4);
    h = fnv(h, logmel, 40);
    h = fnv(h, ceps, 13);
  }
  return h;
}
