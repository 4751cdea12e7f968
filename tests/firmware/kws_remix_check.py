#!/usr/bin/python3
"""kws_remix (kws_train.py --remix) on a small set written here.

    /usr/bin/python3 tests/firmware/kws_remix_check.py SCRIPTS_DIR WORK_DIR

Clean clips are tone bursts at -20 dB RMS (no clip reaches the 0.97 peak limit, so the mix is
not rescaled). Each remixed clip must be: for speech, the clean clip plus a noise whose power over
the clean clip's active samples (10 ms frames within 30 dB of the loudest) gives the planned SNR
within 0.05 dB, or the clean clip itself (to the int16 rounding) when the plan says none; for
silence, a floor between -70 and -25 dB. Over 400 clips every noise kind occurs, the SNRs span
0-25 dB, and another epoch draws other noise; with a share of white noise (--remix-white) the
kinds are drawn in that share and the others' proportions, and with an SNR range (--remix-snr)
every word's measured SNR lies in it. With a speed range (--remix-speed) a word played f times as fast
lasts 1/f as long about its centre and its tone is f times as high, the noise is drawn as without it, and
silence is unchanged. The Remixer's codes must equal the front end's
(mfcc_batch, CMN, quantize_input) on remix_audio of the same clips, for the share of rows asked,
whether its worker or take() mixed them, and a killed or failing worker must give an error, not a hang;
and clean_codes (--consistency) the front end's on the clean clips. The mixing's shortcuts must give the
plain forms' values: kws_dataset.Active's samples those of active_mask, babble() the window cut from each
talker's whole stream (the code before the forty-sixth session). bench_train.py --chain refuses a cache without
summary.json, naming it, before it measures. Exit 1 naming the clip and the difference.
"""
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, sys.argv[1])
import kws_dataset as ds  # noqa: E402
import kws_features as fe  # noqa: E402
import kws_remix  # noqa: E402

work = sys.argv[2]
data = os.path.join(work, "set")
os.makedirs(data, exist_ok=True)
fails = []
N = 400
rng = np.random.default_rng(5)
labels = rng.integers(0, 12, N)
clean = np.zeros((N, fe.CLIP_SAMPLES))
t = np.arange(fe.CLIP_SAMPLES) / 16000.0
for i in range(N):
    if labels[i] == ds.SILENCE:
        continue
    a, n = int(rng.integers(0, 8000)), int(rng.integers(3000, 7000))
    w = np.sin(2 * np.pi * rng.uniform(200, 1500) * t[:n]) * np.hanning(n)
    clean[i, a:a + n] = w * 0.1 / np.sqrt(np.mean(w ** 2))
np.save(os.path.join(data, "train_clean.npy"), clean.astype(np.float16))
np.save(os.path.join(data, "train_labels.npy"), labels.astype(np.int8))
words = [np.sin(2 * np.pi * f * t[:4000]) for f in (300, 450, 700, 900, 1200)]
np.savez(os.path.join(data, "train_babble.npz"), audio=np.concatenate(words).astype(np.float32),
         lengths=np.array([len(w) for w in words]))
with open(os.path.join(data, "summary.json"), "w") as f:  # as kws_dataset.py writes it (bench_train reads the scale)
    json.dump({"scale": 1.0, "train_scale": 1.0}, f)

c16 = np.load(os.path.join(data, "train_clean.npy")).astype(np.float64)
pool = kws_remix._babble_pool(data, "train")
rows = np.arange(N)
y = kws_remix.remix_audio(c16, labels, rows, 3, 1, pool)
kinds, snrs = set(), []
for r in rows:
    prng = np.random.default_rng([3, 1, int(r), 7177])
    kind, snr = ds.noise_plan(prng, int(labels[r]))
    got = y[r] / 32767.0
    if labels[r] == ds.SILENCE:
        lvl = 10 * np.log10(np.mean(got ** 2) + 1e-30)
        if not -70.5 <= lvl <= -24.5:
            fails.append("clip %d (silence, %s): floor %.1f dB outside -70..-25" % (r, kind, lvl))
        continue
    kinds.add(kind)
    if kind == "none":
        err = np.abs(y[r] - np.round(c16[r] * 32767)).max()
        if err > 0:
            fails.append("clip %d (no noise): differs from the clean clip by %d LSB" % (r, err))
        continue
    m = ds.active_mask(c16[r])
    noise = got - c16[r]
    meas = 10 * np.log10(np.mean(c16[r][m] ** 2) / np.mean(noise[m] ** 2))
    snrs.append(meas)
    if abs(meas - snr) > 0.05:
        fails.append("clip %d (%s): SNR %.3f dB over the active samples, planned %.3f" % (r, kind, meas, snr))
if kinds != {"white", "pink", "babble", "none"}:
    fails.append("noise kinds drawn: %s" % sorted(kinds))
if snrs and (min(snrs) > 2 or max(snrs) < 23):
    fails.append("SNRs span %.1f..%.1f dB, want about 0..25" % (min(snrs), max(snrs)))
y2 = kws_remix.remix_audio(c16, labels, rows, 3, 2, pool)
same = int(np.sum(np.all(y2 == y, axis=1)))
if same > N // 10:  # only "none" clips (15 % of speech, never silence) may repeat
    fails.append("epoch 2 repeats %d of %d clips of epoch 1" % (same, N))
if not np.array_equal(kws_remix.remix_audio(c16, labels, rows[:20], 3, 1, pool), y[:20]):
    fails.append("remix_audio is not a function of (seed, epoch, clip)")
# --remix-white P: white noise for a share P of the words, the other kinds in the dataset's
# proportions (pink 25 : babble 30 : none 15), over 30000 draws (3 sigma < 0.009); silence unchanged.
for white in (0.6, 0.0):
    drng = np.random.default_rng(11)
    draws = [ds.noise_plan(drng, 0, white)[0] for _ in range(30000)]
    share = {k: draws.count(k) / len(draws) for k in ds.NOISE_KINDS}
    want = {"white": white, **{k: (1 - white) * q / 0.7 for k, q in zip(ds.NOISE_KINDS[1:], ds.NOISE_P[1:])}}
    for k in ds.NOISE_KINDS:
        if abs(share[k] - want[k]) > 0.012:
            fails.append("noise_plan(white=%g): %s drawn %.3f of the words, want %.3f" % (white, k, share[k], want[k]))
if {ds.noise_plan(np.random.default_rng(i), ds.SILENCE, 1.0)[0] for i in range(60)} != {"white", "pink", "babble"}:
    fails.append("noise_plan(white=1) changed the silence floors' kinds")
yw = kws_remix.remix_audio(c16, labels, rows[:40], 3, 1, pool, 1.0)
for r in rows[:40]:
    if labels[r] != ds.SILENCE:
        kind, snr = ds.noise_plan(np.random.default_rng([3, 1, int(r), 7177]), int(labels[r]), 1.0)
        m = ds.active_mask(c16[r])
        meas = 10 * np.log10(np.mean(c16[r][m] ** 2) / np.mean((yw[r] / 32767.0 - c16[r])[m] ** 2))
        if kind != "white" or abs(meas - snr) > 0.05:
            fails.append("remix_audio(white=1) clip %d: %s at %.2f dB, planned white at %.2f" % (r, kind, meas, snr))
# --remix-snr LO,HI: the words' SNR uniform in that range (measured over the active samples), the
# kinds as before; the default range draws the same numbers as the dataset's 0-25 dB.
ys = kws_remix.remix_audio(c16, labels, rows, 3, 1, pool, 0.7, (4.0, 16.0))
got_snr = []
for r in rows:
    if labels[r] == ds.SILENCE:
        continue
    kind, snr = ds.noise_plan(np.random.default_rng([3, 1, int(r), 7177]), int(labels[r]), 0.7, (4.0, 16.0))
    if not 4.0 <= snr <= 16.0:
        fails.append("noise_plan(snr=(4, 16)) clip %d: planned %.2f dB" % (r, snr))
    if kind == "none":
        continue
    m = ds.active_mask(c16[r])
    meas = 10 * np.log10(np.mean(c16[r][m] ** 2) / np.mean((ys[r] / 32767.0 - c16[r])[m] ** 2))
    got_snr.append(meas)
    if abs(meas - snr) > 0.05:
        fails.append("remix_audio(snr=(4, 16)) clip %d: %s at %.2f dB, planned %.2f" % (r, kind, meas, snr))
if got_snr and (min(got_snr) < 3.95 or max(got_snr) > 16.05 or min(got_snr) > 6 or max(got_snr) < 14):
    fails.append("remix_audio(snr=(4, 16)): SNRs span %.2f..%.2f dB, want about 4..16" % (min(got_snr), max(got_snr)))
for i in range(50):
    a_, b_ = np.random.default_rng(i), np.random.default_rng(i)
    if ds.noise_plan(a_, 3) != ds.noise_plan(b_, 3, None, (0, 25)):
        fails.append("noise_plan(snr=None) differs from snr=(0, 25) for generator %d" % i)
        break
# --remix-speed LO,HI (kws_remix.speed_perturb): a word played f times as fast lasts 1/f as long about
# the same centre, and its tone is f times as high; silence and the noise draws are those of a remix
# without it, and speed (1, 1) is no change at all.
burst = np.zeros(fe.CLIP_SAMPLES)
burst[6000:10000] = np.sin(2 * np.pi * 500 * t[:4000]) * np.hanning(4000)
for f in (0.8, 1.25, 1.5):
    sp = kws_remix.speed_perturb(burst, f)
    on = np.nonzero(np.abs(sp) > 1e-9)[0]
    spec = np.abs(np.fft.rfft(sp))
    tone = np.argmax(spec) * 16000.0 / len(sp)
    if abs((on[-1] - on[0] + 1) - 4000 / f) > 3 or abs((on[0] + on[-1]) / 2 - 7999.5) > 2:
        fails.append("speed_perturb(x %g): the word spans samples %d-%d, want %.0f samples about 7999.5"
                     % (f, on[0], on[-1], 4000 / f))
    if abs(tone - 500 * f) > 2:
        fails.append("speed_perturb(x %g): tone at %.1f Hz, want %.1f" % (f, tone, 500 * f))
if not np.array_equal(kws_remix.remix_audio(c16, labels, rows[:40], 3, 1, pool, speed=(1.0, 1.0)), y[:40]):
    fails.append("remix_audio(speed=(1, 1)) differs from the remix without it")
yv = kws_remix.remix_audio(c16, labels, rows[:40], 3, 1, pool, speed=(1.3, 1.5))
for r in rows[:40]:
    f = np.random.default_rng([3, 1, int(r), 7178]).uniform(1.3, 1.5)
    if labels[r] == ds.SILENCE:
        if not np.array_equal(yv[r], y[r]):
            fails.append("remix_audio(speed) clip %d (silence): differs from the remix without it" % r)
        continue
    kind, snr = ds.noise_plan(np.random.default_rng([3, 1, int(r), 7177]), int(labels[r]))
    word = kws_remix.speed_perturb(c16[r], f)
    if kind == "none":
        err = np.abs(yv[r] - np.round(word * 32767)).max()
        if err > 0:
            fails.append("remix_audio(speed) clip %d (no noise): %d LSB from the word played %.3f times as fast" % (r, err, f))
        continue
    m = ds.active_mask(word)
    meas = 10 * np.log10(np.mean(word[m] ** 2) / np.mean((yv[r] / 32767.0 - word)[m] ** 2))
    if abs(meas - snr) > 0.05:
        fails.append("remix_audio(speed) clip %d (%s): SNR %.2f dB over the faster word, planned %.2f" % (r, kind, meas, snr))

# The Remixer: the rows of a subset (as with --no-flite), a quarter of them per epoch.
band, dither = (300, 4000), 1
offset = np.zeros(fe.NUM_CEPS, np.int16)
fe.load(work, band, dither)
sub = rows[::2]
# In chunks of 8 clips, mixed by the worker from the front and by take() from the back: the
# codes must not depend on who mixed what. take() at once (both mix), after the worker is done
# (it mixed all), and with the worker killed (an error naming the epoch, not a hang).
def take_fails(rm, what, *phrases):
    """rm.take() must raise RemixError with every phrase in its message."""
    try:
        rm.take()
        fails.append("Remixer.take() returned %s" % what)
    except kws_remix.RemixError as e:
        if not all(p in str(e) for p in phrases):
            fails.append("Remixer.take() %s: unexpected message %s" % (what, e))


rm = kws_remix.Remixer(data, "train", labels, sub, 0.25, 3, band, dither, True, 40, offset, chunk=8)
try:
    rm.start(4)
    pos, codes = rm.take()
    rm.start(4)
    while rm._state[-1] != kws_remix.DONE:
        time.sleep(0.05)
    mixed_by_worker = int(np.sum(rm._state == kws_remix.DONE))
    pos_w, codes_w = rm.take()
    rm.start(5)
    rm._proc.kill()
    take_fails(rm, "with its worker killed", "remix worker stopped", "epoch 5")
finally:
    rm.close()
# A worker whose mixing raises: take() gives its traceback as an error naming the epoch. The worker
# is forked with the broken function; the training keeps the real one.
real = kws_remix.remix_audio


def broken(*args, **kw):
    raise ValueError("broken on purpose")


kws_remix.remix_audio = broken
rm = kws_remix.Remixer(data, "train", labels, sub, 0.25, 3, band, dither, True, 40, offset, chunk=8)
kws_remix.remix_audio = real
try:
    rm.start(4)
    while rm._state[0] == kws_remix.FREE:  # the worker has its first chunk, so it will fail
        time.sleep(0.01)
    take_fails(rm, "with a failing worker", "failed on epoch 4", "broken on purpose")
finally:
    rm.close()
if len(pos) != round(0.25 * len(sub)) or len(set(pos.tolist())) != len(pos):
    fails.append("Remixer picked %d positions (%d distinct), want %d" % (len(pos), len(set(pos.tolist())),
                                                                      round(0.25 * len(sub))))
ref_audio = kws_remix.remix_audio(c16, labels, sub[pos], 3, 4, pool)
ref = fe.quantize_input(fe.cmn(fe.mfcc_batch(ref_audio, work, band, dither), work), offset)
for what, p_, c_ in (("mixed by both", pos, codes), ("mixed by the worker (%d chunks)" % mixed_by_worker, pos_w,
                                                      codes_w)):
    if not np.array_equal(p_, pos) or c_.shape != ref.shape or not np.array_equal(c_, ref):
        d = np.argwhere(c_ != ref)[0] if c_.shape == ref.shape else None
        fails.append("Remixer codes %s differ from the front end's: shape %s vs %s, first at %s"
                     % (what, c_.shape, ref.shape, d))
# clean_codes (--consistency): the front end of each clean clip as written with no noise.
cc = kws_remix.clean_codes(data, "train", labels, sub, band, dither, True, 40, offset, chunk=64)
speech = labels[sub] != ds.SILENCE
ref = fe.quantize_input(fe.cmn(fe.mfcc_batch(np.round(c16[sub] * 32767).astype(np.int16), work, band, dither),
                               work), offset)
if cc.shape != ref.shape or not np.array_equal(cc[speech], ref[speech]):
    fails.append("clean_codes differ from the front end of the clean clips: shape %s vs %s, %d clips differ"
                 % (cc.shape, ref.shape, np.sum(np.any(cc != ref, axis=(1, 2))) if cc.shape == ref.shape else -1))
try:
    kws_remix.check(work, "train", N)
    fails.append("check() accepted a directory without train_clean.npy")
except kws_remix.RemixError as e:
    if "train_clean.npy missing" not in str(e):
        fails.append("check(): unexpected message %s" % e)
try:
    kws_remix.check(data, "train", N + 1)
    fails.append("check() accepted %d clean clips for %d clips" % (N, N + 1))
except kws_remix.RemixError:
    pass
# The mixing's shortcuts against the plain forms written here, value for value (every remix and
# dataset cache depends on them): the active samples taken frame by frame; the babble talker's
# samples taken from its words without building its stream.
for n in (16000, 16050, 700):
    level = np.repeat(np.random.default_rng(n + 1).uniform(0, 1, n // 160 + 1), 160)[:n]
    x = np.random.default_rng(n).standard_normal(n) * level ** 4
    v = np.random.default_rng(n + 2).standard_normal(n)
    if not np.array_equal(ds.Active(x).of(v), v[ds.active_mask(x)]):
        fails.append("Active(x).of(v) differs from v[active_mask(x)] for %d samples" % n)


def babble_plain(n, rng, pool):
    """kws_dataset.babble as first written: each talker's stream built whole, then a window cut."""
    y = np.zeros(n)
    for _ in range(int(rng.integers(3, 7))):
        stream, total = [], 0
        while total < 2 * n:
            w = pool[int(rng.integers(len(pool)))]
            stream += [w, np.zeros(int(rng.integers(0, 800)))]
            total += len(w) + len(stream[-1])
        s = np.concatenate(stream)
        off = int(rng.integers(0, len(s) - n))
        y += s[off:off + n] * 10 ** (rng.uniform(-6, 0) / 20)
    return y / (np.std(y) + 1e-12)


for seed in range(40):
    n = (16000, 4000, 1000)[seed % 3]
    got, want = ds.babble(n, np.random.default_rng(seed), pool), babble_plain(n, np.random.default_rng(seed), pool)
    if not np.array_equal(got, want):
        fails.append("babble(%d) seed %d differs from the stream cut whole by up to %.3g" % (n, seed,
                                                                                      float(np.abs(got - want).max())))
# bench_train.py --chain on a cache without summary.json: refused naming the file, before measuring
bare = os.path.join(work, "no-summary")
os.makedirs(bare, exist_ok=True)
for f in ("train_clean.npy", "train_labels.npy", "train_babble.npz"):
    if not os.path.exists(os.path.join(bare, f)):
        os.symlink(os.path.join(data, f), os.path.join(bare, f))
r = subprocess.run([sys.executable, os.path.join(sys.argv[1], "bench_train.py"), "--data", bare, "--clips", "2",
                    "--repeat", "1", "--chain", "quick"], capture_output=True, text=True)
if r.returncode != 1 or "summary.json" not in r.stderr or "remix, per clip" in r.stdout:
    fails.append("bench_train --chain without summary.json: exit %d, want 1 naming the file before measuring; "
                 "stderr %r" % (r.returncode, r.stderr[-200:]))
for f in fails[:20]:
    print("FAIL", f)
print("kws_remix: %d clips, %d failures" % (N, len(fails)))
sys.exit(1 if fails else 0)
