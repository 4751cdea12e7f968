#!/usr/bin/python3
"""Quantization- and noise-aware training of the KWS LSTM and TDNN, integer export and check.

    OPENBLAS_NUM_THREADS=1 nice -n 10 /usr/bin/python3 scripts/kws_train.py --model lstm \
        [--epochs 12] [--data ~/.cache/cimvp-kws/v1-seed1] [--out models/kws-lstm] [--no-flite]

Integer scheme (every layer is one NPU matrix, Y = act((W.X + b) >> shift), cim_tile/int_reference.h):
  * W int8 (rows = inputs, cols = outputs), value W * 2^-kw, kw power of two per input block.
  * X uint8. Signed quantities (MFCC codes, LSTM h) enter in offset binary u = s + 128; the
    exporter folds -128 * sum_i W[i][j] into the int32 bias, so the array only sees unsigned codes.
  * acc = W.X + b is in units 2^-K (K = kw + k_in, equal for every block of a matrix: kw of a
    block is lowered where needed), shift = K - k_out, rounding half up.
  * ReLU: uint8 code = real * 2^k_out. Sigmoid/tanh: NPU LUT activations with act_frac = k_out:
    sigmoid code = round(256 sigmoid(z / 2^f)) (uint8), tanh code = round(128 tanh(z / 2^f)) (int8).
Training mirrors this with straight-through fake quantization, plus Gaussian weight noise of
std noise * max|W| per matrix on every forward pass (analog cell variation; the LSTM draws it
at each of its steps, or with --lstm-noise pass once per pass). Default 5 %, matched
to the board it runs on (eFlash: 2 LSB = 1.6 % programming error) with margin; the ReRAM LSTM
paper's 16 % (tested at 10 %) suits ReRAM-class variation (configs/reram.yaml: w_noise 0.1) but,
on the eFlash board, cost 3-4 points of accuracy (docs/kws.md "Training noise").
"""
import argparse
import concurrent.futures
import copy
import json
import os
import struct
import sys
import threading
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import kws_kernels  # noqa: E402  (this script's folder is sys.path[0] when it runs)
if __name__ == "__main__":
    kws_kernels.pin()   # the same float bits on any x86-64 CPU with AVX2 (a module user pins, or not, itself)
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_data_digest  # noqa: E402
import kws_distill  # noqa: E402
import kws_features as fe  # noqa: E402
import kws_lstm_bptt  # noqa: E402
import kws_remix  # noqa: E402
from kws_host_ref import KWSD_VERSION  # noqa: E402  (the reader's version: 3, the threshold at bytes 28-29)
import kws_threshold  # noqa: E402
from kws_host_ref import FLAG_CMN, FLAG_CVN, FLAG_DITHER, FLOOR_FLAGS, POOL_FLAGS  # noqa: E402  (descriptor flags, byte 21)
# The integer model (what the NPU and the firmware compute) lives apart, without torch.
from kws_int import ACT_FRAC, C_FRAC, TANH_C_FRAC, cpu_tanh_lut, int_infer, with_prog_error  # noqa: E402

CLASSES = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "silence", "unknown"]
NK = 10  # keywords are classes 0..9
K_IN = fe.IN_FRAC      # MFCC codes are s8 / 2^5
K_H = 7                # LSTM h: tanh code, Q1.7
K_RELU = 4             # TDNN hidden: uint8 / 2^4, range [0, 16)
K_LOGIT = 3            # logits: int8 / 2^3


# ---------------------------------------------------------------- fake quantization (STE)
def rhu(x):
    """round half up, the NPU's rounding"""
    return torch.floor(x + 0.5)


def ste(x, q):
    return x + (q - x).detach()


def w_exp(w):
    """Largest kw with max|W| * 2^kw <= 127."""
    m = float(w.detach().abs().max()) + 1e-12
    return int(np.floor(np.log2(127.0 / m)))


def fq_weight(w, kw):
    return ste(w, torch.clamp(rhu(w * 2.0 ** kw), -127, 127) / 2.0 ** kw)


def fq_grid(x, k, lo, hi):
    """Quantize to the 2^-k grid and saturate to codes [lo, hi]."""
    return ste(x, torch.clamp(rhu(x * 2.0 ** k), lo, hi) / 2.0 ** k)


class QLinear(nn.Module):
    """One NPU matrix whose inputs come in blocks with their own input exponents."""

    def __init__(self, in_blocks, out, k_out):
        super().__init__()
        self.in_blocks = in_blocks            # [(size, k_in)]
        self.weight = nn.Parameter(torch.empty(sum(s for s, _ in in_blocks), out))
        nn.init.uniform_(self.weight, -1 / np.sqrt(self.weight.shape[0]), 1 / np.sqrt(self.weight.shape[0]))
        self.bias = nn.Parameter(torch.zeros(out))
        self.k_out = k_out
        self.noise = 0.0
        self.quant = True
        self.signed = [False] * len(in_blocks)  # blocks that reach the array in offset binary
        self.prog_lsb = 0.0   # static programming error, std in int8 weight LSB (eFlash ~2)
        self.prog_err = None  # drawn by draw_prog() once per forward pass, fixed over its time steps
        self.prog_cal = False  # the firmware's offset calibration removes the offset-binary 128 sum E
        self.adc_lsb = 0.0     # the column ADC's step in MAC units of one weight copy (0: exact reads)

    def exps(self):
        """(per-block kw, K): the common accumulator exponent forces kw_b = K - k_in_b."""
        kws, r = [], 0
        for s, kin in self.in_blocks:
            kws.append(w_exp(self.weight[r:r + s]))
            r += s
        K = min(kw + kin for kw, (_, kin) in zip(kws, self.in_blocks))
        return [K - kin for _, kin in self.in_blocks], K

    def pass_terms(self):
        """What one forward pass holds fixed, however many time steps it has: the weights on
        their grids, the programming error's (E, 128 sum E) or None, the bias on the accumulator
        grid (None unquantized), the accumulator exponent K. The LSTM computes them once per pass
        rather than once per step."""
        if not self.quant:
            return self.weight, None, None, 0
        kws, K = self.exps()
        parts, r = [], 0
        for (s, _), kw in zip(self.in_blocks, kws):
            parts.append(fq_weight(self.weight[r:r + s], kw))
            r += s
        prog = self.prog_offset() if self.prog_err is not None else None
        return torch.cat(parts), prog, ste(self.bias, rhu(self.bias * 2.0 ** K) / 2.0 ** K), K

    def clamp_for_k(self, k_min):
        """Keep every block's weights small enough that the accumulator exponent K >= k_min
        (max|W_b| <= 127 2^-(k_min - k_in_b)). The programming error on offset-binary inputs,
        128 sum E per column, is worth 128 2 sqrt(rows) 2^-K in value units: each step of K
        halves it (the LSTM gates at K = 11 lost 1.3 in z per column at 2 LSB)."""
        with torch.no_grad():
            r = 0
            for s, kin in self.in_blocks:
                m = 127.0 * 2.0 ** -(k_min - kin) * (1 - 1e-6)
                self.weight[r:r + s].clamp_(-m, m)
                r += s

    def draw_prog(self):
        """Static per-cell programming error for the next forward pass (int8 LSB units), or None."""
        self.prog_err = (torch.randn_like(self.weight) * self.prog_lsb
                         if self.prog_lsb > 0 and self.quant else None)

    def prog_offset(self):
        """The array sees W' = W + E on u = s + 128 (signed blocks) while the bias correction
        -128 sum W uses the intended W: W'.u - 128 sum W = W'.s + 128 sum E. Returns (E real,
        128 sum E real) for the blocks, in the layer's value units; with prog_cal the firmware's
        start-up calibration has measured and removed the 128 sum E (kws_int.with_prog_error)."""
        kws, _ = self.exps()
        parts, r = [], 0
        for (s, _), kw in zip(self.in_blocks, kws):
            parts.append(self.prog_err[r:r + s] / 2.0 ** kw)
            r += s
        e = torch.cat(parts)
        return e, 0.0 if self.prog_cal else self.offset_binary_sum(e)

    def offset_binary_sum(self, m):
        """What the signed blocks' offset-binary codes (u = s + 128) add to a column read of m:
        128 sum of m's rows over those blocks, in the layer's value units."""
        off, r = 0.0, 0
        for (s, kin), sgn in zip(self.in_blocks, self.signed):
            if sgn:
                off = off + m[r:r + s].sum(0) * (128.0 / 2.0 ** kin)
            r += s
        return off

    def noisy(self, w):
        """w with the training's weight noise drawn afresh (std noise * max|w|), or w itself."""
        if self.noise > 0:
            return w + torch.randn_like(w) * self.noise * float(w.detach().abs().max())
        return w

    def forward(self, x, terms=None, draw_noise=True):
        """Returns the pre-activation on the 2^-k_out grid (what the NPU's shift produces).
        terms: pass_terms() of this pass (None: computed here). Weight noise is drawn per call
        (draw_noise False: the caller's terms carry it)."""
        w, prog, qbias, K = terms if terms is not None else self.pass_terms()
        if draw_noise:
            w = self.noisy(w)
        if prog is not None:
            e, off = prog
            w = w + e
            xw = x @ w
            y = xw + off
        else:
            xw = y = x @ w
        if self.quant and self.adc_lsb > 0:
            y = y + self.adc_error(xw, w, K)
        if self.quant:
            y = y + qbias
            return ste(y, rhu(y * 2.0 ** self.k_out) / 2.0 ** self.k_out)
        return y + self.bias

    def adc_error(self, xw, w, K):
        """What the column ADC adds to x.W, as a constant (straight-through) term. The array reads
        W'.u with the signed blocks in offset binary (u = s + 128), so the ADC rounds that whole
        column value, offset included, to multiples of adc_lsb (mid-tread, half up, as
        cim_tile/converters.h); the digital side then takes the offset away exactly. Column
        clipping is not modelled (the board's out_bound leaves a margin: configs/kws-lstm.yaml)."""
        step = self.adc_lsb / 2.0 ** K   # the MAC grid is 2^-K in value units
        yu = (xw + self.offset_binary_sum(w)).detach()
        return rhu(yu / step) * step - yu


def adc_lsb_of(out_bound, out_res_bits, bits_per_cell=8, inp_res_bits=8, replication=1, weight_amp_bits=0):
    """The ADC step of a parallel-DAC tile in MAC units of one weight copy: LSB = out_bound /
    (2^(B-1) - 1) current units (cim_tile/converters.h), one current unit = Lmax * Dmax read units
    (cim_tile/crossbar.h), and a read sums `replication` copies of the weights programmed
    x 2^weight_amp_bits, which the digital side divides out."""
    lmax, dmax = 2 ** bits_per_cell - 1, 2 ** inp_res_bits - 1
    return out_bound / (2 ** (out_res_bits - 1) - 1) * lmax * dmax / (replication * 2 ** weight_amp_bits)


def fq_sigmoid(z, quant):
    s = torch.sigmoid(z)
    return ste(s, torch.clamp(rhu(s * 256), 0, 255) / 256) if quant else s


def fq_tanh(z, quant, lo=-128):
    t = torch.tanh(z)
    return ste(t, torch.clamp(rhu(t * 128), lo, 127) / 128) if quant else t


# ---------------------------------------------------------------- models
class LSTMKws(nn.Module):
    def __init__(self, hidden=64, ncep=fe.NUM_CEPS, pool="last"):
        super().__init__()
        self.h = hidden
        self.pool = pool  # what the FC reads: the last step's h, or h averaged / max over the steps
        self.gates = QLinear([(ncep, K_IN), (hidden, K_H)], 4 * hidden, ACT_FRAC)  # i f g o
        self.fc = QLinear([(hidden, K_H)], len(CLASSES), K_LOGIT)
        self.gates.signed = [True, True]  # x and h enter in offset binary
        self.fc.signed = [True]
        self.dropout = 0.0  # on the final h (training only)
        with torch.no_grad():  # forget-gate bias 1: remember by default, or the keyword early in
            self.gates.bias[hidden:2 * hidden] = 1.0  # the clip is lost before the last step
        self.quant = True
        self.bptt = "autograd"  # "fused": kws_lstm_bptt's written-out backward pass (same forward values)
        self.noise_per = "step"  # the training's weight noise drawn at every step, or once per "pass"

    def layers(self):
        return [self.gates, self.fc]

    def forward(self, x):  # x (B, T, C) real input values
        B, T, _ = x.shape
        H, q = self.h, self.quant
        for l in self.layers():  # one programmed array per pass: the same error at every step
            l.draw_prog()
        terms = self.gates.pass_terms()  # the same weights at every step
        step_noise = self.noise_per == "step"
        if not step_noise:  # one draw for the whole pass, as the board's programming error
            terms = (self.gates.noisy(terms[0]),) + terms[1:]
        # without a backward pass to come (an evaluation, a teacher) the written-out loop gives the
        # same values, faster
        if q and self.pool == "last" and (self.bptt == "fused" or not torch.is_grad_enabled()):
            h = kws_lstm_bptt.last_h(x, self.gates, terms, H, (self.gates.k_out, C_FRAC, TANH_C_FRAC, K_H),
                                     step_noise)
            return self.head(h)
        h = x.new_zeros(B, H)
        c = x.new_zeros(B, H)
        hs = []
        for t in range(T):
            z = self.gates(torch.cat([x[:, t], h], 1), terms, step_noise)
            i, f, g, o = z[:, :H], z[:, H:2 * H], z[:, 2 * H:3 * H], z[:, 3 * H:]
            i, f, o = fq_sigmoid(i, q), fq_sigmoid(f, q), fq_sigmoid(o, q)
            g = fq_tanh(g, q)
            c = f * c + i * g
            if q:
                c = fq_grid(c, C_FRAC, -2 ** 31, 2 ** 31 - 1)
                tc = fq_tanh(fq_grid(c, TANH_C_FRAC, -256, 255), q)
                h = fq_grid(o * tc, K_H, -128, 127)
            else:
                h = o * torch.tanh(c)
            if self.pool != "last":
                hs.append(h)
        if self.pool == "mean":  # integer mean of the int8 h codes, rounded half up (kws_int)
            h = torch.stack(hs, 1).mean(1)
            h = fq_grid(h, K_H, -128, 127) if q else h
        elif self.pool == "max":
            h = torch.stack(hs, 1).max(1)[0]
        return self.head(h)

    def head(self, h):
        """The classifier on the pooled h."""
        q = self.quant
        if self.dropout > 0:  # (no call at 0: the committed models' random streams stay as they were)
            h = F.dropout(h, self.dropout, self.training)
        z = self.fc(h)
        return fq_grid(z, K_LOGIT, -128, 127) if q else z


class TDNNKws(nn.Module):
    """Time-delay layers: each output frame sees `ctx` input frames `dil` apart (spliced rows)."""
    SPEC = [(5, 1), (3, 2), (3, 4), (3, 8)]  # receptive field 33 frames (0.68 s)

    def __init__(self, width=128, ncep=fe.NUM_CEPS):
        super().__init__()
        self.tdnn = nn.ModuleList()
        d_in, k_in = ncep, K_IN
        for ctx, dil in self.SPEC:
            self.tdnn.append(QLinear([(ctx * d_in, k_in)], width, K_RELU))
            # He init: with the uniform 1/sqrt(n) init the signal shrinks through 4 ReLU layers and
            # the mean pooling, and training sat at chance for epochs
            nn.init.normal_(self.tdnn[-1].weight, 0.0, np.sqrt(2.0 / (ctx * d_in)))
            d_in, k_in = width, K_RELU
        self.fc = QLinear([(width, K_RELU)], len(CLASSES), K_LOGIT)
        self.tdnn[0].signed = [True]  # MFCC codes in offset binary; ReLU outputs are unsigned
        self.quant = True
        self.dropout = 0.0  # on every hidden layer's output (training only)

    def layers(self):
        return list(self.tdnn) + [self.fc]

    def forward(self, x):
        for l in self.layers():
            l.draw_prog()
        for (ctx, dil), lay in zip(self.SPEC, self.tdnn):
            T = x.shape[1] - (ctx - 1) * dil
            spliced = torch.cat([x[:, k * dil:k * dil + T] for k in range(ctx)], 2)
            x = F.relu(lay(spliced))
            if self.quant:
                x = fq_grid(x, K_RELU, 0, 255)
            if self.dropout > 0:
                x = F.dropout(x, self.dropout, self.training)
        x = x.mean(1)  # average pooling over time (CPU, integer mean with rounding)
        if self.quant:
            x = fq_grid(x, K_RELU, 0, 255)
        z = self.fc(x)
        return fq_grid(z, K_LOGIT, -128, 127) if self.quant else z


def set_mode(model, quant, noise, prog_lsb=0.0, prog_cal=False, adc_lsb=0.0):
    model.quant = quant
    for l in model.layers():
        l.quant, l.noise, l.prog_lsb, l.prog_cal, l.adc_lsb = quant, noise, prog_lsb, prog_cal, adc_lsb


# ---------------------------------------------------------------- data
def load_feats(data, name, use_cmn, ceps=fe.NUM_CEPS, band=fe.DEFAULT_BAND, dither=0, floor=None):
    """The cached 40 cepstra of the Mel band and dither level (kws_features.set_mfcc) as the model
    reads them (kws_features.model_ceps)."""
    return fe.model_ceps(fe.set_mfcc(data, name, band, dither, floor), os.path.dirname(os.path.abspath(data)), use_cmn, ceps)


def load_model_set(m, data, name):
    """(input codes, labels, meta) of a set as the exported model `m` (kws_host_ref.load_model)
    reads it: its Mel band, dither, floor, CMN, CVN and input offsets."""
    return load_set(data, name, m["in_offset"], bool(m["flags"] & FLAG_CMN), len(m["in_offset"]), m["mel_band"],
                    m["cvn"], dither=m["dither"], floor=m["floor"])


def cvn_constants(feat):
    """--cvn: per coefficient, the target and the floor (q8.7) of a clip's RMS over its frames: the
    median and the 10th percentile over the training clips."""
    sd = np.sqrt((feat.astype(np.float64) ** 2).mean(-2))
    return np.round(np.median(sd, 0)).astype(np.int64), np.round(np.percentile(sd, 10, 0)).astype(np.int64)


def apply_cvn(feat, cvn):
    """--cvn: per-clip cepstral variance normalisation after the CMN, each coefficient scaled to the
    target RMS; the clip's RMS is floored so that silence is amplified at most target/floor.
    Float on the host: a study the firmware does not compute (the descriptor's flags bit 1, which
    the firmware and the host scripts refuse)."""
    if cvn is None:
        return feat
    target, floor = cvn
    sd = np.sqrt((feat.astype(np.float64) ** 2).mean(-2, keepdims=True))
    return np.clip(np.round(feat * (target / np.maximum(sd, floor))), -32768, 32767).astype(np.int16)


def load_set(data, name, offset, use_cmn, ceps=fe.NUM_CEPS, band=fe.DEFAULT_BAND, cvn=None, feat=None, dither=0, floor=None):
    """(input codes, labels, meta) of a set; feat: its features already loaded (load_feats, apply_cvn)."""
    if feat is None:
        feat = apply_cvn(load_feats(data, name, use_cmn, ceps, band, dither, floor), cvn)
    lab = np.load(os.path.join(data, name + "_labels.npy")).astype(np.int64)
    meta = [json.loads(l) for l in open(os.path.join(data, name + "_meta.jsonl"))]
    return fe.quantize_input(feat, offset), lab, meta


def spec_augment(x, rng):
    """SpecAugment-style masks on the int8 codes: one time span and one cepstral band set to 0
    (the training mean), plus a random per-utterance level offset on c0."""
    x = x.clone()
    B, T, C = x.shape
    for b in range(B):
        if rng.random() < 0.8:
            w = int(rng.integers(1, 8))
            t0 = int(rng.integers(0, T - w))
            x[b, t0:t0 + w] = 0
        if rng.random() < 0.8:
            w = int(rng.integers(1, 6))
            c0 = int(rng.integers(0, C - w))
            x[b, :, c0:c0 + w] = 0
    return x


def dct_matrix():
    """The front end's orthonormal DCT-II as a (C, M) matrix: cepstrum = D @ log-Mel."""
    M = fe.NUM_MEL
    j, m = np.meshgrid(np.arange(M), np.arange(M), indexing="ij")
    D = np.cos(np.pi * j * (2 * m + 1) / (2 * M)) * np.where(j == 0, np.sqrt(1.0 / M), np.sqrt(2.0 / M))
    return torch.tensor(D[:fe.NUM_CEPS], dtype=torch.float32)


def warp_bank(amount, band, n=17):
    """Vocal-tract-length warps as (n, C, C) maps of the cepstral codes: the Mel spectrum S(f)
    becomes S(f / alpha) (every formant moved by alpha, alpha log-spaced in [1/(1+a), 1+a]).
    With 40 Mel bands and 40 orthonormal DCT coefficients the cepstrum is invertible, so the
    warp is D W D^T: back to log-Mel, interpolate along the band axis, DCT again. Augments the
    speakers the synthesizers offer (the held-out flite voice is the only female flite voice)."""
    M = fe.NUM_MEL
    mel = lambda f: 2595.0 * np.log10(1.0 + f / 700.0)  # noqa: E731
    imel = lambda m: 700.0 * (10.0 ** (m / 2595.0) - 1.0)  # noqa: E731
    pts = np.linspace(mel(float(band[0])), mel(float(band[1])), M + 2)
    fc = imel(pts[1:-1])                                # band centre frequencies
    D = dct_matrix().double().numpy()
    out = []
    for alpha in np.exp(np.linspace(-np.log1p(amount), np.log1p(amount), n)):
        pos = np.clip((mel(fc / alpha) - pts[0]) / (pts[1] - pts[0]) - 1.0, 0, M - 1)
        lo = np.minimum(np.floor(pos).astype(int), M - 2)
        fr = pos - lo
        W = np.zeros((M, M))
        W[np.arange(M), lo] = 1 - fr
        W[np.arange(M), lo + 1] += fr
        out.append(D @ W @ D.T)
    return torch.tensor(np.stack(out), dtype=torch.float32)


def warp_codes(x, bank, offset_codes, rng, p=0.8):
    """Apply a random warp of the bank to each clip of x (B, T, C int8 codes as float) with
    probability p; the codes are requantized to the input grid the network sees."""
    B = x.shape[0]
    k = torch.from_numpy(rng.integers(0, len(bank), B))
    on = torch.from_numpy(rng.random(B) < p)
    y = torch.bmm(x + offset_codes, bank[k].transpose(1, 2)) - offset_codes
    y = torch.clamp(rhu(y), -128, 127)
    return torch.where(on[:, None, None], y, x)


def stretch_codes(x, amount, rng, p=0.8):
    """Tempo augmentation on the frames: with probability p a clip's frame sequence is resampled
    in time about its energy centre by a factor s, log-uniform in [1/(1+a), 1+a] (s > 1: the word
    plays s times as fast), by linear interpolation between frames; positions beyond the clip hold
    the edge frame. The spectrum of each frame is kept, so unlike a resampled remix
    (--remix-speed) the formants and pitch do not move: the diphone voices' words are shorter,
    not higher. Linear in the codes, so the input offset needs no care; requantized."""
    B, T, _ = x.shape
    s = np.exp(rng.uniform(-np.log1p(amount), np.log1p(amount), B))
    on = rng.random(B) < p
    t = np.arange(T, dtype=np.float64)
    e = x[:, :, 0].double().numpy()                   # c0: the frame's level
    w = np.square(e - e.min(1, keepdims=True))
    tot = w.sum(1)
    centre = np.where(tot > 0, (w * t).sum(1) / np.where(tot > 0, tot, 1.0), (T - 1) / 2.0)
    pos = np.clip(centre[:, None] + (t[None, :] - centre[:, None]) * s[:, None], 0, T - 1)
    lo = np.minimum(np.floor(pos).astype(np.int64), T - 2)
    fr = torch.from_numpy((pos - lo)[:, :, None]).float()
    rows = np.arange(B)[:, None]
    y = x[rows, lo] * (1 - fr) + x[rows, lo + 1] * fr
    y = torch.clamp(rhu(y), -128, 127)
    return torch.where(torch.from_numpy(on)[:, None, None], y, x)


def freq_mask_codes(x, D, width, offset_codes, rng, p=0.8):
    """SpecAugment's frequency mask on the Mel bands (not on the cepstral coefficients): with 40
    MFCC of 40 bands the cepstrum is invertible, so each clip (probability p) goes back to
    log-Mel, a span of 1..width adjacent bands is held at its clip mean (0 after the CMN), and
    the result is DCT'd and requantized to the input grid."""
    B, T, _ = x.shape
    mel = torch.matmul(x + offset_codes, D)           # (B, T, M) log-Mel in code units
    mask = torch.zeros(B, 1, D.shape[1])
    for b in range(B):
        if rng.random() < p:
            w = int(rng.integers(1, width + 1))
            m0 = int(rng.integers(0, D.shape[1] - w + 1))
            mask[b, 0, m0:m0 + w] = 1.0
    mel = mel * (1 - mask) + mel.mean(1, keepdim=True) * mask
    y = torch.matmul(mel, D.t()) - offset_codes
    return torch.clamp(rhu(y), -128, 127)


def metrics(pred, lab):
    pred, lab = np.asarray(pred), np.asarray(lab)
    kw = lab < NK
    return {"acc": float(np.mean(pred == lab)),
            "kw_recall": float(np.mean(pred[kw] == lab[kw])) if kw.any() else float("nan"),
            "fa_unknown": float(np.mean(pred[lab == 11] < NK)) if (lab == 11).any() else float("nan"),
            "fa_silence": float(np.mean(pred[lab == 10] < NK)) if (lab == 10).any() else float("nan"),
            "n": int(len(lab))}


def clean_rows(xcl, idx, y):
    """Which of the batch's clips `idx` have a clean word in xcl: not silence (its clean clip is
    nothing), not an appended digital-silence row (past the clean codes)."""
    return (idx < len(xcl)) & (y[idx] != CLASSES.index("silence"))


def teacher_input(x, xcl, idx, y):
    """What the teachers read with --distill-clean: the student's batch x (noisy, augmented,
    scaled) with each clip that has a clean word replaced by that clean word (no noise, no
    augmentation); silence and appended rows stay as the student sees them."""
    keep = clean_rows(xcl, idx, y)
    if not keep.any():
        return x
    xt = x.clone()
    xt[torch.from_numpy(keep)] = torch.from_numpy(xcl[idx[keep]]).float() / 2 ** K_IN
    return xt


def lowest_priority():
    """Nice 19 for the calling thread (Linux keeps a nice value per thread): it runs when a core is
    otherwise idle, or when the thread that waits for its result leaves the core to it."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except OSError:  # not allowed here: the thread then shares the cores fairly, with the same results
        pass


def consistency_loss(model, out, xcl, idx, y):
    """KL(p(clean) || p(noisy)) over the batch's clips that have a clean word (clean_rows): the
    model's own prediction on the clean word, without gradient, is the target of its prediction
    `out` on the noisy, augmented clip."""
    keep = clean_rows(xcl, idx, y)
    if not keep.any():
        return out.sum() * 0.0
    with torch.no_grad():
        target = F.softmax(model(torch.from_numpy(xcl[idx[keep]]).float() / 2 ** K_IN), 1)
    return F.kl_div(F.log_softmax(out[torch.from_numpy(keep)], 1), target, reduction="batchmean")


def predict(model, x, quant=True, noise=0.0, seed=0, bs=512, prog_lsb=0.0, prog_cal=False):
    set_mode(model, quant, noise, prog_lsb, prog_cal)
    torch.manual_seed(seed)
    model.eval()
    outs = []
    with torch.no_grad():
        for i in range(0, len(x), bs):
            outs.append(model(torch.from_numpy(x[i:i + bs]).float() / 2 ** K_IN))
    return torch.cat(outs).numpy()


# ---------------------------------------------------------------- export
def export_layer(ql, signed_blocks):
    """QLinear -> int8 W, int32 b (offset-binary correction folded in), shift."""
    kws, K = ql.exps()
    w = ql.weight.detach().double().numpy()
    parts, r = [], 0
    for (s, _), kw in zip(ql.in_blocks, kws):
        parts.append(np.clip(np.floor(w[r:r + s] * 2.0 ** kw + 0.5), -127, 127))
        r += s
    wi = np.concatenate(parts).astype(np.int64)
    b = np.floor(ql.bias.detach().double().numpy() * 2.0 ** K + 0.5).astype(np.int64)
    r = 0
    for (s, _), sgn in zip(ql.in_blocks, signed_blocks):
        if sgn:  # u = s + 128 on the wire: W.u = W.s + 128 sum W, so subtract it here
            b -= 128 * wi[r:r + s].sum(0)
        r += s
    shift = K - ql.k_out
    assert 0 <= shift <= 40, shift
    assert np.abs(b).max() < 2 ** 31
    return {"w": wi.astype(np.int8), "b": b.astype(np.int32), "shift": int(shift), "K": int(K)}


FLOOR_KEYS = {fe.FLOOR_MEAN: "log_floor_rel_q7", fe.FLOOR_NOISE: "noise_floor_rel_q7"}   # model.json, results


def floor_fields(floor):
    """The floor (None or (kind, rel_q7)) as model.json / results.json fields: both keys, the
    unused one null."""
    return {key: (floor[1] if floor is not None and floor[0] == k else None) for k, key in FLOOR_KEYS.items()}


def desc_floor(desc):
    """The floor of a model.json (floor_fields') as (kind, rel_q7), or None."""
    got = [(k, desc[key]) for k, key in FLOOR_KEYS.items() if desc.get(key) is not None]
    if len(got) > 1:
        raise ValueError("model.json: both %s" % " and ".join(FLOOR_KEYS.values()))
    return got[0] if got else None


def input_desc(offset, use_cmn, band, cvn=None, dither=0, floor=None):
    """The model.json fields that fix what a model reads (its front end and input codes)."""
    return {"mel_band_hz": [int(f) for f in band], "dither": int(dither), **floor_fields(floor),
            "num_ceps": len(offset), "num_frames": fe.NUM_FRAMES, "in_shift": fe.IN_SHIFT,
            "in_frac": fe.IN_FRAC, "cmn": bool(use_cmn), "in_offset_q7": [int(v) for v in offset],
            "cvn": None if cvn is None else {"target_q7": [int(v) for v in cvn[0]],
                                             "floor_q7": [int(v) for v in cvn[1]]}}


def model_from_state(kind, state, desc):
    """The torch model of a model.json descriptor with the float weights `state` (a model.pt),
    fake-quantized without noise: a --teacher."""
    if kind == "lstm":
        model = LSTMKws(int(desc["hidden"]), int(desc["num_ceps"]), desc.get("pool", "last"))
    elif kind == "tdnn":
        if [list(s) for s in desc["tdnn_spec"]] != [list(s) for s in TDNNKws.SPEC]:
            raise ValueError("tdnn_spec %s, this script builds %s" % (desc["tdnn_spec"], TDNNKws.SPEC))
        model = TDNNKws(int(state["tdnn.0.weight"].shape[1]), int(desc["num_ceps"]))
    else:
        raise ValueError("model type %r" % kind)
    model.load_state_dict(state)
    set_mode(model, True, 0.0)
    return model


def init_model(model, srcs, desc, kind):
    """--init: the weights of `srcs` (each a model.pt, or a directory as a --teacher is read) into
    `model`, several averaged (a weight soup: runs fine-tuned from one start stay in one basin, so
    their mean is a model of that basin too, less tied to any one run's noise draws). Exits naming
    the file if they do not fit; a directory must read the same input (the teachers' check) and be
    the same kind of model."""
    states = [_init_state(model, src, desc, kind) for src in srcs]
    model.load_state_dict({k: sum(st[k] for st in states) / len(states) if v.is_floating_point() else v
                           for k, v in states[0].items()})


def _init_state(model, src, desc, kind):
    try:
        if os.path.isdir(src):
            with open(os.path.join(src, "model.json")) as f:
                t = json.load(f).get("type")
            if t != kind:
                sys.exit("kws_train.py: --init %s: a %s, this run trains a %s" % (src, t, kind))
            state = kws_distill.load_teachers([src], desc, model_from_state, model_from_export)[0].state_dict()
        else:
            state = torch.load(src)
        have = model.state_dict()
        for k, v in state.items():
            if k in have and tuple(v.shape) != tuple(have[k].shape):
                sys.exit("kws_train.py: --init %s: %s is %s, this run's model has %s (--hidden / --width?)"
                         % (src, k, tuple(v.shape), tuple(have[k].shape)))
        if set(state) != set(have):
            sys.exit("kws_train.py: --init %s: has weights %s and lacks %s of this run's model"
                     % (src, sorted(set(state) - set(have)), sorted(set(have) - set(state))))
        return state
    except (OSError, ValueError, RuntimeError, kws_distill.TeacherError) as e:
        sys.exit("kws_train.py: --init %s: %s" % (src, str(e).splitlines()[0] if str(e) else type(e).__name__))


def model_from_export(kind, desc, d):
    """The torch model whose export is the integer model in `d` (model.json's layers and shifts,
    <layer>.npy, <layer>_bias.npy), fake-quantized without noise: a --teacher from a directory
    without its model.pt, such as a committed models/kws-<m>. It computes what the integer model
    computes, since export_layer of it gives back every weight, bias and shift (checked here).
    The weights sit a millionth under their codes, so that w_exp finds each block's exponent
    again when a code is 127."""
    if kind == "lstm":
        model = LSTMKws(int(desc["hidden"]), int(desc["num_ceps"]), desc.get("pool", "last"))
    elif kind == "tdnn":
        if [list(s) for s in desc["tdnn_spec"]] != [list(s) for s in TDNNKws.SPEC]:
            raise ValueError("tdnn_spec %s, this script builds %s" % (desc["tdnn_spec"], TDNNKws.SPEC))
        model = TDNNKws(int(desc["layers"][0]["cols"]), int(desc["num_ceps"]))
    else:
        raise ValueError("model type %r" % kind)
    qls = model.layers()
    if len(desc["layers"]) != len(qls):
        raise ValueError("%d layers in model.json, a %s has %d" % (len(desc["layers"]), kind, len(qls)))
    with torch.no_grad():
        for ql, L in zip(qls, desc["layers"]):
            w = np.load(os.path.join(d, L["name"] + ".npy"))
            b = np.load(os.path.join(d, L["name"] + "_bias.npy"))
            if w.shape != tuple(ql.weight.shape) or b.shape != tuple(ql.bias.shape):
                raise ValueError("%s.npy %s, %s_bias.npy %s: a %s layer here is %s"
                                 % (L["name"], w.shape, L["name"], b.shape, kind, tuple(ql.weight.shape)))
            K = int(L["shift"]) + ql.k_out
            wi, bi = w.astype(np.int64), b.astype(np.int64)
            parts, r = [], 0
            for (s, kin), sg in zip(ql.in_blocks, ql.signed):
                parts.append(wi[r:r + s] * (1 - 1e-6) / 2.0 ** (K - kin))
                if sg:  # undo export_layer's offset-binary correction
                    bi = bi + 128 * wi[r:r + s].sum(0)
                r += s
            ql.weight.copy_(torch.from_numpy(np.concatenate(parts)))
            ql.bias.copy_(torch.from_numpy(bi / 2.0 ** K))
            again = export_layer(ql, ql.signed)
            if not (np.array_equal(again["w"], w) and np.array_equal(again["b"], b) and again["shift"] == L["shift"]):
                raise ValueError("%s: the rebuilt layer does not export back to its .npy files and shift %d"
                                 % (L["name"], L["shift"]))
    set_mode(model, True, 0.0)
    return model


def export(model, kind, offset, out_dir, use_cmn, band, cvn=None, dither=0, floor=None, threshold=600):
    os.makedirs(out_dir, exist_ok=True)
    if kind == "lstm":
        layers = [export_layer(model.gates, [True, True]), export_layer(model.fc, [True])]
        acts = [("gates", "sigmoid,sigmoid,tanh,sigmoid (LUT)", ACT_FRAC), ("fc", "identity", 0)]
        exp = {"type": "lstm", "hidden": model.h, "layers": layers, "tanh_lut": cpu_tanh_lut(), "pool": model.pool}
    else:
        layers = [export_layer(l, [i == 0]) for i, l in enumerate(model.tdnn)] + [export_layer(model.fc, [False])]
        acts = [("tdnn%d" % i, "relu", 0) for i in range(len(model.tdnn))] + [("fc", "identity", 0)]
        exp = {"type": "tdnn", "tdnn_spec": TDNNKws.SPEC, "layers": layers}
    # placement: side by side along the columns from row 0 (fits the 1792 x 896 array)
    col = 0
    for L in layers:
        L["row_off"], L["col_off"] = 0, col
        col += L["w"].shape[1]
    assert col <= 896 and max(L["w"].shape[0] for L in layers) <= 1792
    desc = {"format": "cimvp-kws-model", "version": KWSD_VERSION, "type": kind, "classes": CLASSES,
            **input_desc(offset, use_cmn, band, cvn, dither, floor),
            "act_frac": ACT_FRAC, "logit_frac": K_LOGIT, "layers": []}
    if kind == "lstm":
        desc.update(hidden=model.h, c_frac=C_FRAC, tanh_c_frac=TANH_C_FRAC, pool=model.pool)
    else:
        desc.update(tdnn_spec=[list(s) for s in TDNNKws.SPEC], relu_frac=K_RELU)
    for (name, act, af), L in zip(acts, layers):
        np.save(os.path.join(out_dir, name + ".npy"), L["w"])
        np.save(os.path.join(out_dir, name + "_bias.npy"), L["b"])
        desc["layers"].append({"name": name, "rows": int(L["w"].shape[0]), "cols": int(L["w"].shape[1]),
                               "row_off": L["row_off"], "col_off": L["col_off"], "shift": L["shift"],
                               "act": act, "act_frac": af})
    desc["threshold"] = threshold / 1000.0   # kws_threshold.write_threshold replaces it (--threshold auto)
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(desc, f, indent=1)
    write_kwsd(os.path.join(out_dir, "model.kwsd"), kind, exp, desc)
    return exp


ACT_CODES = {"identity": 0, "relu": 1}


def write_kwsd(path, kind, exp, desc):
    """Binary descriptor for the firmware (little-endian), format in docs/kws.md."""
    b = bytearray(b"KWSD")
    b += struct.pack("<HBBHHBBBB", KWSD_VERSION, 1 if kind == "lstm" else 2, len(exp["layers"]), len(desc["in_offset_q7"]),
                     fe.NUM_FRAMES, fe.IN_SHIFT, fe.IN_FRAC, len(CLASSES),
                     exp.get("hidden", 0))
    # CVN (--cvn) is refused by the firmware; DITHER: the Fbank's dither at level 1
    floor = desc_floor(desc)
    flags = ((FLAG_CMN if desc["cmn"] else 0) | (FLAG_CVN if desc.get("cvn") else 0)
             | (FLAG_DITHER if desc.get("dither") else 0) | POOL_FLAGS[desc.get("pool", "last")]
             | (FLOOR_FLAGS[floor[0]] if floor is not None else 0))
    b += struct.pack("<BBBBBBh", ACT_FRAC, K_LOGIT, K_RELU, C_FRAC, TANH_C_FRAC, flags, floor[1] if floor else 0)
    b += struct.pack("<HH", *desc["mel_band_hz"])
    b += struct.pack("<HH", int(round(desc["threshold"] * 1000)), 0)   # the detection threshold, reserved
    b += struct.pack("<%dh" % len(desc["in_offset_q7"]), *desc["in_offset_q7"])
    spec = exp.get("tdnn_spec", [])
    for i, (L, d) in enumerate(zip(exp["layers"], desc["layers"])):
        ctx, dil = spec[i] if i < len(spec) else (1, 1)
        act = 2 if kind == "lstm" and i == 0 else ACT_CODES.get(d["act"], 0)  # 2 = LSTM gate group
        b += struct.pack("<HHHHBBBBBBH", d["rows"], d["cols"], d["row_off"], d["col_off"], d["shift"],
                         act, d["act_frac"], ctx, dil, 0, 0)
        b += struct.pack("<%di" % d["cols"], *[int(v) for v in L["b"]])
    if kind == "lstm":
        b += exp["tanh_lut"].astype(np.int8).tobytes()
    with open(path, "wb") as f:
        f.write(bytes(b))


def make_image(out_dir, tool):
    """Place the exported layers into an NPU array image with cim_tile's npu_image_tool, at the
    positions recorded in model.json (so the firmware's descriptors and the image agree). The
    tool's own descriptor chain (one shift, ReLU everywhere) does not fit KWS; model.kwsd does."""
    import subprocess
    with open(os.path.join(out_dir, "model.json")) as f:
        desc = json.load(f)
    args = [os.path.abspath(tool), "-o", os.path.abspath(os.path.join(out_dir, "model.img"))]
    args += ["%s.npy@%d,%d" % (L["name"], L["row_off"], L["col_off"]) for L in desc["layers"]]
    subprocess.run(args, cwd=out_dir, check=True)


def find_tool():
    for d in ("build", "build-release", "build-debug"):
        for sub in ("cim_tile", ""):
            p = os.path.join(fe.REPO, d, sub, "npu_image_tool")
            if os.access(p, os.X_OK):
                return p
    return None


# ---------------------------------------------------------------- main
def float_pair(text):
    """"LO,HI" as a tuple of floats; () when it does not parse (the caller names the option)."""
    try:
        return tuple(float(v) for v in text.split(","))
    except ValueError:
        return ()


def build_parser():
    """The command line (kws_reproduce.py parses its recipes with it to check them against the reports)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=["lstm", "tdnn"])
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v1-seed1"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--epochs", type=int, default=12,
                    help="0 with --init: export the --init weights (a soup) as they are, without training")
    ap.add_argument("--float-epochs", type=int, default=2, help="warm-up epochs before QAT")
    ap.add_argument("--noise", type=float, default=0.05,
                    help="train weight noise, std as a fraction of max|W| (default 0.05: ~3x the eFlash "
                         "board's 2 LSB programming error; 0.16 is the ReRAM paper's setting for ReRAM-class "
                         "variation, which costs ~3 points of test accuracy on the eFlash board)")
    ap.add_argument("--test-noise", type=float, default=0.10)
    ap.add_argument("--prog-lsb", type=float, default=0.0,
                    help="static programming error in training, std in int8 weight LSB, fixed over each "
                         "forward pass and applied to W.u with the offset-binary inputs as the array sees it "
                         "(board: 2 LSB); ramped in over the first third of the QAT epochs")
    ap.add_argument("--prog-cal", action="store_true",
                    help="--prog-lsb and --eval-prog-lsb after the firmware's start-up offset calibration "
                         "(the board's case: only W'.s remains); without it the offset-binary 128 sum E stays")
    ap.add_argument("--adc-lsb", type=float, default=0.0,
                    help="the column ADC in training: column values W'.u rounded to this step, in MAC "
                         "units of one weight copy (0: off). configs/kws-lstm.yaml's 10 bits over 80 "
                         "cell currents, 8 copies programmed x 2 give 636.3 (adc_lsb_of); training sees "
                         "the rounding, the gradient passes it straight through")
    ap.add_argument("--eval-prog-lsb", type=float, default=2.0,
                    help="programming error for the integer-model robustness report (5 arrays; 0: skip)")
    ap.add_argument("--gate-kmin", type=int, default=0,
                    help="LSTM: clamp the gate weights so that the gate accumulator exponent K >= this "
                         "(13: max|W_x| < 0.5, max|W_h| < 2); shrinks the offset-binary programming error")
    ap.add_argument("--init", default=None, metavar="PT|DIR[,...]",
                    help="start from this model.pt (float weights of an earlier run), or from a run's --out "
                         "directory or a committed models/kws-<m> (its model.pt, else its exported layers); "
                         "the model must read the same input and have the same shape. Several, "
                         "comma-separated: their weights averaged (a soup of runs that share a start)")
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--pool", choices=("last", "mean", "max"), default="last",
                    help="LSTM: what the FC reads, the last step's h or h averaged / max over the window's "
                         "steps (descriptor flags bit 3 / 4)")
    ap.add_argument("--lstm-bptt", choices=("autograd", "fused"), default="autograd",
                    help="LSTM: the backward pass through time by torch's autograd (default, the committed "
                         "models' runs) or written out (scripts/kws_lstm_bptt.py: the same forward values and "
                         "gradients to float rounding, about a fifth less time per step; the training then "
                         "takes another path)")
    ap.add_argument("--lstm-noise", choices=("step", "pass"), default="step",
                    help="LSTM: the training's weight noise (--noise) drawn afresh at each of a clip's steps "
                         "(default, the committed models' runs) or once per forward pass, fixed over the steps "
                         "as the board's programming error (less time per step)")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cmn", action="store_true", help="per-utterance cepstral mean normalisation (mfcc_cmn)")
    ap.add_argument("--cvn", action="store_true",
                    help="per-utterance cepstral variance normalisation after the CMN (host-only study: the "
                    "firmware and the host scripts refuse the exported model)")
    ap.add_argument("--log-floor", type=float, default=None, metavar="DB",
                    help="a flat floor in the Mel power at DB below the window's mean power, before the DCT "
                         "(mfcc_log_floor; descriptor flags bit 5, floor_rel_q7)")
    ap.add_argument("--noise-floor", type=float, default=None, metavar="DB",
                    help="a floor in each Mel band at DB relative to its level in the window's quietest "
                         "quarter of frames, before the DCT (mfcc_noise_floor; descriptor flags bit 6, floor_rel_q7)")
    ap.add_argument("--unknown-weight", type=float, default=2.0,
                    help="loss weight of unknown relative to a balanced class (FA on unknown words)")
    ap.add_argument("--dropout", type=float, default=0.0,
                    help="dropout on the TDNN's hidden layers / the LSTM's final h, in training only")
    ap.add_argument("--warp", type=float, default=0.0,
                    help="vocal-tract-length warp augmentation: formants scaled by up to 1+WARP either way "
                         "(0: off; 0.2 covers male to female)")
    ap.add_argument("--time-stretch", type=float, default=0.0, metavar="A",
                    help="tempo augmentation on the frames: 80 %% of the clips played 1/(1+A) to 1+A times as "
                         "fast about their energy centre, the spectrum kept (0: off)")
    ap.add_argument("--ema", type=float, default=0.0,
                    help="keep an exponential moving average of the weights over the quantized epochs "
                         "(decay per step, e.g. 0.999) and select/export it instead of the raw weights (0: off)")
    ap.add_argument("--select", choices=("val", "last"), default="val",
                    help="which quantized epoch is exported: the best on val (600 clips of other voices than "
                         "test, flat within 1-2 points for the last half of the schedule) or the last one")
    ap.add_argument("--freq-mask", type=int, default=0,
                    help="SpecAugment frequency mask on the Mel bands: one span of 1..N bands held at "
                         "its clip mean, 80 %% of the clips (0: off)")
    ap.add_argument("--ceps", type=int, default=fe.NUM_CEPS,
                    help="cepstra the model reads (the first CEPS of the front end's %d); the firmware "
                         "reads all %d and refuses another count, so CEPS < %d is a host-only study "
                         "(docs/kws.md)" % (fe.NUM_CEPS, fe.NUM_CEPS, fe.NUM_CEPS))
    ap.add_argument("--mel-band", default="%d,%d" % fe.DEFAULT_BAND, metavar="LO,HI",
                    help="the front end's Mel band [Hz] (default %(default)s, the front end's own); the "
                         "descriptor records it and the firmware programs the Fbank with it")
    ap.add_argument("--dither", action="store_true",
                    help="features with the Fbank's +-1 LSB dither (level 1, fbank_math.h step 0): digital "
                         "silence then reads as the quietest white noise; descriptor flags bit 2, the "
                         "firmware enables the dither")
    ap.add_argument("--digital-silence", type=int, default=0, metavar="N",
                    help="add N training clips of digital zero labelled silence (the dataset's silence is "
                         "always noise; a muted microphone gives exact zeros)")
    ap.add_argument("--remix", type=float, default=0.0, metavar="P",
                    help="each epoch after the first, mix a fraction P of the train clips again with fresh "
                         "noise drawn like the dataset's, from the clean clips (kws_remix.py); 0: off")
    ap.add_argument("--remix-white", type=float, default=None, metavar="P",
                    help="with --remix: the share of white noise among the remixed words' noise kinds (the "
                         "dataset's 0.3; pink, babble and none keep their proportions)")
    ap.add_argument("--remix-snr", default=None, metavar="LO,HI",
                    help="with --remix: the remixed words' SNR range in dB, uniform (the dataset's 0,25); a "
                         "noise curriculum that puts more of the training where the test's 10 dB is")
    ap.add_argument("--remix-speed", default=None, metavar="LO,HI",
                    help="with --remix: play each remixed word LO-HI times as fast (uniform; resampled, so "
                         "shorter and higher above 1, as Kaldi's speed perturbation; kws_remix.speed_perturb), "
                         "for synthesizers that speak faster than the training's (docs/kws.md, forty-seventh session)")
    ap.add_argument("--consistency", type=float, default=0.0, metavar="W",
                    help="add W x KL(p(clean) || p(noisy)) to the loss: the model's prediction on each train "
                         "clip's clean word (no noise, no augmentation, no gradient) is the target of its "
                         "prediction on the noisy clip; silence clips are left out (0: off)")
    ap.add_argument("--teacher", default=None, metavar="DIR[,DIR...]",
                    help="distil from these earlier runs (their model.pt and model.json, or without a model.pt "
                         "the exported layers, as in models/kws-<m>; same input as this run): their "
                         "averaged posterior is a second target, weighted by --distill")
    ap.add_argument("--distill", type=float, default=1.0, metavar="W",
                    help="weight of the distillation term W x T^2 x KL(p_teacher || p_student) (with --teacher)")
    ap.add_argument("--distill-temp", type=float, default=2.0, metavar="T",
                    help="temperature both posteriors are softened with (with --teacher)")
    ap.add_argument("--distill-clean", action="store_true",
                    help="the teachers read each train clip's clean word (no noise, no augmentation; silence "
                         "clips as the student sees them) while the student reads the noisy clip: their "
                         "posterior in quiet is its target in noise (with --teacher)")
    ap.add_argument("--no-flite", action="store_true", help="train without flite (cross-synthesizer run)")
    ap.add_argument("--max-minutes", type=float, default=None,
                    help="stop training after this many minutes of wall time (then export); default: no limit. "
                         "A stop cuts the OneCycle schedule where the machine's speed puts it, so the model is not "
                         "the recipe's (results.json: time_budget_cut, epochs_run)")
    ap.add_argument("--stop-epoch", type=int, default=None, metavar="N",
                    help="stop after N epochs of the --epochs schedule (a cut of the one-cycle schedule that, "
                         "unlike --max-minutes, does not depend on the machine's speed)")
    ap.add_argument("--threshold", default="auto", metavar="T|auto",
                    help="the detection threshold in the descriptor: auto (default) chooses it on the val set's "
                         "streams after the export (scripts/kws_threshold.py: fewest misses + wrong labels + "
                         "false alarms), or a value in (0, 1)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--image-tool", default=None, help="npu_image_tool binary (default: look in build*/)")
    ap.add_argument("--image-only", metavar="DIR", help="only write DIR/model.img from an existing export")
    return ap


def main():
    ap = build_parser()
    a = ap.parse_args()
    if a.threshold != "auto":
        try:
            t = float(a.threshold)
        except ValueError:
            t = -1.0
        if not 0.001 <= t <= 0.999:
            ap.error("--threshold %s: want auto or a value in [0.001, 0.999]" % a.threshold)
    if not 0.0 <= a.noise < 1.0:
        ap.error("--noise %g: must be in [0, 1) (a fraction of max|W|)" % a.noise)
    if a.max_minutes is not None and not a.max_minutes > 0:
        ap.error("--max-minutes %g: must be > 0 (leave it out for no limit)" % a.max_minutes)
    a.init = [p for p in a.init.split(",") if p] if a.init else []
    if a.epochs < 0 or (a.epochs == 0 and not a.init):
        ap.error("--epochs %d: want >= 1, or 0 with --init (export those weights without training)" % a.epochs)
    if a.stop_epoch is not None and not 1 <= a.stop_epoch <= a.epochs:
        ap.error("--stop-epoch %d: must be in [1, --epochs %d]" % (a.stop_epoch, a.epochs))
    if a.digital_silence < 0:
        ap.error("--digital-silence %d: must be >= 0" % a.digital_silence)
    if not 0.0 <= a.dropout < 1.0:
        ap.error("--dropout %g: must be in [0, 1)" % a.dropout)
    if not 0.0 <= a.warp < 1.0:
        ap.error("--warp %g: must be in [0, 1) (formants scaled by up to 1 + WARP)" % a.warp)
    if not 1 <= a.ceps <= fe.NUM_CEPS:
        ap.error("--ceps %d: must be in [1, %d]" % (a.ceps, fe.NUM_CEPS))
    if not 0.0 <= a.remix <= 1.0:
        ap.error("--remix %g: must be in [0, 1] (a fraction of the train clips per epoch)" % a.remix)
    a.floor = None
    if a.log_floor is not None and a.noise_floor is not None:
        ap.error("--log-floor with --noise-floor: one floor or the other")
    if a.log_floor is not None:
        if not -60.0 <= a.log_floor <= 0.0:
            ap.error("--log-floor %g: want -60..0 dB (the floor relative to the window's mean Mel power)" % a.log_floor)
        a.floor = (fe.FLOOR_MEAN, fe.log_floor_rel_q7(a.log_floor))
    if a.noise_floor is not None:
        if not -20.0 <= a.noise_floor <= 20.0:
            ap.error("--noise-floor %g: want -20..20 dB (the floor relative to each band's noise level)" % a.noise_floor)
        a.floor = (fe.FLOOR_NOISE, fe.log_floor_rel_q7(a.noise_floor))
    if not 0.0 <= a.consistency <= 10.0:
        ap.error("--consistency %g: must be in [0, 10] (the weight of the KL term; 0: off)" % a.consistency)
    if a.consistency and a.cvn:
        ap.error("--consistency with --cvn: the host-only variance normalisation is not applied to the clean clips")
    if not 0.0 < a.distill <= 10.0:
        ap.error("--distill %g: must be in (0, 10] (the weight of the distillation term)" % a.distill)
    if not 0.5 <= a.distill_temp <= 20.0:
        ap.error("--distill-temp %g: must be in [0.5, 20]" % a.distill_temp)
    a.teachers = [d for d in a.teacher.split(",") if d] if a.teacher is not None else []
    if a.teacher is not None and not a.teachers:
        ap.error("--teacher %r: want one or more model directories, comma-separated" % a.teacher)
    if a.distill_clean and not a.teachers:
        ap.error("--distill-clean needs --teacher (it says what the teachers read)")
    if a.distill_clean and a.cvn:
        ap.error("--distill-clean with --cvn: the host-only variance normalisation is not applied to the clean clips")
    if not (np.isfinite(a.adc_lsb) and a.adc_lsb >= 0.0):
        ap.error("--adc-lsb %g: want a step >= 0 in MAC units (0: no ADC)" % a.adc_lsb)
    if a.remix_white is not None and not (a.remix and 0.0 <= a.remix_white <= 1.0):
        ap.error("--remix-white %g: want a share in [0, 1], with --remix" % a.remix_white)
    if a.remix_snr is not None:
        snr = float_pair(a.remix_snr)
        if not (a.remix and len(snr) == 2 and -10.0 <= snr[0] < snr[1] <= 60.0):
            ap.error("--remix-snr %s: want LO,HI in dB with -10 <= LO < HI <= 60, with --remix" % a.remix_snr)
        a.remix_snr = snr
    if a.remix_speed is not None:
        speed = float_pair(a.remix_speed)
        if not (a.remix and len(speed) == 2 and 0.5 <= speed[0] <= speed[1] <= 2.0):
            ap.error("--remix-speed %s: want LO,HI with 0.5 <= LO <= HI <= 2, with --remix" % a.remix_speed)
        a.remix_speed = speed
    if a.remix and a.cvn:
        ap.error("--remix with --cvn: the host-only variance normalisation is not applied to remixed clips")
    if a.cvn and not a.cmn:
        ap.error("--cvn normalises the variance around the mean --cmn removes: give both")
    if not 0.0 <= a.time_stretch < 1.0:
        ap.error("--time-stretch %g: must be in [0, 1) (words played up to 1 + A times as fast or slow)" % a.time_stretch)
    if a.warp > 0 and a.ceps != fe.NUM_CEPS:
        ap.error("--warp needs all %d cepstra (the warp is exact only on an invertible cepstrum)" % fe.NUM_CEPS)
    if not 0.0 <= a.ema < 1.0:
        ap.error("--ema %g: must be in [0, 1) (0: off)" % a.ema)
    if (a.lstm_bptt != "autograd" or a.lstm_noise != "step") and a.model != "lstm":
        ap.error("--lstm-bptt / --lstm-noise: options of the LSTM's training")
    if a.lstm_bptt == "fused" and a.pool != "last":
        ap.error("--lstm-bptt fused: written out for the last step's h only (--pool last)")
    if a.pool != "last" and a.model != "lstm":
        ap.error("--pool %s: the LSTM's read-out; the TDNN always averages its last layer" % a.pool)
    if not 0 <= a.freq_mask <= fe.NUM_MEL // 2:
        ap.error("--freq-mask %d: must be in [0, %d] Mel bands" % (a.freq_mask, fe.NUM_MEL // 2))
    if a.freq_mask and a.ceps != fe.NUM_CEPS:
        ap.error("--freq-mask needs all %d cepstra (the mask is applied on the inverted cepstrum)" % fe.NUM_CEPS)
    tool = a.image_tool or find_tool()
    if a.image_only:
        if not tool:
            sys.exit("npu_image_tool not found: build it (cmake --build build --target npu_image_tool)")
        make_image(a.image_only, tool)
        return
    if not a.model:
        ap.error("--model is required")
    try:
        band = tuple(int(f) for f in a.mel_band.split(","))
        if len(band) != 2:
            raise ValueError("two values")
        fe.load(os.path.dirname(os.path.abspath(a.data)), band)
    except ValueError as e:
        ap.error("--mel-band %s: want LO,HI in Hz that the front end accepts (%s)" % (a.mel_band, e))
    a.mel_band = band
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    t0 = time.time()

    dither = 1 if a.dither else 0
    feat = load_feats(a.data, "train", a.cmn, a.ceps, a.mel_band, dither, a.floor)
    cvn = cvn_constants(feat) if a.cvn else None
    feat = apply_cvn(feat, cvn)
    offset = np.round(feat.reshape(-1, a.ceps).mean(0)).astype(np.int16)
    xtr, ytr, mtr = load_set(a.data, "train", offset, a.cmn, a.ceps, a.mel_band, feat=feat)
    rows, labels_all = np.arange(len(ytr)), ytr  # the dataset's clip index of each train row, every label
    if a.no_flite:
        keep = np.array([m.get("engine") != "flite" for m in mtr])
        xtr, ytr, rows = xtr[keep], ytr[keep], rows[keep]
    remixer = None
    if a.remix or a.consistency or a.distill_clean:  # all read the clean train clips
        try:
            kws_remix.check(a.data, "train", len(mtr))
        except kws_remix.RemixError as e:
            sys.exit("kws_train.py: %s: %s" % ("--remix" if a.remix else "--consistency" if a.consistency
                                               else "--distill-clean", e))
    if a.remix:
        remixer = kws_remix.Remixer(a.data, "train", labels_all, rows, a.remix, a.seed, a.mel_band, dither,
                                    a.cmn, a.ceps, offset, a.floor, a.remix_white, a.remix_snr, a.remix_speed)
    xcl = None
    if a.consistency or a.distill_clean:
        xcl = kws_remix.clean_codes(a.data, "train", labels_all, rows, a.mel_band, dither, a.cmn, a.ceps, offset,
                                    a.floor)
    if a.digital_silence:
        # a muted microphone gives exact zeros, which the dataset's silence (noise at -70..-25 dB)
        # never has; after CMN they are a featureless input the model must still call silence
        cache = os.path.dirname(os.path.abspath(a.data))  # where load_feats builds the front end
        z = fe.mfcc_q7(np.zeros(fe.CLIP_SAMPLES, np.int16), cache, a.mel_band, dither, a.floor)
        xz = fe.quantize_input(apply_cvn(fe.model_ceps(z[None], cache, a.cmn, a.ceps), cvn), offset)
        xtr = np.concatenate([xtr, np.repeat(xz, a.digital_silence, 0)])
        ytr = np.concatenate([ytr, np.full(a.digital_silence, CLASSES.index("silence"), ytr.dtype)])
    sets = {n: load_set(a.data, n, offset, a.cmn, a.ceps, a.mel_band, cvn, dither=dither, floor=a.floor)[:2] for n in ("val", "test", "test_snr10", "xsynth", "xsynth_snr10")}
    print("train %d clips, input saturation %.3f %%" % (len(ytr), 100 * np.mean(np.abs(xtr.astype(int)) >= 127)))

    teachers = []
    if a.teachers:
        try:
            teachers = kws_distill.load_teachers(a.teachers,
                                                 input_desc(offset, a.cmn, a.mel_band, cvn, dither, a.floor),
                                                 model_from_state, model_from_export)
        except kws_distill.TeacherError as e:
            sys.exit("kws_train.py: --teacher %s" % e)
        print("distilling from %d teacher(s), weight %g, temperature %g" % (len(teachers), a.distill, a.distill_temp))
    # the teachers' forward passes of the next batch overlap the student's step in this thread (torch
    # releases the GIL in its kernels). Where the student's process limits the epoch and the remix
    # worker's core waits at its end (the quick recipe's last stage, two teachers: epochs of 72-81 s,
    # 66-71 s with the thread), it fills that core. At the lowest priority it takes only the time the
    # student and the worker leave, or the student's own core while the student waits for it: beside
    # another training (the recipe runs two at once) the student then keeps its share
    teacher_thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="teachers",
                                                           initializer=lowest_priority)
    model = LSTMKws(a.hidden, a.ceps, a.pool) if a.model == "lstm" else TDNNKws(a.width, a.ceps)
    model.dropout = a.dropout
    if a.model == "lstm":
        model.bptt, model.noise_per = a.lstm_bptt, a.lstm_noise
    if a.init:
        init_model(model, a.init, input_desc(offset, a.cmn, a.mel_band, cvn, dither, a.floor), a.model)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps = a.epochs * ((len(ytr) + a.batch - 1) // a.batch)
    if steps:  # --epochs 0 exports the --init weights
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.15)
    # class weights: unknown has twice the renders of a keyword; keep the classes balanced
    cw = torch.tensor(len(ytr) / (12 * np.bincount(ytr, minlength=12).clip(1)), dtype=torch.float32)
    cw[11] *= a.unknown_weight  # unknown is the hardest class (hundreds of words); false accepts cost most
    best, best_state, best_ep, ep_run, cut = -1, None, -1, 0, False
    ema = copy.deepcopy(model) if a.ema > 0 else None
    bank = warp_bank(a.warp, a.mel_band) if a.warp > 0 else None
    dct = dct_matrix() if a.freq_mask else None
    # codes are (c - offset) / 2^IN_SHIFT: the warp acts on c, so the offset is added back first
    off_codes = torch.tensor(offset / 2.0 ** fe.IN_SHIFT, dtype=torch.float32)
    n_run = a.stop_epoch or a.epochs  # the epochs this run trains, of the --epochs schedule
    if remixer is not None and n_run > 1:
        remixer.start(1)
    for ep in range(n_run):
        if remixer is not None and ep > 0:  # epoch 0 trains on the stored mixes
            pos, codes = remixer.take()
            xtr[pos] = codes
            if ep + 1 < n_run:
                remixer.start(ep + 1)
        quant = ep >= a.float_epochs
        ramp = max(1, (a.epochs - a.float_epochs) // 3)
        plsb = a.prog_lsb * min(1.0, (ep - a.float_epochs + 1) / ramp) if quant else 0.0
        set_mode(model, quant, a.noise if quant else 0.0, plsb, a.prog_cal, a.adc_lsb if quant else 0.0)
        model.train()
        if ema is not None and ep == a.float_epochs:  # the average covers the quantized epochs only
            ema.load_state_dict(model.state_dict())
        perm = rng.permutation(len(ytr))
        tot, n = 0.0, 0

        def batch(i):
            """Batch i's rows and augmented input, and the teachers' posteriors on it (a future),
            started in the teachers' thread while the student still trains on the batch before:
            only the student draws from torch's generator, and the augmentation draws from `rng`
            in batch order as before, so the values are those of a loop without the thread."""
            idx = perm[i:i + a.batch]
            x = torch.from_numpy(xtr[idx]).float()
            if bank is not None:
                x = warp_codes(x, bank, off_codes, rng)
            if a.time_stretch:
                x = stretch_codes(x, a.time_stretch, rng)
            if a.freq_mask:
                x = freq_mask_codes(x, dct, a.freq_mask, off_codes, rng)
            x = spec_augment(x, rng) / 2 ** K_IN
            tp = None
            if teachers:
                tp = teacher_thread.submit(kws_distill.teacher_probs, teachers,
                                           teacher_input(x, xcl, idx, ytr) if a.distill_clean else x, a.distill_temp)
            return idx, x, tp
        starts = range(0, len(perm), a.batch)
        ahead = batch(starts[0])
        for k in range(len(starts)):
            idx, x, tp = ahead
            if k + 1 < len(starts):
                ahead = batch(starts[k + 1])
            y = torch.from_numpy(ytr[idx])
            out = model(x)
            loss = F.cross_entropy(out, y, weight=cw, label_smoothing=0.05)
            if a.consistency:
                loss = loss + a.consistency * consistency_loss(model, out, xcl, idx, ytr)
            if teachers:
                loss = loss + a.distill * kws_distill.distill_loss(out, tp.result(), a.distill_temp)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            if a.gate_kmin and a.model == "lstm":
                model.gates.clamp_for_k(a.gate_kmin)
            if ema is not None and quant:
                with torch.no_grad():
                    for pe, pm in zip(ema.parameters(), model.parameters()):
                        pe.mul_(a.ema).add_(pm, alpha=1.0 - a.ema)
            tot += float(loss) * len(idx)
            n += len(idx)
        sel = ema if ema is not None and quant else model  # what is evaluated and kept
        vx, vy = sets["val"]
        va = metrics(predict(sel, vx, quant=True).argmax(1), vy)["acc"]
        vp = ""
        if a.prog_lsb > 0:  # select on clean and programmed-array accuracy alike
            vpa = np.mean([metrics(predict(sel, vx, quant=True, seed=s, prog_lsb=a.eval_prog_lsb, bs=64,
                                           prog_cal=a.prog_cal).argmax(1),
                                   vy)["acc"] for s in range(2)])
            vp = " val(prog %.1f LSB) %.3f" % (a.eval_prog_lsb, vpa)
            va = 0.5 * (va + vpa)
        print("epoch %2d %s loss %.3f val(quant) %.3f%s  %.0f s" % (ep, "qat" if quant else "float", tot / n, va, vp,
                                                                time.time() - t0), flush=True)
        if quant and (va >= best or a.select == "last"):
            best, best_state, best_ep = va, {k: v.clone() for k, v in sel.state_dict().items()}, ep
        ep_run = ep + 1
        if a.max_minutes is not None and (time.time() - t0) / 60 > a.max_minutes and ep_run < n_run:
            cut = True
            print("time budget reached: stopped after epoch %d of %d (--max-minutes %g); the learning-rate "
                  "schedule was cut, so this is not the recipe's model" % (ep, a.epochs, a.max_minutes))
            break
    if ep_run == n_run < a.epochs:
        print("stopped after epoch %d of %d (--stop-epoch %d)" % (ep_run - 1, a.epochs, a.stop_epoch))
    if remixer is not None:
        remixer.close()
    teacher_thread.shutdown()
    if best_state is not None:
        model.load_state_dict(best_state)
    train_s = time.time() - t0

    out = a.out or os.path.join("models", "kws-" + a.model + ("-noflite" if a.no_flite else ""))
    fixed = 600 if a.threshold == "auto" else int(round(float(a.threshold) * 1000))
    exp = export(model, a.model, offset, out, a.cmn, a.mel_band, cvn, dither, a.floor, fixed)
    torch.save(model.state_dict(), os.path.join(out, "model.pt"))  # float weights for fine-tuning (not in git)
    if tool:
        make_image(out, tool)
    else:
        print("note: npu_image_tool not built; run --image-only %s --image-tool PATH later" % out)
    results = {"model": a.model, "train_seconds": round(train_s), "epochs": a.epochs, "no_flite": a.no_flite,
               "train_noise": a.noise, "train_prog_lsb": a.prog_lsb, "prog_cal": a.prog_cal, **({"train_adc_lsb": a.adc_lsb} if a.adc_lsb else {}), "data": a.data, "data_sha256": kws_data_digest.cache_digest(a.data), "gate_kmin": a.gate_kmin,
               "cmn": a.cmn, "cvn": a.cvn, **floor_fields(a.floor), "mel_band_hz": list(a.mel_band), "dither": dither, "digital_silence": a.digital_silence, "remix": a.remix, "remix_white": a.remix_white, "remix_snr": list(a.remix_snr) if a.remix_snr else None, **({"remix_speed": list(a.remix_speed)} if a.remix_speed else {}), "consistency": a.consistency, "teacher": [os.path.abspath(d) for d in a.teachers] or None, "distill": a.distill if a.teachers else None, "distill_temp": a.distill_temp if a.teachers else None, "distill_clean": a.distill_clean, "unknown_weight": a.unknown_weight, "warp": a.warp, **({"time_stretch": a.time_stretch} if a.time_stretch else {}), "freq_mask": a.freq_mask, "ema": a.ema, "select": a.select, "pool": a.pool, **({"lstm_bptt": a.lstm_bptt, "lstm_noise": a.lstm_noise} if a.model == "lstm" else {}), "dropout": a.dropout, "ceps": a.ceps, "epochs_run": ep_run, "stop_epoch": a.stop_epoch, "time_budget_cut": cut, "best_epoch": best_ep,
               "lr": a.lr, "batch": a.batch, "seed": a.seed, "init": [os.path.abspath(p) for p in a.init] or None, "train_clips": int(len(ytr)), "kernels": kws_kernels.describe(), "sets": {}}
    print("%-13s %-18s %6s %9s %10s %10s" % ("set", "model", "acc", "kw_rec", "FA_unk", "FA_sil"))
    for name, (x, y) in sets.items():
        rows = {"float-qat": predict(model, x, quant=True).argmax(1)}
        accs = [metrics(predict(model, x, quant=True, noise=a.test_noise, seed=s).argmax(1), y)
                for s in range(3)]
        li = int_infer(exp, x)
        rows["integer"] = li.argmax(1)
        for k, p in rows.items():
            m = metrics(p, y)
            results["sets"].setdefault(name, {})[k] = m
            print("%-13s %-18s %6.3f %9.3f %10.3f %10.3f" % (name, k, m["acc"], m["kw_recall"], m["fa_unknown"],
                                                            m["fa_silence"]))
        mn = {k: float(np.mean([m[k] for m in accs])) for k in ("acc", "kw_recall", "fa_unknown", "fa_silence")}
        sd = float(np.std([m["acc"] for m in accs]))
        results["sets"][name]["noise%.2f" % a.test_noise] = dict(mn, acc_std=sd)
        print("%-13s %-18s %6.3f %9.3f %10.3f %10.3f  (acc std %.3f, 3 seeds)" % (
            name, "w-noise %.0f%%" % (100 * a.test_noise), mn["acc"], mn["kw_recall"], mn["fa_unknown"],
            mn["fa_silence"], sd))
        if a.eval_prog_lsb > 0:
            pm = [metrics(int_infer(with_prog_error(exp, a.eval_prog_lsb, s, a.prog_cal), x).argmax(1), y) for s in range(5)]
            mp_ = {k: float(np.mean([m[k] for m in pm])) for k in ("acc", "kw_recall", "fa_unknown", "fa_silence")}
            sp = float(np.std([m["acc"] for m in pm]))
            results["sets"][name]["integer_prog%.1flsb" % a.eval_prog_lsb] = dict(mp_, acc_std=sp)
            print("%-13s %-18s %6.3f %9.3f %10.3f %10.3f  (acc std %.3f, 5 arrays)" % (
                name, "int prog %.1f LSB%s" % (a.eval_prog_lsb, " cal" if a.prog_cal else ""), mp_["acc"], mp_["kw_recall"], mp_["fa_unknown"],
                mp_["fa_silence"], sp))
        lq = predict(model, x, quant=True)
        agree = float(np.mean(lq.argmax(1) == li.argmax(1)))
        exact = float(np.mean(np.all(np.round(lq * 2 ** K_LOGIT).astype(np.int64) == li, 1)))
        results["sets"][name]["int_vs_torch"] = {"argmax_agree": agree, "logits_exact": exact}
        print("%-13s integer vs torch: argmax agreement %.4f, identical logits %.4f" % (name, agree, exact))
    if a.threshold == "auto" and not cvn:   # a --cvn study has no firmware, so no stream
        best, rows = kws_threshold.choose_and_write(out, a.data, "val", os.path.dirname(os.path.abspath(a.data)))
        results["threshold"] = {"chosen": best[0] / 1000.0, "rule": kws_threshold.RULE % "val",
                                "sweep": kws_threshold.sweep_records(rows)}
        print("detection threshold %.3f (%d misses + wrong labels + false alarms on the val streams)"
              % (best[0] / 1000.0, kws_threshold.errors(best)))
    else:
        results["threshold"] = {"chosen": fixed / 1000.0, "rule": "given (--threshold)" if a.threshold != "auto"
                                else "default (a --cvn study)"}
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print("exported to %s, total %.0f s" % (out, time.time() - t0))


if __name__ == "__main__":
    main()
