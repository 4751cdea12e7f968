"""Host copy of the firmware's fixed-point audio front end, for the KWS dataset and training.

The features must be bit-identical to what the board computes, so instead of a float MFCC we
compile peripherals/fbank_math.c and peripherals/mfcc_math.c (the hardware contract) into a
host shared library and call them through ctypes. A ten-line C shim keeps the fbank_t state
on the C side so Python never has to mirror the struct layout.

Front end (fbank_config_default): 16 kHz, 40 ms frames (640), 20 ms hop (320), FFT 1024,
periodic Hann, 40 Mel filters, power spectrum, ln in q8.7; then the orthonormal DCT-II
(mfcc_dct) to NUM_CEPS = 40 coefficients, q8.7 int16. A 1 s clip gives 49 frames.
The Mel band is a parameter (`band`, Hz, recorded in the model descriptor; the firmware programs
the Fbank with it): the front end's default 20-4000 Hz (the committed models) is what kws_dataset
caches as NAME_mfcc.npy; other bands are cached as NAME_mfcc_LO-HI.npy (set_mfcc).
`floor` (None, or (FLOOR_MEAN, rel_q7) for kws_train.py --log-floor, mfcc_log_floor, or
(FLOOR_NOISE, rel_q7) for --noise-floor, mfcc_noise_floor) floors the clip's log-Mel before the
DCT, as the firmware does to each window (window_ceps for a stream's).
`dither` (0 or the Fbank's level 1..8, descriptor flags bit 2 = level 1) adds the accelerator's
triangular dither to every frame (fbank_math.h step 0), the generator started at
FBANK_DITHER_SEED_RESET at the start of each clip or stream as the firmware does; cached as
NAME_mfcc_LO-HI_dK.npy.

NPU input codes (what the firmware must reproduce, see quantize_input):
    s8[t][j] = sat_int8( round_half_up( (mfcc_q7[t][j] - offset[j]) / 2^IN_SHIFT ) )
    u8       = s8 + 128       (offset binary: the array takes 8-bit unsigned inputs; the
                               -128 is folded into the layer bias by the exporter)
offset[j] is the per-coefficient training mean in q8.7 (int16, stored in the model
descriptor); the value the network sees is s8 / 2^5.
"""
import ctypes
import hashlib
import os
import subprocess
import threading

import numpy as np

import kws_kernels

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_RATE = 16000
CLIP_SAMPLES = 16000
NUM_MEL = 40
NUM_CEPS = 40      # the ReRAM LSTM paper's 40 MFCC; with the orthonormal DCT no information is lost
NUM_FRAMES = 49    # 1 + (16000 - 640) / 320
IN_SHIFT = 4       # q8.7 -> int8: 1 code = 2^-3 nat; cepstra (mean removed) stay within +-16 nat
IN_FRAC = 5        # the network reads s8 / 2^5
DEFAULT_BAND = (20, 4000)   # fbank_config_default's Mel band [Hz]

_SHIM = r"""
#include "fbank_math.h"
#include "mfcc_math.h"
static fbank_t fb;
static uint32_t tables[FBANK_TABLE_WORDS_MAX];
static int32_t work[FBANK_WORK_WORDS_MAX];
static int16_t dct[MFCC_MAX_MEL * MFCC_MAX_MEL];
static unsigned ceps;
int kws_fe_init(unsigned num_ceps, unsigned f_low, unsigned f_high, unsigned dither) {
  fbank_config_t cfg;
  fbank_config_default(&cfg);
  cfg.f_low_hz = f_low;
  cfg.f_high_hz = f_high;
  cfg.dither = (uint8_t)dither;
  ceps = num_ceps;
  if (fbank_init(&fb, &cfg, tables, FBANK_TABLE_WORDS_MAX) != FBANK_OK) return -1;
  return mfcc_dct_init(dct, cfg.num_mel, num_ceps);
}
/* log-Mel frames (changed in place by the floor) -> cepstra, as the firmware's window_start:
 * floor 1: mfcc_log_floor, 2: mfcc_noise_floor with floor_rel_q7 over all the frames first. */
void kws_fe_ceps(int16_t *logmel, size_t frames, int floor, int floor_rel_q7, int16_t *out) {
  size_t t;
  if (floor == 1) mfcc_log_floor(logmel, frames * fb.cfg.num_mel, (int16_t)floor_rel_q7);
  if (floor == 2) mfcc_noise_floor(logmel, (unsigned)frames, fb.cfg.num_mel, (int16_t)floor_rel_q7, 0);
  for (t = 0; t < frames; ++t)
    mfcc_dct(dct, fb.cfg.num_mel, ceps, logmel + t * fb.cfg.num_mel, out + t * ceps);
}
/* logmel: frames x num_mel scratch, out: frames x num_ceps; the clip is one window. Returns frames. */
size_t kws_fe_clip(const int16_t *x, size_t n, int16_t *logmel, int16_t *out, int floor,
                   int floor_rel_q7) {
  uint32_t dither = FBANK_DITHER_SEED_RESET; /* the firmware restarts it with the stream */
  size_t frames = fbank_process_signal(&fb, x, n, &dither, work, logmel);
  kws_fe_ceps(logmel, frames, floor, floor_rel_q7, out);
  return frames;
}
unsigned kws_fe_floor_max(int floor) {
  return floor == 2 ? MFCC_MAX_NOISE_FRAMES * fb.cfg.num_mel : MFCC_MAX_FLOOR_VALUES;
}
"""

_lib = None
_front = None   # the (band, dither) _lib was initialised with


def _has_avx2():
    """Whether this CPU runs AVX2: the FFT's four-butterfly path (fbank_math.c FBANK_FFT_AVX2, the
    same bits as the scalar one, a front end 1.7 times as fast)."""
    return "avx2" in kws_kernels.cpu_flags()


def build_lib(cache_dir):
    """Compile the front end into cache_dir. The library is named by a hash of the shim and the
    C sources, so a change to either builds a new one and processes started together (a training
    and its remix worker, two trainings) never load a library another is still replacing."""
    os.makedirs(cache_dir, exist_ok=True)
    srcs = [os.path.join(REPO, "peripherals", f) for f in ("fbank_math.c", "mfcc_math.c")]
    deps = srcs + [os.path.join(REPO, "peripherals", f) for f in ("fbank_math.h", "mfcc_math.h")]
    # -O3: integer code, so the same bits as -O2, and a front end a fifth faster (0.52 against 0.65 ms
    # a clip, bench_train.py on an AMD EPYC)
    flags = ["-O3", "-shared", "-fPIC", "-std=c99"] + (["-mavx2"] if _has_avx2() else [])
    h = hashlib.sha1(_SHIM.encode() + " ".join(flags).encode())
    for d in deps:
        with open(d, "rb") as f:
            h.update(f.read())
    so = os.path.join(cache_dir, "libkwsfe-%s.so" % h.hexdigest()[:16])
    if not os.path.exists(so):
        tag = "%d.%d" % (os.getpid(), threading.get_ident())
        shim = os.path.join(cache_dir, "kws_fe_shim.%s.c" % tag)
        tmp = so + ".tmp." + tag
        with open(shim, "w") as f:
            f.write(_SHIM)
        try:
            subprocess.check_call(["gcc"] + flags + ["-I" + os.path.join(REPO, "peripherals"), "-o", tmp, shim] + srcs)
            os.replace(tmp, so)
        finally:
            for p in (shim, tmp):
                if os.path.exists(p):
                    os.remove(p)
    return so


def load(cache_dir, band=None, dither=None):
    """The front-end library, initialised for the Mel band (f_low, f_high) [Hz] and the dither
    level (None: as they are; the default band without dither on first use)."""
    global _lib, _front
    if _lib is None:
        lib = ctypes.CDLL(build_lib(cache_dir))
        lib.kws_fe_init.argtypes = [ctypes.c_uint, ctypes.c_uint, ctypes.c_uint, ctypes.c_uint]
        lib.kws_fe_clip.restype = ctypes.c_size_t
        lib.kws_fe_clip.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_void_p,
                                    ctypes.c_int, ctypes.c_int]
        lib.kws_fe_ceps.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_void_p]
        lib.kws_fe_floor_max.restype = ctypes.c_uint
        lib.kws_fe_floor_max.argtypes = [ctypes.c_int]
        _lib = lib
    cur_band, cur_dither = _front or (DEFAULT_BAND, 0)
    band = tuple(int(f) for f in band) if band is not None else cur_band
    dither = int(dither) if dither is not None else cur_dither
    if (band, dither) != _front:
        if _lib.kws_fe_init(NUM_CEPS, band[0], band[1], dither) != 0:
            raise ValueError("front end refuses the Mel band %d-%d Hz or dither %d (fbank_validate)"
                             % (band[0], band[1], dither))
        _front = (band, dither)
    return _lib


FLOOR_MEAN = 1    # mfcc_log_floor: flat, relative to the window's mean Mel power (flags bit 5)
FLOOR_NOISE = 2   # mfcc_noise_floor: per band, relative to its quietest frames (flags bit 6)
FLOOR_NAMES = {FLOOR_MEAN: "log floor (mfcc_log_floor)", FLOOR_NOISE: "noise floor (mfcc_noise_floor)"}


def log_floor_rel_q7(db):
    """A floor's level in dB (kws_train.py --log-floor DB: relative to the window's mean Mel power;
    --noise-floor DB: to each band's noise level) as rel_q7: round(2^7 ln 10^(DB/10))."""
    return int(np.floor(128.0 * np.log(10.0) * db / 10.0 + 0.5))


def _front_end(x, cache_dir, band, dither, floor):
    lib = load(cache_dir, band, dither)
    x = np.ascontiguousarray(x, dtype=np.int16)
    frames = 1 + (len(x) - 640) // 320 if len(x) >= 640 else 0
    kind, rel = floor if floor is not None else (0, 0)
    if floor is not None and frames * NUM_MEL > lib.kws_fe_floor_max(kind):
        raise ValueError("the %s is a window's: %d frames, at most %d in one"
                         % (FLOOR_NAMES[kind], frames, lib.kws_fe_floor_max(kind) // NUM_MEL))
    logmel = np.zeros((max(frames, 1), NUM_MEL), np.int16)
    out = np.zeros((max(frames, 1), NUM_CEPS), np.int16)
    got = lib.kws_fe_clip(x.ctypes.data, len(x), logmel.ctypes.data, out.ctypes.data, int(kind), int(rel))
    assert got == frames
    return logmel[:frames], out[:frames]


def logmel_q7(x, cache_dir, band=DEFAULT_BAND, dither=0):
    """int16 audio (n,) -> the Fbank's log-Mel q8.7 int16 (frames, NUM_MEL) (a stream's frames,
    before the windows' log floor: window_ceps)."""
    return _front_end(x, cache_dir, band, dither, None)[0]


def window_ceps(logmel_win, cache_dir, floor):
    """Windows of log-Mel frames (..., frames, NUM_MEL) -> their cepstra (..., frames, NUM_CEPS)
    with the floor (kind, rel_q7) over each window, as the firmware's window_start; the library
    as load() left it (call logmel_q7 first)."""
    lib = load(cache_dir)
    lm = np.ascontiguousarray(logmel_win, dtype=np.int16).reshape((-1,) + logmel_win.shape[-2:]).copy()
    out = np.zeros(lm.shape[:2] + (NUM_CEPS,), np.int16)
    for i in range(len(lm)):
        lib.kws_fe_ceps(lm[i].ctypes.data, lm.shape[1], int(floor[0]), int(floor[1]), out[i].ctypes.data)
    return out.reshape(logmel_win.shape[:-1] + (NUM_CEPS,))


def mfcc_q7(x, cache_dir, band=DEFAULT_BAND, dither=0, floor=None):
    """int16 audio (n,) -> MFCC q8.7 int16 (frames, NUM_CEPS), bit-exact with the firmware (the
    dither generator starts at the first sample of x); floor: None or (FLOOR_MEAN | FLOOR_NOISE,
    rel_q7) over the clip's log-Mel."""
    return _front_end(x, cache_dir, band, dither, floor)[1]


def mfcc_batch(audio, cache_dir, band=DEFAULT_BAND, dither=0, floor=None):
    """(N, 16000) int16 -> (N, 49, NUM_CEPS) int16."""
    out = np.zeros((len(audio), NUM_FRAMES, NUM_CEPS), np.int16)
    for i, x in enumerate(audio):
        out[i] = mfcc_q7(x, cache_dir, band, dither, floor)
    return out


def set_mfcc(data, name, band=DEFAULT_BAND, dither=0, floor=None):
    """MFCC of dataset set `name` in directory `data` for a Mel band and dither level:
    NAME_mfcc.npy (kws_dataset's, the default band, no dither), else NAME_mfcc_LO-HI[_dK][_fR|_nR].npy
    (R: the log floor's (f) or the noise floor's (n) rel_q7),
    computed from NAME_audio.npy on first use and written whole (a temporary file renamed) so an
    interrupted run leaves no half file."""
    band = tuple(int(f) for f in band)
    if band == DEFAULT_BAND and not dither and floor is None:
        return np.load(os.path.join(data, name + "_mfcc.npy"))
    path = os.path.join(data, "%s_mfcc_%d-%d%s%s.npy" % (name, band[0], band[1], "_d%d" % dither if dither else "",
                                                       "" if floor is None else "_%s%d" % ("fn"[floor[0] - 1], floor[1])))
    if not os.path.exists(path):
        feat = mfcc_batch(np.load(os.path.join(data, name + "_audio.npy"), mmap_mode="r"),
                          os.path.dirname(os.path.abspath(data)), band, dither, floor)
        tmp = path + ".tmp.%d.npy" % os.getpid()
        np.save(tmp, feat)
        os.replace(tmp, path)
        return feat
    return np.load(path)


def cmn(feat_q7, cache_dir):
    """Per-utterance cepstral mean normalisation with the firmware's mfcc_cmn (bit-exact):
    removes each clip's average spectral tilt (voice timbre, channel, level)."""
    lib = load(cache_dir)
    lib.mfcc_cmn.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint]
    out = np.ascontiguousarray(feat_q7, dtype=np.int16).copy()
    for i in range(len(out)):
        lib.mfcc_cmn(out[i].ctypes.data, out.shape[1], out.shape[2])
    return out


def model_ceps(feat_q7, cache_dir, use_cmn, ceps=NUM_CEPS):
    """What a model reads of the front end's cepstra (the log floor, if any, is already in them:
    mfcc_q7's floor): the per-utterance CMN when it uses it, then the first `ceps` coefficients
    (each orthonormal DCT row and the per-coefficient CMN are independent, so this equals a front
    end that computes only those)."""
    feat = cmn(feat_q7, cache_dir) if use_cmn else feat_q7
    return np.ascontiguousarray(feat[..., :ceps])


def round_shift(v, s):
    """Round-half-up division by 2^s on integers (the same rounding as the NPU's shift)."""
    v = np.asarray(v, np.int64)
    return (v + (1 << (s - 1))) >> s if s > 0 else v


def quantize_input(feat_q7, offset_q7, shift=IN_SHIFT):
    """MFCC q8.7 (..., NUM_CEPS) -> signed int8 codes (see the module docstring; `shift` is the
    descriptor's in_shift when a model is read back)."""
    d = feat_q7.astype(np.int64) - np.asarray(offset_q7).astype(np.int64)
    return np.clip(round_shift(d, shift), -128, 127).astype(np.int8)
