#!/usr/bin/python3
"""SHA-256 digests of a keyword-spotting dataset cache, to tell at once whether two caches made
from the same options (on two machines, or by two versions of the scripts) hold the same bytes.

    /usr/bin/python3 scripts/kws_data_digest.py CACHE [--against FILE.json]
    /usr/bin/python3 scripts/kws_data_digest.py CACHE --record FILE.json

kws_dataset.py records, in CACHE/summary.json, the digest of every file of every set
("sets" -> NAME -> "sha256": {file: hex}) and of each engine's (and voice's) rendered words
before mixing ("renders_sha256": {engine[:voice]: hex}), so that a difference can be traced to
a synthesizer or to the mixing. This command recomputes the file digests and compares them with
what summary.json records, or with --against: another cache's summary.json, or a file of the same
form ("sets" -> NAME -> "sha256"), such as models/datasets/v3-seed1.json, the cache the committed
models were trained on. Exit 0 when every recorded digest matches, 1 naming each file that
differs or is missing (and when nothing was recorded to compare with).
--record computes the digests of every set summary.json lists and writes them to FILE.json in
that form (whole or not at all), also for a cache made before the digests were recorded.
"""
import argparse
import hashlib
import json
import os
import sys

# The files a set NAME may have in a cache (train adds the clean clips and the babble words);
# kws_features' derived feature caches (NAME_mfcc_BAND.npy) are left out: they are remade on demand.
SET_FILES = ("_audio.npy", "_mfcc.npy", "_labels.npy", "_meta.jsonl", "_clean.npy", "_babble.npz")


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def set_digests(root, name):
    """{file: sha256} of the files of set NAME present in the cache directory ROOT."""
    out = {}
    for sfx in SET_FILES:
        path = os.path.join(root, name + sfx)
        if os.path.isfile(path):
            out[name + sfx] = file_sha256(path)
    return out


def renders_digests(jobs, renders):
    """{engine[:voice]: sha256} of the rendered words (float32 samples, in job order) of one set.
    espeak's accents and variants are many and drawn per word, so espeak is one entry; festival's
    two voices (ked, ona) and flite's are per voice."""
    hs = {}
    for job, x in zip(jobs, renders):
        key = job["engine"] if job["engine"] == "espeak" else "%s:%s" % (job["engine"], job["voice"])
        h = hs.setdefault(key, hashlib.sha256())
        h.update(len(x).to_bytes(4, "little"))  # word boundaries count, not only the samples
        h.update(x.astype("<f4").tobytes())
    return {k: hs[k].hexdigest() for k in sorted(hs)}


def cache_digest(root):
    """One SHA-256 for a whole cache: over the sorted "file digest" lines of every set its
    summary.json lists (what a training report records as the data it read); None without a
    summary.json."""
    try:
        with open(os.path.join(root, "summary.json")) as f:
            names = sorted(json.load(f).get("sets", {}))
    except (OSError, ValueError):
        return None
    lines = sorted("%s %s\n" % kv for name in names for kv in set_digests(root, name).items())
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def recorded(summary):
    """{set: {file: sha256}} recorded in a summary.json-like dict ({} for anything else)."""
    sets = summary.get("sets") if isinstance(summary, dict) else None
    if not isinstance(sets, dict):
        return {}
    return {name: s["sha256"] for name, s in sets.items()
            if isinstance(s, dict) and isinstance(s.get("sha256"), dict)}


def compare(root, want):
    """The cache at ROOT against want ({set: {file: sha256}}): (list of differences, files
    compared)."""
    diffs, n = [], 0
    for name in sorted(want):
        for fname, digest in sorted(want[name].items()):
            n += 1
            path = os.path.join(root, fname)
            if not os.path.isfile(path):
                diffs.append("%s: missing" % path)
                continue
            mine = file_sha256(path)
            if mine != digest:
                diffs.append("%s: sha256 %s, want %s" % (path, mine[:16], digest[:16]))
    return diffs, n


def load_json(path, what):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("kws_data_digest.py: %s %s: %s" % (what, path, e))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cache", help="dataset cache directory (holds summary.json)")
    ap.add_argument("--against", default=None, metavar="FILE.json",
                    help="compare with the digests in this file instead of the cache's own summary.json")
    ap.add_argument("--record", default=None, metavar="FILE.json",
                    help="write the digests of every set of the cache to FILE.json instead of comparing")
    a = ap.parse_args()
    if a.record and a.against:
        ap.error("--record and --against: one or the other")
    if not os.path.isdir(a.cache):
        sys.exit("kws_data_digest.py: %s: no such directory" % a.cache)
    if a.record:
        summary = load_json(os.path.join(a.cache, "summary.json"), "summary")
        names = sorted(summary.get("sets") or {}) if isinstance(summary, dict) else []
        sets = {name: {"sha256": set_digests(a.cache, name)} for name in names}
        empty = [name for name in names if not sets[name]["sha256"]]
        if not names:
            sys.exit("kws_data_digest.py: %s: its summary.json lists no sets" % a.cache)
        if empty:
            sys.exit("kws_data_digest.py: %s: summary.json lists %s, but the cache holds no files of %s"
                     % (a.cache, ",".join(names), ",".join(empty)))
        tmp = a.record + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"cache": os.path.basename(os.path.normpath(a.cache)), "sets": sets}, f, indent=1)
            f.write("\n")
        os.replace(tmp, a.record)
        print("kws_data_digest.py: %d files of %d sets -> %s" % (sum(len(s["sha256"]) for s in sets.values()),
                                                                 len(sets), a.record))
        return
    src = a.against or os.path.join(a.cache, "summary.json")
    want = recorded(load_json(src, "digests"))
    if not want:
        sys.exit("kws_data_digest.py: %s records no digests (a cache made before kws_dataset.py recorded "
                 "them: make it again, or write this cache's with --record FILE.json)" % src)
    diffs, n = compare(a.cache, want)
    if diffs:
        sys.exit("kws_data_digest.py: %d of %d files of %s differ from %s:\n  %s"
                 % (len(diffs), n, a.cache, src, "\n  ".join(diffs)))
    print("kws_data_digest.py: all %d files of %s match %s" % (n, a.cache, src))


if __name__ == "__main__":
    main()
