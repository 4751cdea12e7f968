#!/usr/bin/python3
"""scripts/kws_phonemes.py against hand transcriptions and the Catalan and Italian phone sets.

    /usr/bin/python3 tests/firmware/kws_phonemes_check.py SCRIPTS_DIR

- the ten keywords and a few longer words give the entries written here by hand from their
  American pronunciation (IPA in the comments);
- every word the dataset can ask the ona voice for (TRAIN_WORDS, UNKNOWN_WORDS, keywords) has an
  entry whose phones are all in festival's upc_catalan phone set (listed here as festival prints
  it), with exactly one stressed syllable and one vowel per syllable;
- the same for the Italian voices (lp, pc) and festival's italian phone set: hand-written entries
  where Italian differs (v, the one-phone affricates, no schwa), every word in the set;
- an unknown phone set is refused.
Exit 1 with the words that differ.
"""
import re
import sys

sys.path.insert(0, sys.argv[1])
import kws_dataset  # noqa: E402
import kws_phonemes  # noqa: E402

# (PhoneSet.description) of upc_ca_ona_hts, less the pause symbols
CATALAN = set("ax a a1 b d e e1 E E1 f g i i1 j J k l L m n o o1 O O1 p r rr s S t u u1 w z Z".split())
# (PhoneSet.description) of lp_diphone / pc_diphone (italian_phoneset.scm), less the pause symbols
ITALIAN = set("i e E a o O u i1 e1 E1 a1 o1 O1 u1 j w p t k b d g f s S v z Z ts tS dz dZ m n J ng nf "
              "l L r".split())
VOWELS = {"ax", "a", "a1", "e", "e1", "E", "E1", "i", "i1", "o", "o1", "O", "O1", "u", "u1"}
EXPECT = {
    "yes": "((j E1 s) 1)",                      # /jɛs/
    "no": "((n o1 w) 1)",                       # /noʊ/
    "up": "((a1 p) 1)",                         # /ʌp/
    "down": "((d a1 w n) 1)",                   # /daʊn/
    "left": "((l E1 f t) 1)",                   # /lɛft/
    "right": "((r a1 j t) 1)",                  # /ɹaɪt/
    "on": "((O1 n) 1)",                         # /ɔn/
    "off": "((O1 f) 1)",                        # /ɔf/
    "stop": "((s t a1 p) 1)",                   # /stɑp/
    "go": "((g o1 w) 1)",                       # /ɡoʊ/
    "kitchen": "((k i1) 1) ((t S ax n) 0)",     # /ˈkɪ.tʃən/: the affricate opens the syllable
    "table": "((t e1 j) 1) ((b ax l) 0)",       # /ˈteɪ.bəl/
    "three": "((t r i1) 1)",                    # /θɹi/: no /θ/ in Catalan
}

EXPECT_ITALIAN = {
    "up": "((a1 p) 1)",
    "kitchen": "((k i1) 1) ((tS a n) 0)",       # /ˈkɪ.tʃən/: tS is one Italian phone, no schwa
    "table": "((t e1 j) 1) ((b a l) 0)",
    "vivid": "((v i1) 1) ((v i d) 0)",          # Italian has /v/
    "judge": "((dZ a1 dZ) 1)",
}


def parse(entry):
    """'(lex.add.entry '("w" nil (((a b) 1) ...)))' -> [(phones, stress)]"""
    body = re.fullmatch(r"\(lex\.add\.entry '\(\"[a-z]+\" nil \((.*)\)\)\)", entry)
    if not body:
        raise ValueError("not a lexicon entry: %s" % entry)
    return [(ph.split(), int(st)) for ph, st in re.findall(r"\(\(([^()]*)\) (\d)\)", body.group(1))], body.group(1)


def check_entry(w, e, allowed, phoneset, bad):
    """One entry: its phones in the set, one stressed syllable, one vowel per syllable."""
    syl, _ = parse(e)
    phones = [p for ph, _ in syl for p in ph]
    if not set(phones) <= allowed:
        bad.append("%s: phones %s not in the %s set" % (w, sorted(set(phones) - allowed), phoneset))
    if sum(st for _, st in syl) != 1:
        bad.append("%s (%s): %d stressed syllables in %s" % (w, phoneset, sum(st for _, st in syl), e))
    for ph, st in syl:
        v = [p for p in ph if p in VOWELS]
        if len(v) != 1 or (st == 1) != v[0].endswith("1"):
            bad.append("%s (%s): syllable %s (stress %d) needs one vowel, stressed iff the syllable is"
                       % (w, phoneset, ph, st))


def main():
    bad = []
    got = kws_phonemes.lexicon_entries(sorted(EXPECT))
    for w, want in EXPECT.items():
        have = parse(got[w])[1]
        if have != want:
            bad.append("%s: entry %s, expected %s" % (w, have, want))
    got = kws_phonemes.lexicon_entries(sorted(EXPECT_ITALIAN), "italian")
    for w, want in EXPECT_ITALIAN.items():
        have = parse(got[w])[1]
        if have != want:
            bad.append("%s (Italian): entry %s, expected %s" % (w, have, want))
    try:
        kws_phonemes.lexicon_entries(["yes"], "klingon")
        bad.append("phone set klingon: no error")
    except ValueError as e:
        if "want one of catalan, italian" not in str(e):
            bad.append("phone set klingon: %s" % e)
    words = sorted(set(kws_dataset.TRAIN_WORDS) | set(kws_dataset.UNKNOWN_WORDS) | set(kws_dataset.KEYWORDS))
    for phoneset, allowed in (("catalan", CATALAN), ("italian", ITALIAN)):
        for w, e in kws_phonemes.lexicon_entries(words, phoneset).items():
            check_entry(w, e, allowed, phoneset, bad)
    for b in bad[:40]:
        print("kws_phonemes: " + b)
    if bad:
        print("kws_phonemes: %d problems" % len(bad))
        return 1
    print("kws_phonemes: %d words in two phone sets, %d hand-checked entries agree"
          % (len(words), len(EXPECT) + len(EXPECT_ITALIAN)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
