#!/usr/bin/python3
"""English words as festival lexicon entries of the Catalan or the Italian phone set, so that
festival's Catalan HTS voice upc_ca_ona_hts (female, statistical-parametric like flite's
clustergen voices, the kind no other Debian voice offers) and its Italian diphone voices
lp_diphone (female) and pc_diphone (male) can speak the keyword set's English words.

    /usr/bin/python3 scripts/kws_phonemes.py yes left kitchen   # prints the festival entries
    /usr/bin/python3 scripts/kws_phonemes.py --italian yes left kitchen

The pronunciation is espeak-ng's (American English, `espeak-ng -q -x --sep=_ -v en-us`); each
English phoneme maps to the nearest Catalan phone(s) (English has no /v/, /h/, /th/ there, so
they become b, nothing, t/d: an accent, which is the point of another voice). Syllables: one per
vowel, a single consonant (or stop/f + r/l) before a vowel opens the next syllable; the vowel
after espeak's primary stress mark takes the Catalan stressed phone (a1, E1, ...).
The Italian set (festival's italian phoneset) is the Catalan mapping with what Italian has and
Catalan lacks or spells otherwise (ITALIAN): /v/ stays v, the affricates are one phone (tS, dZ),
and the unstressed schwa, which Italian lacks, becomes a.
"""
import subprocess
import sys

# espeak-ng en-us phoneme -> Catalan phones (upc_catalan phone set: ax a a1 b d e e1 E E1 f g i
# i1 j J k l L m n o o1 O O1 p r rr s S t u u1 w z Z). Vowels are lists whose first element is
# the nucleus (stressable); j/w after it are glides, the rest follows as consonants.
VOWELS = {
    "I": ["i"], "I2": ["i"], "I#": ["i"], "i": ["i"], "i:": ["i"],
    "E": ["E"], "a": ["E"], "aa": ["a"], "a#": ["ax"], "A:": ["a"], "0": ["a"], "V": ["a"],
    "@": ["ax"], "@-": ["ax"], "@L": ["ax", "l"], "3": ["ax", "r"], "3:": ["E", "r"],
    "O:": ["O"], "O2": ["O"], "O@": ["O", "r"], "o@": ["O", "r"], "A@": ["a", "r"],
    "e@": ["E", "r"], "i@": ["i", "r"], "i@3": ["i", "r"], "U@": ["u", "r"],
    "eI": ["e", "j"], "aI": ["a", "j"], "oU": ["o", "w"], "aU": ["a", "w"], "OI": ["O", "j"],
    "U": ["u"], "u:": ["u"],
}
# two syllables: /aɪə/ (lion), /aɪɚ/ (fire); the stress mark belongs to the first
TWO_VOWELS = {"aI@": (["a", "j"], ["ax"]), "aI3": (["a", "j"], ["ax", "r"])}
CONSONANTS = {
    "p": ["p"], "b": ["b"], "t": ["t"], "t#": ["t"], "t2": ["t"], "d": ["d"], "k": ["k"], "g": ["g"],
    "f": ["f"], "v": ["b"], "T": ["t"], "D": ["d"], "s": ["s"], "z": ["z"], "S": ["S"], "Z": ["Z"],
    "h": [], "m": ["m"], "n": ["n"], "n-": ["n"], "N": ["n"], "l": ["l"], "r": ["r"], "j": ["j"],
    "w": ["w"], "tS": ["t", "S"], "dZ": ["d", "Z"], "?": [], ";": [],
}
# phone set -> (consonant mappings replacing CONSONANTS', phone renames applied to the result)
PHONESETS = {"catalan": ({}, {}),
             "italian": ({"v": ["v"], "tS": ["tS"], "dZ": ["dZ"]}, {"ax": "a"})}
STRESSED = {"a": "a1", "e": "e1", "E": "E1", "i": "i1", "o": "o1", "O": "O1", "u": "u1", "ax": "a1"}
ONSET_PAIRS = {(a, b) for a in ("p", "b", "t", "d", "k", "g", "f") for b in ("r", "l")}


def espeak_phonemes(words):
    """-> one list of espeak phoneme tokens per word ("'" marks the stressed vowel)."""
    out = subprocess.run(["espeak-ng", "-q", "-x", "--sep=_", "-v", "en-us"], input="\n".join(words),
                         capture_output=True, text=True, check=True).stdout.split()
    if len(out) != len(words):
        raise RuntimeError("espeak-ng phonemized %d words into %d lines" % (len(words), len(out)))
    return [[p for p in o.replace("'", "_'_").replace(",", "_").split("_") if p] for o in out]


def syllables(tokens, word="?", phoneset="catalan"):
    """espeak tokens -> [(phones, stress)] in the Catalan (or Italian) phone set."""
    cons_map, rename = PHONESETS[phoneset]
    consonants = {**CONSONANTS, **cons_map}
    units, stress_next, main = [], False, None   # units: (kind, phones); main: the stressed vowel
    for p in tokens:
        if p == "'":
            stress_next = True
        elif p in VOWELS or p in TWO_VOWELS:
            for k, v in enumerate(TWO_VOWELS[p] if p in TWO_VOWELS else [VOWELS[p]]):
                units.append(("V", v))
                if stress_next and k == 0:
                    main = len(units) - 1
            stress_next = False
        elif p in consonants:
            if consonants[p]:  # an affricate (tS -> t S) stays one unit: it opens a syllable whole
                units.append(("C", consonants[p]))
        else:
            raise ValueError("word %r: espeak phoneme %r has no %s mapping" % (word, p, phoneset))
    vows = [i for i, u in enumerate(units) if u[0] == "V"]
    if not vows:
        raise ValueError("word %r: no vowel in %s" % (word, "_".join(tokens)))
    if main is None:
        main = vows[0]
    # onset of each syllable after the first: one consonant, or stop/f + r/l
    starts = [0]
    for a, b in zip(vows, vows[1:]):
        cons = list(range(a + 1, b))
        if not cons:
            starts.append(b)
            continue
        k = cons[-1]
        if len(cons) >= 2 and (units[cons[-2]][1][-1], units[k][1][0]) in ONSET_PAIRS:
            k = cons[-2]
        starts.append(k)
    out = []
    for s, e in zip(starts, starts[1:] + [len(units)]):
        phones, stressed = [], 0
        for i in range(s, e):
            kind, ph = units[i]
            if kind == "V":
                stressed = int(i == main)
                ph = [STRESSED[ph[0]] if stressed else ph[0]] + ph[1:]
            phones += ph
        out.append(([rename.get(x, x) for x in phones], stressed))
    return out


def lexicon_entries(words, phoneset="catalan"):
    """{word: festival lex.add.entry expression} for a voice of the Catalan (ona) or Italian phone set."""
    if phoneset not in PHONESETS:
        raise ValueError("phone set %r: want one of %s" % (phoneset, ", ".join(sorted(PHONESETS))))
    return {w: "(lex.add.entry '(\"%s\" nil (%s)))" % (w, " ".join(
        "((%s) %d)" % (" ".join(ph), st) for ph, st in syllables(t, w, phoneset)))
        for w, t in zip(words, espeak_phonemes(words))}


if __name__ == "__main__":
    args = sys.argv[1:]
    italian = "--italian" in args
    for w, e in lexicon_entries([a for a in args if a != "--italian"], "italian" if italian else "catalan").items():
        print(e)
