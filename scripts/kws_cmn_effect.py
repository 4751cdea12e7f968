#!/usr/bin/python3
"""Effect of the streaming firmware's causal CMN on accuracy, on the host integer model.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/kws_cmn_effect.py models/kws-lstm [--set test]

The models are trained with per-utterance CMN (mean over the whole 1 s clip, future frames
included); the stream build (firmware/apps/kws) can only subtract the causal mean of the frames
seen so far (the last 49). On 1 s clips that is the cumulative mean over frames 0..t, which is
evaluated here beside the training's CMN, with the same integer model (kws_int.int_infer).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_host_ref as ref  # noqa: E402


def causal_cmn(feat):
    """(N, T, C) q7 -> x[t] - mean(x[0..t]) with mfcc_cmn's rounding (the firmware's cmn_causal)."""
    x = feat.astype(np.int64)
    n = np.arange(1, x.shape[1] + 1)[None, :, None]
    a = x * n - np.cumsum(x, 1)
    return np.clip((2 * a + n) // (2 * n), -32768, 32767)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v1-seed1"))
    ap.add_argument("--set", default="test")
    ap.add_argument("--scripts", default=os.environ.get("KWS_SCRIPTS", ref.REPO + "/scripts"))
    a = ap.parse_args()
    sys.path.insert(0, a.scripts)
    import kws_features as fe
    import kws_int as kt
    m = ref.load_model(a.model_dir)
    exp = kt.from_descriptor(m)
    feat = fe.set_mfcc(a.data, a.set, m["mel_band"], m["dither"], m["floor"]).astype(np.int64)  # the model's Mel band
    lab = np.load(os.path.join(a.data, a.set + "_labels.npy"))
    variants = {"utterance CMN (training)": np.stack([ref.cmn(f) for f in feat]),
                "causal CMN (stream firmware)": causal_cmn(feat), "no CMN": feat}
    print("model %s (descriptor CMN flag %d), set %s, %d clips" % (a.model_dir, m["flags"] & ref.FLAG_CMN, a.set, len(lab)))
    for name, f in variants.items():
        s8 = fe.quantize_input(f, m["in_offset"], m["in_shift"])
        pred = np.concatenate([np.argmax(kt.int_infer(exp, s8[i:i + 256]), 1) for i in range(0, len(s8), 256)])
        kw = lab < 10
        print("  %-30s acc %.3f  keyword recall %.3f" % (name, (pred == lab).mean(), (pred[kw] == lab[kw]).mean()))


if __name__ == "__main__":
    main()
