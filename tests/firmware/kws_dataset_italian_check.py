#!/usr/bin/python3
"""kws_dataset.py --italian on small datasets made here.

    /usr/bin/python3 tests/firmware/kws_dataset_italian_check.py SCRIPTS_DIR WORK_DIR

Dataset v6 at --scale 0.05, then the same with --italian (cache v6-seed1-it0.15). The Italian
voices must take the place of espeak renders only: the renders of flite, ked and ona
(summary.json's renders_sha256) and every val, test, retest and xsynth file must be the same in
both caches; train must hold both Italian voices, each clip of them in place of an espeak clip
of v6 (same word and label), and about the asked share of the train renders (0.15 of all, within
the binomial spread of this small set). Exit 1 naming what differs.
"""
import json
import os
import shutil
import subprocess
import sys

scripts, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
args = ["/usr/bin/python3", os.path.join(scripts, "kws_dataset.py"), "--perturb", "--more-words", "--scale", "0.05",
        "--festival", "--ona", "--out", work]
for extra in ([], ["--italian"]):
    r = subprocess.run(args + extra, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("kws_dataset.py %s failed (exit %d): %s" % (" ".join(extra), r.returncode, r.stderr[-500:]))
v6, it = os.path.join(work, "v6-seed1"), os.path.join(work, "v6-seed1-it0.15")
fails = []


def load(root):
    with open(os.path.join(root, "summary.json")) as f:
        summary = json.load(f)
    with open(os.path.join(root, "train_meta.jsonl")) as f:
        return summary, [json.loads(line) for line in f]


(s6, m6), (si, mi) = load(v6), load(it)
if si.get("italian_share") != 0.15 or si.get("italian", {}).get("train") != ["lp_diphone", "pc_diphone"]:
    fails.append("summary.json of --italian: italian %s, italian_share %s" % (si.get("italian"), si.get("italian_share")))
for name in s6["sets"]:
    if name != "train" and s6["sets"][name]["sha256"] != si["sets"][name]["sha256"]:
        fails.append("%s: files differ between v6 and v6 --italian" % name)
r6, ri = s6["sets"]["train"]["renders_sha256"], si["sets"]["train"]["renders_sha256"]
for key in sorted(r6):
    if key != "espeak" and r6[key] != ri.get(key):
        fails.append("train renders of %s differ with --italian" % key)
voices = {m["voice"] for m in mi if m.get("engine") == "festival"}
if not {"lp_diphone", "pc_diphone"} <= voices:
    fails.append("train's festival voices are %s, want lp_diphone and pc_diphone among them" % sorted(voices))
if len(m6) != len(mi):
    fails.append("train has %d clips with --italian, %d without" % (len(mi), len(m6)))
n_it = n_words = 0
for a, b in zip(m6, mi):
    if b.get("voice") in ("lp_diphone", "pc_diphone"):
        n_it += 1
        if a.get("engine") != "espeak" or (a["word"], a["label"]) != (b["word"], b["label"]):
            fails.append("train clip %d: Italian %s in place of %s %s (%s)" % (b["idx"], b["word"], a.get("engine"),
                                                                            a.get("word"), a.get("voice")))
    elif (a.get("engine"), a.get("voice"), a.get("word")) != (b.get("engine"), b.get("voice"), b.get("word")):
        fails.append("train clip %d changed with --italian: %s %s, was %s %s" % (
            b["idx"], b.get("voice"), b.get("word"), a.get("voice"), a.get("word")))
    n_words += b.get("engine") is not None
share = n_it / max(1, n_words)
spread = 3 * (0.15 * 0.85 / max(1, n_words // 2)) ** 0.5   # train mixes every render twice
if abs(share - 0.15) > spread:
    fails.append("Italian share of the train clips %.3f, want 0.15 +- %.3f" % (share, spread))
print("kws_dataset --italian: %d of %d train clips Italian (%.3f), voices %s" % (n_it, n_words, share, sorted(voices)))
if fails:
    print("\n".join(fails[:20]))
    sys.exit(1)
