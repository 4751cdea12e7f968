#!/usr/bin/python3
"""How far a clip's features move when white noise is added, with and without the log floor.

    /usr/bin/python3 scripts/kws_floor_mismatch.py [--data ~/.cache/cimvp-kws/v3-seed1]
        [--mel-band 300,4000] [--dither] [--floors=-12,-15,-18]

test and test_snr10 of the dataset are the same renders, quiet and at 10 dB white noise. For the
keyword clips of both, the firmware's front end (kws_features, bit-exact) with each log floor
(kws_train.py --log-floor, dB; "none" first), then the window CMN; printed: the RMS of the
difference between a clip's quiet and noisy cepstra relative to the RMS of the quiet cepstra.
The smaller it is, the more alike the model sees the two conditions. Features are computed from
the audio (nothing cached), ~10 s per floor for the 2400 clips.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_features as fe  # noqa: E402
from kws_dataset import KEYWORDS  # noqa: E402  (labels 0..9)


def mismatch(quiet, noisy):
    return float(np.sqrt(((quiet - noisy) ** 2).mean()) / np.sqrt((quiet ** 2).mean()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--mel-band", default="300,4000")
    ap.add_argument("--dither", action="store_true", help="the Fbank's dither (the committed models use it)")
    ap.add_argument("--floors", default="-12,-15,-18", help="log floors to compare [dB]")
    a = ap.parse_args()
    band = tuple(int(f) for f in a.mel_band.split(","))
    floors = [None] + [float(f) for f in a.floors.split(",") if f]
    cache = os.path.dirname(os.path.abspath(a.data))
    audio = {}
    for name in ("test", "test_snr10"):
        path = os.path.join(a.data, name + "_audio.npy")
        if not os.path.exists(path):
            sys.exit("kws_floor_mismatch: no %s (make the dataset with scripts/kws_dataset.py)" % path)
        lab = np.load(os.path.join(a.data, name + "_labels.npy"))
        audio[name] = np.load(path, mmap_mode="r")[np.flatnonzero(lab < len(KEYWORDS))]
    if audio["test"].shape != audio["test_snr10"].shape:
        sys.exit("kws_floor_mismatch: test and test_snr10 have different keyword clips")
    print("%d keyword clips, Mel band %d-%d Hz, dither %d" % (len(audio["test"]), band[0], band[1], int(a.dither)))
    for db in floors:
        rel = None if db is None else fe.log_floor_rel_q7(db)
        q, n = (fe.cmn(fe.mfcc_batch(audio[s], cache, band, int(a.dither), rel), cache).astype(np.float64)
                for s in ("test", "test_snr10"))
        print("log floor %-8s quiet vs 10 dB: %.3f of the quiet cepstra's RMS"
              % ("none" if db is None else "%g dB" % db, mismatch(q, n)))


if __name__ == "__main__":
    main()
