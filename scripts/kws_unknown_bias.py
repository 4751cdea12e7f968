#!/usr/bin/python3
"""Operating points of the exported KWS integer models: accuracy, keyword recall and false
accepts of unknown words when a constant is added to the unknown class's logit (what raising
that class's FC bias by the same number of logit codes would do on the board).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/kws_unknown_bias.py --model lstm,tdnn \
        [--sets val,test,test_snr10] [--offsets 0,4,8,12,16,24,32] [--data ~/.cache/cimvp-kws/v3-seed1]

Offsets are in logit codes (int8, 2^-3 each, kws_train.K_LOGIT). val (held-out voices, like
test) is where an operating point would be chosen."""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_eval as ev  # noqa: E402
import kws_host_ref as hr  # noqa: E402
from kws_int import from_descriptor, int_infer  # noqa: E402

UNKNOWN, NK = 11, 10


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="lstm,tdnn")
    ap.add_argument("--sets", default="val,test,test_snr10")
    ap.add_argument("--offsets", default="0,4,8,12,16,24,32")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--fe-cache", default=os.path.expanduser("~/.cache/cimvp-kws"))
    a = ap.parse_args()
    offsets = [int(v) for v in a.offsets.split(",")]
    print("%-5s %-11s %6s | %s" % ("model", "set", "clips",
                                   " | ".join("+%-2d acc / kw / FAunk" % d for d in offsets)))
    for mname in a.model.split(","):
        m = hr.load_model(os.path.join(ev.REPO, "models", "kws-" + mname))
        exp = from_descriptor(m)
        for sname in a.sets.split(","):
            audio, lab = ev.load_dataset_set(a.data, sname, 0)[:2]
            s8, _ = ev.features(audio, m, a.fe_cache)
            logits = int_infer(exp, s8)
            cells = []
            for d in offsets:
                lg = logits.copy()
                lg[:, UNKNOWN] += d
                p = lg.argmax(1)
                kw = lab < NK
                cells.append("%.3f %.3f %.2f" % (np.mean(p == lab), np.mean(p[kw] == lab[kw]),
                                                 np.mean(p[lab == UNKNOWN] < NK)))
            print("%-5s %-11s %6d | %s" % (mname, sname, len(lab), " | ".join("%-20s" % c for c in cells)), flush=True)


if __name__ == "__main__":
    main()
