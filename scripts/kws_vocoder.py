"""An LPC vocoder: a rendered word analysed and spoken again from its parameters
(kws_dataset.py --vocode P).

Why: the cross-synthesizer test trains on espeak-ng (a formant synthesizer, plus festival's
diphone voice ked) and tests on flite, whose hard voices awb, rms and slt are statistical-
parametric (clustergen): a vocoder speaks them from a smoothed spectral envelope, a smoothed F0
and a pulse-plus-noise excitation. Debian has no other English voice of that kind (docs/kws.md),
so this script turns a share of the training renders into vocoded speech of that kind.

    x2 = vocode(x, seed, smooth=5, aper=0.1)    # x float 16 kHz mono, same length out

Analysis every HOP (5 ms, the frame rate of such voices): pre-emphasis, a Hann window of WIN
samples, autocorrelation, a Gaussian lag window; the autocorrelations normalised by their energy
are averaged over `smooth` frames (the statistical models' over-smoothed envelope) and the energy
over 3; Levinson-Durbin gives the all-pole envelope of order ORDER and its prediction error.
F0 from the normalised autocorrelation of a longer window (F0_WIN) corrected for the window's
own (Boersma 1993), voiced above VOICED_R, median-filtered over 5 frames. Synthesis: a pulse
train at the tracked F0 (unit power) mixed with white noise at the share `aper` in voiced
frames, white noise in unvoiced ones, scaled by the prediction error's power and filtered by the
frame's all-pole filter (state carried from hop to hop), then de-emphasis and the input's RMS.
"""
import numpy as np
from scipy.ndimage import median_filter, uniform_filter1d
from scipy.signal import lfilter
from numpy.lib.stride_tricks import sliding_window_view

FS = 16000
ORDER = 18          # all-pole order: 2 poles per kHz of the 8 kHz band plus 2
WIN = 400           # 25 ms envelope analysis window
F0_WIN = 640        # 40 ms pitch window: 3 periods of the lowest F0
HOP = 80            # 5 ms
PRE = 0.97          # pre-emphasis
F0_MIN, F0_MAX = 75.0, 400.0
VOICED_R = 0.5      # normalised autocorrelation peak of a voiced frame
SILENT_DB = -35.0   # frames this far under the loudest are unvoiced
LAG_BW = 60.0       # Hz, the lag window's bandwidth: no envelope peak narrower than this


def frames(x, win):
    """(K, win) frames centred on samples 0, HOP, 2 HOP, ... of x (zero-padded)."""
    n_frames = len(x) // HOP + 1
    xp = np.pad(x, (win // 2, win // 2 + HOP))
    return sliding_window_view(xp, win)[::HOP][:n_frames]


def autocorr(fr, lags):
    """Autocorrelations r[:, 0..lags-1] of each row (FFT, no wrap-around)."""
    nfft = 1 << int(np.ceil(np.log2(2 * fr.shape[1])))
    spec = np.fft.rfft(fr, nfft, axis=1)
    return np.fft.irfft(np.abs(spec) ** 2, nfft, axis=1)[:, :lags]


def levinson(r):
    """Levinson-Durbin on each row of r (K, p+1): A(z) = 1 + a1 z^-1 + ... + ap z^-p as a (K, p+1)
    and the prediction error power (K,). r must be positive definite (a lag window and r0 > 0)."""
    k_frames, p1 = r.shape
    a = np.zeros((k_frames, p1))
    a[:, 0] = 1.0
    err = r[:, 0].copy()
    for i in range(1, p1):
        acc = r[:, i] + np.sum(a[:, 1:i] * r[:, i - 1:0:-1], axis=1)
        k = -acc / err
        prev = a.copy()
        a[:, 1:i] = prev[:, 1:i] + k[:, None] * prev[:, i - 1:0:-1]
        a[:, i] = k
        err = err * (1.0 - k * k)
    return a, err


def track_f0(x):
    """F0 in Hz per frame, 0 where unvoiced."""
    w = np.hanning(F0_WIN + 2)[1:-1]
    fr = frames(x, F0_WIN) * w
    lo, hi = int(FS / F0_MAX), int(FS / F0_MIN)
    r = autocorr(fr, hi + 1)
    rw = autocorr(w[None, :], hi + 1)[0]
    energy = r[:, 0]
    rn = (r / np.maximum(energy[:, None], 1e-20)) / (rw / rw[0])
    lag = lo + np.argmax(rn[:, lo:hi + 1], axis=1)
    peak = rn[np.arange(len(lag)), lag]
    voiced = (peak > VOICED_R) & (energy > energy.max() * 10 ** (SILENT_DB / 10))
    voiced = median_filter(voiced.astype(np.int8), 5, mode="nearest").astype(bool)
    f0 = np.where(voiced, FS / lag, 0.0)
    smooth = median_filter(f0, 5, mode="nearest")  # octave jumps of single frames
    return np.where(voiced, np.where(smooth > 0, smooth, f0), 0.0)


def envelope(x, smooth):
    """Per frame: the all-pole filter a (K, ORDER+1) and the excitation power per sample (K,)."""
    w = np.hanning(WIN + 2)[1:-1]
    pre = lfilter([1.0, -PRE], [1.0], x)
    r = autocorr(frames(pre, WIN) * w, ORDER + 1)
    lag = np.arange(ORDER + 1) / FS
    r *= np.exp(-0.5 * (2 * np.pi * LAG_BW * lag) ** 2)
    energy = np.maximum(r[:, 0], 1e-12 * max(r[:, 0].max(), 1e-20))
    rn = r / energy[:, None]
    # 1 where the frame has energy, and for a frame of digital zeros too (its other lags are 0);
    # the white-noise correction keeps every frame's matrix well conditioned
    rn[:, 0] = 1.0 + 1e-4
    if smooth > 1:
        rn = uniform_filter1d(rn, smooth, axis=0, mode="nearest")
    energy = np.exp(uniform_filter1d(np.log(energy), 3, mode="nearest"))
    a, err = levinson(rn)
    return a, err * energy / np.sum(w * w)


def vocode(x, seed, smooth=5, aper=0.1):
    """x (float, 16 kHz) spoken again by the vocoder; same length, same RMS. smooth: frames the
    envelope is averaged over (1 = none); aper: noise share of the voiced excitation (0..1)."""
    x = np.asarray(x, np.float64)
    n = len(x)
    if n < HOP or not np.any(x):
        return x.astype(np.float32)
    if not (smooth >= 1 and 0.0 <= aper <= 1.0):
        raise ValueError("vocode: smooth %r must be >= 1 and aper %r in [0, 1]" % (smooth, aper))
    rng = np.random.default_rng(seed)
    a, power = envelope(x, int(smooth))
    f0 = track_f0(x)
    k = np.arange(n) // HOP   # each sample's frame (frames() gives n // HOP + 1 of them)
    f0_s = np.interp(np.arange(n), np.arange(len(f0)) * HOP, f0)
    f0_s[f0[k] == 0] = 0.0
    phase = np.cumsum(f0_s / FS)
    pulse = np.zeros(n)
    at = np.nonzero(np.diff(np.floor(phase), prepend=0.0) > 0)[0]
    pulse[at] = np.sqrt(FS / np.maximum(f0_s[at], F0_MIN))  # unit mean power at any F0
    noise = rng.standard_normal(n)
    voiced = f0_s > 0
    exc = np.where(voiced, np.sqrt(1.0 - aper) * pulse + np.sqrt(aper) * noise, noise)
    exc *= np.sqrt(power[k])
    y = np.zeros(n)
    zi = np.zeros(ORDER)
    for f in range(0, (n + HOP - 1) // HOP):
        s = slice(f * HOP, min((f + 1) * HOP, n))
        y[s], zi = lfilter([1.0], a[f], exc[s], zi=zi)
    y = lfilter([1.0], [1.0, -PRE], y)
    y *= np.sqrt(np.mean(x ** 2) / max(np.mean(y ** 2), 1e-30))
    if not np.all(np.isfinite(y)):  # cannot happen with a stable envelope: say so if it does
        raise ValueError("vocode: non-finite output (seed %d, smooth %d, aper %g)" % (seed, smooth, aper))
    return y.astype(np.float32)
