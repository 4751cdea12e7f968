#!/usr/bin/python3
"""kws_train.stretch_codes (--time-stretch) against a reference written out here.

    /usr/bin/python3 tests/firmware/kws_time_stretch_check.py SCRIPTS_DIR

Each clip is a "word" (a block of frames with c0 high and a ramp in c1) in a quiet background.
With probability 1 every clip must:
- equal, code for code, a per-frame reference written out from the option's definition: the
  factor s = exp(U(-ln(1+a), ln(1+a))) drawn for the batch, then one uniform per clip for the
  probability; the centre the c0-squared-weighted mean frame; frame t reads position
  centre + (t - centre) * s (held inside the clip), linear between frames, rounded half up;
- keep the word s times shorter (within a frame at each end), and its energy centre (a frame);
- draw every s inside [1/(1+a), 1+a], both below and above 1 over the batch.
Probability 0 and amount 0 leave the codes as they were. Exit 1 naming the clip and what differed.
"""
import math
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import torch  # noqa: E402
import kws_train  # noqa: E402

B, T, C, A = 24, 98, 40, 0.25
fails = []
rng = np.random.default_rng(5)
x = np.full((B, T, C), -40.0)
x[:, :, 2:] = rng.integers(-6, 7, (B, T, C - 2))          # background texture
starts = rng.integers(10, 50, B)
lens = rng.integers(15, 40, B)
for b in range(B):
    w = slice(starts[b], starts[b] + lens[b])
    x[b, w, 0] = 70
    x[b, w, 1] = np.round(np.linspace(-100, 100, lens[b]))  # integer codes, as the input is


def reference(x, seed, amount):
    """The option's definition, frame by frame."""
    r = np.random.default_rng(seed)
    s = np.exp(r.uniform(-math.log1p(amount), math.log1p(amount), len(x)))
    on = r.random(len(x)) < 1.0
    out = x.copy()
    for b in range(len(x)):
        if not on[b]:
            continue
        e = x[b, :, 0]
        w = (e - e.min()) ** 2
        c = (w * np.arange(T)).sum() / w.sum() if w.sum() > 0 else (T - 1) / 2
        for t in range(T):
            p = min(max(c + (t - c) * s[b], 0.0), T - 1.0)
            i = min(int(math.floor(p)), T - 2)
            f = p - i
            out[b, t] = np.clip(np.floor(x[b, i] * (1 - f) + x[b, i + 1] * f + 0.5), -128, 127)
    return out, s


def word(v):
    """First and one-past-last frame of the word (c0 above the midpoint of its two levels)."""
    idx = np.where(v[:, 0] > 15)[0]
    return (idx[0], idx[-1] + 1) if len(idx) else (0, 0)


xt = torch.tensor(x, dtype=torch.float32)
y = kws_train.stretch_codes(xt, A, np.random.default_rng(11), p=1.0).numpy()
ref, s = reference(x, 11, A)
for b in range(B):
    d = np.abs(y[b] - ref[b])
    if d.max() > 1 or (d > 0).sum() > 2:     # float32 against float64 may flip a .5 now and then
        t, c = np.unravel_index(d.argmax(), d.shape)
        fails.append("clip %d (s %.3f): frame %d code %d is %g, reference %g" % (b, s[b], t, c, y[b, t, c], ref[b, t, c]))
    a0, a1 = word(x[b])
    b0, b1 = word(y[b])
    want = (a1 - a0) / s[b]
    if abs((b1 - b0) - want) > 2:
        fails.append("clip %d: word %d frames long, want %.1f (%d / s %.3f)" % (b, b1 - b0, want, a1 - a0, s[b]))
    if abs((b0 + b1) / 2 - (a0 + a1) / 2) > 1.0:
        fails.append("clip %d: word centre moved from %.1f to %.1f" % (b, (a0 + a1) / 2, (b0 + b1) / 2))
    if not 1 / (1 + A) - 1e-9 <= s[b] <= 1 + A + 1e-9:
        fails.append("clip %d: factor %.3f outside [%.3f, %.3f]" % (b, s[b], 1 / (1 + A), 1 + A))
if not (s.min() < 1 < s.max()):
    fails.append("factors %.3f..%.3f: want words both slowed and sped up" % (s.min(), s.max()))
for name, amount, p in (("p=0", A, 0.0), ("amount 0", 0.0, 1.0)):
    z = kws_train.stretch_codes(xt, amount, np.random.default_rng(11), p=p).numpy()
    if not np.array_equal(z, x):
        fails.append("%s changed the codes (max %g)" % (name, np.abs(z - x).max()))
for f in fails:
    print("FAIL " + f)
print("time_stretch: %d clips, factors %.3f..%.3f, %s" % (B, s.min(), s.max(), "ok" if not fails else "%d failures" % len(fails)))
sys.exit(1 if fails else 0)
