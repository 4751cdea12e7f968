#!/usr/bin/python3
"""kws_train.consistency_loss (--consistency) against KL(p || q) written out here, and
kws_train.teacher_input (--distill-clean) against the rows it must swap.

    /usr/bin/python3 tests/firmware/kws_consistency_check.py SCRIPTS_DIR

A small linear model on random codes: the loss must equal sum p (log p - log q) averaged over the
batch's clips that have a clean word (silence rows and rows past the clean codes, the appended
digital silence, left out), be 0 when the clean codes are the noisy ones, not change when a
silence row's clean codes change, and give no gradient through the clean prediction. The
teachers' input with --distill-clean must be the clean codes / 2^K_IN on those same kept rows,
the student's batch unchanged on the others, and leave the student's batch as it was. Exit 1
naming the difference.
"""
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
import kws_train as kt  # noqa: E402

torch.manual_seed(3)
rng = np.random.default_rng(3)
fails = []
model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(49 * 40, 12))
n = 40
xcl = rng.integers(-100, 100, (n, 49, 40)).astype(np.int8)
noisy = np.clip(xcl + rng.integers(-30, 30, xcl.shape), -127, 127).astype(np.int8)
y = rng.integers(0, 12, n + 4)           # 4 rows past the clean codes (digital silence)
y[n:] = kt.CLASSES.index("silence")
y[:6] = kt.CLASSES.index("silence")
idx = rng.permutation(n + 4)[:24]
xb = np.concatenate([noisy, noisy[:4]])[idx]


def run(clean):
    out = model(torch.from_numpy(xb).float() / 2 ** kt.K_IN)
    return out, kt.consistency_loss(model, out, clean, idx, y)


out, got = run(xcl)
keep = [i for i, r in enumerate(idx) if r < n and y[r] != kt.CLASSES.index("silence")]
with torch.no_grad():
    p = torch.softmax(model(torch.from_numpy(xcl[idx[keep]]).float() / 2 ** kt.K_IN).double(), 1).numpy()
    q = torch.softmax(out[keep].double(), 1).numpy()
want = float(np.mean(np.sum(p * (np.log(p) - np.log(q)), 1)))
if not abs(float(got) - want) < 1e-5 * max(1.0, want):
    fails.append("loss %.7f, KL written out %.7f (%d of %d clips kept)" % (float(got), want, len(keep), len(idx)))
if not want > 1e-3:
    fails.append("KL %.2e: the test's clean and noisy codes should differ in prediction" % want)
same = np.concatenate([noisy, noisy[:4]])[:n]
_, zero = run(same)
if abs(float(zero)) > 1e-6:
    fails.append("clean = noisy codes: loss %.2e, want 0" % float(zero))
alt = xcl.copy()
alt[:6] = 0                               # the silence rows' "clean" codes
_, g2 = run(alt)
if abs(float(g2) - float(got)) > 1e-7:
    fails.append("a silence row's clean codes changed the loss by %.2e" % abs(float(g2) - float(got)))
model.zero_grad()
out, l1 = run(xcl)
l1.backward()
g_full = model[1].weight.grad.clone()
model.zero_grad()
with torch.no_grad():
    target = torch.softmax(model(torch.from_numpy(xcl[idx[keep]]).float() / 2 ** kt.K_IN), 1)
out = model(torch.from_numpy(xb).float() / 2 ** kt.K_IN)
torch.nn.functional.kl_div(torch.log_softmax(out[keep], 1), target, reduction="batchmean").backward()
if not torch.allclose(g_full, model[1].weight.grad, atol=1e-7):
    fails.append("gradient flows through the clean prediction (max diff %.2e)"
                 % float((g_full - model[1].weight.grad).abs().max()))
# -- --distill-clean: the teachers read the clean word where there is one
xs = torch.from_numpy(xb).float() / 2 ** kt.K_IN
xs0 = xs.clone()
xt = kt.teacher_input(xs, xcl, idx, y)
if not torch.equal(xs, xs0):
    fails.append("teacher_input changed the student's batch")
for i, r in enumerate(idx):
    want_row = (torch.from_numpy(xcl[r]).float() / 2 ** kt.K_IN) if i in keep else xs0[i]
    if not torch.equal(xt[i], want_row):
        fails.append("teacher_input row %d (clip %d, %s): differs from the %s codes by %.3g" % (
            i, r, kt.CLASSES[y[r]], "clean" if i in keep else "student's",
            float((xt[i] - want_row).abs().max())))
if not 0 < len(keep) < len(idx):
    fails.append("the batch should mix clips with and without a clean word (%d of %d kept)" % (len(keep), len(idx)))
for f in fails:
    print("FAIL", f)
print("consistency_loss, teacher_input: %d failures" % len(fails))
sys.exit(1 if fails else 0)
