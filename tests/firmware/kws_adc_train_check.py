#!/usr/bin/python3
"""kws_train's column ADC in training (--adc-lsb) against the array written out here from the
tile's definition (cim_tile/crossbar.h, steps 7-9; cim_tile/converters.h).

    /usr/bin/python3 tests/firmware/kws_adc_train_check.py SCRIPTS_DIR

A QLinear with two offset-binary input blocks (as the LSTM's x and h) and a fixed programming
error E must give, in value units,
    (adc(sum_i u_i (W_ij + E_ij)) - 128 sum_i W_ij - 128 sum_i E_ij) 2^-K + b_j
with u = s + 128 the DAC codes and adc(v) = floor(v / q + 1/2) q the mid-tread converter: the
ADC rounds the whole column value the array carries, offset included, and the digital side
takes the offset away (calibrated). q, one ADC step in MAC units of one weight copy, is
    out_bound / (2^(B-1) - 1) current units x Lmax Dmax read units per current unit,
    divided by replication x 2^weight_amp_bits (the copies summed on the bit line, amplified).
The gradient must pass the rounding straight through (equal to the gradient without the ADC).
Exit 1 naming the case, column and difference.
"""
import os
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
import torch  # noqa: E402
import kws_train  # noqa: E402

fails = []
# configs/kws-lstm.yaml: 10 bits over +-80 cell currents, 8-bit cells and DAC, 8 copies x 2
q = 80.0 / 511 * 255 * 255 / (8 * 2)
got_q = kws_train.adc_lsb_of(out_bound=80, out_res_bits=10, bits_per_cell=8, inp_res_bits=8, replication=8,
                             weight_amp_bits=1)
print("ADC step of configs/kws-lstm.yaml: %.4f MAC units per copy (adc_lsb_of %.4f)" % (q, got_q))
if abs(got_q - q) > 1e-9 * q:
    fails.append("adc_lsb_of gives %.6f, the definition %.6f" % (got_q, q))

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_array_case  # noqa: E402

c = kws_array_case.make(kws_train, seed=12, inputs=6)
err, K, wq, bq, u, layer, x = c.err, c.K, c.wq, c.bq, c.u, c.layer, c.x
layer.quant, layer.noise, layer.prog_cal = True, 0.0, True
for step in (q, 37.0):   # the board's step, and a small one (many codes across the column)
    layer.prog_err = torch.from_numpy(err)
    layer.adc_lsb = step
    with torch.no_grad():
        got = layer(x).double().numpy()
    col = u @ (wq + err)
    ref = (np.floor(col / step + 0.5) * step - 128.0 * wq.sum(0) - 128.0 * err.sum(0)) / 2.0 ** K + bq
    exact = (col - 128.0 * wq.sum(0) - 128.0 * err.sum(0)) / 2.0 ** K + bq
    d = np.abs(got - ref)
    i, j = np.unravel_index(d.argmax(), d.shape)
    tol = 1e-6 * (1 + np.abs(ref).max())
    moved = np.abs(ref - exact).max() * 2.0 ** K
    print("step %.2f: K=%d, largest |torch - array| %.3g at input %d column %d (torch %.6f, array %.6f); "
          "the ADC moves a column by up to %.1f MAC units" % (step, K, d.max(), i, j, got[i, j], ref[i, j], moved))
    if d.max() > tol:
        fails.append("step %.2f: input %d column %d torch %.6f array %.6f (diff %.3g > %.3g)"
                     % (step, i, j, got[i, j], ref[i, j], got[i, j] - ref[i, j], tol))
    if not step / 8 < moved <= step / 2 + 1e-6:  # the case must exercise the rounding, within half a step
        fails.append("step %.2f: the ADC moved a column by %.3f MAC units, expected in (step/8, step/2]" % (step, moved))

# the host integer model's ADC (kws_int.with_adc, used by kws_prog_error.py) on the same array:
# the layer's accumulator before the shift must equal torch's value x 2^K, and step 1 (every MAC
# an integer) must leave the exact integer layer unchanged
import kws_int  # noqa: E402
L = dict(w=wq + err, b=bq * 2.0 ** K - 128.0 * wq.sum(0) - 128.0 * err.sum(0), shift=0)
for step in (q, 37.0):
    layer.prog_err = torch.from_numpy(err)
    layer.adc_lsb = step
    with torch.no_grad():
        t = layer(x).double().numpy() * 2.0 ** K
    h = kws_int.npu_layer(u, kws_int.with_adc(dict(layers=[L]), step)["layers"][0]).astype(np.float64)
    d = np.abs(np.floor(t + 1e-6) - h).max()   # torch keeps the fraction that the host (shift 0) floors
    print("step %.2f: host kws_int.with_adc against torch, largest accumulator difference %g" % (step, d))
    if d > 0:
        fails.append("step %.2f: kws_int.with_adc differs from kws_train's ADC by %g accumulator units" % (step, d))
Li = dict(w=wq.astype(np.int64), b=np.round(bq * 2.0 ** K).astype(np.int64) - 128 * wq.sum(0).astype(np.int64), shift=3)
d = np.abs(kws_int.npu_layer(u, Li) - kws_int.npu_layer(u, kws_int.with_adc(dict(layers=[Li]), 1.0)["layers"][0])).max()
print("step 1 against the exact integer layer: largest difference %d" % d)
if d:
    fails.append("kws_int.with_adc at step 1 differs from the exact layer by %d" % d)

# straight-through: the gradient of sum(y) is the same with and without the ADC
layer.prog_err = torch.from_numpy(err)
g = []
for step in (0.0, q):
    layer.zero_grad()
    layer.adc_lsb = step
    layer(x).sum().backward()
    g.append(layer.weight.grad.clone().numpy())
dg = np.abs(g[0] - g[1]).max()
print("gradient of sum(y) with and without the ADC: largest difference %.3g" % dg)
if dg > 1e-9 * (1 + np.abs(g[0]).max()):
    fails.append("the ADC changes the gradient by %.3g (it should pass straight through)" % dg)
for f in fails:
    print("FAIL: " + f)
sys.exit(1 if fails else 0)
