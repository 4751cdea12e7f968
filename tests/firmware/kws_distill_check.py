#!/usr/bin/python3
"""kws_distill (kws_train.py --teacher) against the formulas written out here.

    /usr/bin/python3 tests/firmware/kws_distill_check.py SCRIPTS_DIR TMPDIR

- distill_loss = T^2 x mean over the batch of sum p (log p - log q), q = softmax(out / T);
- teacher_probs = the teachers' softmax(z / T) averaged, with no gradient into the teachers;
- load_teachers rebuilds a saved TDNN and LSTM (model.pt + model.json as kws_train.py writes
  them) whose outputs equal the saved models' (fake-quantized, no weight noise), and refuses a
  teacher whose input differs from the student's (naming model.json and the field) or without
  model.pt;
- without model.pt, a directory kws_train.export wrote (as models/kws-<m>) teaches through its
  exported layers: the rebuilt model's logits equal kws_int.int_infer's on the exported integer
  model (also with a weight code of 127), and a damaged export is refused naming the directory;
  the committed models/kws-tdnn and kws-lstm, rebuilt so, compute their integer models;
- --init DIR (init_model) loads the committed LSTM's exported layers, and refuses a model of
  another shape or kind, naming the directory and the weight or kind; several --init runs give
  the mean of their weights (a soup), and a model.pt with a foreign weight is refused.
Exit 1 naming each difference.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
import kws_distill as kd  # noqa: E402
import kws_train as kt  # noqa: E402

tmp = sys.argv[2]
torch.manual_seed(5)
rng = np.random.default_rng(5)
fails = []

# -- the loss and the teachers' average
T = 2.5
out = torch.randn(16, 12, requires_grad=True)
zt = [torch.randn(16, 12) * 3 for _ in range(2)]
p = np.mean([torch.softmax(z.double() / T, 1).numpy() for z in zt], 0)
q = torch.softmax(out.detach().double() / T, 1).numpy()
want = T * T * float(np.mean(np.sum(p * (np.log(p) - np.log(q)), 1)))
teachers = [torch.nn.Linear(16, 12) for _ in range(2)]
for t, z in zip(teachers, zt):  # a teacher (trainable parameters) that returns z for the identity input
    with torch.no_grad():
        t.weight.copy_(z.t())
        t.bias.zero_()
got_p = kd.teacher_probs(teachers, torch.eye(16), T)
if got_p.requires_grad:
    fails.append("teacher_probs carries a gradient into the teachers")
    got_p = got_p.detach()
if not np.allclose(got_p.double().numpy(), p, atol=1e-6):
    fails.append("teacher_probs differs from the averaged softened posteriors by %.2e"
                 % float(np.abs(got_p.double().numpy() - p).max()))
loss = kd.distill_loss(out, got_p, T)
if not abs(float(loss) - want) < 1e-5 * max(1.0, want):
    fails.append("distill_loss %.7f, T^2 KL written out %.7f" % (float(loss), want))
if not want > 1e-2:
    fails.append("KL %.2e: the test's teacher and student should differ" % want)
same = kd.distill_loss(torch.log(torch.from_numpy(p).float()) * T, got_p, T)
if abs(float(same)) > 1e-5:
    fails.append("student = teacher: loss %.2e, want 0" % float(same))
loss.backward()
# d/d out of T^2 KL(p || softmax(out/T)) averaged over B clips = T (q - p) / B
g_want = T * (q - p) / len(q)
if not np.allclose(out.grad.double().numpy(), g_want, atol=1e-6):
    fails.append("gradient differs from T (q - p) / B by %.2e" % float(np.abs(out.grad.numpy() - g_want).max()))

# -- saved teachers rebuilt as kws_train.py saves them
offset = rng.integers(-20, 20, 40).astype(np.int16)
student = kt.input_desc(offset, True, (300, 4000), None, 1, None)
x = torch.from_numpy(rng.integers(-100, 100, (6, 49, 40)).astype(np.float32)) / 2 ** kt.K_IN
for kind, model, extra in (("tdnn", kt.TDNNKws(16), {"tdnn_spec": [list(s) for s in kt.TDNNKws.SPEC]}),
                           ("lstm", kt.LSTMKws(8, pool="mean"), {"hidden": 8, "pool": "mean"})):
    d = os.path.join(tmp, kind)
    os.makedirs(d, exist_ok=True)
    with torch.no_grad():
        for prm in model.parameters():
            prm.add_(0.05 * torch.randn_like(prm))
    torch.save(model.state_dict(), os.path.join(d, "model.pt"))
    with open(os.path.join(d, "model.json"), "w") as f:
        json.dump(dict(student, type=kind, **extra), f)
    kt.set_mode(model, True, 0.0)
    model.eval()
    with torch.no_grad():
        ref = model(x)
        t = kd.load_teachers([d], student, kt.model_from_state)[0]
        got = t(x)
    if not torch.equal(got, ref):
        fails.append("%s teacher: outputs differ from the saved model's by %.3g" % (kind, float((got - ref).abs().max())))
    if t.training:
        fails.append("%s teacher left in training mode" % kind)
    for field, value in (("in_offset_q7", [int(v) + 1 for v in offset]), ("mel_band_hz", [20, 4000]), ("dither", 0)):
        other = dict(student, **{field: value})
        try:
            kd.load_teachers([d], other, kt.model_from_state)
            fails.append("%s teacher with another %s accepted" % (kind, field))
        except kd.TeacherError as e:
            if "model.json" not in str(e) or field not in str(e):
                fails.append("%s refusal does not name model.json and %s: %s" % (kind, field, e))
# a model.json that does not describe its model.pt (hidden 16, weights of hidden 8), and a model.pt
# that is not a saved state dict: refused naming model.pt
with open(os.path.join(tmp, "lstm", "model.json")) as f:
    wrong = dict(json.load(f), hidden=16)
with open(os.path.join(tmp, "lstm", "model.json"), "w") as f:
    json.dump(wrong, f)
for what in ("model.json hidden 16", "a text model.pt"):
    if what.startswith("a text"):
        with open(os.path.join(tmp, "lstm", "model.pt"), "w") as f:
            f.write("not a state dict\n")
    try:
        kd.load_teachers([os.path.join(tmp, "lstm")], student, kt.model_from_state)
        fails.append("a teacher with %s accepted" % what)
    except kd.TeacherError as e:
        if "model.pt" not in str(e):
            fails.append("%s: the message does not name model.pt: %s" % (what, e))
os.remove(os.path.join(tmp, "lstm", "model.pt"))
try:
    kd.load_teachers([os.path.join(tmp, "lstm")], student, kt.model_from_state)
    fails.append("a teacher without model.pt accepted")
except kd.TeacherError as e:
    if "model.pt" not in str(e):
        fails.append("missing model.pt: the message does not name it: %s" % e)

# -- teachers from an export without model.pt (a committed models/kws-<m>)
import kws_int  # noqa: E402


def export_teacher_diff(d, student_desc, x_s8, want):
    """The largest |logit code| difference between the teacher load_teachers builds of d and `want`
    (int_infer's logits on the int8 codes x_s8); TeacherError if it is refused."""
    t = kd.load_teachers([d], student_desc, kt.model_from_state, kt.model_from_export)[0]
    if t.training:
        fails.append("%s: teacher left in training mode" % d)
    with torch.no_grad():
        got = t(torch.from_numpy(x_s8.astype(np.float32)) / 2 ** kt.K_IN).numpy() * 2 ** kt.K_LOGIT
    return float(np.abs(got - want).max())


xs8 = rng.integers(-100, 100, (6, 49, 40)).astype(np.int64)
for kind, model in (("tdnn", kt.TDNNKws(16)), ("lstm", kt.LSTMKws(8, pool="mean"))):
    d = os.path.join(tmp, kind + "-export")
    with torch.no_grad():
        for prm in model.parameters():
            prm.add_(0.05 * torch.randn_like(prm))
        first = model.layers()[0]
        first.weight[0, 0] = 15.874  # the block's max: exponent 3 (127 / 15.874 just over 8), code 127
    exp = kt.export(model, kind, offset, d, True, (300, 4000), None, 1, None)
    if int(np.abs(exp["layers"][0]["w"]).max()) != 127:
        fails.append("%s export: no code at 127, the case is not exercised" % kind)
    try:
        diff = export_teacher_diff(d, student, xs8, kws_int.int_infer(exp, xs8))
        if diff > 0:
            fails.append("%s teacher from the export: logits differ from int_infer's by up to %g codes" % (kind, diff))
    except kd.TeacherError as e:
        fails.append("%s teacher from the export refused: %s" % (kind, e))
    if kind == "tdnn":  # a damaged export: the first layer's weights one column short
        np.save(os.path.join(d, "tdnn0.npy"), exp["layers"][0]["w"][:, :-1])
        try:
            kd.load_teachers([d], student, kt.model_from_state, kt.model_from_export)
            fails.append("a teacher whose tdnn0.npy is one column short accepted")
        except kd.TeacherError as e:
            if d not in str(e) or "tdnn0.npy" not in str(e):
                fails.append("a short tdnn0.npy: the message does not name the directory and file: %s" % e)
# the committed models teach from their exports: the rebuilt models compute the integer models
# the firmware reads (model.kwsd and the .npy files, kws_host_ref.load_model)
import kws_host_ref as hr  # noqa: E402
for kind in ("tdnn", "lstm"):
    d = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "models", "kws-" + kind)
    with open(os.path.join(d, "model.json")) as f:
        desc = json.load(f)
    m = kws_int.from_descriptor(hr.load_model_or_exit(d, "kws_distill_check", study=True))
    xc = rng.integers(-128, 128, (8, desc["num_frames"], desc["num_ceps"])).astype(np.int64)
    try:
        diff = export_teacher_diff(d, {k: desc.get(k) for k in kd.INPUT_FIELDS}, xc, kws_int.int_infer(m, xc))
        if diff > 0:
            fails.append("%s as a teacher: logits differ from its integer model's by up to %g codes" % (d, diff))
    except kd.TeacherError as e:
        fails.append("%s refused as a teacher: %s" % (d, e))
# --init DIR (kws_train.init_model) starts from the committed LSTM's exported layers: the state
# its teacher has; a model of another shape or kind is refused naming the weight or the kind
lstm_dir = os.path.join(os.path.dirname(os.path.abspath(sys.argv[1])), "models", "kws-lstm")
with open(os.path.join(lstm_dir, "model.json")) as f:
    ldesc = json.load(f)
lin = {k: ldesc.get(k) for k in kd.INPUT_FIELDS}
fresh = kt.LSTMKws(int(ldesc["hidden"]), int(ldesc["num_ceps"]))
kt.init_model(fresh, [lstm_dir], lin, "lstm")
ref = kt.model_from_export("lstm", ldesc, lstm_dir).state_dict()
for k, v in fresh.state_dict().items():
    if not torch.equal(v, ref[k]):
        fails.append("--init %s: %s differs from the exported model's by up to %g"
                     % (lstm_dir, k, float((v - ref[k]).abs().max())))
for what, model, kind, want in (("a wider LSTM", kt.LSTMKws(int(ldesc["hidden"]) + 8, int(ldesc["num_ceps"])), "lstm",
                                 "gates.weight"),
                                ("a TDNN run", kt.TDNNKws(128, int(ldesc["num_ceps"])), "tdnn", "a lstm, this run trains a tdnn")):
    try:
        kt.init_model(model, [lstm_dir], lin, kind)
        fails.append("--init %s into %s accepted" % (lstm_dir, what))
    except SystemExit as e:
        if "--init " + lstm_dir not in str(e) or want not in str(e):
            fails.append("--init %s into %s: the message does not name the directory and %r: %s" % (lstm_dir, what, want, e))
# --init A,B (a soup): the element-wise mean of the runs' weights; a model.pt with a weight the
# run's model lacks is refused naming the file and the weight
pts = []
for i in range(3):
    torch.manual_seed(100 + i)
    pts.append(os.path.join(tmp, "soup%d.pt" % i))
    torch.save(kt.LSTMKws(int(ldesc["hidden"]), int(ldesc["num_ceps"])).state_dict(), pts[-1])
soup = kt.LSTMKws(int(ldesc["hidden"]), int(ldesc["num_ceps"]))
kt.init_model(soup, pts + [lstm_dir], lin, "lstm")
parts = [torch.load(p) for p in pts] + [ref]
for k, v in soup.state_dict().items():
    want = (parts[0][k] + parts[1][k] + parts[2][k] + parts[3][k]) / 4
    if not torch.allclose(v, want, rtol=0, atol=1e-6):
        fails.append("--init soup of 4: %s differs from the mean of the runs' by up to %g"
                     % (k, float((v - want).abs().max())))
bad = dict(parts[0], extra=torch.zeros(3))
torch.save(bad, os.path.join(tmp, "soup-extra.pt"))
try:
    kt.init_model(soup, [pts[0], os.path.join(tmp, "soup-extra.pt")], lin, "lstm")
    fails.append("--init with a weight the model lacks accepted")
except SystemExit as e:
    if "soup-extra.pt" not in str(e) or "'extra'" not in str(e):
        fails.append("--init with a weight the model lacks: the message does not name the file and weight: %s" % e)
for f in fails:
    print("FAIL", f)
print("kws_distill: %d failures" % len(fails))
sys.exit(1 if fails else 0)
