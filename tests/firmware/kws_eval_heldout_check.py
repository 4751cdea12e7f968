#!/usr/bin/python3
"""kws_eval.py's held-out-voices score and per-clip predictions on a small dataset made here.

    /usr/bin/python3 tests/firmware/kws_eval_heldout_check.py SCRIPTS_DIR BUILD_DIR WORK_DIR

A dataset at --scale 0.1 (120 test clips), then the TDNN board in the ideal preset (bit-exact,
--check-exact) over its test set. A clip is heard when it is espeak with no variant in an accent
whose own voice (no variant) train also speaks (the only way the split lets a test voice into
train; at this scale not every accent's own voice is drawn in train, and en-029 never is):
results.json's held_out.n must count the other clips, its accuracies must be the ones recomputed
from pred_tdnn_test.npz on those clips, whose board row must equal the integer row and whose
labels must be the dataset's. The saved int8 logits must give those classes (their argmax) and be
equal, board and integer, and results.json's logit rms must be 0 (kws_eval.logit_rms itself is
checked on a hand-computed pair). Exit 1 naming what differs.
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

scripts, build, work = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
py = "/usr/bin/python3"
r = subprocess.run([py, os.path.join(scripts, "kws_dataset.py"), "--perturb", "--more-words", "--scale", "0.1",
                    "--out", os.path.join(work, "data")], capture_output=True, text=True)
if r.returncode:
    sys.exit("kws_dataset.py failed (exit %d): %s" % (r.returncode, r.stderr[-500:]))
data = os.path.join(work, "data", "v3-seed1")
out = os.path.join(work, "eval")
r = subprocess.run([py, os.path.join(scripts, "kws_eval.py"), "--model", "tdnn", "--sets", "test", "--seeds", "1",
                    "--preset", "ideal", "--check-exact", "--jobs", "2", "--fa-seconds", "0", "--data", data,
                    "--build", build, "--fe-cache", os.path.join(work, "fe"), "--out", out],
                   capture_output=True, text=True)
if r.returncode:
    sys.exit("kws_eval.py failed (exit %d): %s%s" % (r.returncode, r.stdout[-500:], r.stderr[-500:]))
with open(os.path.join(data, "test_meta.jsonl")) as f:
    meta = [json.loads(line) for line in f]
with open(os.path.join(data, "train_meta.jsonl")) as f:
    plain = {m["voice"] for m in map(json.loads, f) if m.get("engine") == "espeak" and not m["variant"]}
if "en-029" in plain:
    sys.exit("train speaks the test-only accent en-029")
heard = np.array([m.get("engine") == "espeak" and not m["variant"] and m["voice"] in plain for m in meta])
fails = []
if not heard.any():
    fails.append("the small test set has no heard-voice clip: the check would not exercise the mask")
with open(os.path.join(out, "results.json")) as f:
    S = json.load(f)["models"]["tdnn"]["sets"]["test"]
p = np.load(os.path.join(out, "pred_tdnn_test.npz"))
lab = np.load(os.path.join(data, "test_labels.npy"))
held = ~heard
if not np.array_equal(p["labels"], lab):
    fails.append("pred_tdnn_test.npz labels differ from the dataset's in %d clips" % int((p["labels"] != lab).sum()))
if not np.array_equal(p["held_out"], held):
    fails.append("held_out mask differs from the rule in %d clips" % int((p["held_out"] != held).sum()))
if p["board"].shape != (1, len(lab)) or not np.array_equal(p["board"][0], p["integer"]):
    fails.append("board predictions %s differ from the integer ones (ideal preset)" % (p["board"].shape,))
il, bl = p["integer_logits"].astype(int), p["board_logits"].astype(int)
if il.shape != (len(lab), 12) or not np.array_equal(il.argmax(1), p["integer"]):
    fails.append("integer_logits %s do not give the integer classes" % (il.shape,))
if bl.shape != (1, len(lab), 12) or not np.array_equal(bl[0], il):
    fails.append("board_logits %s differ from the integer ones (ideal preset)" % (bl.shape,))
if S["board"]["logit_rms"]["mean"] != 0.0:
    fails.append("logit rms %r on the ideal board, want 0" % S["board"]["logit_rms"])
sys.path.insert(0, scripts)
import kws_eval  # noqa: E402
got = kws_eval.logit_rms([[1, 2, -3]], [[1, 0, 0]])   # sqrt((0 + 4 + 9) / 3)
if abs(got - (13 / 3) ** 0.5) > 1e-12:
    fails.append("kws_eval.logit_rms of a hand pair: %r, want %r" % (got, (13 / 3) ** 0.5))
H = S.get("held_out")
if H is None:
    fails.append("results.json has no held_out for test")
else:
    if H["n"] != int(held.sum()):
        fails.append("held_out n %d, want %d" % (H["n"], int(held.sum())))
    want = float(np.mean(p["integer"][held] == lab[held]))
    for k, got in (("integer", H["integer"]["acc"]), ("board", H["board"]["mean"])):
        if abs(got - want) > 1e-12:
            fails.append("held_out %s acc %.6f, want %.6f recomputed from the predictions" % (k, got, want))
    if abs(S["integer"]["acc"] - float(np.mean(p["integer"] == lab))) > 1e-12:
        fails.append("all-clip integer acc %.6f differs from the predictions'" % S["integer"]["acc"])
print("kws_eval held-out: %d of %d test clips held out (%d heard), integer acc %.3f all / %.3f held out"
      % (int(held.sum()), len(lab), int(heard.sum()), S["integer"]["acc"], H["integer"]["acc"] if H else float("nan")))
if fails:
    print("\n".join(fails))
    sys.exit(1)
