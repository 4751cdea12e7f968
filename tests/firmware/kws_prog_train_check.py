#!/usr/bin/python3
"""kws_train's static programming error in training (--prog-lsb, --prog-cal) against the array
written out here from its definition.

    /usr/bin/python3 tests/firmware/kws_prog_train_check.py SCRIPTS_DIR

A QLinear with two offset-binary input blocks (40 rows at k_in 5, 16 rows at k_in 7, like the
LSTM's x and h) and a fixed error E (int8 LSB per cell) must give, in value units,
    (sum_i u_i (W_ij + E_ij) - 128 sum_i W_ij [- 128 sum_i E_ij if calibrated]) 2^-K + b_j
with u = s + 128 the codes the DACs see, W the int8 weights at the common accumulator exponent K
(kw_b = K - k_in_b, K = min_b(floor(log2(127 / max|W_b|)) + k_in_b)) and the bias on the 2^-K
grid: the bias correction -128 sum W comes from the intended weights, and the firmware's start-up
calibration (firmware/apps/kws/main.c) removes the measured 128 sum E. Exit 1 naming the case,
column and difference.
"""
import os
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import torch  # noqa: E402
import kws_train  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_array_case  # noqa: E402

c = kws_array_case.make(kws_train, seed=11, inputs=5)
err, K, wq, bq, u, layer, x = c.err, c.K, c.wq, c.bq, c.u, c.layer, c.x


def array(calibrated):
    acc = u @ (wq + err) - 128.0 * wq.sum(0) - (128.0 * err.sum(0) if calibrated else 0.0)
    return acc / 2.0 ** K + bq


fails = []
for cal in (False, True):
    layer.quant, layer.noise, layer.prog_cal = True, 0.0, cal
    layer.prog_err = torch.from_numpy(err)
    with torch.no_grad():
        got = layer(x).double().numpy()
    ref = array(cal)
    d = np.abs(got - ref)
    i, j = np.unravel_index(d.argmax(), d.shape)
    tol = 1e-6 * (1 + np.abs(ref).max())
    print("prog_cal=%s: K=%d, largest |torch - array| %.3g at input %d column %d (torch %.6f, array %.6f)"
          % (cal, K, d.max(), i, j, got[i, j], ref[i, j]))
    if d.max() > tol:
        fails.append("prog_cal=%s: input %d column %d torch %.6f array %.6f (diff %.3g > %.3g)"
                     % (cal, i, j, got[i, j], ref[i, j], got[i, j] - ref[i, j], tol))
# the two must differ by the offset the calibration removes: the check above can tell them apart
off = np.abs(128.0 * err.sum(0) / 2.0 ** K).min()
if off < 1e-3:
    fails.append("degenerate case: the calibrated offset %.3g is too small to tell the modes apart" % off)
for f in fails:
    print("FAIL: " + f)
sys.exit(1 if fails else 0)
