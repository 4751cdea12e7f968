#!/usr/bin/python3
"""Where a model's errors are, per synthesizer engine: the host integer model on whole dataset
sets, split by the `engine` field of the set's meta (espeak, flite, '-' for silence).

    /usr/bin/python3 scripts/kws_engine_errors.py models/kws-tdnn [--sets test,test_snr10]
        [--data ~/.cache/cimvp-kws/v3-seed1]

Per set and engine: clips, accuracy, keyword recall, false accepts of unknown words (unknown
taken as a keyword), keywords taken as unknown or silence, keywords taken as another keyword.
The model is read as the firmware reads it (kws_host_ref.load_model); the features are the
cached front-end output, with the firmware's own mfcc_cmn when the descriptor asks for it.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_features as fe  # noqa: E402
import kws_host_ref as hr  # noqa: E402
import kws_int  # noqa: E402

NK = 10          # classes 0..9 are keywords
UNKNOWN = 11


def engine_rows(pred, lab, engines):
    """One dict per engine (sorted): n, acc, kw_recall, fa_unknown, kw_rejected, kw_confused."""
    rows = []
    for e in sorted(set(engines)):
        k = engines == e
        kw, un = k & (lab < NK), k & (lab == UNKNOWN)
        rows.append({"engine": e, "n": int(k.sum()), "acc": float(np.mean(pred[k] == lab[k])),
                     "kw_recall": float(np.mean(pred[kw] == lab[kw])) if kw.any() else float("nan"),
                     "fa_unknown": float(np.mean(pred[un] < NK)) if un.any() else float("nan"),
                     "kw_rejected": int(np.sum(kw & (pred >= NK))),
                     "kw_confused": int(np.sum(kw & (pred < NK) & (pred != lab)))})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("--sets", default="test,test_snr10")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    a = ap.parse_args()
    for f in ("model.kwsd", "model.json"):
        if not os.path.exists(os.path.join(a.model_dir, f)):
            sys.exit("kws_engine_errors: %s has no %s (a model directory of scripts/kws_train.py)" % (a.model_dir, f))
    m = hr.load_model(a.model_dir)
    exp = kws_int.from_descriptor(m)
    print("%-13s %-7s %5s %6s %9s %7s %11s %11s" % ("set", "engine", "n", "acc", "kw_rec", "FA_unk",
                                                 "kw->unk/sil", "kw->oth.kw"))
    for name in a.sets.split(","):
        paths = [os.path.join(a.data, name + s) for s in ("_mfcc.npy", "_labels.npy", "_meta.jsonl")]
        for p in paths:
            if not os.path.exists(p):
                sys.exit("kws_engine_errors: no %s (make the dataset with scripts/kws_dataset.py)" % p)
        feat = np.load(paths[0])
        if m["flags"] & 1:
            feat = fe.cmn(feat, os.path.dirname(os.path.abspath(a.data)))
        x = fe.quantize_input(feat[..., :len(m["in_offset"])], m["in_offset"])
        lab = np.load(paths[1]).astype(np.int64)
        with open(paths[2]) as f:
            engines = np.array([json.loads(line).get("engine", "-") for line in f])
        if not len(lab) == len(engines) == len(x):
            sys.exit("kws_engine_errors: %s: %d feature rows, %d labels, %d meta lines" % (name, len(x), len(lab), len(engines)))
        pred = kws_int.int_infer(exp, x).argmax(1)
        for r in engine_rows(pred, lab, engines):
            print("%-13s %-7s %5d %6.3f %9.3f %7.3f %11d %11d" % (name, r["engine"], r["n"], r["acc"], r["kw_recall"],
                                                               r["fa_unknown"], r["kw_rejected"], r["kw_confused"]))
        print("%-13s %-7s %5d %6.3f" % (name, "all", len(lab), float(np.mean(pred == lab))))


if __name__ == "__main__":
    main()
