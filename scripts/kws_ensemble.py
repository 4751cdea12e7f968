#!/usr/bin/python3
"""How good a set of models is together: each model's host integer accuracy and that of their
averaged posteriors (softmax of each integer model's logits, averaged over the models), per set.
What a teacher ensemble for kws_train.py --teacher offers before a student is trained on it.

    /usr/bin/python3 scripts/kws_ensemble.py DIR [DIR ...] [--sets test,test_snr10,val]
        [--data ~/.cache/cimvp-kws/v3-seed1]

The models are read as the firmware reads them (kws_host_ref.load_model, model.kwsd and the
weight .npy files), the clips as kws_engine_errors.py reads them, each model in its own front end.
"""
import argparse
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_host_ref as hr  # noqa: E402
import kws_int  # noqa: E402
from kws_train import load_model_set, metrics  # noqa: E402


def posteriors(m, data, name):
    """(softmax of the integer model's logits (N, 12), labels) of one set."""
    x, lab, _ = load_model_set(m, data, name)
    z = kws_int.int_infer(kws_int.from_descriptor(m), x).astype(np.float64) / 2.0 ** m["logit_frac"]
    p = np.exp(z - z.max(1, keepdims=True))
    return p / p.sum(1, keepdims=True), lab


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dirs", nargs="+")
    ap.add_argument("--sets", default="test,test_snr10,val")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    a = ap.parse_args()
    models = [(d, hr.load_model_or_exit(d, "kws_ensemble", study=True)) for d in a.model_dirs]
    print("%-11s %-40s %6s %7s %7s %7s" % ("set", "model", "acc", "kw_rec", "FA_unk", "FA_sil"))
    for name in a.sets.split(","):
        for s in ("_audio.npy", "_labels.npy", "_meta.jsonl"):
            if not os.path.exists(os.path.join(a.data, name + s)):
                sys.exit("kws_ensemble: no %s (make the dataset with scripts/kws_dataset.py)"
                         % os.path.join(a.data, name + s))
        p_sum, lab0 = 0.0, None
        for d, m in models:
            p, lab = posteriors(m, os.path.abspath(a.data), name)
            if lab0 is not None and not np.array_equal(lab, lab0):
                sys.exit("kws_ensemble: %s: the set's labels changed between models" % name)
            lab0, p_sum = lab, p_sum + p
            show(name, os.path.join(*os.path.normpath(d).split(os.sep)[-2:]), metrics(p.argmax(1), lab))
        show(name, "ensemble of %d" % len(models), metrics(p_sum.argmax(1), lab0))


def show(name, label, r):
    print("%-11s %-40s %6.3f %7.3f %7.3f %7.3f" % (name, label, r["acc"], r["kw_recall"], r["fa_unknown"],
                                                   r["fa_silence"]), flush=True)


if __name__ == "__main__":
    main()
