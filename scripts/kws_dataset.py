#!/usr/bin/python3
"""Synthesize a 12-class Speech-Commands-like keyword set with espeak-ng and flite, mix noise,
and compute the firmware's fixed-point MFCC features.

    /usr/bin/python3 scripts/kws_dataset.py [--out ~/.cache/cimvp-kws] [--seed 1] [--scale 1.0]

Classes: yes no up down left right on off stop go, silence, unknown (~300 other words).
Voices: espeak-ng English accents x variants (+ speed, pitch), flite awb/rms/kal16/slt/kal
(+ duration stretch, f0). The split is by voice (DATASET.md-style summary in docs/kws.md):
  train: 7 espeak accents x 70 % of the variants, flite awb and rms
  val:   the same accents x another 10 % of the variants, flite kal16
  test:  all 8 accents (en-029 only here) x the remaining 20 % of the variants, flite slt
  xsynth: flite only, all five voices, for the cross-synthesizer test (train with
          kws_train.py --no-flite so that no flite voice is ever seen)
Sets written under OUT/v1-seedS/: train (two noisy mixes of every render), val (noisy), test
and xsynth (quiet) and test_snr10 / xsynth_snr10 (the same clips with white noise at exactly
10 dB). Test sets are balanced (same count per class). Each set: NAME_audio.npy (N, 16000)
int16, NAME_mfcc.npy (N, 49, 40) int16 q8.7, NAME_labels.npy int8, NAME_meta.jsonl.
Everything is a function of --seed: each clip draws from its own generator seeded by
(seed, set, index), so the result does not depend on the process scheduling.
"""
import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_features as fe  # noqa: E402

KEYWORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
CLASSES = KEYWORDS + ["silence", "unknown"]
SILENCE, UNKNOWN = 10, 11

# Other words: common short English words, digits and names, chosen to cover many phonemes.
# Homophones or near-copies of a keyword (know, of, write, goes, ...) are left out on purpose.
UNKNOWN_WORDS = """
bed bird cat dog eight five four happy house marvin nine one seven sheila six three tree two
wow zero apple baby back ball bank bear beach bell big black blue boat book box boy bread
bring brown bus cake call car card chair cheese city class clean clock cloud coat cold come
cook cool corn cow cup dance dark day deep desk dinner door dream dress drink drive duck
early earth east easy egg end enough even every face fact fall family farm fast father fear
field fight fill find fine fire first fish five flag floor flower fly food foot forest fork
free friend frog fruit full game garden gate gift girl glass gold good grass green ground
group grow hair half hand hat head heart heat help hill hold home hope horse hot hour
house hungry ice idea inch iron island jacket job juice jump kettle key king kitchen kite
knee lake lamp land large laugh leaf learn less letter light lion little long love low lunch
machine man map market matter milk minute money month moon morning mother mountain mouse
mouth music name near neck nest never new night noise north nose number ocean orange page
paint paper park party pencil people piano picture pig pink plane plant plate play pocket
point pool potato queen question quick quiet rabbit rain red rice ring river road rock room
rose round salt sand school sea season seed sheep shirt shoe short shower sister sky sleep
slow small smile snake snow soft song soup south space speak spoon spring square star
station street sugar summer sun table tail teacher teeth thank thing thousand ticket tiger
time today tomorrow tooth towel town train travel truck under uncle van village violin
voice wait walk wall warm watch water weather week west wheel white wind window winter
wolf woman wood world yellow young zebra zoo visual forward backward follow learnings
""".split()
UNKNOWN_WORDS = sorted(set(UNKNOWN_WORDS) - set(KEYWORDS))

ESPEAK_ACCENTS = ["en", "en-us", "en-gb-x-rp", "en-gb-scotland", "en-gb-x-gbclan",
                  "en-gb-x-gbcwmd", "en-us-nyc", "en-029"]
TEST_ACCENT = "en-029"   # a whole accent never heard in training
FLITE = {"train": ["awb", "rms"], "val": ["kal16"], "test": ["slt"],
         "xsynth": ["kal", "kal16", "awb", "rms", "slt"]}
FLITE_SHARE = 0.2        # fraction of renders from flite in train/val/test


def espeak_variants():
    """Installed espeak-ng variants, sorted so the split does not depend on listing order."""
    out = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True).stdout
    names = [l.split()[3] for l in out.splitlines()[1:] if len(l.split()) >= 4]
    return sorted(set(names))


def voice_pools(seed):
    variants = espeak_variants()
    rng = np.random.default_rng([seed, 7])
    order = [variants[i] for i in rng.permutation(len(variants))]
    n_test, n_val = round(0.2 * len(order)), round(0.1 * len(order))
    test_v, val_v, train_v = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    seen = [a for a in ESPEAK_ACCENTS if a != TEST_ACCENT]
    return {"train": (seen, train_v), "val": (seen, val_v), "test": (ESPEAK_ACCENTS, test_v),
            "xsynth": ([], [])}, {"test_variants": test_v, "val_variants": val_v,
                                  "train_variants": train_v}


def render(job):
    """One word -> int16 16 kHz mono, leading/trailing silence trimmed."""
    if job["engine"] == "espeak":
        syn = ["espeak-ng", "-v", job["voice"] + ("+" + job["variant"] if job["variant"] else ""),
               "-s", str(job["rate"]), "-p", str(job["pitch"]), "--stdout", job["word"]]
        wav = subprocess.run(syn, capture_output=True, check=True).stdout
    else:
        tmp = "/tmp/kws_flite_%d.wav" % os.getpid()
        subprocess.run(["flite", "-voice", job["voice"], "--setf", "duration_stretch=%.3f" % job["stretch"],
                        "--setf", "int_f0_target_mean=%d" % job["f0"], "-t", job["word"], "-o", tmp],
                       check=True, capture_output=True)
        with open(tmp, "rb") as f:
            wav = f.read()
    # sox: resample to 16 kHz with a gain guard (-G) and no dither (-D) so output is deterministic.
    raw = subprocess.run(["sox", "-G", "-D", "-t", "wav", "-", "-t", "raw", "-r", "16000", "-e", "signed",
                          "-b", "16", "-c", "1", "-"], input=wav, capture_output=True, check=True).stdout
    x = np.frombuffer(raw, np.int16).astype(np.float32) / 32768.0
    return trim(x)


def trim(x, frame=160, rel_db=-35.0):
    if len(x) < frame or not np.any(x):
        return x[:fe.CLIP_SAMPLES]
    e = np.array([np.mean(x[i:i + frame] ** 2) for i in range(0, len(x) - frame + 1, frame)])
    on = np.nonzero(e > e.max() * 10 ** (rel_db / 10))[0]
    a, b = max(on[0] - 2, 0) * frame, min((on[-1] + 3) * frame, len(x))
    y = x[a:b]
    if len(y) > fe.CLIP_SAMPLES - 800:
        # very slow renders: cut to fit 1 s with a little room for the shift
        y = y[:fe.CLIP_SAMPLES - 800]
    return y


def make_jobs(set_name, pools, counts, seed):
    """counts: {class index: renders}. Returns render jobs (silence has none)."""
    accents, variants = pools[set_name]
    jobs = []
    for c in sorted(counts):
        if c == SILENCE:
            continue
        for k in range(counts[c]):
            rng = np.random.default_rng([seed, hash_name(set_name), c, k])
            word = CLASSES[c] if c != UNKNOWN else UNKNOWN_WORDS[rng.integers(len(UNKNOWN_WORDS))]
            use_flite = set_name == "xsynth" or rng.random() < FLITE_SHARE
            if use_flite:
                jobs.append(dict(engine="flite", voice=str(rng.choice(FLITE[set_name])), variant="",
                                 stretch=float(rng.uniform(0.8, 1.3)), f0=int(rng.integers(80, 220)),
                                 word=word, label=c))
            else:
                jobs.append(dict(engine="espeak", voice=str(rng.choice(accents)),
                                 variant=str(rng.choice(variants + [""])),
                                 rate=int(rng.integers(110, 230)), pitch=int(rng.integers(10, 90)),
                                 word=word, label=c))
    return jobs


def hash_name(s):
    return int.from_bytes(s.encode()[:8].ljust(8, b"\0"), "little") & 0x7FFFFFFF


def pink(n, rng):
    """1/f noise by shaping white noise in the frequency domain."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spec), dtype=np.float64)
    f[0] = 1.0
    y = np.fft.irfft(spec / np.sqrt(f), n)
    return y / (np.std(y) + 1e-12)


def babble(n, rng, pool):
    """3-6 overlapping talkers, each a back-to-back stream of other words at its own level, so
    the interference covers the whole clip (a sparse mix could miss the keyword entirely)."""
    y = np.zeros(n)
    for _ in range(int(rng.integers(3, 7))):
        stream, total = [], 0
        while total < 2 * n:
            w = pool[int(rng.integers(len(pool)))]
            w = w / (np.std(w) + 1e-9)
            stream += [w, np.zeros(int(rng.integers(0, 800)))]
            total += len(w) + len(stream[-1])
        s = np.concatenate(stream)
        off = int(rng.integers(0, len(s) - n))
        y += s[off:off + n] * 10 ** (rng.uniform(-6, 0) / 20)
    return y / (np.std(y) + 1e-12)


def active_mask(x, frame=160, rel_db=-30.0):
    """Samples in 10 ms frames within 30 dB of the loudest frame: where the SNR is measured."""
    m = np.zeros(len(x), bool)
    e = np.array([np.mean(x[i:i + frame] ** 2) for i in range(0, len(x), frame)])
    thr = e.max() * 10 ** (rel_db / 10)
    for k, v in enumerate(e):
        if v > thr:
            m[k * frame:(k + 1) * frame] = True
    return m


def mix(speech, label, rng, noise_kind, snr_db, pool):
    """Place speech at a random time in 1 s at a random level and add noise at exactly snr_db
    over the speech-active samples. Returns int16 clip and the measured SNR (dB)."""
    n = fe.CLIP_SAMPLES
    clean = np.zeros(n)
    if label != SILENCE:
        off = int(rng.integers(0, n - len(speech) + 1))
        clean[off:off + len(speech)] = speech
        clean *= 10 ** (rng.uniform(-32, -8) / 20) / (np.sqrt(np.mean(speech ** 2)) + 1e-12)
    if noise_kind == "none" and label == SILENCE:
        noise_kind = "white"   # silence is never digital zero: the mic always has some floor
        snr_db = None
    noise = None
    if noise_kind == "white":
        noise = rng.standard_normal(n)
    elif noise_kind == "pink":
        noise = pink(n, rng)
    elif noise_kind == "babble":
        noise = babble(n, rng, pool)
    measured = None
    if noise is not None:
        if label == SILENCE:
            noise *= 10 ** (rng.uniform(-70, -25) / 20) / (np.std(noise) + 1e-12)
        else:
            m = active_mask(clean)
            ps, pn = np.mean(clean[m] ** 2), np.mean(noise[m] ** 2)
            if pn <= 0:  # a noise with a gap exactly under the speech: fall back to white
                noise, pn = rng.standard_normal(n), 1.0
                pn = np.mean(noise[m] ** 2)
            noise *= np.sqrt(ps / (pn * 10 ** (snr_db / 10)))
            measured = 10 * np.log10(ps / np.mean(noise[m] ** 2))
        y = clean + noise
    else:
        y = clean
    peak = np.max(np.abs(y))
    if peak > 0.97:  # scale speech and noise together: no clipping, SNR unchanged
        y *= 0.97 / peak
    return np.round(y * 32767).astype(np.int16), measured


def mix_set(args):
    """Worker: mix and featurize clips [lo, hi) of one set."""
    name, specs, renders, pool, seed, cache = args
    audio = np.zeros((len(specs), fe.CLIP_SAMPLES), np.int16)
    meta = []
    for i, sp in enumerate(specs):
        rng = np.random.default_rng([seed, hash_name(name), 1000003, sp["idx"]])
        speech = renders[sp["render"]] if sp["render"] is not None else None
        audio[i], snr = mix(speech, sp["label"], rng, sp["noise"], sp["snr"], pool)
        meta.append(dict(sp, snr_measured=None if snr is None else round(float(snr), 3)))
    return audio, fe.mfcc_batch(audio, cache), meta


def plan_noisy(render_idx, labels, rng, n_sil, copies):
    specs = []
    for c in range(copies):
        for r, lab in zip(render_idx, labels):
            kind = str(rng.choice(["white", "pink", "babble", "none"], p=[0.3, 0.25, 0.3, 0.15]))
            specs.append(dict(render=r, label=int(lab), noise=kind, snr=float(rng.uniform(0, 25))))
        for _ in range(n_sil):
            specs.append(dict(render=None, label=SILENCE, noise=str(rng.choice(["white", "pink", "babble"])),
                              snr=None))
    return specs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.expanduser("~/.cache/cimvp-kws"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every clip count (0.1 for a smoke test)")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    t0 = time.time()
    root = os.path.join(a.out, "v1-seed%d" % a.seed)
    os.makedirs(root, exist_ok=True)
    fe.build_lib(a.out)
    pools, split_info = voice_pools(a.seed)
    s = lambda n: max(1, int(round(n * a.scale)))
    # Renders per class. Test sets are balanced: every class (silence too) has the same count.
    plan = {"train": {**{c: s(300) for c in range(10)}, UNKNOWN: s(600)},
            "val": {**{c: s(50) for c in range(10)}, UNKNOWN: s(50)},
            "test": {**{c: s(100) for c in range(10)}, UNKNOWN: s(100)},
            "xsynth": {**{c: s(100) for c in range(10)}, UNKNOWN: s(100)}}
    sil = {"train": s(300), "val": s(50), "test": s(100), "xsynth": s(100)}
    jobs = {k: make_jobs(k, pools, v, a.seed) for k, v in plan.items()}
    flat = [j for k in plan for j in jobs[k]]
    with mp.Pool(a.jobs) as p:
        rendered = p.map(render, flat, chunksize=16)
    t1 = time.time()
    print("rendered %d words in %.0f s" % (len(flat), t1 - t0), flush=True)
    pos = 0
    by_set = {}
    for k in plan:
        by_set[k] = rendered[pos:pos + len(jobs[k])]
        pos += len(jobs[k])

    summary = {"seed": a.seed, "classes": CLASSES, "split": split_info, "flite": FLITE, "sets": {}}
    work = []
    for k in plan:
        rng = np.random.default_rng([a.seed, hash_name(k), 99])
        labels = [j["label"] for j in jobs[k]]
        idx = list(range(len(jobs[k])))
        pool = [by_set[k][i] for i in idx if labels[i] == UNKNOWN]  # babble from this set's voices
        if k in ("train", "val"):
            specs = plan_noisy(idx, labels, rng, sil[k], 2 if k == "train" else 1)
            variants = [(k, specs)]
        else:
            base = [dict(render=i, label=labels[i], noise="none", snr=None) for i in idx]
            base += [dict(render=None, label=SILENCE, noise="none", snr=None) for _ in range(sil[k])]
            noisy = [dict(b, noise="white", snr=10.0) for b in base]
            variants = [(k, base), (k + "_snr10", noisy)]
        for name, specs in variants:
            for i, sp in enumerate(specs):
                sp["idx"] = i  # the _snr10 copy has the same index: same shift and level
                if sp["render"] is not None:
                    sp.update({f: jobs[k][sp["render"]][f] for f in ("engine", "voice", "variant", "word")})
            # _snr10 shares the placement seed with the quiet set (same name hash), so the clips
            # are the quiet clips plus noise; chunks keep both cores busy.
            seed_name = name.replace("_snr10", "")
            chunks = [specs[i:i + 200] for i in range(0, len(specs), 200)]
            for c in chunks:  # ship only the renders a chunk needs, not the whole set
                need = {sp["render"]: by_set[k][sp["render"]] for sp in c if sp["render"] is not None}
                work.append((name, seed_name, c, need, pool[:120]))
    with mp.Pool(a.jobs) as p:
        results = p.map(mix_set, [(sn, c, r, pl, a.seed, a.out) for (_, sn, c, r, pl) in work], chunksize=1)
    out = {}
    for (name, _, _, _, _), res in zip(work, results):
        out.setdefault(name, []).append(res)
    for name, parts in out.items():
        audio = np.concatenate([p[0] for p in parts])
        feats = np.concatenate([p[1] for p in parts])
        meta = [m for p in parts for m in p[2]]
        labels = np.array([m["label"] for m in meta], np.int8)
        np.save(os.path.join(root, name + "_audio.npy"), audio)
        np.save(os.path.join(root, name + "_mfcc.npy"), feats)
        np.save(os.path.join(root, name + "_labels.npy"), labels)
        with open(os.path.join(root, name + "_meta.jsonl"), "w") as f:
            for m in meta:
                f.write(json.dumps(m) + "\n")
        summary["sets"][name] = {"clips": len(meta), "per_class": np.bincount(labels, minlength=12).tolist()}
        print("%-14s %6d clips  per class %s" % (name, len(meta), summary["sets"][name]["per_class"]))
    summary["seconds"] = round(time.time() - t0, 1)
    with open(os.path.join(root, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("done in %.0f s (render %.0f s) -> %s" % (time.time() - t0, t1 - t0, root))


if __name__ == "__main__":
    main()
