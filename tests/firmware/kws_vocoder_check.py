#!/usr/bin/python3
"""kws_vocoder (kws_dataset.py --vocode) against references written here.

    /usr/bin/python3 tests/firmware/kws_vocoder_check.py SCRIPTS_DIR

- levinson() against the Toeplitz normal equations solved by numpy, on random autocorrelations;
- a vowel made here (a 125 Hz pulse train through resonators at 700, 1200 and 2600 Hz): the
  vocoded vowel has the input's length and RMS, a fundamental of 125 Hz (its own autocorrelation,
  computed here) and envelope peaks within 60 Hz of the formants (an LPC fit solved by numpy), for
  every envelope smoothing;
- white noise is spoken again as noise (no voiced frame, no autocorrelation peak);
- the same seed gives the same samples, another seed other noise; digital zeros and a clip shorter
  than a hop come back as they are; a clip with a gap of zeros stays finite; bad parameters raise;
- kws_dataset.make_jobs: --vocode marks only train renders that are not flite's, about the asked
  share, and leaves every other field of every job as it is without it.
Exit 1 naming what differed and by how much.
"""
import sys

import numpy as np
from scipy.linalg import solve_toeplitz
from scipy.signal import freqz, lfilter

sys.path.insert(0, sys.argv[1])
import kws_dataset as ds  # noqa: E402
import kws_vocoder as voc  # noqa: E402

FS = 16000
fails = []


def check(ok, what):
    if not ok:
        fails.append(what)


def lpc_peaks(y, order=18):
    """Envelope peak frequencies of the middle 50 ms of y: the autocorrelation LPC fit solved by
    numpy (not the module's Levinson)."""
    mid = len(y) // 2
    seg = y[mid - 400:mid + 400] * np.hanning(800)
    seg = lfilter([1, -0.97], [1], seg)
    r = np.array([np.dot(seg[:len(seg) - k], seg[k:]) for k in range(order + 1)])
    a = np.concatenate([[1.0], solve_toeplitz(r[:order], -r[1:order + 1])])
    w, h = freqz([1.0], a, worN=8192, fs=FS)
    m = 20 * np.log10(np.abs(h))
    return w[1:-1][(m[1:-1] > m[:-2]) & (m[1:-1] > m[2:])]


def f0_of(y):
    """Fundamental of the middle 100 ms: the lag of the autocorrelation maximum in 2.5-13 ms."""
    mid = len(y) // 2
    seg = y[mid - 800:mid + 800]
    r = np.correlate(seg, seg, "full")[len(seg) - 1:]
    lo, hi = FS // 400, FS // 75
    return FS / (lo + np.argmax(r[lo:hi])), r[lo:hi].max() / r[0]


# Levinson-Durbin against the normal equations
rng = np.random.default_rng(3)
for trial in range(20):
    x = lfilter([1.0], [1.0, -rng.uniform(-0.9, 0.9), rng.uniform(0, 0.5)], rng.standard_normal(400))
    r = np.array([np.dot(x[:400 - k], x[k:]) for k in range(19)])
    a, err = voc.levinson(r[None, :])
    ref = solve_toeplitz(r[:18], -r[1:19])
    ref_err = r[0] + np.dot(ref, r[1:19])
    d = np.max(np.abs(a[0, 1:] - ref))
    check(abs(a[0, 0] - 1.0) < 1e-12 and d < 1e-8, "levinson trial %d: coefficients differ by %.3g" % (trial, d))
    check(abs(err[0] - ref_err) < 1e-8 * r[0], "levinson trial %d: error %.6g, normal equations %.6g"
          % (trial, err[0], ref_err))

# A vowel with known F0 and formants
n = 8000
vowel = np.zeros(n)
vowel[::128] = 1.0   # 125 Hz
for f, bw in ((700, 80), (1200, 90), (2600, 120)):
    rad = np.exp(-np.pi * bw / FS)
    vowel = lfilter([1.0], [1.0, -2 * rad * np.cos(2 * np.pi * f / FS), rad * rad], vowel)
vowel *= 0.1 / np.sqrt(np.mean(vowel ** 2))
for smooth in (1, 3, 7):
    y = voc.vocode(vowel, 1, smooth=smooth, aper=0.0)
    tag = "vowel, smooth %d" % smooth
    check(len(y) == n, "%s: %d samples out, %d in" % (tag, len(y), n))
    rms = np.sqrt(np.mean(y.astype(np.float64) ** 2))
    check(abs(rms / 0.1 - 1) < 1e-4, "%s: RMS %.6f, input 0.1" % (tag, rms))
    f0, peak = f0_of(y)
    check(abs(f0 / 125.0 - 1) < 0.02 and peak > 0.5, "%s: F0 %.1f Hz (peak %.2f), want 125 Hz" % (tag, f0, peak))
    peaks = lpc_peaks(y)
    for f in (700, 1200, 2600):
        near = peaks[np.argmin(np.abs(peaks - f))] if len(peaks) else np.inf
        check(abs(near - f) < 60, "%s: no envelope peak within 60 Hz of %d Hz (nearest %.0f)" % (tag, f, near))

# Noise stays noise
noise = rng.standard_normal(n) * 0.1
check(not np.any(voc.track_f0(noise)), "white noise: %d voiced frames" % np.count_nonzero(voc.track_f0(noise)))
_, peak = f0_of(voc.vocode(noise, 2, 5, 0.1).astype(np.float64))
check(peak < 0.3, "vocoded white noise: autocorrelation peak %.2f in 2.5-13 ms, want < 0.3" % peak)

# Seeds, zeros, short clips, parameters
a1, a2, b = voc.vocode(vowel, 4, 5, 0.2), voc.vocode(vowel, 4, 5, 0.2), voc.vocode(vowel, 5, 5, 0.2)
check(np.array_equal(a1, a2), "the same seed gave different samples (max %.3g)" % np.max(np.abs(a1 - a2)))
check(not np.array_equal(a1, b), "seeds 4 and 5 gave the same samples")
check(np.array_equal(voc.vocode(np.zeros(3000), 1), np.zeros(3000)), "digital zeros did not come back as zeros")
short = rng.standard_normal(50)
check(np.allclose(voc.vocode(short, 1), short), "a clip shorter than a hop was changed")
gap = vowel.copy()
gap[2000:5000] = 0.0
g = voc.vocode(gap, 1, 7, 0.3)
check(np.all(np.isfinite(g)), "a vowel with a gap of zeros gave non-finite samples")
for kw in (dict(smooth=0), dict(aper=1.5)):
    try:
        voc.vocode(vowel, 1, **kw)
        fails.append("vocode(%s) did not raise" % kw)
    except ValueError:
        pass

# make_jobs: only train renders other than flite's, drawn after everything else
pools, _ = ds.voice_pools(1)
counts = {c: 40 for c in range(12) if c != ds.SILENCE}
for name in ("train", "val", "test", "xsynth"):
    plain = ds.make_jobs(name, pools, counts, 1, perturb=True)
    vocd = ds.make_jobs(name, pools, counts, 1, perturb=True, vocode=0.5)
    marked = [j for j in vocd if "vocode" in j]
    others = [{k: v for k, v in j.items() if k != "vocode"} for j in vocd]
    check(others == plain, "%s: --vocode changed other fields of the jobs" % name)
    if name != "train":
        check(not marked, "%s: %d renders vocoded, want none outside train" % (name, len(marked)))
        continue
    check(all(j["engine"] != "flite" for j in marked), "train: a flite render was vocoded")
    eligible = sum(j["engine"] != "flite" for j in vocd)
    share = len(marked) / eligible
    check(0.4 < share < 0.6, "train: %.2f of %d eligible renders vocoded, want about 0.5" % (share, eligible))
    for j in marked:
        v = j["vocode"]
        ok = v["smooth"] in ds.VOCODE_SMOOTH and ds.VOCODE_APER[0] <= v["aper"] <= ds.VOCODE_APER[1]
        check(ok, "train: vocoder parameters %s outside VOCODE_SMOOTH / VOCODE_APER" % v)

if fails:
    print("\n".join("kws_vocoder: " + f for f in fails))
    sys.exit(1)
print("kws_vocoder: Levinson, vowel F0 and formants, noise, seeds, zeros and make_jobs as expected")
