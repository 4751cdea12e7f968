#!/usr/bin/python3
"""How an exported KWS model hears one voice's quiet clips played slower, faster or higher: a
diagnostic for voices that speak faster than the training's words (docs/kws.md, forty-seventh session).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/kws_tempo_probe.py --model models/kws-tdnn \
        --set xfest --voice ked_diphone [--effects "tempo -s 0.8;tempo -s 0.65;pitch 300"] \
        [--data ~/.cache/cimvp-kws/v3-seed1]

Each clip of the voice goes through sox with each effect (none first: the clips as rendered), is cut
back to the 1 s around its energy peak, and is classified by the host integer model
(kws_eval.features and host_int: the model's own front end, CMN and input codes). Prints the accuracy
per effect."""
import argparse
import json
import os
import shlex
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_eval as ev  # noqa: E402
import kws_features as fe  # noqa: E402
import kws_host_ref as hr  # noqa: E402


def through_sox(x, effect):
    """int16 clip x through sox `effect` (a list of words), back to 1 s around its energy peak."""
    raw = subprocess.run(["sox", "-D", "-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", "-",
                          "-t", "raw", "-"] + effect, input=x.astype("<i2").tobytes(), capture_output=True,
                         check=True).stdout
    y = np.frombuffer(raw, "<i2")
    peak = int(np.argmax(np.convolve(y.astype(np.float64) ** 2, np.ones(1600), "same")))
    lo = min(max(0, peak - fe.CLIP_SAMPLES // 2), max(0, len(y) - fe.CLIP_SAMPLES))
    out = np.zeros(fe.CLIP_SAMPLES, np.int16)
    seg = y[lo:lo + fe.CLIP_SAMPLES]
    out[:len(seg)] = seg
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="exported model directory (model.json, layers)")
    ap.add_argument("--set", default="xfest")
    ap.add_argument("--voice", required=True, help="the meta field voice of the clips to play (ked_diphone, kal, ...)")
    ap.add_argument("--effects", default="tempo -s 0.8;tempo -s 0.65;pitch 300",
                    help="sox effects separated by ';' (the clips as rendered always come first)")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--fe-cache", default=os.path.expanduser("~/.cache/cimvp-kws"))
    a = ap.parse_args()
    paths = [os.path.join(a.data, a.set + s) for s in ("_audio.npy", "_labels.npy", "_meta.jsonl")]
    for p in paths:
        if not os.path.exists(p):
            sys.exit("kws_tempo_probe: no %s (make the set with scripts/kws_dataset.py)" % p)
    m = hr.load_model_or_exit(a.model, "kws_tempo_probe")
    audio, lab = np.load(paths[0], mmap_mode="r"), np.load(paths[1])
    with open(paths[2]) as f:
        meta = [json.loads(line) for line in f]
    rows = [i for i, mm in enumerate(meta) if mm.get("voice") == a.voice]
    if not rows:
        sys.exit("kws_tempo_probe: %s speaks no clip with voice %s" % (a.set, a.voice))
    for effect in [[]] + [shlex.split(e) for e in a.effects.split(";") if e.strip()]:
        x = np.stack([through_sox(audio[i], effect) if effect else np.array(audio[i]) for i in rows])
        acc = float(np.mean(ev.host_int(m, ev.features(x, m, a.fe_cache)[0]).argmax(1) == lab[rows]))
        print("%-10s %-16s %-16s %5d clips  acc %.3f" % (os.path.basename(os.path.normpath(a.model)), a.voice,
                                                          " ".join(effect) or "as rendered", len(rows), acc), flush=True)


if __name__ == "__main__":
    main()
