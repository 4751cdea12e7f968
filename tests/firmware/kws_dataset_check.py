#!/usr/bin/python3
"""kws_dataset.py's second draw of the test voices (retest) and its festival set (xfest) on a small
dataset made here.

    /usr/bin/python3 tests/firmware/kws_dataset_check.py SCRIPTS_DIR WORK_DIR

A whole dataset at --scale 0.05, then a copy without its retest and xfest files made again with
`--only retest,xfest`: every file must be byte-identical (summary.json aside, which records the run
time), and summary.json must list every set. retest must speak only the test set's voices (flite
slt, espeak variants of the test split), none of train's or val's variants, with draws of its
own (words, rates, placements) rather than test's; retest_snr10 is retest plus white noise at
exactly 10 dB. xfest must speak only festival's four voices, every one of them, none of which
the train set of this dataset (v3) has; xfest_snr10 is xfest plus white noise at exactly 10 dB.
`--faster F` gives each train job a tempo factor in [1, F] and leaves the rest of every job as it was.
`--only retest` at another scale than the cache's is refused (exit 1, naming
the cache and the scale) and writes nothing. summary.json's SHA-256 of every set file must be
the file's, and kws_data_digest.py must pass both caches and name a file with one byte changed.
Exit 1 naming the file, clip or voice that differs.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

scripts, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
args = ["/usr/bin/python3", os.path.join(scripts, "kws_dataset.py"), "--perturb", "--more-words", "--scale", "0.05"]
fails = []


def run(out, *extra):
    r = subprocess.run(args + ["--out", out] + list(extra), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("kws_dataset.py %s failed (exit %d): %s" % (" ".join(extra), r.returncode, r.stderr[-500:]))
    return os.path.join(out, "v3-seed1")


whole = run(os.path.join(work, "whole"))
part = os.path.join(work, "part", "v3-seed1")
shutil.copytree(whole, part)
for f in os.listdir(part):
    if f.startswith(("retest", "xfest")):
        os.remove(os.path.join(part, f))
with open(os.path.join(part, "summary.json")) as f:
    s = json.load(f)
for name in ("retest", "retest_snr10", "xfest", "xfest_snr10"):
    del s["sets"][name]
with open(os.path.join(part, "summary.json"), "w") as f:
    json.dump(s, f)
run(os.path.join(work, "part"), "--only", "retest,xfest")
for f in sorted(os.listdir(whole)):
    if f == "summary.json":
        continue
    with open(os.path.join(whole, f), "rb") as a, open(os.path.join(part, f), "rb") as b:
        if a.read() != b.read():
            fails.append("%s: --only retest,xfest differs from the whole run" % f)
before = {f: os.path.getmtime(os.path.join(part, f)) for f in os.listdir(part)}
r = subprocess.run(args[:-1] + ["0.1", "--out", os.path.join(work, "part"), "--only", "retest"],
                   capture_output=True, text=True)
if r.returncode != 1 or "has scale 0.05, not 0.1" not in r.stderr:
    fails.append("--only at another scale: exit %d, %r; want exit 1 naming the scale" % (r.returncode, r.stderr[-300:]))
if {f: os.path.getmtime(os.path.join(part, f)) for f in os.listdir(part)} != before:
    fails.append("the refused --only run changed the cache")
with open(os.path.join(part, "summary.json")) as f:
    sets = set(json.load(f)["sets"])
want = {"train", "val", "test", "test_snr10", "retest", "retest_snr10", "xsynth", "xsynth_snr10", "xfest",
        "xfest_snr10"}
if sets != want:
    fails.append("summary.json after --only lists %s, want %s" % (sorted(sets), sorted(want)))


def meta(name):
    with open(os.path.join(whole, name + "_meta.jsonl")) as f:
        return [json.loads(line) for line in f]


with open(os.path.join(whole, "summary.json")) as f:
    split = json.load(f)["split"]
test, retest = meta("test"), meta("retest")
for i, m in enumerate(retest):
    if m.get("engine") == "flite" and m["voice"] != "slt":
        fails.append("retest clip %d: flite voice %s, not the test voice slt" % (i, m["voice"]))
    if m.get("engine") == "espeak" and m["variant"] and m["variant"] not in split["test_variants"]:
        fails.append("retest clip %d: espeak variant %s is not a test variant" % (i, m["variant"]))
    if m.get("engine") not in (None, "espeak", "flite"):
        fails.append("retest clip %d: engine %s" % (i, m.get("engine")))
heard = {m["variant"] for m in meta("train") + meta("val") if m.get("engine") == "espeak" and m["variant"]}
both = heard & {m["variant"] for m in retest if m.get("engine") == "espeak"}
if both:
    fails.append("retest speaks variants heard in train or val: %s" % sorted(both))
keys = lambda ms: [(m.get("word"), m.get("voice"), m.get("variant")) for m in ms if m.get("engine")]
same = sum(a == b for a, b in zip(keys(test), keys(retest)))
if same > len(keys(retest)) // 4:
    fails.append("retest repeats test's draws: %d of %d clips have test's word and voice" % (same, len(keys(retest))))
quiet = np.load(os.path.join(whole, "retest_audio.npy"))
if np.array_equal(quiet, np.load(os.path.join(whole, "test_audio.npy"))):
    fails.append("retest_audio equals test_audio")
fest_voices = {"ked_diphone", "upc_ca_ona_hts", "lp_diphone", "pc_diphone"}
xfest = meta("xfest")
spoken = [m for m in xfest if m["label"] != 10]  # silence has no voice
for i, m in enumerate(xfest):
    if m["label"] != 10 and (m.get("engine") != "festival" or m.get("voice") not in fest_voices):
        fails.append("xfest clip %d: %s %s, not one of festival's voices %s"
                     % (i, m.get("engine"), m.get("voice"), sorted(fest_voices)))
if {m.get("voice") for m in spoken} != fest_voices:
    fails.append("xfest speaks with %s, want all of %s" % (sorted({m.get("voice") for m in spoken}), sorted(fest_voices)))
if any(m.get("engine") == "festival" for m in meta("train")):
    fails.append("this dataset's train set has festival renders: xfest would not be a cross-synthesizer test of it")
counts = np.bincount([m["label"] for m in xfest], minlength=12)
if len(set(counts.tolist())) != 1:
    fails.append("xfest is not balanced: %s clips per class" % counts.tolist())
for quiet_name in ("retest", "xfest"):
    quiet_meta = meta(quiet_name)
    for i, m in enumerate(meta(quiet_name + "_snr10")):
        if m["label"] != quiet_meta[i]["label"] or m.get("word") != quiet_meta[i].get("word"):
            fails.append("%s_snr10 clip %d is not %s clip %d" % (quiet_name, i, quiet_name, i))
        elif m["snr_measured"] is not None and abs(m["snr_measured"] - 10.0) > 0.01:
            fails.append("%s_snr10 clip %d: SNR %.3f dB, want 10" % (quiet_name, i, m["snr_measured"]))
        elif m["noise"] != "white":
            fails.append("%s_snr10 clip %d: noise %s, want white" % (quiet_name, i, m["noise"]))

# --faster F: every train render, and only those, gains a tempo factor in [1, F], drawn after every other
# draw, so that each job is otherwise the job without it (the Italian voices' own tempo multiplied).
sys.path.insert(0, scripts)
import kws_dataset as ds  # noqa: E402
pools, _ = ds.voice_pools(1)
for name in ("train", "test", "xfest"):
    counts = {c: 20 for c in range(12) if c != 10}
    plain = ds.make_jobs(name, pools, counts, 1, True, italian=0.15 if name == "train" else 0.0)
    fast = ds.make_jobs(name, pools, counts, 1, True, italian=0.15 if name == "train" else 0.0, faster=1.5)
    for i, (p, q) in enumerate(zip(plain, fast)):
        f = q.get("tempo", 1.0) / p.get("tempo", 1.0)
        rest = {k: v for k, v in q.items() if k != "tempo"} == {k: v for k, v in p.items() if k != "tempo"}
        if not rest or (name == "train" and not 1.0 <= f <= 1.5) or (name != "train" and q != p):
            fails.append("make_jobs(%s, faster=1.5) job %d: %s, without it %s" % (name, i, q, p))
            break

# The digests (scripts/kws_data_digest.py): summary.json records every set file's SHA-256, as
# hashlib computes it here, and each engine's renders; the checker passes the whole cache and the
# --only copy against it, and names a file with one byte changed.
with open(os.path.join(whole, "summary.json")) as f:
    summary = json.load(f)
for name in sorted(want):
    rec = summary["sets"][name].get("sha256", {})
    files = sorted(f for f in os.listdir(whole) if f.startswith(name + "_") and f.count("_") == name.count("_") + 1)
    if sorted(rec) != files:
        fails.append("summary.json's digests of %s list %s, the cache holds %s" % (name, sorted(rec), files))
    for fname, digest in rec.items():
        with open(os.path.join(whole, fname), "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != digest:
                fails.append("summary.json's digest of %s is not the file's" % fname)
    engines = {m["engine"] if m["engine"] == "espeak" else m["engine"] + ":" + m["voice"]
               for m in meta(name) if m.get("engine")}
    got = set(summary["sets"][name].get("renders_sha256", {}))
    if ("_snr10" not in name and got != engines) or ("_snr10" in name and got):
        fails.append("%s: renders digested for %s, its clips speak with %s" % (name, sorted(got), sorted(engines)))
digest = [sys.executable, os.path.join(scripts, "kws_data_digest.py")]
for cache, extra in ((whole, []), (part, ["--against", os.path.join(whole, "summary.json")])):
    r = subprocess.run(digest + [cache] + extra, capture_output=True, text=True)
    if r.returncode != 0 or "all 42 files" not in r.stdout:
        fails.append("kws_data_digest %s %s: exit %d, %r" % (cache, " ".join(extra), r.returncode, (r.stdout + r.stderr)[-300:]))
ref = os.path.join(work, "v3-seed1.json")
r = subprocess.run(digest + [part, "--record", ref], capture_output=True, text=True)
if r.returncode != 0 or "42 files of 10 sets" not in r.stdout:
    fails.append("kws_data_digest --record: exit %d, %r" % (r.returncode, (r.stdout + r.stderr)[-300:]))
with open(os.path.join(part, "test_labels.npy"), "r+b") as f:
    f.seek(-1, 2)
    last = f.read(1)
    f.seek(-1, 2)
    f.write(bytes([last[0] ^ 1]))
for extra in ([], ["--against", ref]):
    r = subprocess.run(digest + [part] + extra, capture_output=True, text=True)
    if r.returncode != 1 or not re.search(r"1 of 42 files .* differ .*\n  \S*/test_labels.npy: sha256", r.stderr):
        fails.append("kws_data_digest on a cache with one changed byte %s: exit %d, %r; want exit 1 naming "
                     "test_labels.npy" % (" ".join(extra), r.returncode, r.stderr[-300:]))
print("kws_dataset retest: %d clips, %d with test's word and voice; xfest: %d clips, %d spoken; %d files compared"
      % (len(retest), same, len(xfest), len(spoken), len(os.listdir(whole)) - 1))
if fails:
    print("\n".join(fails[:20]))
    sys.exit(1)
