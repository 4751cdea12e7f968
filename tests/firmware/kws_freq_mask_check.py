#!/usr/bin/python3
"""kws_train.freq_mask_codes (--freq-mask) against a reference written out here.

    /usr/bin/python3 tests/firmware/kws_freq_mask_check.py SCRIPTS_DIR

The mask acts on the Mel bands behind the 40 cepstral codes: each masked clip must equal, within
the requantization (round half up to integer codes, saturated to int8), the reference
    log-Mel = codes . D  (D the orthonormal DCT-II, written out below from its definition),
    a span of adjacent bands replaced by its clip mean over time, codes = log-Mel . D^T,
with exactly one span of 1..width bands, constant over time, and the clip mean of every band
kept. Probability 0 leaves the codes untouched. Exit 1 naming the clip, band and difference.
"""
import math
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import torch  # noqa: E402
import kws_train  # noqa: E402

M = 40
D = np.array([[math.cos(math.pi * j * (2 * m + 1) / (2 * M)) * math.sqrt((1.0 if j == 0 else 2.0) / M)
               for m in range(M)] for j in range(M)])
fails = []
rng = np.random.default_rng(7)
x = rng.integers(-100, 100, (16, 49, M)).astype(np.float64)
x[:, :, 0] = np.clip(x[:, :, 0] + 20, -128, 127)  # a c0 offset: the clip mean is not zero
off = np.zeros(M)
off[:3] = [5.0, -3.0, 1.0]                         # input offsets, added back before the DCT

same = kws_train.freq_mask_codes(torch.tensor(x, dtype=torch.float32), kws_train.dct_matrix(), 8,
                                 torch.tensor(off, dtype=torch.float32), np.random.default_rng(1), p=0.0)
if not np.array_equal(same.numpy(), x):
    fails.append("p=0 changed the codes (max %g)" % np.abs(same.numpy() - x).max())

width = 8
y = kws_train.freq_mask_codes(torch.tensor(x, dtype=torch.float32), kws_train.dct_matrix(), width,
                              torch.tensor(off, dtype=torch.float32), np.random.default_rng(1), p=1.0).numpy()
mel_x = (x + off) @ D             # (B, T, M)
mel_y = (y + off) @ D
# requantizing 40 codes by <= 0.5 each moves a band by at most 0.5 * sum|D[:, m]| (< 4.5)
tol = 0.5 * np.abs(D).sum(0).max() + 1e-9
for b in range(len(x)):
    flat = np.where(mel_y[b].std(0) < tol)[0]       # bands constant over time (within rounding)
    if len(flat) == 0 or len(flat) > width or np.any(np.diff(flat) != 1):
        fails.append("clip %d: masked bands %s, want one span of 1..%d" % (b, flat.tolist(), width))
        continue
    ref = mel_x[b].copy()
    ref[:, flat] = ref[:, flat].mean(0)
    ref_codes = np.clip(np.floor(ref @ D.T - off + 0.5), -128, 127)
    d = np.abs(ref_codes - y[b]).max()
    if d > 1:                                      # float32 against float64 may flip a .5
        fails.append("clip %d: codes differ from the reference by %g" % (b, d))
    dm = np.abs(mel_y[b].mean(0) - mel_x[b].mean(0)).max()
    if dm > tol:
        fails.append("clip %d: a band's clip mean moved by %.2f (tolerance %.2f)" % (b, dm, tol))
for f in fails:
    print("FAIL " + f)
print("freq_mask: %d clips, %s" % (len(x), "ok" if not fails else "%d failures" % len(fails)))
sys.exit(1 if fails else 0)
