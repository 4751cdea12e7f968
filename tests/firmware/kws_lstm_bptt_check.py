#!/usr/bin/python3
"""kws_train --lstm-bptt fused (scripts/kws_lstm_bptt.py) against torch's autograd through the
same LSTM, and --lstm-noise pass against the draws it must make.

    /usr/bin/python3 tests/firmware/kws_lstm_bptt_check.py SCRIPTS_DIR

For the recipes' LSTM shape (40 MFCC in, hidden 128, 49 steps), quantized, with the training's
weight noise drawn per step or per pass, with and without the programming error (calibrated or
not) and the column ADC:
- the written-out recurrence gives the autograd loop's last h and logits bit for bit (the same
  random draws in the same order, the same products);
- the gradients of the gate matrix, its bias and the classifier agree to float rounding (relative
  1e-5 of the largest), and are not zero;
- the random stream advances by exactly the draws the noise mode makes: one weight-noise draw of
  the gate matrix per step (step) or one per pass (pass), after the programming-error draws;
- without gradients (evaluations, teachers), the written-out loop runs whatever the model's mode,
  and gives the autograd loop's logits bit for bit, with the evaluation's weight noise or the
  programming error;
- five Adam steps from one start, each path on its own copy, give losses within 1 % of each other.
Exit 1 naming the case and the difference.
"""
import copy
import sys

sys.path.insert(0, sys.argv[1])
import torch  # noqa: E402
import kws_train as kt  # noqa: E402

torch.set_num_threads(1)
B, T = 32, 49
fails = []


def run(model, x, y, seed):
    """(last h, logits, gradients) of one forward and backward pass drawn from `seed`."""
    model.zero_grad()
    head = model.head
    hs = []
    model.head = lambda h: (hs.append(h), head(h))[1]   # keep the last h on its way to the classifier
    torch.manual_seed(seed)
    out = model(x)
    after = torch.rand(4)   # where the random stream stands after the pass
    del model.head
    torch.nn.functional.cross_entropy(out, y).backward()
    grads = [p.grad.clone() for p in (model.gates.weight, model.gates.bias, model.fc.weight, model.fc.bias)]
    return hs[0].detach(), out.detach(), grads, after


def expected_stream(model, seed, noise_per):
    """The random stream after a pass, drawn here: the programming error of each layer (when on),
    then the gates' weight noise per step or once, then the classifier's."""
    torch.manual_seed(seed)
    g, fc = model.gates, model.fc
    if g.prog_lsb > 0:
        torch.randn_like(g.weight)
        torch.randn_like(fc.weight)
    for _ in range(T if noise_per == "step" else 1):
        torch.randn_like(g.weight)
    torch.randn_like(fc.weight)
    return torch.rand(4)


torch.manual_seed(0)
x = (torch.randint(-128, 128, (B, T, 40)).float() / 2 ** kt.K_IN)
y = torch.randint(0, len(kt.CLASSES), (B,))
cases = [(per, prog, cal, adc) for per in ("step", "pass") for prog, cal in ((0.0, False), (2.0, True), (2.0, False))
         for adc in (0.0, 636.25)]
for per, prog, cal, adc in cases:
    name = "noise per %s, prog %.1f LSB%s, ADC %g" % (per, prog, " calibrated" if cal else "", adc)
    torch.manual_seed(1)
    model = kt.LSTMKws(hidden=128)
    kt.set_mode(model, True, 0.05, prog, cal, adc)
    model.noise_per = per
    res = {}
    for mode in ("autograd", "fused"):
        model.bptt = mode
        res[mode] = run(model, x, y, seed=7)
    (ha, oa, ga, sa), (hf, of, gf, sf) = res["autograd"], res["fused"]
    if not torch.equal(ha, hf):
        fails.append("%s: last h differs in %d of %d values (max %.3g)"
                     % (name, int((ha != hf).sum()), ha.numel(), float((ha - hf).abs().max())))
    if not torch.equal(oa, of):
        fails.append("%s: logits differ in %d values" % (name, int((oa != of).sum())))
    for what, a, f in zip(("gate weights", "gate bias", "fc weights", "fc bias"), ga, gf):
        big = float(a.abs().max())
        diff = float((a - f).abs().max())
        if big == 0 or diff > 1e-5 * big:
            fails.append("%s: %s gradient differs by %.3g (largest %.3g)" % (name, what, diff, big))
    want = expected_stream(model, 7, per)
    for mode, got in (("autograd", sa), ("fused", sf)):
        if not torch.equal(got, want):
            fails.append("%s: %s left the random stream elsewhere than %s draw(s) of the gates' noise"
                         % (name, mode, T if per == "step" else 1))
    print("%-50s h equal %s, gate gradient off by %.2g of %.2g" % (name, torch.equal(ha, hf),
                                                                   float((ga[0] - gf[0]).abs().max()),
                                                                   float(ga[0].abs().max())))

# without a backward pass to come (predict(), the teachers) LSTMKws runs the written-out loop
# whatever its bptt: the same logits as the autograd loop, with the evaluation's noise (per step,
# as the reports' "noise0.10") and programming error
torch.manual_seed(4)
model = kt.LSTMKws(hidden=128)
model.eval()
for noise, prog in ((0.0, 0.0), (0.10, 0.0), (0.0, 0.71)):
    kt.set_mode(model, True, noise, prog, prog > 0)
    torch.manual_seed(9)
    with torch.no_grad():
        fast = model(x)
    torch.manual_seed(9)
    slow = model(x).detach()   # autograd's loop (bptt "autograd", gradients on)
    if not torch.equal(fast, slow):
        fails.append("evaluation, noise %.2f, prog %.2f LSB: logits differ in %d values"
                     % (noise, prog, int((fast != slow).sum())))
    print("evaluation, noise %.2f, prog %.2f LSB: logits equal %s" % (noise, prog, torch.equal(fast, slow)))

# a few training steps each way from one start
torch.manual_seed(2)
start = kt.LSTMKws(hidden=128)
kt.set_mode(start, True, 0.05, 2.0, True, 636.25)
losses = {}
for mode in ("autograd", "fused"):
    model = copy.deepcopy(start)
    model.bptt, model.noise_per = mode, "pass"
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    torch.manual_seed(3)
    ls = []
    for _ in range(5):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        ls.append(float(loss))
    losses[mode] = ls
print("losses over 5 Adam steps: autograd %s, fused %s" % (
    " ".join("%.4f" % v for v in losses["autograd"]), " ".join("%.4f" % v for v in losses["fused"])))
if losses["autograd"][-1] >= losses["autograd"][0]:
    fails.append("autograd: the loss did not fall over 5 steps (%s)" % losses["autograd"])
for k, (a, f) in enumerate(zip(losses["autograd"], losses["fused"])):
    if abs(a - f) > 0.01 * abs(a):
        fails.append("step %d: loss %.5f fused, %.5f autograd (more than 1 %% apart)" % (k, f, a))

if fails:
    print("\n".join("FAIL: " + f for f in fails))
    sys.exit(1)
print("kws_lstm_bptt: ok")
