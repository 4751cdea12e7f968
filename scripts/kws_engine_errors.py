#!/usr/bin/python3
"""Where a model's errors are, per synthesizer engine: the host integer model on whole dataset
sets, split by the `engine` field of the set's meta (espeak, flite, festival, '-' for silence),
or with --by voice by the `voice` field (flite/festival voice names, espeak accents), --by word
by the word spoken, --by heard by whether the clip's voice (engine, voice, variant) speaks in the
train set ("heard": an espeak accent's own voice, no variant, is in train and in test; a
"held-out" line then scores the set without those clips, the issue's held-out voices), or several
at once (--by voice+word).

    /usr/bin/python3 scripts/kws_engine_errors.py models/kws-tdnn [--sets test,test_snr10]
        [--data ~/.cache/cimvp-kws/v3-seed1] [--by engine|voice|word|heard|voice+word] [--confusion]

Per set and engine (or voice): clips, accuracy, keyword recall, false accepts of unknown words (unknown
taken as a keyword), keywords taken as unknown or silence, keywords taken as another keyword;
with --confusion, each group's confusion matrix.
The model is read as the firmware reads it (kws_host_ref.load_model); the clips as training reads
them (kws_train.load_set: the cached front-end output in the model's Mel band, the firmware's own mfcc_cmn when the
descriptor asks for it, the input codes).
"""
import argparse
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_eval  # noqa: E402  (its confusion matrix)
import kws_host_ref as hr  # noqa: E402
import kws_int  # noqa: E402
from kws_train import NK, load_model_set, metrics  # noqa: E402  (the training's own data path and metrics)


def group_rows(pred, lab, groups):
    """One dict per engine or voice (sorted): kws_train.metrics plus kw_rejected, kw_confused."""
    rows = []
    for e in sorted(set(groups)):
        k = groups == e
        kw = k & (lab < NK)
        rows.append(dict(metrics(pred[k], lab[k]), group=e, kw_rejected=int(np.sum(kw & (pred >= NK))),
                         kw_confused=int(np.sum(kw & (pred < NK) & (pred != lab)))))
    return rows


def field(mm, f, heard):
    if f == "heard":
        return "-" if mm.get("engine") is None else "unheard" if kws_eval.is_held_out(mm, heard) else "heard"
    return mm.get(f, "-") or "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("--sets", default="test,test_snr10")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--by", default="engine",
                    help="group the clips by this meta field (engine, voice, word), by heard (the voice "
                    "speaks in train) or by several joined by + (voice+word)")
    ap.add_argument("--confusion", action="store_true",
                    help="also print each group's confusion matrix (rows: the word spoken, columns: the class taken)")
    a = ap.parse_args()
    by = a.by.split("+")
    if not by or any(f not in ("engine", "voice", "word", "heard") for f in by):
        ap.error("--by %s: want engine, voice, word or heard, or several joined by +" % a.by)
    heard = kws_eval.train_voices(a.data) if "heard" in by else set()
    m = hr.load_model_or_exit(a.model_dir, "kws_engine_errors", study=True)  # also --cvn models
    exp = kws_int.from_descriptor(m)
    print("%-13s %-14s %5s %6s %9s %7s %11s %11s" % ("set", a.by, "n", "acc", "kw_rec", "FA_unk",
                                                 "kw->unk/sil", "kw->oth.kw"))
    for name in a.sets.split(","):
        paths = [os.path.join(a.data, name + s) for s in ("_audio.npy", "_labels.npy", "_meta.jsonl")]
        for p in paths:
            if not os.path.exists(p):
                sys.exit("kws_engine_errors: no %s (make the dataset with scripts/kws_dataset.py)" % p)
        x, lab, meta = load_model_set(m, os.path.abspath(a.data), name)
        groups = np.array(["/".join(field(mm, f, heard) for f in by) for mm in meta])
        if not len(lab) == len(groups) == len(x):
            sys.exit("kws_engine_errors: %s: %d feature rows, %d labels, %d meta lines" % (name, len(x), len(lab), len(groups)))
        pred = kws_int.int_infer(exp, x).argmax(1)
        # every group, then the whole set (its FA_unk: the share of all its unknown clips taken for a keyword)
        for r in group_rows(pred, lab, groups) + group_rows(pred, lab, np.full(len(lab), "all")):
            print("%-13s %-14s %5d %6.3f %9.3f %7.3f %11d %11d" % (name, r["group"], r["n"], r["acc"], r["kw_recall"],
                                                               r["fa_unknown"], r["kw_rejected"], r["kw_confused"]))
        if heard:  # the held-out voices: every clip but the heard ones (silence stays)
            held = np.array([kws_eval.is_held_out(mm, heard) for mm in meta])
            print("%-13s %-14s %5d %7.4f" % (name, "held-out", int(held.sum()), float(np.mean(pred[held] == lab[held]))))
        if a.confusion:
            for g in sorted(set(groups)):
                print_confusion("%s %s" % (name, g), kws_eval.confusion(pred[groups == g], lab[groups == g]))


def print_confusion(title, cm):
    """Rows the true class (only those with clips), columns the predicted one."""
    names = [c[:5] for c in kws_eval.CLASSES]
    print("confusion %s (rows: true class, columns: taken as)" % title)
    print("%-8s" % "" + "".join("%6s" % c for c in names))
    for i, row in enumerate(cm):
        if row.sum():
            print("%-8s" % names[i] + "".join("%6d" % v for v in row))


if __name__ == "__main__":
    main()
