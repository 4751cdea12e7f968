#!/usr/bin/python3
"""Bundled demo/test clips from the held-out test voices (never used in training).

    /usr/bin/python3 scripts/kws_clips.py [--data ~/.cache/cimvp-kws/v1-seed1] [--out tests/kws/clips]

Writes 16 kHz mono 16-bit WAVs plus a .csv of the truth (label, start_ms, end_ms of the 1 s
window holding the word):
  keywords.wav  six keywords in a row (quiet test clips back to back)
  keywords_snr10.wav  the same clips with white noise at 10 dB (the test_snr10 set)
  none.wav      unknown words and silence only: any DETECT on it is a false alarm
"""
import argparse
import json
import os
import wave

import numpy as np

CLASSES = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "silence", "unknown"]


def write_wav(path, x):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(np.asarray(x, "<i2").tobytes())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v1-seed1"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                  "tests", "kws", "clips"))
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    lab = np.load(os.path.join(a.data, "test_labels.npy"))
    meta = [json.loads(l) for l in open(os.path.join(a.data, "test_meta.jsonl"))]
    # espeak test voices only: the variety the demo should show, one clip per keyword
    pick = [int(rng.choice([i for i in range(len(lab)) if lab[i] == c and meta[i].get("engine") == "espeak"]))
            for c in (0, 4, 8, 9, 5, 7)]  # yes left stop go right off: kept short for the repo
    neg = [int(rng.choice(np.nonzero(lab == c)[0])) for c in (11, 10, 11, 11)]
    for name, src, idx in (("keywords", "test", pick), ("keywords_snr10", "test_snr10", pick),
                           ("none", "test", neg)):
        audio = np.load(os.path.join(a.data, src + "_audio.npy"), mmap_mode="r")
        write_wav(os.path.join(a.out, name + ".wav"), np.concatenate([audio[i] for i in idx]))
        with open(os.path.join(a.out, name + ".csv"), "w") as f:
            f.write("label,start_ms,end_ms,word,voice\n")
            for k, i in enumerate(idx):
                m = meta[i]
                voice = "%s %s%s" % (m.get("engine", ""), m.get("voice", ""),
                                     "+" + m["variant"] if m.get("variant") else "")
                f.write("%s,%d,%d,%s,%s\n" % (CLASSES[lab[i]], 1000 * k, 1000 * (k + 1), m.get("word", ""),
                                            voice.strip()))
        print("%s: %d s" % (name, len(idx)))


if __name__ == "__main__":
    main()
