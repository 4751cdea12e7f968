#!/usr/bin/python3
"""Host integer reference of the board's *streaming* keyword spotter (kws_<model>.elf).

    /usr/bin/python3 scripts/kws_stream_ref.py MODEL_DIR AUDIO.wav [--threshold T] [--smooth-ms 300]
        [--refractory-ms 800] [--stride N] [--prog-lsb L --seed S] [--causal]
    /usr/bin/python3 scripts/kws_stream_ref.py MODEL_DIR --fa-set test [--fa-seconds 200] [--data DIR]
    /usr/bin/python3 scripts/kws_stream_ref.py MODEL_DIR --kw-set test [--data DIR]

Does what firmware/apps/kws/main.c does: the firmware's fixed-point front end over the whole
audio (kws_features, C through ctypes, in the model's Mel band); every STRIDE hops (TDNN_STRIDE,
LSTM_STRIDE) the window of the last num_frames frames is classified as in training (with a floor,
descriptor flags bit 5 or 6, the window's log-Mel floored and its cepstra computed then; CMN over
the window when the model uses it, input codes, kws_int.int_infer); Softmax in Q16 with the
firmware's exp table, the mean over the decisions of the last SMOOTH_MS, a detection when a
keyword's mean passes the threshold and REFRACTORY_MS have passed. Prints the firmware's lines
    DETECT <label> <time_ms> <score>
    SUMMARY frames=F detections=D decisions=N
and with the ideal NPU preset the board prints the same DETECT lines
(tests/firmware/kws_stream_coverify.py; the board may skip windows when its core is too slow,
the NPU builds never do). The threshold defaults to the model's (descriptor bytes 28-29, what the
firmware reads; scripts/kws_threshold.py chooses it), the other constants to the firmware's
#defines, read from main.c (one source); the options change the operating point.

--causal is the stream of the firmware before 2026-12-02, kept for comparison: a causal mean
(the last num_frames frames) removed from each frame as it arrives, the TDNN deciding every hop
and the LSTM in 4 lanes restarted every 13 hops (its windows see another normalisation than
training's).
--fa-set NAME: kws_eval's false-alarm stream (the set's unknown and silence clips alternated,
--fa-seconds long) from the dataset cache; prints false alarms per hour.
--kw-set NAME: a stream of the set's keyword clips, each followed by one of its unknown or
silence clips (2 s per keyword); a keyword is hit when a detection of its label falls in its
2 s, every other detection there is a wrong label; plus the --fa-set figure of the same set.
--prog-lsb adds the eFlash programming error (Gaussian, L levels, device seed --seed, with the
firmware's offset calibration), as kws_int.with_prog_error; ADC and read noise are not modelled.
"""
import argparse
import math
import os
import re
import sys
import wave

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import kws_features as fe  # noqa: E402
import kws_host_ref as hr  # noqa: E402
import kws_int  # noqa: E402

CLASSES = hr.CLASSES
NUM_KEYWORDS = 10
HOP_MS, FRAME_MS = 20, 40
SR = 16000
MAIN_C = os.path.join(REPO, "firmware", "apps", "kws", "main.c")
# exp(-2^-f) in Q30 for logit_frac f = 0..7: the constants of the firmware's build_exp_table
EXP_STEP_Q30 = [int(round(2 ** 30 * math.exp(-2.0 ** -f))) for f in range(8)]


def firmware_defaults(path=MAIN_C):
    """The detection constants as main.c #defines them (SMOOTH_MS, REFRACTORY_MS, ...; the
    threshold is the model's, in its descriptor)."""
    src = open(path).read()
    d = {}
    for name in ("SMOOTH_MS", "REFRACTORY_MS", "LSTM_STRIDE", "TDNN_STRIDE", "SMOOTH_MAX"):
        mt = re.search(r"#define %s (\d+)u?\b" % name, src)
        if not mt:
            raise ValueError("%s: no #define %s" % (path, name))
        d[name] = int(mt.group(1))
    return d


def causal_cmn(feat, n_win):
    """cmn_causal of main.c: frame t minus the mean of frames max(0, t-n_win+1)..t, round half up."""
    x = feat.astype(np.int64)
    cs = np.cumsum(x, 0)
    T = len(x)
    t = np.arange(T)
    n = np.minimum(t + 1, n_win)[:, None]
    prev = np.zeros_like(cs)
    prev[n_win:] = cs[:-n_win]
    a = x * n - (cs - prev)
    return np.clip((2 * a + n) // (2 * n), -32768, 32767)


def stream_feat(m, audio, cache):
    """int16 audio -> MFCC q8.7 of every hop (frames, num_ceps), the firmware's front end; with
    a floor (descriptor flags bit 5 or 6) the log-Mel of every hop (frames, NUM_MEL) instead,
    the cepstra being computed per window (window_decisions)."""
    if m["floor"] is not None:
        return fe.logmel_q7(audio, cache, m["mel_band"], m["dither"]).astype(np.int64)
    return fe.mfcc_q7(audio, cache, m["mel_band"], m["dither"]).astype(np.int64)


def window_decisions(m, exp, feat, stride, cache):
    """[(t, int8 logits)]: the window ending at frame t, every stride hops from t = num_frames - 1."""
    W = m["num_frames"]
    ends = list(range(W - 1, len(feat), stride))
    out = []
    for b0 in range(0, len(ends), 1024):
        tb = ends[b0:b0 + 1024]
        win = np.stack([feat[t - W + 1:t + 1] for t in tb])
        if m["floor"] is not None:   # the window's floor, then its cepstra (window_start)
            win = fe.window_ceps(win, cache, m["floor"]).astype(np.int64)
        if m["flags"] & hr.FLAG_CMN:
            win = hr.cmn(win)
        lg = kws_int.int_infer(exp, fe.quantize_input(win, m["in_offset"], m["in_shift"]))
        out += list(zip(tb, lg))
    return out


def causal_decisions(m, exp, feat):
    """The stream before 2026-12-02 (--causal): causal CMN per frame as it arrives, the TDNN every
    hop (its layers are time-invariant, so they run once over the stream), the LSTM in 4 lanes
    restarted every 13 hops, each a window from a zero state."""
    if m["flags"] & hr.FLAG_CMN:
        feat = causal_cmn(feat, m["num_frames"])
    s8 = fe.quantize_input(feat, m["in_offset"], m["in_shift"])
    T, W = len(s8), m["num_frames"]
    if T < W:
        return []
    if exp["type"] == "tdnn":
        h = kws_int.tdnn_frames(exp, s8[None])[0]  # frame i ends at input frame i + receptive field - 1
        P = h.shape[0] - (T - W)      # pool length
        cs = np.concatenate([np.zeros((1, h.shape[1]), np.int64), np.cumsum(h, 0)])
        pooled = (cs[P:] - cs[:-P] + P // 2) // P
        logits = np.clip(kws_int.npu_layer(pooled, exp["layers"][-1]), -128, 127)
        return [(W - 1 + i, logits[i]) for i in range(len(logits))]
    lanes, stride = 4, 13
    starts = [s for s in range(0, T - W + 1) if s % (lanes * stride) % stride == 0]
    logits = kws_int.int_infer(exp, np.stack([s8[s:s + W] for s in starts]))
    return [(s + W - 1, logits[i]) for i, s in enumerate(starts)]


class Detector:
    """decide() of main.c: Q16 softmax, mean over the last smooth_n decisions, threshold, refractory."""

    def __init__(self, m, consts, stride, threshold_permille, smooth_ms, refractory_ms):
        v, self.exp_q16 = 1 << 30, []
        for _ in range(256):
            self.exp_q16.append((v + (1 << 13)) >> 14)
            v = (v * EXP_STEP_Q30[m["logit_frac"]]) >> 30
        n = (smooth_ms // HOP_MS + stride - 1) // stride
        self.smooth_n = min(max(n, 1), consts["SMOOTH_MAX"])
        self.refractory = (refractory_ms // HOP_MS + stride // 2) // stride * stride  # whole decisions
        self.thr = threshold_permille
        self.hist, self.last = [], -1000000

    def softmax(self, lg):
        lg = [int(v) for v in lg]
        top = max(range(len(lg)), key=lambda j: (lg[j], -j))
        e = [self.exp_q16[lg[top] - v] for v in lg]
        s = sum(e)
        return [(x << 16) // s for x in e]

    def decide(self, lg, t):
        self.hist = (self.hist + [self.softmax(lg)])[-self.smooth_n:]
        best, best_p = 0, 0
        for j in range(NUM_KEYWORDS):
            s = sum(p[j] for p in self.hist) // len(self.hist)
            if s > best_p:
                best, best_p = j, s
        if best_p * 1000 > self.thr * 65536 and t - self.last >= self.refractory:
            self.last = t
            return best, t * HOP_MS + FRAME_MS, best_p
        return None


def score_str(q16):
    v = (q16 * 1000 + 32768) >> 16
    return "%d.%03d" % (v // 1000, v % 1000)


def model_stride(m, consts):
    return consts["LSTM_STRIDE"] if m["type"] == "lstm" else consts["TDNN_STRIDE"]


def run_stream(m, exp, audio, cache, consts, op):
    """-> (frames, decisions, [(label index, time_ms, score Q16)]); op: dict(threshold (permille),
    smooth_ms, refractory_ms, stride (None: the firmware's), causal)."""
    feat = stream_feat(m, audio, cache)
    if op.get("causal"):
        assert m["floor"] is None, "the causal stream predates the log floor (main refuses it)"
        dec, stride = causal_decisions(m, exp, feat), (13 if m["type"] == "lstm" else 1)
    else:
        stride = op.get("stride") or model_stride(m, consts)
        dec = window_decisions(m, exp, feat, stride, cache)
    det = Detector(m, consts, stride, op["threshold"], op["smooth_ms"], op["refractory_ms"])
    hits = [h for h in (det.decide(lg, t) for t, lg in dec) if h]
    return len(feat), len(dec), hits


def fa_stream(data, set_name, seconds):
    """kws_eval's false-alarm stream: the set's unknown and silence clips alternated, a fixed order."""
    au = np.load(os.path.join(data, set_name + "_audio.npy"), mmap_mode="r")
    lb = np.load(os.path.join(data, set_name + "_labels.npy"))
    unk, sil = list(np.flatnonzero(lb == 11)), list(np.flatnonzero(lb == 10))
    order = [i for pair in zip(unk, sil) for i in pair][:seconds]
    return np.concatenate([np.asarray(au[i], np.int16) for i in order]) if order else np.zeros(0, np.int16)


def read_wav_or_exit(path, prog):
    try:
        with wave.open(path) as w:
            if w.getframerate() != SR or w.getnchannels() != 1 or w.getsampwidth() != 2:
                sys.exit("%s: %s: need 16 kHz mono 16-bit PCM (have %d Hz, %d channels, %d bytes)"
                         % (prog, path, w.getframerate(), w.getnchannels(), w.getsampwidth()))
            return np.frombuffer(w.readframes(w.getnframes()), "<i2")
    except (OSError, EOFError, wave.Error) as e:
        sys.exit("%s: %s: %s" % (prog, path, e))


def kw_stream(data, set_name):
    """--kw-set: each keyword clip of the set followed by one of its unknown/silence clips (in
    turn); -> (audio, the keyword labels in order)."""
    au = np.load(os.path.join(data, set_name + "_audio.npy"), mmap_mode="r")
    lb = np.load(os.path.join(data, set_name + "_labels.npy"))
    kw, neg = np.flatnonzero(lb < NUM_KEYWORDS), np.flatnonzero(lb >= NUM_KEYWORDS)
    if not len(kw) or not len(neg):
        return np.zeros(0, np.int16), []
    order = [i for k, c in enumerate(kw) for i in (c, neg[k % len(neg)])]
    return np.concatenate([np.asarray(au[i], np.int16) for i in order]), [int(lb[c]) for c in kw]


def score_kw_stream(hits, labels, seg_s=2.0):
    """Hits and wrong labels per 2 s keyword segment (detections at the window's end: the keyword
    clip's second or the following one)."""
    per = [[] for _ in labels]
    for j, ms, _ in hits:
        k = int(ms / 1000.0 // seg_s)
        if 0 <= k < len(per):
            per[k].append(j)
    hit = sum(1 for lab, d in zip(labels, per) if lab in d)
    wrong = sum(1 for lab, d in zip(labels, per) for j in d if j != lab)
    return hit, wrong


def main():
    prog = "kws_stream_ref"
    try:
        consts = firmware_defaults()
    except (OSError, ValueError) as e:
        sys.exit("%s: %s" % (prog, e))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("wav", nargs="?")
    ap.add_argument("--threshold", type=float, default=None, help="detection threshold (default: the model's)")
    ap.add_argument("--smooth-ms", type=int, default=consts["SMOOTH_MS"])
    ap.add_argument("--refractory-ms", type=int, default=consts["REFRACTORY_MS"])
    ap.add_argument("--stride", type=int, default=0, help="hops between windows (0: the firmware's)")
    ap.add_argument("--causal", action="store_true", help="the stream before 2026-12-02 (causal CMN)")
    ap.add_argument("--prog-lsb", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=1, help="device seed of --prog-lsb")
    ap.add_argument("--fa-set", default=None, help="false alarms per hour on this dataset set's stream")
    ap.add_argument("--fa-seconds", type=int, default=200)
    ap.add_argument("--kw-set", default=None, help="keyword hits on a stream of this set (and its --fa-set figure)")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/cimvp-kws"), help="front-end .so cache")
    a = ap.parse_args()
    if sum(x is not None for x in (a.wav, a.fa_set, a.kw_set)) != 1:
        ap.error("give one of AUDIO.wav, --fa-set NAME, --kw-set NAME")
    if a.threshold is not None and not 0.0 <= a.threshold < 1.0 or min(a.smooth_ms, a.refractory_ms, a.stride, a.fa_seconds) < 0 or a.prog_lsb < 0:
        ap.error("--threshold in [0, 1); --smooth-ms, --refractory-ms, --stride, --fa-seconds, --prog-lsb >= 0")
    m = hr.load_model_or_exit(a.model_dir, prog)
    if a.causal and m["floor"] is not None:
        sys.exit("%s: --causal: %s has the window's %s (descriptor flags 0x%02x), which the causal "
                 "stream predates" % (prog, a.model_dir, fe.FLOOR_NAMES[m["floor"][0]], hr.FLOOR_FLAGS[m["floor"][0]]))
    exp = kws_int.from_descriptor(m)
    if a.prog_lsb > 0:
        exp = kws_int.with_prog_error(exp, a.prog_lsb, a.seed, calibrated=True)
    op = dict(threshold=m["threshold"] if a.threshold is None else int(round(a.threshold * 1000)), smooth_ms=a.smooth_ms, refractory_ms=a.refractory_ms,
              stride=a.stride, causal=a.causal)
    for name in (a.fa_set, a.kw_set):
        if name and not os.path.exists(os.path.join(a.data, name + "_audio.npy")):
            sys.exit("%s: no set '%s' in %s (scripts/kws_dataset.py makes it)" % (prog, name, a.data))
    if a.wav:
        frames, ndec, hits = run_stream(m, exp, read_wav_or_exit(a.wav, prog), a.cache, consts, op)
        for j, ms, p in hits:
            print("DETECT %s %d %s" % (CLASSES[j], ms, score_str(p)))
        print("SUMMARY frames=%d detections=%d decisions=%d" % (frames, len(hits), ndec))
        return
    what = "%s stream=%s threshold=%.3f" % (os.path.basename(os.path.normpath(a.model_dir)),
                                            "causal" if a.causal else "window", op["threshold"] / 1000.0)
    if a.kw_set:
        audio, labels = kw_stream(a.data, a.kw_set)
        hits = run_stream(m, exp, audio, a.cache, consts, op)[2]
        hit, wrong = score_kw_stream(hits, labels)
        n = max(len(labels), 1)
        print("KW %s %s: keywords hit %d/%d = %.3f, wrong labels %d (%.3f per keyword)"
              % (what, a.kw_set, hit, len(labels), hit / n, wrong, wrong / n))
    audio = fa_stream(a.data, a.fa_set or a.kw_set, a.fa_seconds)
    hits = run_stream(m, exp, audio, a.cache, consts, op)[2]
    sec = len(audio) / SR
    print("FA %s %s: %d false alarms in %.0f s = %.0f per hour"
          % (what, a.fa_set or a.kw_set, len(hits), sec, len(hits) * 3600.0 / max(sec, 1e-9)))


if __name__ == "__main__":
    main()
