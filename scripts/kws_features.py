"""Host copy of the firmware's fixed-point audio front end, for the KWS dataset and training.

The features must be bit-identical to what the board computes, so instead of a float MFCC we
compile peripherals/fbank_math.c and peripherals/mfcc_math.c (the hardware contract) into a
host shared library and call them through ctypes. A ten-line C shim keeps the fbank_t state
on the C side so Python never has to mirror the struct layout.

Front end (fbank_config_default): 16 kHz, 40 ms frames (640), 20 ms hop (320), FFT 1024,
periodic Hann, 40 Mel filters 20-4000 Hz, power spectrum, ln in q8.7; then the orthonormal
DCT-II (mfcc_dct) to NUM_CEPS = 40 coefficients, q8.7 int16. A 1 s clip gives 49 frames.

NPU input codes (what the firmware must reproduce, see quantize_input):
    s8[t][j] = sat_int8( round_half_up( (mfcc_q7[t][j] - offset[j]) / 2^IN_SHIFT ) )
    u8       = s8 + 128       (offset binary: the array takes 8-bit unsigned inputs; the
                               -128 is folded into the layer bias by the exporter)
offset[j] is the per-coefficient training mean in q8.7 (int16, stored in the model
descriptor); the value the network sees is s8 / 2^5.
"""
import ctypes
import os
import subprocess

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_RATE = 16000
CLIP_SAMPLES = 16000
NUM_MEL = 40
NUM_CEPS = 40      # the ReRAM LSTM paper's 40 MFCC; with the orthonormal DCT no information is lost
NUM_FRAMES = 49    # 1 + (16000 - 640) / 320
IN_SHIFT = 4       # q8.7 -> int8: 1 code = 2^-3 nat; cepstra (mean removed) stay within +-16 nat
IN_FRAC = 5        # the network reads s8 / 2^5

_SHIM = r"""
#include "fbank_math.h"
#include "mfcc_math.h"
static fbank_t fb;
static uint32_t tables[FBANK_TABLE_WORDS_MAX];
static int32_t work[FBANK_WORK_WORDS_MAX];
static int16_t dct[MFCC_MAX_MEL * MFCC_MAX_MEL];
static unsigned ceps;
int kws_fe_init(unsigned num_ceps) {
  fbank_config_t cfg;
  fbank_config_default(&cfg);
  ceps = num_ceps;
  if (fbank_init(&fb, &cfg, tables, FBANK_TABLE_WORDS_MAX) != FBANK_OK) return -1;
  return mfcc_dct_init(dct, cfg.num_mel, num_ceps);
}
/* logmel: frames x num_mel scratch, out: frames x num_ceps. Returns frames. */
size_t kws_fe_clip(const int16_t *x, size_t n, int16_t *logmel, int16_t *out) {
  size_t t, frames = fbank_process_signal(&fb, x, n, work, logmel);
  for (t = 0; t < frames; ++t)
    mfcc_dct(dct, fb.cfg.num_mel, ceps, logmel + t * fb.cfg.num_mel, out + t * ceps);
  return frames;
}
"""

_lib = None


def build_lib(cache_dir):
    """Compile the front end into cache_dir (rebuilt when a source is newer)."""
    os.makedirs(cache_dir, exist_ok=True)
    so = os.path.join(cache_dir, "libkwsfe.so")
    shim = os.path.join(cache_dir, "kws_fe_shim.c")
    srcs = [os.path.join(REPO, "peripherals", f) for f in ("fbank_math.c", "mfcc_math.c")]
    deps = srcs + [os.path.join(REPO, "peripherals", f) for f in ("fbank_math.h", "mfcc_math.h")]
    if not os.path.exists(so) or any(os.path.getmtime(d) > os.path.getmtime(so) for d in deps):
        with open(shim, "w") as f:
            f.write(_SHIM)
        tmp = so + ".tmp.%d" % os.getpid()
        subprocess.check_call(["gcc", "-O2", "-shared", "-fPIC", "-std=c99",
                               "-I" + os.path.join(REPO, "peripherals"), "-o", tmp, shim] + srcs)
        os.replace(tmp, so)
    return so


def load(cache_dir):
    global _lib
    if _lib is None:
        lib = ctypes.CDLL(build_lib(cache_dir))
        lib.kws_fe_init.argtypes = [ctypes.c_uint]
        lib.kws_fe_clip.restype = ctypes.c_size_t
        lib.kws_fe_clip.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_void_p]
        if lib.kws_fe_init(NUM_CEPS) != 0:
            raise RuntimeError("front-end init failed")
        _lib = lib
    return _lib


def mfcc_q7(x, cache_dir):
    """int16 audio (n,) -> MFCC q8.7 int16 (frames, NUM_CEPS), bit-exact with the firmware."""
    lib = load(cache_dir)
    x = np.ascontiguousarray(x, dtype=np.int16)
    frames = 1 + (len(x) - 640) // 320 if len(x) >= 640 else 0
    logmel = np.zeros((max(frames, 1), NUM_MEL), np.int16)
    out = np.zeros((max(frames, 1), NUM_CEPS), np.int16)
    got = lib.kws_fe_clip(x.ctypes.data, len(x), logmel.ctypes.data, out.ctypes.data)
    assert got == frames
    return out[:frames]


def mfcc_batch(audio, cache_dir):
    """(N, 16000) int16 -> (N, 49, NUM_CEPS) int16."""
    out = np.zeros((len(audio), NUM_FRAMES, NUM_CEPS), np.int16)
    for i, x in enumerate(audio):
        out[i] = mfcc_q7(x, cache_dir)
    return out


def round_shift(v, s):
    """Round-half-up division by 2^s on integers (the same rounding as the NPU's shift)."""
    v = np.asarray(v, np.int64)
    return (v + (1 << (s - 1))) >> s if s > 0 else v


def quantize_input(feat_q7, offset_q7):
    """MFCC q8.7 (..., NUM_CEPS) -> signed int8 codes (see the module docstring)."""
    d = feat_q7.astype(np.int64) - offset_q7.astype(np.int64)
    return np.clip(round_shift(d, IN_SHIFT), -128, 127).astype(np.int8)
