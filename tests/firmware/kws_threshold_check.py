#!/usr/bin/python3
"""scripts/kws_threshold.py: the sweep, the rule and the descriptor it writes.

    kws_threshold_check.py MODEL_DIR CLIPS_DIR OUT_DIR

- A small set from the bundled clips (each second of keywords.wav and keywords_snr10.wav a
  keyword clip labelled by its .csv, each second of none.wav an unknown or silence clip, three
  seconds of quiet noise labelled silence) is
  written as a dataset set 'clips'; the sweep's hits, wrong labels and false alarms at each
  threshold must equal what kws_stream_ref.py --kw-set clips --threshold T prints (the whole
  stream recomputed by the command-line reference: the sweep computes each stream's decisions
  once and re-runs only the detector).
- choose(): the fewest misses + wrong labels + false alarms, ties to the higher threshold.
- A version-2 descriptor (the model's without bytes 28-31) is upgraded by --write: the result
  is the model's descriptor with the chosen threshold at bytes 28-29, and model.json records it.
"""
import csv
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import wave

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(REPO, "scripts")
sys.path.insert(0, SCRIPTS)
import kws_host_ref as hr  # noqa: E402
import kws_threshold as th  # noqa: E402

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def clips_of(wav_path, csv_path):
    with wave.open(wav_path) as w:
        audio = np.frombuffer(w.readframes(w.getnframes()), "<i2")
    out = []
    with open(csv_path) as f:
        for row in csv.DictReader(f):
            a, b = int(row["start_ms"]) * 16, int(row["end_ms"]) * 16
            out.append((audio[a:b], hr.CLASSES.index(row["label"])))
    return out


def main():
    model_dir, clips, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    data = os.path.join(out, "data")
    os.makedirs(data)
    rows = []
    for name in ("keywords", "keywords_snr10", "none"):
        rows += clips_of(os.path.join(clips, name + ".wav"), os.path.join(clips, name + ".csv"))
    # three seconds of quiet noise labelled silence, so that the false-alarm stream (unknown and
    # silence clips alternated) holds all three unknown words of none.wav
    rng = np.random.default_rng(1)
    rows += [(np.round(rng.normal(0, 30, 16000)), hr.CLASSES.index("silence")) for _ in range(3)]
    np.save(os.path.join(data, "clips_audio.npy"), np.stack([r[0] for r in rows]).astype(np.int16))
    np.save(os.path.join(data, "clips_labels.npy"), np.array([r[1] for r in rows], np.int64))
    cache = os.path.expanduser("~/.cache/cimvp-kws")

    m = hr.load_model(model_dir)
    grid = [0.5, 0.8, 0.95]
    sweep = th.sweep(m, data, "clips", cache, thresholds=grid)
    for thr, r in zip(grid, sweep):
        p = subprocess.run([sys.executable, os.path.join(SCRIPTS, "kws_stream_ref.py"), model_dir, "--kw-set", "clips",
                            "--threshold", str(thr), "--data", data, "--cache", cache],
                           capture_output=True, text=True)
        kw = re.search(r"keywords hit (\d+)/(\d+) = [0-9.]+, wrong labels (\d+)", p.stdout)
        fa = re.search(r": (\d+) false alarms in (\d+) s", p.stdout)
        if p.returncode or not kw or not fa:
            check(False, "kws_stream_ref at %g: rc %d, output %r %r" % (thr, p.returncode, p.stdout, p.stderr[-300:]))
            continue
        ref = (int(round(thr * 1000)), int(kw.group(1)), int(kw.group(2)), int(kw.group(3)), int(fa.group(1)))
        check(tuple(r[:5]) == ref, "threshold %g: sweep (permille, hits, keywords, wrong, false alarms) %s, "
              "kws_stream_ref %s" % (thr, r[:5], ref))
        check(abs(r[5] - int(fa.group(2))) <= 0.5, "threshold %g: false-alarm stream %.1f s, kws_stream_ref %s s"
              % (thr, r[5], fa.group(2)))
    print("sweep on the bundled clips:", [r[:5] for r in sweep])
    check(sweep[0][2] == 12, "keyword clips in the stream: %d, want 12" % sweep[0][2])

    # the rule: errors = misses + wrong + false alarms; (permille, hits, keywords, wrong, fa, s)
    rows = [(500, 8, 10, 3, 2, 100.0), (600, 8, 10, 1, 1, 100.0), (700, 6, 10, 0, 0, 100.0), (800, 5, 10, 0, 0, 100.0)]
    check(th.choose(rows)[0] == 700, "choose(): %d, want 700 (4 errors at 600 and 700: the higher)" % th.choose(rows)[0])
    check(th.choose(rows[:2])[0] == 600, "choose(): %d, want 600 (4 errors against 7)" % th.choose(rows[:2])[0])

    # a version-2 descriptor upgraded by --write
    v2 = os.path.join(out, "model-v2")
    shutil.copytree(model_dir, v2, ignore=shutil.ignore_patterns("*.pt", "*.img", "results*.json"))
    ref = open(os.path.join(model_dir, "model.kwsd"), "rb").read()
    b = bytearray(ref)
    del b[28:32]
    struct.pack_into("<H", b, 4, 2)
    open(os.path.join(v2, "model.kwsd"), "wb").write(bytes(b))
    p = subprocess.run([sys.executable, os.path.join(SCRIPTS, "kws_threshold.py"), v2], capture_output=True, text=True)
    check(p.returncode == 1 and "descriptor version 2" in p.stderr,
          "a version-2 descriptor without --write: rc %d, %r (want 1 and a message)" % (p.returncode, p.stderr))
    p = subprocess.run([sys.executable, os.path.join(SCRIPTS, "kws_threshold.py"), v2, "--set", "clips", "--data", data,
                        "--cache", cache, "--write"], capture_output=True, text=True)
    print(p.stdout)
    chosen = th.choose(sweep + th.sweep(m, data, "clips", cache, thresholds=[t for t in th.GRID if t not in grid]))
    got = open(os.path.join(v2, "model.kwsd"), "rb").read()
    want = bytearray(ref)
    struct.pack_into("<H", want, 28, chosen[0])
    check(p.returncode == 0, "kws_threshold --write: rc %d %s" % (p.returncode, p.stderr[-300:]))
    check(got == bytes(want), "upgraded descriptor differs from the model's with threshold %d at bytes 28-29 "
          "(%d bytes against %d; first difference at byte %s)" % (chosen[0], len(got), len(want),
                                                                  next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), "-")))
    check(hr.read_kwsd(os.path.join(v2, "model.kwsd"))["threshold"] == chosen[0],
          "read_kwsd of the upgraded descriptor: threshold %s, want %d" % (hr.read_kwsd(os.path.join(v2, "model.kwsd"))["threshold"], chosen[0]))
    desc = json.load(open(os.path.join(v2, "model.json")))
    check(desc.get("version") == hr.KWSD_VERSION and abs(desc.get("threshold", -1) - chosen[0] / 1000.0) < 1e-9,
          "model.json version %s threshold %s, want %d and %g" % (desc.get("version"), desc.get("threshold"),
                                                                 hr.KWSD_VERSION, chosen[0] / 1000.0))
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)
    print("kws_threshold: sweep = stream reference at %s, rule, version-2 upgrade: ok" % grid)


if __name__ == "__main__":
    main()
