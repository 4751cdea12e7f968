#!/usr/bin/python3
"""Where a voice's power is, against the Mel band the model sees, and what "10 dB" means there.

    /usr/bin/python3 scripts/kws_band_power.py [--data ~/.cache/cimvp-kws/v3-seed1]
        [--sets train,val,test] [--band 300,4000] [--every 5]

The dataset's SNR is over the whole band (kws_dataset.py: the noise power over the speech-active
samples of the clean, placed word), but the front end reads only its Mel band. For the keyword
clips of each set (every --every-th; train: the clean words of train_clean.npy, val and test: the
quiet clips that have no noise), per engine (flite: per voice): the mean fraction of a clip's power
below, in and above the band (a 16000-point FFT of the clip), and the SNR inside the band that a
nominal 10 dB of white noise gives: 10 + 10 log10(speech fraction in the band / white noise's,
which is the band's share of 0-8 kHz). A voice with much of its power under the band meets the
noise at a lower SNR where the model listens.
"""
import argparse
import json
import os
import sys

import numpy as np

NUM_KEYWORDS = 10   # labels 0..9 (kws_dataset.KEYWORDS)


def band_fractions(x, band, rate=16000):
    """(below, in, above) fractions of the power of int16 clip x."""
    p = np.abs(np.fft.rfft(np.asarray(x, np.float64))) ** 2
    f = np.fft.rfftfreq(len(x), 1.0 / rate)
    tot = p.sum()
    if tot <= 0:
        return None
    return p[f < band[0]].sum() / tot, p[(f >= band[0]) & (f <= band[1])].sum() / tot, p[f > band[1]].sum() / tot


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--sets", default="train,val,test")
    ap.add_argument("--band", default="300,4000", help="the model's Mel band [Hz]")
    ap.add_argument("--every", type=int, default=5, help="every N-th keyword clip")
    a = ap.parse_args()
    try:
        band = tuple(float(v) for v in a.band.split(","))
        assert len(band) == 2 and 0 <= band[0] < band[1] <= 8000
    except (ValueError, AssertionError):
        ap.error("--band %s: want LO,HI in Hz, 0 <= LO < HI <= 8000" % a.band)
    if a.every < 1:
        ap.error("--every %d: must be >= 1" % a.every)
    white_in = (band[1] - band[0]) / 8000.0
    print("band %g-%g Hz; white noise has %.3f of its power there" % (band[0], band[1], white_in))
    print("%-6s %-8s %5s %8s %8s %8s %14s" % ("set", "voice", "n", "below", "in", "above", "SNR in band @10"))
    for name in a.sets.split(","):
        src = "train_clean.npy" if name == "train" else name + "_audio.npy"
        paths = [os.path.join(a.data, f) for f in (src, name + "_labels.npy", name + "_meta.jsonl")]
        for p in paths:
            if not os.path.exists(p):
                sys.exit("kws_band_power: no %s (make the dataset with scripts/kws_dataset.py)" % p)
        audio = np.load(paths[0], mmap_mode="r")
        lab = np.load(paths[1])
        with open(paths[2]) as f:
            meta = [json.loads(line) for line in f]
        if not len(audio) == len(lab) == len(meta):
            sys.exit("kws_band_power: %s: %d clips, %d labels, %d meta lines" % (name, len(audio), len(lab), len(meta)))
        groups = {}
        kw = [i for i in range(len(lab)) if lab[i] < NUM_KEYWORDS
              and (name == "train" or meta[i].get("noise") in (None, "none"))]
        for i in kw[::a.every]:
            fr = band_fractions(audio[i], band)
            if fr is not None:
                m = meta[i]
                groups.setdefault(m["voice"] if m["engine"] == "flite" else m["engine"], []).append(fr)
        for g in sorted(groups):
            v = np.array(groups[g])
            below, inb, above = v.mean(0)
            print("%-6s %-8s %5d %8.3f %8.3f %8.3f %11.1f dB" % (name, g, len(v), below, inb, above,
                                                                 10 + 10 * np.log10(inb / white_in)))


if __name__ == "__main__":
    main()
