#!/usr/bin/python3
"""Host integer reference of the board's clip classification (kws_<model>_clip.elf).

    /usr/bin/python3 scripts/kws_host_ref.py models/kws-lstm CLIP.wav... [--cache DIR] [--scripts DIR]

Reads the model as the firmware does (model.kwsd: shifts, biases, context, tanh table, input
offset, CMN flag) plus the int8 .npy weights, computes the first second's MFCC with the
firmware's own fixed-point front-end (kws_features: fbank_math.c / mfcc_math.c through ctypes),
applies per-utterance CMN when the descriptor asks for it (mfcc_cmn's rounding, re-derived here
in numpy), quantizes to input codes and runs kws_int.int_infer (integer-only numpy). Prints
    LOGITS l0 .. l11
    RESULT <label> <score>
in the firmware's format (preceded by `CLIP <path>` when several clips are given); with the
ideal NPU preset the board must print the same LOGITS.
"""
import argparse
import os
import struct
import sys
import wave

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASSES = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "silence", "unknown"]


KWSD_VERSION = 3   # the version the firmware reads and kws_train writes (2: the Mel band at bytes
                   # 24-27; 3: the detection threshold at bytes 28-29, reserved 30-31)
KWSD_HEADER = 32   # bytes before in_offset_q7


# descriptor flags (byte 21): window CMN; CVN (kws_train.py --cvn, a host-only study); the Fbank's
# dither at level 1 (kws_train.py --dither); the LSTM's FC on h averaged / max over the window's
# steps instead of the last step's (kws_train.py --pool mean|max); the window's log floor
# (kws_train.py --log-floor, mfcc_log_floor with the int16 rel_q7 at bytes 22-23) or its
# noise-following floor (kws_train.py --noise-floor, mfcc_noise_floor, the same rel_q7 field)
FLAG_CMN, FLAG_CVN, FLAG_DITHER, FLAG_POOL_MEAN, FLAG_POOL_MAX, FLAG_LOG_FLOOR = 1, 2, 4, 8, 16, 32
FLAG_NOISE_FLOOR = 64
POOL_FLAGS = {"last": 0, "mean": FLAG_POOL_MEAN, "max": FLAG_POOL_MAX}
FLOOR_FLAGS = {1: FLAG_LOG_FLOOR, 2: FLAG_NOISE_FLOOR}   # kws_features.FLOOR_MEAN, FLOOR_NOISE
FIRMWARE_FLAGS = (FLAG_CMN | FLAG_DITHER | FLAG_POOL_MEAN | FLAG_POOL_MAX | FLAG_LOG_FLOOR
                  | FLAG_NOISE_FLOOR)   # what the firmware computes
STUDY_FLAGS = FLAG_CVN   # host-only studies (kws_engine_errors)


def read_kwsd(path, study=False):
    """The descriptor as the firmware reads it. A model of a host-only training study (flags bit 1,
    --cvn) is refused like the firmware refuses it, unless study (kws_engine_errors)."""
    b = open(path, "rb").read()
    if b[:4] != b"KWSD" or len(b) < KWSD_HEADER:
        raise ValueError("%s: not a KWSD descriptor" % path)
    ver, typ, nl, ncep, nfr, in_shift, in_frac, ncls, hidden = struct.unpack_from("<HBBHHBBBB", b, 4)
    if ver != KWSD_VERSION:
        raise ValueError("%s: descriptor version %d, this script reads version %d (%s)" % (
            path, ver, KWSD_VERSION, "scripts/kws_threshold.py MODEL_DIR --write upgrades a version 2" if ver == 2
            else "re-export the model with scripts/kws_train.py"))
    act_frac, logit_frac, relu_frac, c_frac, tanh_c_frac, flags = struct.unpack_from("<BBBBBB", b, 16)
    if flags & ~FIRMWARE_FLAGS and not (study and flags & ~(FIRMWARE_FLAGS | STUDY_FLAGS) == 0):
        raise ValueError("%s: flags 0x%02x: input features the firmware does not compute (bit 1: "
                         "kws_train.py --cvn, a host-only study)" % (path, flags))
    if flags & FLAG_POOL_MEAN and flags & FLAG_POOL_MAX:
        raise ValueError("%s: flags 0x%02x: both the mean and the max pool of h" % (path, flags))
    if flags & (FLAG_POOL_MEAN | FLAG_POOL_MAX) and typ != 1:
        raise ValueError("%s: flags 0x%02x: a pool of h on a model that is not an LSTM" % (path, flags))
    if flags & FLAG_LOG_FLOOR and flags & FLAG_NOISE_FLOOR:
        raise ValueError("%s: flags 0x%02x: both the log floor and the noise floor" % (path, flags))
    kind = next((k for k, f in FLOOR_FLAGS.items() if flags & f), None)
    floor = (kind, struct.unpack_from("<h", b, 22)[0]) if kind else None
    mel_band = struct.unpack_from("<HH", b, 24)
    threshold, reserved = struct.unpack_from("<HH", b, 28)
    if not 1 <= threshold <= 999 or reserved:
        raise ValueError("%s: detection threshold %d permille (1..999), reserved bytes 30-31 %d (0)"
                         % (path, threshold, reserved))
    off = KWSD_HEADER
    in_offset = np.frombuffer(b, "<i2", ncep, off).astype(np.int64)
    off += 2 * ncep
    layers = []
    for _ in range(nl):
        rows, cols, row_off, col_off, shift, act, afrac, ctx, dil = struct.unpack_from("<HHHHBBBBB", b, off)
        off += 16
        bias = np.frombuffer(b, "<i4", cols, off).astype(np.int64)
        off += 4 * cols
        layers.append(dict(rows=rows, cols=cols, col_off=col_off, shift=shift, act=act, ctx=ctx, dil=dil, b=bias))
    lut = np.frombuffer(b, np.int8, 512, off) if typ == 1 else None
    pool = next((k for k, f in POOL_FLAGS.items() if flags & f), "last")
    return dict(version=ver, type="lstm" if typ == 1 else "tdnn", hidden=hidden, in_shift=in_shift, flags=flags, pool=pool,
                mel_band=mel_band, threshold=threshold, dither=1 if flags & FLAG_DITHER else 0, floor=floor,
                num_frames=nfr, logit_frac=logit_frac, in_offset=in_offset, layers=layers, tanh_lut=lut)


def cmn(feat):
    """mfcc_cmn: x <- sat16(round_half_up((x n - sum) / n)) per coefficient, over the frames
    (axis -2: one window (frames, ceps) or a batch of them)."""
    n = feat.shape[-2]
    x = feat.astype(np.int64)
    a = x * n - x.sum(-2, keepdims=True)
    return np.clip((2 * a + n) // (2 * n), -32768, 32767)


def load_model(model_dir, study=False):
    """model.kwsd as the firmware reads it, each layer with its int8 weights ("w", from the .npy
    files model.json names) and model.json's activation fractions (study: read_kwsd's, plus the
    --cvn constants as m["cvn"])."""
    import json
    m = read_kwsd(os.path.join(model_dir, "model.kwsd"), study)
    with open(os.path.join(model_dir, "model.json")) as f:
        desc = json.load(f)
    for L, d in zip(m["layers"], desc["layers"]):
        L["w"] = np.load(os.path.join(model_dir, d["name"] + ".npy"))
        assert L["w"].shape == (L["rows"], L["cols"]), (d["name"], L["w"].shape)
    m["relu_frac"] = desc.get("relu_frac", 4)
    m["act_frac"] = desc.get("act_frac", 5)
    m["in_frac"] = desc.get("in_frac", 5)
    cvn = desc.get("cvn")
    m["cvn"] = (np.array(cvn["target_q7"]), np.array(cvn["floor_q7"])) if cvn else None
    return m


def load_model_or_exit(model_dir, prog, study=False):
    """load_model, or exit 1 naming the file a model directory lacks (the scripts' bad input)."""
    for f in ("model.kwsd", "model.json"):
        if not os.path.exists(os.path.join(model_dir, f)):
            sys.exit("%s: %s has no %s (a model directory of scripts/kws_train.py)" % (prog, model_dir, f))
    try:
        return load_model(model_dir, study)
    except ValueError as e:
        sys.exit("%s: %s" % (prog, e))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("wav", nargs="+")
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/cimvp-kws"), help="front-end .so cache")
    ap.add_argument("--scripts", default=os.environ.get("KWS_SCRIPTS", os.path.join(REPO, "scripts")),
                    help="where kws_features/kws_int are (or $KWS_SCRIPTS)")
    a = ap.parse_args()
    sys.path.insert(0, a.scripts)
    import kws_features as fe
    import kws_int

    m = load_model_or_exit(a.model_dir, "kws_host_ref")
    exp = None
    for path in a.wav:
        if len(a.wav) > 1:
            print("CLIP " + path)
        with wave.open(path) as w:
            assert w.getframerate() == 16000 and w.getnchannels() == 1 and w.getsampwidth() == 2
            x = np.frombuffer(w.readframes(w.getnframes()), "<i2")
        feat = fe.mfcc_q7(x[:16000], a.cache, m["mel_band"], m["dither"], m["floor"])[: m["num_frames"]].astype(np.int64)
        if len(feat) < m["num_frames"]:
            sys.exit("clip shorter than one window")
        if m["flags"] & FLAG_CMN:
            feat = cmn(feat)
        s8 = fe.quantize_input(feat, m["in_offset"], m["in_shift"])
        exp = exp or kws_int.from_descriptor(m)
        logits = kws_int.int_infer(exp, s8[None])[0].astype(np.int64)
        p = np.exp((logits - logits.max()) / 2.0 ** m["logit_frac"])
        p /= p.sum()
        top = int(np.argmax(logits))
        print("LOGITS " + " ".join(str(int(v)) for v in logits))
        print("RESULT %s %.3f" % (CLASSES[top], p[top]))


if __name__ == "__main__":
    main()
