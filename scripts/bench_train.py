#!/usr/bin/python3
"""Training speed on one core: what a kws_train.py epoch costs, part by part.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/bench_train.py [--data ~/.cache/cimvp-kws/v3-seed1]

Prints the float kernels it runs on (the ones kws_train.py pins, scripts/kws_kernels.py; set
OPENBLAS_CORETYPE etc. to measure others), then, each the best of --repeat runs:
  - remix: milliseconds per clip to mix fresh noise into a stored clean train clip and run the
    front end on it (kws_remix.remix_audio and the codes kws_train reads), over --clips clips;
  - one training step (forward, backward, Adam) on a batch of --batch clips (128, the recipes'),
    for the committed recipes' models: the TDNN (width 128) and the LSTM (hidden 128, 49 steps),
    both quantization-aware with 0.05 weight noise, the LSTM also with the 2 LSB programming
    error; the LSTM three ways: through autograd with the noise drawn per step (the recipes' runs),
    with its backward pass written out (--lstm-bptt fused), and that with the noise drawn once per
    pass (--lstm-noise pass); each also per clip, since part of a step does not grow with the batch
    (the LSTM's weight noise drawn at each of its 49 steps, the fixed cost of each small operation);
  - a teacher's forward pass (TDNN, LSTM) on a batch, and per clip;
  - the CPU seconds of one epoch over the dataset's train clips for each recipe (steps plus its
    remix share: TDNN 0.5, LSTM 1.0), which the training and its remix worker share on two cores.
The per-epoch validation and the end-of-run evaluation are not counted (a few seconds each).
With --chain [chain|committed|quick|quick-fest], the same sums over every training of that kws_reproduce.py recipe
(teachers' forward passes included) give an estimate of its CPU hours.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_kernels  # noqa: E402
if __name__ == "__main__":
    kws_kernels.pin()   # the kernels kws_train.py runs on (set OPENBLAS_CORETYPE etc. to measure others)
import numpy as np  # noqa: E402
import torch  # noqa: E402

import kws_features as fe  # noqa: E402
import kws_remix  # noqa: E402
import kws_reproduce as kr  # noqa: E402
import kws_train as kt  # noqa: E402

BAND, DITHER = (300, 4000), 1  # the committed models' front end
# model, --remix share, and the LSTM's backward pass and noise draws (kws_train --lstm-bptt, --lstm-noise):
# the chain's way, the same maths written out, and that with the noise drawn once per pass
RECIPES = (("tdnn", 0.5, "", ""), ("lstm", 1.0, "autograd", "step"), ("lstm", 1.0, "fused", "step"),
           ("lstm", 1.0, "fused", "pass"))


def best_of(repeat, fn):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def remix_ms(data, clips, repeat):
    labels = np.load(os.path.join(data, "train_labels.npy"))
    clean = np.load(os.path.join(data, "train_clean.npy"), mmap_mode="r")
    pool = kws_remix._babble_pool(data, "train")
    rows = np.linspace(0, len(labels) - 1, clips).astype(int)
    cache = os.path.dirname(os.path.abspath(data))
    fe.load(cache, BAND, DITHER)
    t_mix = best_of(repeat, lambda: kws_remix.remix_audio(clean, labels, rows, 1, 3, pool))
    audio = kws_remix.remix_audio(clean, labels, rows, 1, 3, pool)
    t_fe = best_of(repeat, lambda: fe.quantize_input(fe.model_ceps(fe.mfcc_batch(audio, cache, BAND, DITHER), cache,
                                                                   True), np.zeros(fe.NUM_CEPS, np.int16)))
    return 1e3 * t_mix / clips, 1e3 * t_fe / clips, len(labels)


def model_and_batch(kind, hidden, batch=128):
    """A fresh model of the recipes' shape and a batch of random input codes."""
    torch.manual_seed(0)
    model = kt.LSTMKws(hidden) if kind == "lstm" else kt.TDNNKws(128)
    return model, torch.randint(-128, 128, (batch, fe.NUM_FRAMES, fe.NUM_CEPS)).float() / 2 ** kt.K_IN


def step_ms(kind, repeat, hidden=128, bptt="autograd", noise_per="step", batch=128):
    model, x = model_and_batch(kind, hidden, batch)
    kt.set_mode(model, True, 0.05, 2.0 if kind == "lstm" else 0.0, kind == "lstm")
    if kind == "lstm":
        model.bptt, model.noise_per = bptt, noise_per
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    y = torch.randint(0, len(kt.CLASSES), (batch,))

    def step():
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    step()  # the first call allocates
    return 1e3 * best_of(repeat, step)


def forward_ms(kind, hidden, repeat, batch=128):
    """A teacher's forward pass on a batch (eval mode, fake-quantized, no noise)."""
    model, x = model_and_batch(kind, hidden, batch)
    kt.set_mode(model, True, 0.0)
    model.eval()
    with torch.no_grad():
        model(x)
        return 1e3 * best_of(repeat, lambda: model(x))


def data_scale(data):
    """The train scale the cache at `data` was made with (kws_dataset.py --train-scale, else --scale)."""
    try:
        with open(os.path.join(data, "summary.json")) as f:
            s = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("bench_train.py: --data %s: no readable summary.json (%s): --chain needs its train scale" % (data, e))
    return float(s.get("train_scale") or s.get("scale") or 1.0)


def chain_estimate(n_train, own_scale, remix_clip_ms, repeat, recipe="chain"):
    """CPU hours of the training stages of a kws_reproduce.py recipe from the parts measured here;
    n_train: the train clips of the measured cache, made at train scale own_scale."""
    ap = kt.build_parser()
    scale = {k: float(v[1][v[1].index("--train-scale") + 1]) for k, v in kr.DATASETS.items()}
    stages = kr.RECIPES[recipe][0]
    by_name = {st["name"]: st for st in stages}

    def args(st):  # a training stage's kws_train options (paths are placeholders)
        return ap.parse_args(kr.argv_of(st, "W", {k: "D" for k in kr.DATASETS}, "T"))

    def net(name):  # (kind, hidden) of a stage's model, following snapshots to their run
        st = by_name[name]
        while "snapshot_of" in st:
            st = by_name[st["snapshot_of"]]
        a = args(st)
        return a.model, a.hidden
    cost, total = {}, 0.0
    for st in stages:
        if "snapshot_of" in st:
            continue
        a = args(st)
        clips = n_train * scale[st["data"]] / own_scale
        per_batch = 0.0
        for key in [(a.model, a.hidden, "step", a.lstm_bptt, a.lstm_noise, a.batch)] + \
                [net(t) + ("fwd", "", "", a.batch) for t in st["teachers"]]:
            if key not in cost:
                kind, hidden, what, bptt, noise_per, batch = key
                cost[key] = (step_ms(kind, repeat, hidden, bptt, noise_per, batch) if what == "step"
                             else forward_ms(kind, hidden, repeat, batch))
            per_batch += cost[key]
        epochs = a.stop_epoch or a.epochs
        sec = epochs * ((clips + a.batch - 1) // a.batch * per_batch + a.remix * clips * remix_clip_ms) / 1e3
        total += sec
        print("  %-20s %2d epochs, %d teachers: %5.0f CPU s" % (st["name"], epochs, len(st["teachers"]), sec))
    return total / 3600.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"),
                    help="a kws_dataset.py cache with train_clean.npy (default: the v3 cache)")
    ap.add_argument("--clips", type=int, default=1000, help="clips remixed per run (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement, the best kept (default 3)")
    ap.add_argument("--batch", type=int, default=128, help="clips per training step (default 128, the recipes'; "
                    "the --chain estimate uses each stage's own)")
    ap.add_argument("--chain", nargs="?", const="chain", default=None, choices=sorted(kr.RECIPES),
                    metavar="RECIPE", help="also estimate the CPU hours of a kws_reproduce.py recipe (chain, the "
                    "default; committed, quick or quick-fest) from these parts (teachers' forward passes included; per-epoch "
                    "validation and final evaluations left out)")
    a = ap.parse_args()
    if a.clips < 1 or a.repeat < 1 or a.batch < 1:
        ap.error("--clips, --repeat and --batch must be >= 1")
    try:
        kws_remix.check(a.data, "train", len(np.load(os.path.join(a.data, "train_labels.npy"))))
    except (OSError, kws_remix.RemixError) as e:
        sys.exit("bench_train.py: --data %s: %s (make it with scripts/kws_dataset.py)" % (a.data, e))
    own_scale = data_scale(a.data) if a.chain else None   # before minutes of measuring
    torch.set_num_threads(1)
    k = kws_kernels.describe()
    print("kernels: OpenBLAS %s, ATen %s, oneDNN up to %s" % (k["openblas"], k["aten"], k["onednn_max_isa"]))
    mix, front, n_train = remix_ms(a.data, a.clips, a.repeat)
    print("remix, per clip: %.2f ms mixing + %.2f ms front end = %.2f ms (%d clips)" % (mix, front, mix + front,
                                                                                      a.clips))
    batches = (n_train + a.batch - 1) // a.batch
    for kind, share, bptt, noise_per in RECIPES:
        st = step_ms(kind, a.repeat, 128, bptt, noise_per, a.batch)
        cpu = batches * st / 1e3 + share * n_train * (mix + front) / 1e3
        how = " (--lstm-bptt %s --lstm-noise %s)" % (bptt, noise_per) if kind == "lstm" else ""
        print("%s%s: %.1f ms per training step (batch %d, %.3f ms a clip); an epoch of %d clips: %.1f s of steps + "
              "%.1f s of remix (share %.1f) = %.1f CPU s" % (kind.upper(), how, st, a.batch, st / a.batch, n_train,
                                                          batches * st / 1e3, share * n_train * (mix + front) / 1e3,
                                                          share, cpu))
    for kind in ("tdnn", "lstm"):  # what a teacher adds to each clip of a student's epoch
        fw = forward_ms(kind, 128, a.repeat, a.batch)
        print("%s teacher: %.1f ms per forward pass (batch %d, %.3f ms a clip)" % (kind.upper(), fw, a.batch,
                                                                                 fw / a.batch))
    if a.chain:
        print("kws_reproduce.py's trainings (--recipe %s), estimated from the parts above:" % a.chain)
        h = chain_estimate(n_train, own_scale, mix + front, a.repeat, a.chain)
        print("%s: %.1f CPU hours, %.1f hours on two cores kept busy" % (a.chain, h, h / 2))


if __name__ == "__main__":
    main()
