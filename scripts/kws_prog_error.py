#!/usr/bin/python3
"""Host-side robustness of the exported KWS integer models to the array's programming error,
with and without the firmware's start-up offset calibration (firmware/apps/kws/main.c).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/kws_prog_error.py --model lstm,tdnn \
        --sets test,test_snr10 [--lsb 1,2] [--arrays 3] [--max-clips 0]   (--model DIR,...: trained elsewhere)

Each array: every int8 weight + N(0, lsb^2), static (kws_int.with_prog_error); calibrated: each
offset-binary column's 128 sum E removed as the firmware's calibration does. With --adc-lsb Q
every column value is also rounded to the ADC's step (kws_int.with_adc). Read noise and column
clipping are not modelled (the board evaluation, scripts/kws_eval.py, has them). Prints
accuracy, mean +- std over the arrays, and beside it the agreement of the argmax with the exact
integer model and the RMS difference of the int8 logits from it (means over the arrays), as
kws_eval.py prints them for the board ("board=integer", "logit rms")."""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_eval as ev  # noqa: E402
import kws_host_ref as hr  # noqa: E402
from kws_int import from_descriptor, int_infer, with_adc, with_prog_error  # noqa: E402


def score(zs, ref, lab):
    """The logits zs of some arrays: accuracy mean +- std, then (argmax agreement with the exact
    integer model's logits ref, logit rms from ref), both means over the arrays."""
    acc = [np.mean(z.argmax(1) == lab) for z in zs]
    return "%.3f +- %.3f (%.3f, %.2f)" % (np.mean(acc), np.std(acc),
                                          np.mean([np.mean(z.argmax(1) == ref.argmax(1)) for z in zs]),
                                          np.mean([ev.logit_rms(z, ref) for z in zs]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="lstm,tdnn", help="committed models (lstm, tdnn) or model directories")
    ap.add_argument("--sets", default="test,test_snr10")
    ap.add_argument("--lsb", default="1,2", help="programming error std values [int8 LSB]")
    ap.add_argument("--arrays", type=int, default=3, help="programmed arrays (seeds 0..N-1)")
    ap.add_argument("--max-clips", type=int, default=0, help="balanced subset per set (0: all)")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v1-seed1"))
    ap.add_argument("--adc-lsb", type=float, default=0.0,
                    help="the column ADC's step in MAC units of one weight copy on every layer (0: none; "
                         "configs/kws-lstm.yaml: 636.25, kws_train.adc_lsb_of): the integer column then has "
                         "the ADC alone, the others the ADC after the programming error")
    ap.add_argument("--fe-cache", default=os.path.expanduser("~/.cache/cimvp-kws"))
    a = ap.parse_args()
    if not (np.isfinite(a.adc_lsb) and a.adc_lsb >= 0.0):
        ap.error("--adc-lsb %g: want a step >= 0 in MAC units (0: no ADC)" % a.adc_lsb)
    lsbs = [float(v) for v in a.lsb.split(",")]
    col = "acc +- std (=int, rms)"
    head = "%-5s %-11s %5s %-26s" % ("model", "set", "clips", "integer" + (" with the ADC" if a.adc_lsb else ""))
    for lsb in lsbs:
        head += " | %-32s %-32s" % ("%g LSB: %s" % (lsb, col), "%g LSB calib." % lsb)
    print(head)
    for mname in a.model.split(","):
        d = mname if os.sep in mname else os.path.join(ev.REPO, "models", "kws-" + mname)
        m = hr.load_model_or_exit(d, "kws_prog_error")
        exp = from_descriptor(m)
        adc = lambda e: with_adc(e, a.adc_lsb)   # noqa: E731 (step 0: the exact layer)
        for sname in a.sets.split(","):
            audio, lab = ev.load_dataset_set(a.data, sname, a.max_clips)[:2]
            s8, _ = ev.features(audio, m, a.fe_cache)
            ref = int_infer(exp, s8)   # the exact integer model: what the ideal board computes
            line = "%-5s %-11s %5d %-26s" % (mname, sname, len(lab), score([int_infer(adc(exp), s8)], ref, lab))
            for lsb in lsbs:
                for cal in (False, True):
                    line += " | %-32s" % score([int_infer(adc(with_prog_error(exp, lsb, s, cal)), s8)
                                                for s in range(a.arrays)], ref, lab)
            print(line, flush=True)


if __name__ == "__main__":
    main()
