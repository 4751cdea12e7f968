#!/usr/bin/python3
"""How far a clip's features move when white noise is added, with and without a floor.

    /usr/bin/python3 scripts/kws_floor_mismatch.py [--data ~/.cache/cimvp-kws/v3-seed1]
        [--mel-band 300,4000] [--dither] [--floors=-12,-15,-18] [--noise-floors=0,5]

test and test_snr10 of the dataset are the same renders, quiet and at 10 dB white noise. For the
keyword clips of both, the firmware's front end (kws_features, bit-exact) with each log floor
(kws_train.py --log-floor, dB; "none" first) and each noise floor (--noise-floor, dB), then the
window CMN; printed: the RMS of the
difference between a clip's quiet and noisy cepstra relative to the RMS of the quiet cepstra
(the smaller, the more alike the model sees the two conditions), and how much of a noisy clip's
features is the noise's chance: the RMS difference between two noise realisations of one clip
(the test_snr10 noise, and the same noise circularly shifted by 7919 samples: white, so
independent samples at the same SNR) relative to the RMS difference between two different noisy
clips (a fixed shuffle). Features are computed from the audio (nothing cached), ~15 s per floor
for the 1000 keyword clips.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_features as fe  # noqa: E402
from kws_dataset import KEYWORDS  # noqa: E402  (labels 0..9)


def rms(x):
    return float(np.sqrt((x ** 2).mean()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--mel-band", default="300,4000")
    ap.add_argument("--dither", action="store_true", help="the Fbank's dither (the committed models use it)")
    ap.add_argument("--floors", default="-12,-15,-18", help="log floors to compare [dB]")
    ap.add_argument("--noise-floors", default="", help="noise floors to compare [dB]")
    a = ap.parse_args()
    band = tuple(int(f) for f in a.mel_band.split(","))
    floors = ([(None, "none")] + [((fe.FLOOR_MEAN, float(f)), "log floor") for f in a.floors.split(",") if f]
              + [((fe.FLOOR_NOISE, float(f)), "noise floor") for f in a.noise_floors.split(",") if f])
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
    noise = audio["test_snr10"].astype(np.int32) - audio["test"]
    audio["other noise"] = np.clip(audio["test"] + np.roll(noise, 7919, axis=1), -32768, 32767).astype(np.int16)
    shuffle = np.random.RandomState(0).permutation(len(noise))
    print("%d keyword clips, Mel band %d-%d Hz, dither %d" % (len(audio["test"]), band[0], band[1], int(a.dither)))
    for f, name in floors:
        spec = None if f is None else (f[0], fe.log_floor_rel_q7(f[1]))
        q, n, n2 = (fe.cmn(fe.mfcc_batch(audio[s], cache, band, int(a.dither), spec), cache).astype(np.float64)
                    for s in ("test", "test_snr10", "other noise"))
        print("%-11s %-8s quiet vs 10 dB: %.3f of the quiet cepstra's RMS; noise vs noise: %.3f of clip vs clip"
              % (name, "" if f is None else "%g dB" % f[1], rms(q - n) / rms(q), rms(n - n2) / rms(n - n[shuffle])))


if __name__ == "__main__":
    main()
