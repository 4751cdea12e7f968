"""Fresh noise on the train clips every epoch (kws_train.py --remix P).

The dataset mixes each train render twice, one noise draw each (kws_dataset.py), so a model
trained for 36+ epochs sees the same 20400 noise realisations again and again. With --remix P,
each epoch a fraction P of the train clips is mixed again from its clean placed word
(NAME_clean.npy, written by kws_dataset.py) with a fresh noise kind, SNR and realisation drawn as
the dataset draws them (kws_dataset.noise_plan: white, pink, babble or none; SNR uniform 0-25 dB
over the speech-active samples, mixed exactly; silence gets a floor at -70..-25 dB), and its
features computed by the firmware's front end (kws_features, bit-exact). The word, its position
and level stay those of the stored clip: only the noise is new. A worker process prepares the
next epoch while the current one trains, and the training mixes what is left when its epoch is
done (Remixer).
"""
import ctypes
import multiprocessing as mp
import os
import traceback

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
    return ds.babble_words(np.split(z["audio"].astype(np.float64), np.cumsum(z["lengths"])[:-1]))


def speed_perturb(clip, factor):
    """The placed word of a clean clip played `factor` times as fast, about the centre of its energy:
    resampled by linear interpolation (shorter and higher above 1, longer and lower under 1, as
    Kaldi's speed perturbation), zeros where the stretched clip has no samples; same length. Up to
    factor 2 the aliases of the top octave fold above 4 kHz, out of the models' Mel band."""
    e = clip * clip
    total = e.sum()
    if total <= 0 or factor == 1.0:
        return clip
    n = np.arange(len(clip), dtype=np.float64)
    centre = float(n @ e / total)
    return np.interp(centre + (n - centre) * factor, n, clip, left=0.0, right=0.0)


def remix_audio(clean, labels, rows, seed, epoch, pool, white=None, snr=None, speed=None):
    """int16 clips for the clean clips `rows` with fresh noise; clip r of epoch e draws from its
    own generator seeded by (seed, epoch, r), so the result does not depend on scheduling.
    white: the share of white noise among the words' noise kinds (None: the dataset's 30 %);
    snr: the words' (lo, hi) SNR range in dB (None: the dataset's 0-25); speed: (lo, hi), each
    word played that many times as fast (speed_perturb; None: as stored), the factor drawn from a
    generator of its own so that the noise draws stay those of a remix without it."""
    out = np.zeros((len(rows), fe.CLIP_SAMPLES), np.int16)
    # all the rows read and widened at once (exact: every float16 is a float64); an ndarray, not a
    # memmap, whose every slice would be slow
    words = np.array(clean[np.asarray(rows, np.int64)], np.float64)
    for i, r in enumerate(rows):
        rng = np.random.default_rng([seed, epoch, int(r), 7177])
        kind, db = ds.noise_plan(rng, int(labels[r]), white, snr)
        word = words[i]
        if speed is not None and int(labels[r]) != ds.SILENCE:
            word = speed_perturb(word, np.random.default_rng([seed, epoch, int(r), 7178]).uniform(*speed))
        out[i], _ = ds.add_noise(word, int(labels[r]), rng, kind, db, pool)
    return out


def _codes(audio, cache, band, dither, use_cmn, ceps, offset, floor):
    """The model's input codes of int16 clips, as the dataset's front end gives them."""
    return fe.quantize_input(fe.model_ceps(fe.mfcc_batch(audio, cache, band, dither, floor), cache, use_cmn, ceps),
                             offset)


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
        out.append(_codes(audio, cache, band, dither, use_cmn, ceps, offset, floor))
    return np.concatenate(out)


FREE, TAKEN, DONE = 0, 1, 2  # a chunk's state in Remixer._state


class _Gone(Exception):
    """The other process of a Remixer (the training or its worker) is no longer there."""


class Remixer:
    """Prepares the input codes of the next epoch: start(epoch) picks the clips (a fraction
    `share` of the rows, from `seed` and the epoch) and returns at once; a worker process mixes
    them chunk by chunk from the front while the epoch trains; take() mixes the chunks the worker
    has not reached, from the back, so a training that is done with its epoch lends its core to
    the remix instead of waiting, and gives (positions, codes) to write into the train codes.
    Each clip draws from its own generator, so the codes do not depend on who mixed which chunk."""

    def __init__(self, data, name, labels, rows, share, seed, band, dither, use_cmn, ceps, offset, floor=None,
                 white=None, snr=None, speed=None, chunk=128):
        self.rows, self.seed = np.asarray(rows), seed
        self.labels, self.white, self.snr, self.speed = np.asarray(labels), white, snr, speed
        self.front = (os.path.dirname(os.path.abspath(data)), band, dither, use_cmn, ceps, offset, floor)
        self.clean = np.load(os.path.join(data, name + "_clean.npy"), mmap_mode="r")
        self.pool = _babble_pool(data, name)
        self.n, self.chunk = int(round(share * len(self.rows))), chunk
        n_chunks = (self.n + chunk - 1) // chunk
        ctx = mp.get_context("fork")  # the worker shares the clips, the pool and the buffers below
        self._codes = np.frombuffer(ctx.RawArray(ctypes.c_int8, max(1, self.n * fe.NUM_FRAMES * ceps)), np.int8)
        self._codes = self._codes[:self.n * fe.NUM_FRAMES * ceps].reshape(self.n, fe.NUM_FRAMES, ceps)
        self._state = np.frombuffer(ctx.RawArray(ctypes.c_int8, max(1, n_chunks)), np.int8)[:n_chunks]
        self._lock = ctx.Lock()
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=self._serve, args=(child,), daemon=True)
        self._proc.start()
        child.close()
        self.pending = None

    def _mix(self, rows, epoch, c):
        """Mix chunk c of this epoch's rows into the shared codes."""
        part = rows[c * self.chunk:(c + 1) * self.chunk]
        audio = remix_audio(self.clean, self.labels, part, self.seed, epoch, self.pool, self.white, self.snr,
                            self.speed)
        self._codes[c * self.chunk:c * self.chunk + len(part)] = _codes(audio, *self.front)

    def _claim(self, c, who, other_alive):
        """Chunk c for `who` if it is free. A process killed while holding the lock never
        releases it, so the wait checks that the other side is still there."""
        while not self._lock.acquire(timeout=1.0):
            if not other_alive():
                raise _Gone
        try:
            if self._state[c] != FREE:
                return False
            self._state[c] = who
            return True
        finally:
            self._lock.release()

    def _serve(self, conn):
        """The worker: mixes each epoch's free chunks in order, then reports."""
        parent = os.getppid()
        while True:
            try:
                msg = conn.recv()
            except (EOFError, OSError):  # the training has gone
                return
            if msg is None:
                return
            epoch, rows = msg
            reply = None
            try:
                for c in range(len(self._state)):
                    if self._claim(c, TAKEN, lambda: os.getppid() == parent):
                        self._mix(rows, epoch, c)
                        self._state[c] = DONE
            except _Gone:
                return
            except Exception:
                reply = traceback.format_exc()
            try:
                conn.send(reply)
            except OSError:
                return

    def start(self, epoch):
        rng = np.random.default_rng([self.seed, epoch, 31])
        pos = np.sort(rng.choice(len(self.rows), self.n, replace=False))
        self._state[:] = FREE
        self._conn.send((epoch, self.rows[pos]))
        self.pending = (epoch, pos)

    def take(self):
        epoch, pos = self.pending
        self.pending = None
        rows = self.rows[pos]
        try:
            for c in reversed(range(len(self._state))):  # the worker claims in order: stop at its first
                if not self._claim(c, DONE, self._proc.is_alive):
                    break
                self._mix(rows, epoch, c)
            err = self._report()
        except _Gone:
            self._proc.join(5)
            raise RemixError("the remix worker stopped (exit code %s) before epoch %d was mixed"
                             % (self._proc.exitcode, epoch)) from None
        if err is not None:
            raise RemixError("the remix worker failed on epoch %d:\n%s" % (epoch, err))
        return pos, self._codes.copy()

    def _report(self):
        """The worker's word that it is done with the epoch: None, or its traceback."""
        try:
            while not self._conn.poll(1.0):
                if not self._proc.is_alive():
                    raise _Gone
            return self._conn.recv()
        except (EOFError, OSError):  # a dead worker's pipe reads as closed or reset
            raise _Gone from None

    def close(self):
        if self._proc.is_alive():
            try:
                self._conn.send(None)
            except OSError:
                pass
            self._proc.join(5)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join()
