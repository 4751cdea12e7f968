"""Fresh noise on the train clips every epoch (kws_train.py --remix P).

The dataset mixes each train render twice, one noise draw each (kws_dataset.py), so a model
trained for 36+ epochs sees the same 20400 noise realisations again and again. With --remix P,
each epoch a fraction P of the train clips is mixed again from its clean placed word
(NAME_clean.npy, written by kws_dataset.py) with a fresh noise kind, SNR and realisation drawn as
the dataset draws them (kws_dataset.noise_plan: white, pink, babble or none; SNR uniform 0-25 dB
over the speech-active samples, mixed exactly; silence gets a floor at -70..-25 dB), and its
features computed by the firmware's front end (kws_features, bit-exact). The word, its position
and level stay those of the stored clip: only the noise is new. A worker process prepares the
next epoch while the current one trains.
"""
import multiprocessing as mp
import os

import numpy as np

import kws_dataset as ds
import kws_features as fe


class RemixError(Exception):
    pass


def check(data, name, n_clips):
    """The clean clips and babble words of set `name` exist and match its clip count."""
    clean, bab = os.path.join(data, name + "_clean.npy"), os.path.join(data, name + "_babble.npz")
    for p in (clean, bab):
        if not os.path.exists(p):
            raise RemixError("%s missing: --remix and --consistency need the clean train clips, which kws_dataset.py "
                             "writes since the fourteenth session (run it again with the same options)" % p)
    shape = np.load(clean, mmap_mode="r").shape
    if shape != (n_clips, fe.CLIP_SAMPLES):
        raise RemixError("%s: shape %s, want (%d, %d) like %s_audio.npy" % (clean, shape, n_clips,
                                                                          fe.CLIP_SAMPLES, name))


def _babble_pool(data, name):
    z = np.load(os.path.join(data, name + "_babble.npz"))
    return np.split(z["audio"].astype(np.float64), np.cumsum(z["lengths"])[:-1])


def remix_audio(clean, labels, rows, seed, epoch, pool, white=None, snr=None):
    """int16 clips for the clean clips `rows` with fresh noise; clip r of epoch e draws from its
    own generator seeded by (seed, epoch, r), so the result does not depend on scheduling.
    white: the share of white noise among the words' noise kinds (None: the dataset's 30 %);
    snr: the words' (lo, hi) SNR range in dB (None: the dataset's 0-25)."""
    out = np.zeros((len(rows), fe.CLIP_SAMPLES), np.int16)
    for i, r in enumerate(rows):
        rng = np.random.default_rng([seed, epoch, int(r), 7177])
        kind, db = ds.noise_plan(rng, int(labels[r]), white, snr)
        # np.array, not astype: a memmap row stays a memmap, and every slice of it is slow
        out[i], _ = ds.add_noise(np.array(clean[r], np.float64), int(labels[r]), rng, kind, db, pool)
    return out


def _work(rows, epoch, data, name, labels, seed, band, dither, use_cmn, ceps, offset, floor=None, white=None,
          snr=None):
    cache = os.path.dirname(os.path.abspath(data))
    clean = np.load(os.path.join(data, name + "_clean.npy"), mmap_mode="r")
    audio = remix_audio(clean, labels, rows, seed, epoch, _babble_pool(data, name), white, snr)
    return fe.quantize_input(fe.model_ceps(fe.mfcc_batch(audio, cache, band, dither, floor), cache, use_cmn, ceps), offset)


def clean_codes(data, name, labels, rows, band, dither, use_cmn, ceps, offset, floor=None, chunk=2048):
    """Input codes of the clean placed words of clips `rows`, before any noise (kws_train.py
    --consistency): the clip as the dataset would write it with noise kind "none". Silence clips
    have no clean word; their rows are the codes of digital zero and are not meant to be used."""
    cache = os.path.dirname(os.path.abspath(data))
    clean = np.load(os.path.join(data, name + "_clean.npy"), mmap_mode="r")
    out = []
    for lo in range(0, len(rows), chunk):
        part = rows[lo:lo + chunk]
        audio = np.zeros((len(part), fe.CLIP_SAMPLES), np.int16)
        for i, r in enumerate(part):
            if int(labels[r]) != ds.SILENCE:
                audio[i], _ = ds.add_noise(np.array(clean[r], np.float64), int(labels[r]), None, "none", None, None)
        out.append(fe.quantize_input(fe.model_ceps(fe.mfcc_batch(audio, cache, band, dither, floor), cache,
                                                   use_cmn, ceps), offset))
    return np.concatenate(out)


class Remixer:
    """Prepares the input codes of the next epoch in a worker process: start(epoch) picks the
    clips (a fraction `share` of the rows, from `seed` and the epoch) and returns at once;
    take() waits and gives (positions, codes) to write into the train codes."""

    def __init__(self, data, name, labels, rows, share, seed, band, dither, use_cmn, ceps, offset, floor=None,
                 white=None, snr=None):
        self.fixed = (data, name, np.asarray(labels), seed, band, dither, use_cmn, ceps, offset, floor, white, snr)
        self.rows, self.share, self.seed = np.asarray(rows), share, seed
        self.pool = mp.get_context("fork").Pool(1)
        self.pending = None

    def start(self, epoch):
        rng = np.random.default_rng([self.seed, epoch, 31])
        pos = np.sort(rng.choice(len(self.rows), int(round(self.share * len(self.rows))), replace=False))
        self.pending = (pos, self.pool.apply_async(_work, (self.rows[pos], epoch) + self.fixed))

    def take(self):
        pos, res = self.pending
        self.pending = None
        return pos, res.get()

    def close(self):
        self.pool.terminate()
        self.pool.join()
