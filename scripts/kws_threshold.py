#!/usr/bin/python3
"""A model's detection threshold (its operating point), chosen on the validation streams.

    /usr/bin/python3 scripts/kws_threshold.py MODEL_DIR [--set val] [--data DIR] [--write]
    /usr/bin/python3 scripts/kws_threshold.py MODEL_DIR --value T [--write]

The firmware fires a detection when a keyword's smoothed posterior passes the threshold in the
model's descriptor (model.kwsd bytes 28-29, permille; docs/kws.md "Export"). It belongs to the
model: two models with the same clip accuracy can put their keyword posteriors at different
heights (docs/kws.md "The operating point, not the detector"). This script runs the host stream
reference (kws_stream_ref: the firmware's front end, integer model, smoothing and refractory) on
two streams of a held-out set, by default the validation voices (never the test voices):
  - the keyword stream: each keyword clip followed by one of the set's unknown/silence clips
    (2 s per keyword; a miss when no detection of its label falls in its 2 s, a wrong label for
    every other detection there),
  - the false-alarm stream: the set's unknown and silence clips alternated (every detection is
    a false alarm),
and for each threshold of the grid counts misses + wrong labels + false alarms: every error
costs the same. The chosen threshold is the one with the fewest errors (ties: the higher, fewer
alarms for the same count). --write stores it in model.kwsd and model.json (a version-2
descriptor, exported before the field existed, is upgraded to version 3 on the way); --value
stores a given threshold without the sweep.
"""
import argparse
import json
import os
import struct
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import kws_host_ref as hr  # noqa: E402
import kws_int  # noqa: E402
import kws_stream_ref as sr  # noqa: E402

GRID = [p / 1000.0 for p in range(400, 951, 50)]   # 0.40 .. 0.95
RULE = "fewest misses + wrong labels + false alarms on the %s streams (scripts/kws_threshold.py)"


def descriptor_version(path):
    b = open(path, "rb").read(6)
    if len(b) < 6 or b[:4] != b"KWSD":
        raise ValueError("%s: not a KWSD descriptor" % path)
    return struct.unpack_from("<H", b, 4)[0]


def write_threshold(model_dir, permille, rule):
    """Store the threshold in model.kwsd (bytes 28-29; a version-2 descriptor gains the 4 bytes and
    becomes version 3) and model.json. Each file is replaced whole (written beside, then renamed)."""
    if not 1 <= permille <= 999:
        raise ValueError("threshold %d permille: must be 1..999" % permille)
    path = os.path.join(model_dir, "model.kwsd")
    b = bytearray(open(path, "rb").read())
    ver = descriptor_version(path)
    if ver == 2:
        b[28:28] = struct.pack("<HH", permille, 0)
        struct.pack_into("<H", b, 4, hr.KWSD_VERSION)
    elif ver == hr.KWSD_VERSION:
        struct.pack_into("<H", b, 28, permille)
    else:
        raise ValueError("%s: descriptor version %d (this script writes versions 2 and %d)" % (path, ver, hr.KWSD_VERSION))
    jpath = os.path.join(model_dir, "model.json")
    with open(jpath) as f:
        desc = json.load(f)
    desc.update(version=hr.KWSD_VERSION, threshold=permille / 1000.0, threshold_rule=rule)
    for p, data in ((path, bytes(b)), (jpath, json.dumps(desc, indent=1).encode())):   # as export writes it
        with open(p + ".tmp", "wb") as f:
            f.write(data)
        os.replace(p + ".tmp", p)


def sweep(m, data, set_name, cache, thresholds=GRID, fa_seconds=200):
    """[(threshold, hits, keywords, wrong labels, false alarms, false-alarm seconds)] on the set's
    keyword and false-alarm streams; the model's decisions are computed once per stream."""
    exp = kws_int.from_descriptor(m)
    consts = sr.firmware_defaults()
    stride = sr.model_stride(m, consts)
    kw_audio, labels = sr.kw_stream(data, set_name)
    fa_audio = sr.fa_stream(data, set_name, fa_seconds)
    if not labels or not len(fa_audio):
        raise ValueError("set '%s' in %s has no keyword or no unknown/silence clips" % (set_name, data))
    streams = [sr.window_decisions(m, exp, sr.stream_feat(m, audio, cache), stride, cache)
               for audio in (kw_audio, fa_audio)]

    def detect(dec, permille):
        det = sr.Detector(m, consts, stride, permille, consts["SMOOTH_MS"], consts["REFRACTORY_MS"])
        return [h for h in (det.decide(lg, t) for t, lg in dec) if h]

    rows = []
    for thr in thresholds:
        permille = int(round(thr * 1000))
        hit, wrong = sr.score_kw_stream(detect(streams[0], permille), labels)
        rows.append((permille, hit, len(labels), wrong, len(detect(streams[1], permille)), len(fa_audio) / sr.SR))
    return rows


def errors(row):
    """Misses + wrong labels + false alarms of a sweep row."""
    return row[2] - row[1] + row[3] + row[4]


def choose(rows):
    """The row with the fewest errors; ties: the higher threshold."""
    return min(rows, key=lambda r: (errors(r), -r[0]))


def sweep_records(rows):
    """The sweep as JSON records (kws_train's results.json)."""
    return [dict(threshold=r[0] / 1000.0, hits=r[1], keywords=r[2], wrong=r[3], false_alarms=r[4], fa_seconds=r[5])
            for r in rows]


def choose_and_write(model_dir, data, set_name, cache):
    """Sweep the model of model_dir on the set's streams, store the chosen threshold; -> (best, rows)."""
    rows = sweep(hr.load_model(model_dir), data, set_name, cache)
    best = choose(rows)
    write_threshold(model_dir, best[0], RULE % set_name)
    return best, rows


def main():
    prog = "kws_threshold"
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("--set", default="val", help="the dataset set whose streams choose the threshold (default val)")
    ap.add_argument("--value", type=float, default=None, help="store this threshold, no sweep")
    ap.add_argument("--write", action="store_true", help="store the threshold in model.kwsd and model.json")
    ap.add_argument("--fa-seconds", type=int, default=200)
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/cimvp-kws"), help="front-end .so cache")
    a = ap.parse_args()
    if a.value is not None and not 0.001 <= a.value <= 0.999:
        ap.error("--value %g: must be in [0.001, 0.999]" % a.value)
    if a.fa_seconds < 1:
        ap.error("--fa-seconds %d: must be >= 1" % a.fa_seconds)
    kwsd = os.path.join(a.model_dir, "model.kwsd")
    if not os.path.exists(kwsd) or not os.path.exists(os.path.join(a.model_dir, "model.json")):
        sys.exit("%s: %s has no model.kwsd and model.json (a model directory of scripts/kws_train.py)" % (prog, a.model_dir))
    try:
        ver = descriptor_version(kwsd)
        if a.value is not None:
            if a.write:
                write_threshold(a.model_dir, int(round(a.value * 1000)), "given (scripts/kws_threshold.py --value)")
            print("threshold %.3f%s" % (a.value, " written to %s" % a.model_dir if a.write else ""))
            return
        if ver == 2:
            if not a.write:
                sys.exit("%s: %s: descriptor version 2 (exported before the threshold field): --write "
                         "upgrades it to version %d" % (prog, kwsd, hr.KWSD_VERSION))
            write_threshold(a.model_dir, 600, "version-2 default, upgraded")
        m = hr.load_model(a.model_dir)
    except (OSError, ValueError) as e:
        sys.exit("%s: %s" % (prog, e))
    if not os.path.exists(os.path.join(a.data, a.set + "_audio.npy")):
        sys.exit("%s: no set '%s' in %s (scripts/kws_dataset.py makes it)" % (prog, a.set, a.data))
    try:
        rows = sweep(m, a.data, a.set, a.cache, fa_seconds=a.fa_seconds)
    except ValueError as e:
        sys.exit("%s: %s" % (prog, e))
    best = choose(rows)
    print("%s on the %s streams (%d keywords; false alarms in %.0f s):"
          % (os.path.basename(os.path.normpath(a.model_dir)), a.set, rows[0][2], rows[0][5]))
    print("threshold   hit    wrong  false alarms  (per hour)  errors")
    for r in rows:
        print("%9.3f %6.3f %8d %13d %11.0f %7d%s" % (r[0] / 1000.0, r[1] / r[2], r[3], r[4], r[4] * 3600.0 / r[5],
                                                   errors(r), "  <-" if r is best else ""))
    print("chosen %.3f (was %.3f)%s" % (best[0] / 1000.0, m["threshold"] / 1000.0,
                                        ", written to %s" % a.model_dir if a.write else ""))
    if a.write:
        write_threshold(a.model_dir, best[0], RULE % a.set)


if __name__ == "__main__":
    main()
