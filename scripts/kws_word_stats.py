#!/usr/bin/python3
"""Acoustic statistics of one word's renders per synthesizer voice, from the dataset cache: a
diagnostic for voice-specific errors (docs/kws.md: slt's "up").

    /usr/bin/python3 scripts/kws_word_stats.py --word up [--data ~/.cache/cimvp-kws/v3-seed1] [--max 40]
    /usr/bin/python3 scripts/kws_word_stats.py --word yes,no,up,down,left,right,on,off,stop,go --sets xsynth,test

For the quiet renders (noise none) of the words (comma-separated) in each set, grouped by engine
and voice (espeak's voices pooled): active speech duration (10 ms frames within 35 dB of the
loudest), spectral centroid of the active part, the share of its energy below 300 Hz (the
fundamental and first harmonic: energy there counts in the SNR but carries little of the word,
so white noise at a given SNR buries such a voice's formants deeper) and the share of the energy
above 2 kHz in the last 60 ms of it (a final plosive's release).
"""
import argparse
import collections
import json
import os

import numpy as np

FRAME = 160  # 10 ms at 16 kHz


def word_stats(x):
    e = np.array([np.mean(x[k:k + FRAME] ** 2) for k in range(0, len(x) - FRAME + 1, FRAME)])
    on = np.nonzero(e > e.max() * 10 ** -3.5)[0]
    seg = x[on[0] * FRAME:(on[-1] + 1) * FRAME]
    sp = np.abs(np.fft.rfft(seg * np.hanning(len(seg)))) ** 2
    f = np.fft.rfftfreq(len(seg), 1 / 16000)
    tail = x[max(on[-1] * FRAME - 5 * FRAME, 0):(on[-1] + 1) * FRAME]
    st = np.abs(np.fft.rfft(tail)) ** 2
    ft = np.fft.rfftfreq(len(tail), 1 / 16000)
    return (len(on) * 10.0, np.sum(f * sp) / np.sum(sp), np.sum(sp[f < 300]) / np.sum(sp),
            np.sum(st[ft > 2000]) / np.sum(st))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--word", required=True)
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--sets", default="train,test")
    ap.add_argument("--max", type=int, default=40, help="renders per group")
    a = ap.parse_args()
    words = set(a.word.split(","))
    print("%-6s %-8s %-16s %5s %9s %13s %7s %9s" % ("set", "engine", "voice", "n", "dur [ms]", "centroid [Hz]",
                                                   "<300Hz", "tail>2k"))
    for name in a.sets.split(","):
        path = os.path.join(a.data, name + "_audio.npy")
        if not os.path.exists(path):
            raise SystemExit("kws_word_stats: no %s (make the dataset with scripts/kws_dataset.py)" % path)
        audio = np.load(path, mmap_mode="r")
        groups = collections.defaultdict(list)
        with open(os.path.join(a.data, name + "_meta.jsonl")) as f:
            for i, line in enumerate(f):
                m = json.loads(line)
                if m.get("word") not in words or m.get("noise") != "none":
                    continue
                key = (m["engine"], m["voice"] if m["engine"] != "espeak" else "(all)")
                if len(groups[key]) < a.max:
                    groups[key].append(word_stats(np.asarray(audio[i], np.float64)))
        for (engine, voice), rows in sorted(groups.items()):
            r = np.mean(rows, 0)
            print("%-6s %-8s %-16s %5d %9.0f %13.0f %7.2f %9.2f" % (name, engine, voice, len(rows), r[0], r[1], r[2],
                                                                r[3]))


if __name__ == "__main__":
    main()
