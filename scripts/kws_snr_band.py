#!/usr/bin/python3
"""How much of a voice's loss in noise comes from where its energy lies: re-mix the quiet test
clips with white noise at --snr dB, the SNR measured over the speech-active samples (as
kws_dataset.py does) either on the whole band or only above --above Hz, and score the host
integer model per engine.

    /usr/bin/python3 scripts/kws_snr_band.py models/kws-tdnn [--snr 10] [--above 300]
        [--data ~/.cache/cimvp-kws/v3-seed1]

The dataset's SNR counts all of the speech's power; a voice with most of its energy at the
fundamental (flite's clustergen voices: 51-74 % below 300 Hz, espeak 11 %) then has its formants
deeper in the noise than a voice at the same nominal SNR. Measured above 300 Hz, every voice gets
the same noise relative to the band that carries the word. Silence clips are taken from
test_snr10 as they are. Prints accuracy (all, and per engine) for test_snr10 as stored, the
full-band re-mix (a check: it should be close to test_snr10) and the re-mix above --above Hz.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_eval as ev  # noqa: E402  (the descriptor's front-end, CMN and input codes)
import kws_features as fe  # noqa: E402
import kws_host_ref as hr  # noqa: E402
import kws_int  # noqa: E402
from kws_dataset import SILENCE, active_mask  # noqa: E402


def remix(quiet, labels, snr_db, above_hz, seed=7):
    """White noise at snr_db over each clip's active samples, speech power counted above
    above_hz (0: the whole band); silence clips are left to the caller."""
    out = np.zeros_like(quiet)
    f = np.fft.rfftfreq(quiet.shape[1], 1 / fe.SAMPLE_RATE)
    for i, (x, lab) in enumerate(zip(quiet, labels)):
        if lab == SILENCE:
            continue
        x = x.astype(np.float64) / 32768
        act = active_mask(x)
        xs = x
        if above_hz > 0:
            X = np.fft.rfft(x)
            X[f < above_hz] = 0
            xs = np.fft.irfft(X, len(x))
        n = np.random.default_rng([seed, i]).standard_normal(len(x))
        n *= np.sqrt(np.mean(xs[act] ** 2) / (np.mean(n[act] ** 2) * 10 ** (snr_db / 10)))
        y = x + n
        y *= min(1.0, 0.97 / np.max(np.abs(y)))  # no clipping, SNR unchanged (as kws_dataset.mix)
        out[i] = np.round(y * 32767).astype(np.int16)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir")
    ap.add_argument("--snr", type=float, default=10.0)
    ap.add_argument("--above", type=float, default=300.0, help="count the speech power above this [Hz]")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    a = ap.parse_args()
    if not 0 < a.above < fe.SAMPLE_RATE / 2:
        ap.error("--above %g: must be in (0, %d) Hz" % (a.above, fe.SAMPLE_RATE // 2))
    m = hr.load_model_or_exit(a.model_dir, "kws_snr_band")  # before the dataset: a bad model fails fast
    files = {k: os.path.join(a.data, k) for k in ("test_audio.npy", "test_labels.npy", "test_meta.jsonl",
                                                  "test_snr10_audio.npy")}
    for p in files.values():
        if not os.path.exists(p):
            sys.exit("kws_snr_band: no %s (make the dataset with scripts/kws_dataset.py)" % p)
    quiet = np.load(files["test_audio.npy"])
    labels = np.load(files["test_labels.npy"]).astype(np.int64)
    engines = np.array([json.loads(l).get("engine", "-") for l in open(files["test_meta.jsonl"])])
    stored = np.load(files["test_snr10_audio.npy"])
    exp = kws_int.from_descriptor(m)
    cache = os.path.dirname(os.path.abspath(a.data))
    sil = labels == SILENCE
    print("%-34s %6s %s" % ("audio", "all", "  ".join("%-8s" % e for e in sorted(set(engines[~sil])))))
    for what, audio in (("test_snr10 as stored", stored),
                        ("%g dB, whole band (re-mixed)" % a.snr, remix(quiet, labels, a.snr, 0)),
                        ("%g dB above %g Hz" % (a.snr, a.above), remix(quiet, labels, a.snr, a.above))):
        audio[sil] = stored[sil]
        pred = kws_int.int_infer(exp, ev.features(audio, m, cache)[0]).argmax(1)
        per = ["%-8.3f" % np.mean(pred[engines == e] == labels[engines == e]) for e in sorted(set(engines[~sil]))]
        print("%-34s %6.3f %s" % (what, np.mean(pred == labels), "  ".join(per)), flush=True)


if __name__ == "__main__":
    main()
