#!/usr/bin/python3
"""kws_train.py's teachers, one batch ahead in their own thread, train the student the loop without
that thread trains.

    /usr/bin/python3 tests/firmware/kws_teacher_thread_check.py SCRIPTS_DIR IMAGE_TOOL WORK_DIR

On a small dataset (kws_dataset.py --perturb --more-words --scale 0.1), a TDNN trained for one epoch
teaches an LSTM trained for two (fresh noise on its clips each epoch, the training's weight noise and
the 2 LSB programming error, so the student draws from torch's generator at every step). The LSTM is
trained twice, in this process, with the same options:
- as kws_train.py runs: the teachers' posteriors of batch k + 1 computed in the teachers' thread
  while the student trains on batch k;
- with the posteriors computed only when the loss asks for them, after the student's forward pass on
  the same batch: the order of the loop before the thread (the 45th session's code).
model.pt, the exported layers, the image and the report's figures must be equal, and the teachers must
have run in their thread in the first run and in the main thread in the second (else the test proves
nothing). Exit 1 naming what differs.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading

scripts, tool, work = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, scripts)
import kws_kernels  # noqa: E402
kws_kernels.pin()   # as kws_train.py run as a program does
import concurrent.futures  # noqa: E402

import kws_train as kt  # noqa: E402

shutil.rmtree(work, ignore_errors=True)
r = subprocess.run([sys.executable, os.path.join(scripts, "kws_dataset.py"), "--perturb", "--more-words", "--scale",
                    "0.1", "--out", os.path.join(work, "data")], capture_output=True, text=True)
if r.returncode:
    sys.exit("kws_dataset.py failed (exit %d): %s" % (r.returncode, r.stderr[-500:]))
data = os.path.join(work, "data", "v3-seed1")
COMMON = ["--data", data, "--cmn", "--mel-band", "300,4000", "--dither", "--batch", "32", "--threads", "1",
          "--image-tool", tool, "--threshold", "0.6", "--ema", "0.999", "--select", "last"]


def train(args, out):
    sys.argv = ["kws_train.py"] + args + COMMON + ["--out", out]
    kt.main()
    return out


class InLine:
    """An executor whose futures run their call when result() asks: the teachers computed at the
    loss, after the student's forward pass, as the loop computed them before the thread."""

    def __init__(self, *args, **kwargs):
        pass

    def submit(self, fn, *args):
        return _Later(lambda: fn(*args))

    def shutdown(self, wait=True):
        pass


class _Later:
    def __init__(self, call):
        self.result = call   # the loop reads each batch's posteriors once


ran_in = []
probs = kt.kws_distill.teacher_probs


def recorded(*args):
    ran_in.append(threading.current_thread() is threading.main_thread())
    return probs(*args)


kt.kws_distill.teacher_probs = recorded
teacher = train(["--model", "tdnn", "--width", "16", "--epochs", "1", "--float-epochs", "0"],
                os.path.join(work, "tdnn"))
student = ["--model", "lstm", "--hidden", "16", "--epochs", "2", "--float-epochs", "0", "--lr", "3e-3",
           "--remix", "1.0", "--noise", "0.05", "--prog-lsb", "2.0", "--prog-cal", "--eval-prog-lsb", "0.71",
           "--teacher", teacher]
fails = []
ran_in.clear()
threaded = train(student, os.path.join(work, "threaded"))
if not ran_in or any(ran_in):
    fails.append("threaded run: %d of %d teacher calls in the main thread, want none of at least one"
                 % (sum(ran_in), len(ran_in)))
ran_in.clear()
pool = concurrent.futures.ThreadPoolExecutor
kt.concurrent.futures.ThreadPoolExecutor = InLine
try:
    inline = train(student, os.path.join(work, "inline"))
finally:
    kt.concurrent.futures.ThreadPoolExecutor = pool
if not ran_in or not all(ran_in):
    fails.append("in-line run: %d of %d teacher calls in the main thread, want all" % (sum(ran_in), len(ran_in)))


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


names = sorted(f for f in os.listdir(inline) if f.endswith(".npy")) + ["model.pt", "model.img", "model.kwsd"]
if len(names) < 7:
    fails.append("the in-line run exported only %s" % names)
for f in names:
    a, b = os.path.join(threaded, f), os.path.join(inline, f)
    if not os.path.exists(a) or digest(a) != digest(b):
        fails.append("%s differs between the threaded and the in-line run" % f)
sets = []
for d in (threaded, inline):
    with open(os.path.join(d, "results.json")) as f:
        sets.append(json.load(f)["sets"])
for name in sets[1]:
    for model, m in sets[1][name].items():
        got = sets[0].get(name, {}).get(model)
        if got != m:
            fails.append("results sets.%s.%s: threaded %s, in-line %s" % (name, model, got, m))
if fails:
    print("\n".join("FAIL: " + f for f in fails))
    sys.exit(1)
print("teachers in their thread: the same student as in line (%d files, %d sets equal)" % (len(names), len(sets[1])))
