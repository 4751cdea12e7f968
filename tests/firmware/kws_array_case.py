"""A small array case shared by the checks of kws_train's analog terms (kws_prog_train_check.py,
kws_adc_train_check.py): a QLinear with two offset-binary input blocks (40 rows at k_in 5, 16 at
k_in 7, like the LSTM's x and h), a static programming error E in int8 LSB per cell, and the
array's own view of it written out from the definitions: the int8 weights wq at the common
accumulator exponent K (kw_b = K - k_in_b, K = min_b(floor(log2(127 / max|W_b|)) + k_in_b)),
the bias on the 2^-K grid, and the DAC codes u = s + 128."""
from types import SimpleNamespace

import numpy as np
import torch

BLOCKS = [(40, 5), (16, 7)]


def make(kws_train, seed, inputs, cols=8, k_out=24):
    """k_out 24: a fine output grid, so the checks compare values."""
    rng = np.random.default_rng(seed)
    rows = sum(n for n, _ in BLOCKS)
    w = np.concatenate([rng.uniform(-0.6, 0.6, (40, cols)), rng.uniform(-1.5, 1.5, (16, cols))])
    bias = rng.uniform(-2, 2, cols)
    err = rng.normal(0.0, 2.0, (rows, cols))
    s = np.concatenate([rng.integers(-128, 128, (inputs, 40)), rng.integers(-128, 128, (inputs, 16))], 1)
    kws = [int(np.floor(np.log2(127.0 / np.abs(w[r:r + n]).max()))) for r, n in zip((0, 40), (40, 16))]
    K = min(kw + kin for kw, (_, kin) in zip(kws, BLOCKS))
    wq = np.concatenate([np.clip(np.floor(w[r:r + n] * 2.0 ** (K - kin) + 0.5), -127, 127)
                         for r, (n, kin) in zip((0, 40), BLOCKS)])
    layer = kws_train.QLinear(BLOCKS, cols, k_out)
    layer.signed = [True, True]
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w))
        layer.bias.copy_(torch.from_numpy(bias))
    x = torch.from_numpy(np.concatenate([s[:, :40] / 2.0 ** 5, s[:, 40:] / 2.0 ** 7], 1))
    return SimpleNamespace(w=w, bias=bias, err=err, s=s, K=K, wq=wq, bq=np.floor(bias * 2.0 ** K + 0.5) / 2.0 ** K,
                           u=s + 128, layer=layer, x=x)
