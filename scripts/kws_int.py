#!/usr/bin/python3
"""The exported KWS models' integer inference, numpy only (no torch): exactly what the NPU
(cim_tile/int_reference.h, activation LUTs) and the firmware's CPU steps compute. Used by
kws_train.py (export check), kws_host_ref.py (board co-verification) and kws_eval.py."""
import numpy as np

ACT_FRAC = 5           # sigmoid/tanh gate input z / 2^5 (range +-4 before the LUT saturates)
C_FRAC = 14            # LSTM cell state: int32 Q14 on the CPU
TANH_C_FRAC = 6        # CPU tanh(c) LUT index: c in Q6, |c| < 4 -> 512 entries


def shift_round(acc, s):
    """int_reference.h: floor((acc + 2^(s-1)) / 2^s), round half up."""
    return (acc + (1 << (s - 1))) >> s if s > 0 else acc


def act_lut(z, fn, f):
    """NPU sigmoid/tanh LUT (activation.cpp build_lut): z clamped to the domain, exact rounding."""
    zmax = (8 if fn == "sigmoid" else 4) << f
    zc = np.clip(z, -zmax, zmax).astype(np.float64) / 2.0 ** f
    if fn == "sigmoid":
        return np.clip(np.floor(256.0 / (1.0 + np.exp(-zc)) + 0.5), 0, 255).astype(np.int64)
    return np.clip(np.floor(128.0 * np.tanh(zc) + 0.5), -128, 127).astype(np.int64)


def npu_layer(x_u8, L):
    """One descriptor: acc = X.W + b (int64), z = shift_round(acc), then the activation."""
    assert x_u8.min() >= 0 and x_u8.max() <= 255
    q = L.get("adc")
    if q or L["w"].dtype.kind == "f":  # programmed (noisy) weights (with_prog_error), or the ADC (with_adc)
        acc = x_u8.astype(np.float64) @ L["w"].astype(np.float64, copy=False)
        if q:  # the column ADC: X.W' rounded to its step before the bias
            acc = np.floor(acc / q + 0.5) * q
        acc = acc + L["b"].astype(np.float64)
        s = L["shift"]
        return np.floor((acc + (2.0 ** (s - 1) if s > 0 else 0.0)) / 2.0 ** s).astype(np.int64)
    # Integer weights: the product in float64 (BLAS, ~50x faster than int64) is exact, since every
    # term and partial sum is an integer below 2^53 (rows <= 8192: |acc| < 2^31 + 8192 * 128 * 255).
    acc = x_u8.astype(np.float64) @ L["w"].astype(np.float64) + L["b"].astype(np.float64)
    return shift_round(acc.astype(np.int64), L["shift"])


def from_descriptor(m):
    """The int_infer model of a parsed model.kwsd (kws_host_ref.read_kwsd) whose layers carry
    their int8 weights as "w"."""
    return {"type": m["type"], "hidden": m["hidden"], "tanh_lut": m["tanh_lut"], "pool": m.get("pool", "last"),
            "layers": [dict(w=L["w"], b=L["b"], shift=L["shift"]) for L in m["layers"]],
            "tdnn_spec": [(L["ctx"], L["dil"]) for L in m["layers"][:-1]]}


def offset_binary_layers(exp):
    """Layers fed only by offset-binary codes (u = s + 128): the LSTM's gates and FC (x, h),
    the TDNN's first layer (MFCC codes); the firmware calibrates these (kws main.c calibrate)."""
    return [l for l in range(len(exp["layers"])) if exp["type"] == "lstm" or l == 0]


def with_prog_error(exp, lsb, seed, calibrated=False):
    """The exported model as a programmed array sees it: every weight W + N(0, lsb^2) (static,
    float), the int32 biases (offset-binary correction from the intended W) unchanged. ADC and
    read noise are not modelled: this isolates the programming error. calibrated: the
    firmware's start-up offset calibration removes each offset-binary column's 128 sum E."""
    rng = np.random.default_rng(seed)
    out = dict(exp)
    cal = offset_binary_layers(exp) if calibrated else []
    layers = []
    for l, L in enumerate(exp["layers"]):
        e = rng.normal(0.0, lsb, L["w"].shape)
        b = L["b"].astype(np.float64) - (128.0 * e.sum(0) if l in cal else 0.0)
        layers.append(dict(L, w=L["w"].astype(np.float64) + e, b=b))
    out["layers"] = layers
    return out


def with_adc(exp, step):
    """The model with the column ADC of the board: every layer's column value X.W (the
    offset-binary codes on the programmed weights, with_prog_error) rounded half up to a multiple
    of `step` MAC units of one weight copy (kws_train.adc_lsb_of; 636.25 for configs/kws-lstm.yaml)
    before the digital bias, which holds the offset-binary correction. Column clipping and the
    finer digital roundings after the ADC are not modelled."""
    out = dict(exp)
    out["layers"] = [dict(L, adc=float(step)) for L in exp["layers"]]
    return out


def cpu_tanh_lut():
    idx = np.arange(-256, 256)
    return np.clip(np.floor(128 * np.tanh(idx / 2.0 ** TANH_C_FRAC) + 0.5), -128, 127).astype(np.int8)


def int_infer(exp, x_s8, probe=None):
    """Integer-only inference of an exported model on int8 input codes (N, T, C) -> int8 logits.
    probe(l, x_u8), if given, sees every NPU layer's input codes before the layer runs (what the
    array's word lines get; scripts/kws_adc_range.py)."""
    L = exp["layers"]
    look = probe or (lambda l, x: None)
    N, T, C = x_s8.shape
    if exp["type"] == "lstm":
        H = exp["hidden"]
        g, fc = L[0], L[1]
        lut = exp["tanh_lut"].astype(np.int64)
        h = np.zeros((N, H), np.int64)
        c = np.zeros((N, H), np.int64)
        pool = exp.get("pool", "last")
        hsum = np.zeros((N, H), np.int64)
        hmax = np.full((N, H), -128, np.int64)
        for t in range(T):
            xu = np.concatenate([x_s8[:, t].astype(np.int64) + 128, h + 128], 1)
            look(0, xu)
            z = npu_layer(xu, g)
            i = act_lut(z[:, :H], "sigmoid", ACT_FRAC)
            f = act_lut(z[:, H:2 * H], "sigmoid", ACT_FRAC)
            gg = act_lut(z[:, 2 * H:3 * H], "tanh", ACT_FRAC)
            o = act_lut(z[:, 3 * H:], "sigmoid", ACT_FRAC)
            # c Q14 = (f*c + i*g*2^7) / 2^8 with one rounding: f*c is Q22 (f Q0.8), i*g is Q15
            c = shift_round(f * c + (i * gg << 7), 8)
            ci = np.clip(shift_round(c, C_FRAC - TANH_C_FRAC), -256, 255)
            h = np.clip(shift_round(o * lut[ci + 256], 8), -128, 127)
            if pool == "mean":
                hsum += h
            elif pool == "max":
                hmax = np.maximum(hmax, h)
        if pool == "mean":  # integer mean, rounded half up (floor division: h is signed)
            h = (2 * hsum + T) // (2 * T)
        elif pool == "max":
            h = hmax
        look(1, h + 128)
        return np.clip(npu_layer(h + 128, fc), -128, 127)
    x = tdnn_frames(exp, x_s8, probe)
    pooled = (x.sum(1) + x.shape[1] // 2) // x.shape[1]  # integer mean, rounded half up
    look(len(L) - 1, pooled)
    return np.clip(npu_layer(pooled, L[-1]), -128, 127)


def tdnn_frames(exp, x_s8, probe=None):
    """The TDNN's time-delay layers on int8 input codes (N, T, C) -> uint8 outputs (N, T', width),
    T' = T - receptive field + 1 (the frames whose context is all inside the input). probe: as
    int_infer's."""
    look = probe or (lambda l, x: None)
    N = x_s8.shape[0]
    x = x_s8.astype(np.int64) + 128  # offset binary input; its -128 lives in layer 0's bias
    for l, ((ctx, dil), lay) in enumerate(zip(exp["tdnn_spec"], exp["layers"][:-1])):
        Tn = x.shape[1] - (ctx - 1) * dil
        spliced = np.concatenate([x[:, k * dil:k * dil + Tn] for k in range(ctx)], 2).reshape(-1, lay["w"].shape[0])
        look(l, spliced)
        x = np.clip(npu_layer(spliced, lay), 0, 255).reshape(N, Tn, -1)
    return x
