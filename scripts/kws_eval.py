#!/usr/bin/python3
"""Evaluation of the keyword spotter: host float model, host integer model and the board, side by side.

    /usr/bin/python3 scripts/kws_eval.py [--model lstm,tdnn] [--sets test,test_snr10] [--max-clips N]
        [--seeds 1,2,3,4,5] [--jobs 2] [--out build/kws-eval] [--data ~/.cache/cimvp-kws/v1-seed1]
        [--clips tests/kws/clips] [--preset board|ideal] [--set KEY=VALUE] [--fa-seconds 60] [--check-exact]

Per model (configs/kws-<m>.yaml) and test set:
  * host float:   the exported int8 weights with float activations (no rounding, saturation or
                  LUTs; real sigmoid/tanh, float cell state): what quantizing the activations costs;
  * host integer: kws_int.int_infer on the firmware's own front-end (as scripts/kws_host_ref.py);
  * board:        build/firmware/kws_<m>_clip.elf per 1 s clip (LOGITS / RESULT / SUMMARY, stats
                  JSON energy_pj), once per device seed (--set npu.seed=N: another programmed array);
                  accuracy as mean and std over the seeds.
False alarms per hour: the streaming build kws_<m>.elf over non-keyword audio (the first set's
unknown and silence clips back to back, --fa-seconds long: test_snr10 first gives a noisy stream),
DETECT lines per hour of audio, per seed.
Latency and energy per decision come from the board (SUMMARY cycles, stats energy_pj).

--clips DIR evaluates the bundled tests/kws/clips/*.wav (each 1 s row of the .csv is a clip; no
dataset cache needed); --check-exact exits 1 unless the board's logits equal the host integer
model's on every clip (true in the ideal preset). Output in --out: results.json, summary.md,
confusion_<m>_<set>_<system>.csv, confusion_<m>_<set>.png, pred_<m>_<set>.npz (every clip's
class per system and device seed, and the integer model's and the board's int8 logits); written
to a temporary directory and renamed into place, so OUT is complete or absent. Dataset sets are
also scored on the held-out voices only: without the clips whose voice speaks in train (an espeak
accent's own voice, with no variant, is in train and in test: 34 of test's 1200 clips), the
issue's "held-out voices".
"""
import argparse
import concurrent.futures as cf
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import kws_host_ref as hr  # noqa: E402

CLASSES = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "silence", "unknown"]
NK = 10
SR = 16000
DATA_CMD = "/usr/bin/python3 scripts/kws_dataset.py   (or --perturb for v2-seed1)"


# ---------------------------------------------------------------- clips
def balanced_subset(labels, n, seed=0):
    """n clip indices spread evenly over the classes present (fixed seed: the same subset each run)."""
    rng = np.random.default_rng(seed)
    by_cls = [list(rng.permutation(np.flatnonzero(labels == c))) for c in range(len(CLASSES))]
    pick, k = [], 0
    while len(pick) < n and any(by_cls):
        c = k % len(CLASSES)
        if by_cls[c]:
            pick.append(int(by_cls[c].pop(0)))
        k += 1
    return np.array(sorted(pick), dtype=np.int64)


def load_dataset_set(data, name, max_clips):
    ap, lp = os.path.join(data, name + "_audio.npy"), os.path.join(data, name + "_labels.npy")
    if not os.path.exists(ap):
        sys.exit("kws_eval: set '%s' not in the dataset cache %s (no %s); make it with\n    %s"
                 % (name, data, os.path.basename(ap), DATA_CMD))
    audio = np.load(ap, mmap_mode="r")
    lab = np.load(lp).astype(np.int64)
    idx = balanced_subset(lab, max_clips) if max_clips else np.arange(len(lab))
    return (np.array(audio[idx], dtype=np.int16), lab[idx], ["%s#%d" % (name, i) for i in idx],
            held_out_mask(data, name)[idx])


def voice_of(meta):
    return meta.get("engine"), meta.get("voice"), meta.get("variant")


def train_voices(data):
    """The (engine, voice, variant) triples that speak in the cache's train set."""
    path = os.path.join(data, "train_meta.jsonl")
    if not os.path.exists(path):
        sys.exit("kws_eval: no %s, so no held-out voices (make the dataset with scripts/kws_dataset.py)" % path)
    with open(path) as f:
        return {voice_of(json.loads(line)) for line in f}


def is_held_out(meta, heard):
    """A clip's voice is held out unless it speaks in train (`heard`, train_voices); silence has none."""
    return meta.get("engine") is None or voice_of(meta) not in heard


def held_out_mask(data, name):
    """Per clip of set NAME: True unless its voice speaks in train. An espeak accent's own voice
    (no variant) is in train and in test (the split holds variants out, and the base voice of a
    heard accent is no variant), so the issue's "held-out voices" are the test set without those
    clips; silence has no voice and stays."""
    heard = train_voices(data)
    path = os.path.join(data, name + "_meta.jsonl")
    if not os.path.exists(path):
        sys.exit("kws_eval: no %s (make the dataset with scripts/kws_dataset.py)" % path)
    with open(path) as f:
        return np.array([is_held_out(m, heard) for m in map(json.loads, f)], bool)


def read_wav(path):
    with wave.open(path) as w:
        assert w.getframerate() == SR and w.getnchannels() == 1 and w.getsampwidth() == 2, path
        return np.frombuffer(w.readframes(w.getnframes()), "<i2")


def write_wav(path, x):
    with wave.open(path, "wb") as o:
        o.setnchannels(1)
        o.setsampwidth(2)
        o.setframerate(SR)
        o.writeframes(np.asarray(x, "<i2").tobytes())


def load_bundled(clip_dir):
    """tests/kws/clips: NAME.wav + NAME.csv (label,start_ms,end_ms,...): one set per file."""
    sets = {}
    for f in sorted(os.listdir(clip_dir)):
        if not f.endswith(".csv"):
            continue
        name = f[:-4]
        x = read_wav(os.path.join(clip_dir, name + ".wav"))
        audio, lab, ids = [], [], []
        for row in csv.DictReader(open(os.path.join(clip_dir, f))):
            s = int(row["start_ms"]) * SR // 1000
            seg = x[s:s + SR]
            if len(seg) < SR:
                continue
            audio.append(seg)
            lab.append(CLASSES.index(row["label"]))
            ids.append("%s@%sms" % (name, row["start_ms"]))
        sets[name] = (np.array(audio, np.int16), np.array(lab, np.int64), ids, None)
    if not sets:
        sys.exit("kws_eval: no NAME.wav + NAME.csv clips in %s" % clip_dir)
    return sets


# ---------------------------------------------------------------- host models
def features(audio, m, cache):
    """The firmware's front-end (C through ctypes), per-utterance CMN if the model uses it, then
    the input codes (int8) and the unquantized input (float, same scale) for the float model."""
    import kws_features as fe
    feat = np.stack([fe.mfcc_q7(x, cache, m["mel_band"], m["dither"], m["floor"])[: m["num_frames"]] for x in audio]).astype(np.int64)
    if m["flags"] & hr.FLAG_CMN:
        feat = np.stack([hr.cmn(f) for f in feat])
    d = feat - m["in_offset"]
    s8 = fe.quantize_input(feat, m["in_offset"], m["in_shift"])
    # float codes: s8 before rounding, saturated like the training pipeline's int8 input (the model
    # never saw values beyond; unsaturated input halves the float accuracy)
    return s8, np.clip(d / 2.0 ** m["in_shift"], -128, 127)


def host_int(m, s8):
    import kws_int
    exp = kws_int.from_descriptor(m)
    return kws_int.int_infer(exp, s8).astype(np.int64)


def host_float(m, xf):
    """Float forward pass on the exported weights. A layer's accumulator is in units 2^-K with
    K = shift + k_out (k_out: the output's fraction bits), so z = (u.W + b) / 2^K in real units,
    u being the input in its code scale (offset binary +128 where the bias corrects for it)."""
    L = m["layers"]
    sig = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731

    def lin(u, lay, k_out):
        return (u @ lay["w"].astype(np.float64) + lay["b"]) / 2.0 ** (lay["shift"] + k_out)

    lf = m["logit_frac"]
    if m["type"] == "lstm":
        H = m["hidden"]
        N, T, _ = xf.shape
        h, c = np.zeros((N, H)), np.zeros((N, H))
        for t in range(T):
            z = lin(np.concatenate([xf[:, t] + 128, h * 128 + 128], 1), L[0], m["act_frac"])
            i, f, g, o = sig(z[:, :H]), sig(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), sig(z[:, 3 * H:])
            c = f * c + i * g
            h = o * np.tanh(c)
        return lin(h * 128 + 128, L[1], lf)
    x, rf = xf + 128, 2.0 ** m["relu_frac"]
    for lay in L[:-1]:
        ctx, dil = lay["ctx"], lay["dil"]
        Tn = x.shape[1] - (ctx - 1) * dil
        sp = np.concatenate([x[:, k * dil:k * dil + Tn] for k in range(ctx)], 2)
        x = np.maximum(lin(sp, lay, m["relu_frac"]), 0) * rf
    return lin(x.mean(1), L[-1], lf)


# ---------------------------------------------------------------- board
class Progress:
    """One text line on stderr, redrawn in place."""

    def __init__(self, total, what):
        self.total, self.done, self.what, self.t0 = total, 0, what, time.time()
        self.lock = threading.Lock()
        self.tty = sys.stderr.isatty()
        self.draw()

    def step(self):
        with self.lock:
            self.done += 1
            if self.tty or self.done == self.total or self.done % max(1, self.total // 20) == 0:
                self.draw()

    def draw(self):
        w = 30
        n = w * self.done // max(1, self.total)
        el = time.time() - self.t0
        eta = el / self.done * (self.total - self.done) if self.done else 0
        sys.stderr.write("%s%-24s [%s%s] %d/%d %.0fs eta %.0fs%s" % (
            "\r" if self.tty else "", self.what[:24], "#" * n, "." * (w - n), self.done, self.total, el, eta,
            "" if self.tty and self.done < self.total else "\n"))
        sys.stderr.flush()


def parse_board(out):
    r = {}
    lg = re.search(r"^LOGITS (.*)$", out, re.M)
    if lg:
        r["logits"] = [int(v) for v in lg.group(1).split()]
    rs = re.search(r"^RESULT (\S+) ([0-9.]+)", out, re.M)
    if rs:
        r["result"], r["score"] = rs.group(1), float(rs.group(2))
    sm = re.search(r"^SUMMARY (.*)$", out, re.M)
    if sm:
        r["summary"] = {k: v for k, v in re.findall(r"(\w+)=(\S+)", sm.group(1))}
    r["detections"] = re.findall(r"^DETECT (\S+) (\d+)", out, re.M)
    return r


def energy_pj(stats_path):
    try:
        s = json.load(open(stats_path))
    except (OSError, ValueError):
        return None, None

    def find(o, key):
        if isinstance(o, dict):
            for k, v in o.items():
                if k == key:
                    return v
                r = find(v, key)
                if r is not None:
                    return r
        return None
    return find(s, "energy_pj"), find(s, "clock_hz")


def board_run(cmd, wav, stats, timeout):
    p = subprocess.run(cmd + ["--audio", wav, "--stats", stats], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=timeout)
    r = parse_board(p.stdout)
    r["rc"] = p.returncode
    r["energy_pj"], r["clock_hz"] = energy_pj(stats)
    if p.returncode != 0 or "summary" not in r:
        r["tail"] = p.stdout[-600:]
    return r


def run_jobs(jobs, workers, what):
    """jobs: list of (key, cmd, wav, stats, timeout); returns {key: result}. The work is in the
    cimvp child processes, so threads are enough to keep `workers` simulations running."""
    res = {}
    bar = Progress(len(jobs), what)
    with cf.ThreadPoolExecutor(max_workers=workers) as ex:
        futs = {ex.submit(board_run, *j[1:]): j[0] for j in jobs}
        for f in cf.as_completed(futs):
            try:
                res[futs[f]] = f.result()
            except subprocess.TimeoutExpired:
                res[futs[f]] = {"rc": -1, "tail": "timeout"}
            bar.step()
    return res


# ---------------------------------------------------------------- metrics and output
def metrics(pred, lab):
    pred, lab = np.asarray(pred), np.asarray(lab)
    kw = lab < NK
    neg = ~kw
    return {"acc": float(np.mean(pred == lab)),
            "kw_recall": float(np.mean(pred[kw] == lab[kw])) if kw.any() else None,
            "fa_clip": float(np.mean(pred[neg] < NK)) if neg.any() else None, "n": int(len(lab))}


def logit_rms(a, b):
    """RMS difference of two systems' int8 logits over the clips and classes, in logit codes: how
    far the array moves the integer model's outputs. Finer than the argmax agreement, which counts
    only the clips it tips over, so a few clips compare non-idealities (kws_prog_error.py prints the
    same for the host's model of the programming error)."""
    d = np.asarray(a, np.float64) - np.asarray(b, np.float64)
    return float(np.sqrt(np.mean(d * d))) if d.size else None


def confusion(pred, lab):
    cm = np.zeros((len(CLASSES), len(CLASSES)), np.int64)
    np.add.at(cm, (np.asarray(lab), np.asarray(pred)), 1)
    return cm


def write_cm_csv(path, cm):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["true\\pred"] + CLASSES)
        for c, row in zip(CLASSES, cm):
            w.writerow([c] + [int(v) for v in row])


def write_cm_png(path, cms, title):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, axs = plt.subplots(1, len(cms), figsize=(5.2 * len(cms), 5))
    for ax, (name, cm) in zip(np.atleast_1d(axs), cms.items()):
        rows = cm.sum(1, keepdims=True).clip(1)
        ax.imshow(cm / rows, vmin=0, vmax=1, cmap="Blues")
        ax.set_xticks(range(len(CLASSES)), CLASSES, rotation=90, fontsize=7)
        ax.set_yticks(range(len(CLASSES)), CLASSES, fontsize=7)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(name, fontsize=9)
        for i in range(len(CLASSES)):
            for j in range(len(CLASSES)):
                if cm[i, j]:
                    ax.text(j, i, str(int(cm[i, j])), ha="center", va="center", fontsize=6,
                            color="white" if cm[i, j] / rows[i, 0] > 0.5 else "black")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def ms(v):
    v = [x for x in v if x is not None]
    if not v:
        return None
    return {"mean": float(np.mean(v)), "std": float(np.std(v)), "n": len(v)}


def fmt(d, scale=1.0, nd=3):
    if d is None:
        return "-"
    if isinstance(d, dict):
        if d["n"] > 1:
            return "%.*f +- %.*f" % (nd, d["mean"] * scale, nd, d["std"] * scale)
        return "%.*f" % (nd, d["mean"] * scale)
    return "%.*f" % (nd, d * scale)


def summary_md(R):
    L = ["# KWS evaluation", "", "Command: `%s`" % R["command"], "",
         "Board preset: %s; device seeds %s; %s. Board figures are mean +- std over the seeds." % (
             R["preset"], ",".join(map(str, R["seeds"])), R["source"]), "",
         "| model | set | clips | acc float | acc integer | acc board | board = integer (argmax) "
         "| logit rms vs integer | FA clip int / board | latency ms | energy uJ / decision (clip) |",
         "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for mname, M in R["models"].items():
        for sname, S in M["sets"].items():
            b = S["board"]
            L.append("| %s | %s | %d | %s | %s | %s | %s | %s | %s / %s | %s | %s |" % (
                mname, sname, S["n"], fmt(S["float"]["acc"]), fmt(S["integer"]["acc"]), fmt(b["acc"]),
                fmt(b["agree_integer"]), fmt(b.get("logit_rms")), fmt(S["integer"]["fa_clip"]), fmt(b["fa_clip"]),
                fmt(b["latency_ms"], nd=2), fmt(b["energy_uj"], nd=1)))
            if "held_out" in S:
                H = S["held_out"]
                L.append("| %s | %s, held-out voices only | %d | %s | %s | %s | | | | | |" % (
                    mname, sname, H["n"], fmt(H["float"]["acc"]), fmt(H["integer"]["acc"]), fmt(H["board"], nd=4)))
    src = sorted({M["false_alarms"].get("source", "") for M in R["models"].values() if M.get("false_alarms")})
    L += ["", "Streaming build on non-keyword audio (unknown + silence clips back to back%s):"
          % ("; " + ", ".join(src) if any(src) else ""), "",
          "| model | threshold | audio s | false alarms / hour | decisions | energy uJ / decision | uJ per s of audio "
          "| core ms per hop (mean) / longest step | overruns |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for mname, M in R["models"].items():
        F = M.get("false_alarms")
        if F:
            L.append("| %s | %s | %.0f | %s | %s | %s | %s | %s / %s | %d |" % (
                mname, "%.3f" % F["threshold"] if "threshold" in F else "-", F["seconds"], fmt(F["fa_per_hour"], nd=0), fmt(F["decisions"], nd=0),
                fmt(F["energy_uj_per_decision"], nd=2), fmt(F["energy_uj_per_s"], nd=1),
                fmt(F["ms_per_hop"], nd=3), fmt(F["max_ms_per_hop"], nd=3), F["overruns"]))
    L += ["", "acc float: the exported int8 weights with float activations; acc integer: kws_int.int_infer "
          "(bit-exact with the ideal board); logit rms: the RMS difference of the board's int8 logits from the "
          "integer model's, in logit codes (0 on the ideal board); FA clip: fraction of unknown/silence clips classified as a keyword. "
          "Latency: core cycles from the last audio frame to RESULT (front-end + whole-window inference) at the "
          "core clock. Energy (clip): stats energy_pj of one 1 s clip run (capture, front-end, inference). "
          "Held-out voices only: the set without the clips whose voice also speaks in train (an espeak "
          "accent's own voice, no variant). pred_<model>_<set>.npz: every clip's class, per system and seed, "
          "and the integer model's and the board's int8 logits.", ""]
    return "\n".join(L)


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="lstm,tdnn")
    ap.add_argument("--sets", default="test,test_snr10")
    ap.add_argument("--max-clips", type=int, default=0, help="clips per set, balanced over the classes (0 = all)")
    ap.add_argument("--seeds", default="1,2,3,4,5", help="device seeds (npu.seed) for the board")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(REPO, "build", "kws-eval"))
    ap.add_argument("--data", default=None, help="dataset cache (default ~/.cache/cimvp-kws/v1-seed1, else v2-seed1)")
    ap.add_argument("--clips", default=None, help="evaluate DIR/*.wav + .csv instead of the dataset")
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--preset", choices=["board", "ideal"], default="board",
                    help="board: configs/kws-<m>.yaml; ideal: + configs/ideal.yaml (bit-exact NPU)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="board setting passed to cimvp (repeatable), e.g. npu.mapping.replication=4")
    ap.add_argument("--fa-seconds", type=int, default=60, help="non-keyword audio for false alarms/hour (0: skip)")
    ap.add_argument("--check-exact", action="store_true", help="exit 1 unless board logits == host integer logits")
    ap.add_argument("--fe-cache", default=os.path.expanduser("~/.cache/cimvp-kws"), help="front-end .so cache")
    a = ap.parse_args()
    t_start = time.time()
    models = a.model.split(",")
    seeds = [int(s) for s in a.seeds.split(",")] if a.preset == "board" else [int(a.seeds.split(",")[0])]
    cimvp = os.path.join(a.build, "platform", "cimvp")
    for mname in models:
        for f in (cimvp, os.path.join(a.build, "firmware", "kws_%s_clip.elf" % mname),
                  os.path.join(a.build, "models", "kws-%s.img" % mname)):
            if not os.path.exists(f):
                sys.exit("kws_eval: %s missing: build first (cmake -S . -B build -G Ninja && ninja -C build)" % f)

    # clips per set
    if a.clips:
        sets = load_bundled(a.clips)
        source = "bundled clips %s" % os.path.relpath(os.path.abspath(a.clips), REPO)
    else:
        data = a.data
        if data is None:
            cands = [os.path.expanduser("~/.cache/cimvp-kws/%s-seed1" % v) for v in ("v1", "v2")]
            data = next((c for c in cands if os.path.isdir(c)), cands[0])
        if not os.path.isdir(data):
            sys.exit("kws_eval: dataset cache %s not found; make it with\n    %s\n"
                     "(or evaluate the bundled clips: --clips tests/kws/clips)" % (data, DATA_CMD))
        sets = {s: load_dataset_set(data, s, a.max_clips) for s in a.sets.split(",")}
        source = "dataset %s, %s" % (data, "%d clips per set (class-balanced)" % a.max_clips if a.max_clips
                                     else "all clips")

    out = os.path.abspath(a.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".kws-eval-", dir=os.path.dirname(out))
    work = os.path.join(tmp, "work")  # clip wavs and stats; removed before the rename
    os.makedirs(work)
    ok = False
    try:
        # one wav per clip, shared by the models and seeds
        wavs = {}
        for sname, (audio, lab, ids, _) in sets.items():
            for k, x in enumerate(audio):
                p = os.path.join(work, "%s_%d.wav" % (sname, k))
                write_wav(p, x)
                wavs[(sname, k)] = p
        # non-keyword audio for false alarms: the unknown/silence clips of the sets, back to back
        fa_wav, fa_sec, fa_src = None, 0, ""
        if a.fa_seconds:
            neg = []
            if a.clips:
                neg = [x for (au, lab, _, _) in sets.values() for x, l in zip(au, lab) if l >= NK]
                fa_src = "the unknown/silence seconds of the bundled clips"
            else:
                # the first set's clips: a noisy set gives a noisy stream (more false alarms)
                first = a.sets.split(",")[0]
                fa_src = "%s: unknown and silence clips alternated" % first
                import kws_stream_ref  # the same stream as the host stream reference's --fa-set
                x = kws_stream_ref.fa_stream(data, first, a.fa_seconds)
                neg = [x] if len(x) else []
            if neg:
                fa_wav = os.path.join(work, "non_keywords.wav")
                fa_audio = np.concatenate(neg)
                write_wav(fa_wav, fa_audio)
                fa_sec = len(fa_audio) / SR

        R = {"command": " ".join(["/usr/bin/python3", "scripts/kws_eval.py"] + sys.argv[1:]), "preset": a.preset,
             "seeds": seeds, "source": source, "models": {}}
        exact_fail = 0
        cm_files = []
        for mname in models:
            mdir = os.path.join(REPO, "models", "kws-" + mname)
            m = hr.load_model(mdir)
            cmd = [cimvp, "--config", os.path.join(REPO, "configs", "kws-%s.yaml" % mname)]
            if a.preset == "ideal":
                cmd += ["--config", os.path.join(REPO, "configs", "ideal.yaml")]
            cmd += ["--npu-image", os.path.join(a.build, "models", "kws-%s.img" % mname)]
            for kv in a.set:
                cmd += ["--set", kv]
            clip_fw = os.path.join(a.build, "firmware", "kws_%s_clip.elf" % mname)
            jobs = []
            for seed in seeds:
                for (sname, k), w in wavs.items():
                    st = os.path.join(work, "%s_%s_%d_s%d.json" % (mname, sname, k, seed))
                    jobs.append(((seed, sname, k), cmd + ["--set", "npu.seed=%d" % seed, "--firmware", clip_fw,
                                                          "--max-time", "5s"], w, st, 120))
            # the false-alarm runs go in the same pool (they are the longest jobs: submit them first)
            if fa_wav:
                stream_fw = os.path.join(a.build, "firmware", "kws_%s.elf" % mname)
                jobs = [(("fa", seed), cmd + ["--set", "npu.seed=%d" % seed, "--firmware", stream_fw,
                                              "--max-time", "%ds" % (fa_sec + 5)], fa_wav,
                         os.path.join(work, "%s_fa_s%d.json" % (mname, seed)), 60 + 3 * fa_sec)
                        for seed in seeds] + jobs
            res = run_jobs(jobs, a.jobs, "%s board" % mname)
            M = {"sets": {}}
            for sname, (audio, lab, ids, held) in sets.items():
                s8, xf = features(audio, m, a.fe_cache)
                li = host_int(m, s8)
                lf = host_float(m, xf)
                pi, pf = li.argmax(1), lf.argmax(1)
                S = {"n": int(len(lab)), "float": metrics(pf, lab), "integer": metrics(pi, lab), "board": {}}
                per_seed, bad, preds_all, labs_all, logits_all = [], [], [], [], []
                for seed in seeds:
                    rs = [res[(seed, sname, k)] for k in range(len(lab))]
                    got = np.array(["logits" in r for r in rs], bool)   # the runs that printed LOGITS
                    failed = [ids[k] for k in np.flatnonzero(~got)]
                    bad += ["seed %d %s: rc %s %s" % (seed, ids[k], rs[k].get("rc"), rs[k].get("tail", "")[-200:])
                            for k in np.flatnonzero(~got)]
                    lb = np.array([r["logits"] if ok else [-128] * len(CLASSES) for r, ok in zip(rs, got)], np.int64)
                    pb = lb.argmax(1)
                    # the firmware's RESULT must name the argmax of its own LOGITS (first maximum)
                    mism = sum(1 for r, p in zip(rs, pb) if "result" in r and r["result"] != CLASSES[p])
                    exact = np.all(lb == li, 1)
                    if a.check_exact:
                        exact_fail += int((~exact).sum()) + len(failed)
                    cyc = [float(r["summary"]["latency_cycles"]) / (r["clock_hz"] or 100e6) * 1e3
                           for r in rs if "summary" in r]
                    en = [r["energy_pj"]["total"] / 1e6 for r in rs if isinstance(r.get("energy_pj"), dict)]
                    en_npu = [r["energy_pj"].get("npu", 0) / 1e6 for r in rs if isinstance(r.get("energy_pj"), dict)]
                    d = metrics(pb, lab)
                    d.update(seed=seed, agree_integer=float(np.mean(pb == pi)), logits_exact=float(np.mean(exact)),
                             logit_rms=logit_rms(lb[got], li[got]),
                             result_mismatch=mism, failed=len(failed),
                             latency_ms=float(np.mean(cyc)) if cyc else None,
                             energy_uj=float(np.mean(en)) if en else None,
                             energy_npu_uj=float(np.mean(en_npu)) if en_npu else None)
                    per_seed.append(d)
                    preds_all.append(pb)
                    logits_all.append(lb)
                    labs_all.append(lab)
                B = {k: ms([d[k] for d in per_seed]) for k in ("acc", "kw_recall", "fa_clip", "agree_integer",
                                                                 "logits_exact", "logit_rms", "latency_ms", "energy_uj",
                                                                 "energy_npu_uj")}
                B["per_seed"] = per_seed
                B["errors"] = bad[:20]
                S["board"] = B
                if held is not None and not held.all():
                    # the held-out voices: without the clips whose voice speaks in train
                    S["held_out"] = {"n": int(held.sum()), "float": metrics(pf[held], lab[held]),
                                     "integer": metrics(pi[held], lab[held]),
                                     "board": ms([float(np.mean(p[held] == lab[held])) for p in preds_all])}
                # every clip's prediction and int8 logits, so that any subset can be scored again, and the
                # board's departures from the integer model studied clip by clip, without a board run
                # (a clip whose run failed has logits -128)
                fn = "pred_%s_%s.npz" % (mname, sname)
                np.savez_compressed(os.path.join(tmp, fn), labels=lab.astype(np.int8), float=pf.astype(np.int8),
                                    integer=pi.astype(np.int8), board=np.array(preds_all, np.int8),
                                    integer_logits=li.astype(np.int8), board_logits=np.array(logits_all, np.int8),
                                    seeds=np.array(seeds), held_out=held if held is not None else np.ones(len(lab), bool))
                cm_files.append(fn)
                cms = {"host float": confusion(pf, lab), "host integer": confusion(pi, lab),
                       "board (%d seeds summed)" % len(seeds): confusion(np.concatenate(preds_all),
                                                                         np.concatenate(labs_all))}
                for (tag, cm) in zip(("float", "integer", "board"), cms.values()):
                    fn = "confusion_%s_%s_%s.csv" % (mname, sname, tag)
                    write_cm_csv(os.path.join(tmp, fn), cm)
                    cm_files.append(fn)
                png = "confusion_%s_%s.png" % (mname, sname)
                if write_cm_png(os.path.join(tmp, png), cms, "%s, %s (%d clips)" % (mname, sname, len(lab))):
                    cm_files.append(png)
                S["confusion"] = {k: v.tolist() for k, v in cms.items()}
                M["sets"][sname] = S
            if fa_wav:
                fr = [res[("fa", s)] for s in seeds]
                good = [r for r in fr if "summary" in r]
                F = {"seconds": fa_sec, "source": fa_src, "runs": len(fr), "failed": len(fr) - len(good),
                     "errors": [r.get("tail", "")[-300:] for r in fr if "summary" not in r][:5]}
                if good:
                    def per(fn):
                        return ms([fn(r) for r in good])
                    clk = lambda r: r["clock_hz"] or 100e6  # noqa: E731
                    F.update(
                        detections=[len(r["detections"]) for r in good],
                        detected_as=sorted({d[0] for r in good for d in r["detections"]}),
                        threshold=m["threshold"] / 1000.0,   # the model's, from its descriptor
                        fa_per_hour=per(lambda r: len(r["detections"]) * 3600.0 / fa_sec),
                        decisions=per(lambda r: float(r["summary"]["decisions"])),
                        energy_uj_per_decision=per(lambda r: r["energy_pj"]["total"] / 1e6 /
                                                   max(1, int(r["summary"]["decisions"]))
                                                   if isinstance(r["energy_pj"], dict) else None),
                        energy_uj_per_s=per(lambda r: r["energy_pj"]["total"] / 1e6 / fa_sec
                                            if isinstance(r["energy_pj"], dict) else None),
                        ms_per_hop=per(lambda r: float(r["summary"]["cycles_per_hop"]) / clk(r) * 1e3),
                        max_ms_per_hop=per(lambda r: float(r["summary"]["max_step_cycles"]) / clk(r) * 1e3),
                        overruns=sum(int(r["summary"]["overruns"]) + int(r["summary"]["late"]) for r in good))
                M["false_alarms"] = F
            R["models"][mname] = M
            for sname, S in M["sets"].items():
                print("%-5s %-14s n=%-4d float %.3f  integer %.3f  board %s  board=integer %s  exact logits %s  "
                      "logit rms %s" % (mname, sname, S["n"], S["float"]["acc"], S["integer"]["acc"],
                                        fmt(S["board"]["acc"]), fmt(S["board"]["agree_integer"]),
                                        fmt(S["board"]["logits_exact"]), fmt(S["board"]["logit_rms"])), flush=True)
                if "held_out" in S:
                    H = S["held_out"]
                    print("%-5s %-14s held-out voices only, n=%-4d float %.3f  integer %.3f  board %s" % (
                        mname, sname, H["n"], H["float"]["acc"], H["integer"]["acc"], fmt(H["board"], nd=4)), flush=True)
            if fa_wav and "fa_per_hour" in M["false_alarms"]:
                print("%-5s false alarms/hour over %.0f s of non-keyword audio (%s), threshold %.3f: %s" % (
                    mname, fa_sec, fa_src, M["false_alarms"]["threshold"], fmt(M["false_alarms"]["fa_per_hour"], nd=0)),
                    flush=True)
        R["wall_seconds"] = round(time.time() - t_start, 1)
        R["files"] = ["results.json", "summary.md"] + cm_files
        shutil.rmtree(work)
        with open(os.path.join(tmp, "results.json"), "w") as f:
            json.dump(R, f, indent=1)
        with open(os.path.join(tmp, "summary.md"), "w") as f:
            f.write(summary_md(R))
        # replace OUT in one rename (the old one is moved aside first, then removed)
        old = None
        if os.path.exists(out):
            old = out + ".old-%d" % os.getpid()
            os.rename(out, old)
        os.rename(tmp, out)
        ok = True
        if old:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if not ok:
            shutil.rmtree(tmp, ignore_errors=True)
    print("kws_eval: wrote %s (%.0f s)" % (out, time.time() - t_start))
    if a.check_exact:
        print("kws_eval: board vs host integer logits: %s" % ("all identical" if not exact_fail
                                                              else "%d clips differ" % exact_fail))
        return 1 if exact_fail else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
