#!/usr/bin/python3
r"""Synthesize a 12-class Speech-Commands-like keyword set with espeak-ng, flite and festival, mix
noise, and compute the firmware's fixed-point MFCC features.

    /usr/bin/python3 scripts/kws_dataset.py [--out ~/.cache/cimvp-kws] [--seed 1] [--scale 1.0]
    # dataset v3 (the committed models): twice the keyword renders, 3600 unknown renders of
    # ~1600 words, perturbed; val/test/xsynth byte-identical to v1/v2
    /usr/bin/python3 scripts/kws_dataset.py --perturb --more-words --train-scale 2 --train-unknown 3600
    # dataset v4: v3 plus a third engine in train (festival's ked voice, about 15 % of the train
    # renders, taken from espeak's share); val/test/xsynth byte-identical to v3. Needs
    # `apt-get install festival festvox-kdlpc16k`.
    /usr/bin/python3 scripts/kws_dataset.py --perturb --more-words --train-scale 2 --train-unknown 3600 \
        --festival
    # dataset v5: v3 plus festival's Catalan HTS voice ona (female, statistical-parametric like
    # the held-out flite voice slt) speaking the English words from espeak-ng's phonemes
    # (scripts/kws_phonemes.py), about 15 % of the train renders, taken from espeak's share;
    # val/test/xsynth byte-identical to v3. Needs `apt-get install festival festvox-ca-ona-hts`.
    /usr/bin/python3 scripts/kws_dataset.py --perturb --more-words --train-scale 2 --train-unknown 3600 \
        --ona
    # v6 plus festival's Italian diphone voices lp (female) and pc (male) reading the English
    # words from espeak-ng's phonemes in the Italian phone set, 15 % of the train renders in place
    # of espeak renders (cache v6-seed1-it0.15; every other render and set byte-identical to v6).
    # Needs `apt-get install festvox-italp16k festvox-itapc16k`.
    /usr/bin/python3 scripts/kws_dataset.py --perturb --more-words --train-scale 2 --train-unknown 3600 \
        --festival --ona --italian
    # v3 with a share P of the espeak (and festival) train renders spoken again by an LPC vocoder
    # (scripts/kws_vocoder.py), the kind of voice flite's clustergen voices are; cache
    # v3-seed1-vocP; every other render, and val/test/retest/xsynth, byte-identical to v3
    /usr/bin/python3 scripts/kws_dataset.py --perturb --more-words --train-scale 2 --train-unknown 3600 \
        --vocode 0.3

Classes: yes no up down left right on off stop go, silence, unknown (~300 other words).
Voices: espeak-ng English accents x variants (+ speed, pitch), flite awb/rms/kal16/slt/kal
(+ duration stretch, f0). The split is by voice (details in docs/kws.md):
  train: 7 espeak accents x 70 % of the variants, flite awb and rms (+ festival ked with --festival,
         festival's Catalan ona reading English phonemes with --ona, its Italian lp and pc
         with --italian)
  val:   the same accents x another 10 % of the variants, flite kal16
  test:  all 8 accents (en-029 only here) x the remaining 20 % of the variants, flite slt
  xsynth: flite only, all five voices, for the cross-synthesizer test (train with
          kws_train.py --no-flite so that no flite voice is ever seen: with --festival that
          run still trains on two engines, espeak and festival)
  xfest: festival only, its four voices (ked; ona, lp and pc reading English phonemes): the
          cross-synthesizer test of a model trained without festival, such as the committed
          models (datasets v3 and v3x4 have no festival render in train or val)
  retest: the test voices again, other renders (words, speed, pitch, placement, rendered
          and mixed from their own generators): a second draw to check a model that was chosen
          on test; no training or selection reads it
Sets written under OUT/v1-seedS/: train (two noisy mixes of every render), val (noisy), test,
retest, xsynth and xfest (quiet) and NAME_snr10 for each of them (the same clips with
white noise at exactly 10 dB). Test sets are balanced (same count per class). Each set:
NAME_audio.npy (N, 16000) int16, NAME_mfcc.npy (N, 49, 40) int16 q8.7, NAME_labels.npy int8,
NAME_meta.jsonl; train also train_clean.npy (N, 16000) float16, the placed words before noise,
and train_babble.npz, its babble words, so that kws_train.py --remix draws fresh noise every
epoch.
`--only retest` adds sets to an existing cache without rendering the others (they would come
out byte-identical). Everything is a function of --seed: each clip draws from its own generator
seeded by (seed, set, index), so the result does not depend on the process scheduling.
summary.json records the SHA-256 of every set's files and of each engine's rendered words
(scripts/kws_data_digest.py checks a cache against them, or against another cache's).
"""
import argparse
import functools
import json
import multiprocessing as mp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kws_data_digest  # noqa: E402
import kws_features as fe  # noqa: E402
import kws_phonemes  # noqa: E402
import kws_vocoder  # noqa: E402

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

# --more-words (dataset v3): ~1300 further everyday words for the *train* unknown class only
# (val/test keep drawing from UNKNOWN_WORDS above, so their clips stay identical to v1/v2).
# Rhymes and near neighbours of the keywords (dress, shop, town, light, yet, ...) are in on
# purpose: they are the false accepts to learn; words that begin with a keyword's sound
# (going, offer, often, upon, yesterday, honest, ...) or sound the same (know, write) are not.
EXTRA_WORDS = """
able about above accept across act add address admit adult afraid after afternoon again age agent
agree ahead air airport alarm album alive all allow almost alone along alpha already also always
amazing among amount angel anger angle angry animal ankle anna annual answer ant any apart appear
april area arm army around arrive arrow art article artist ask asleep attack attempt august aunt
autumn avenue average award away awful axe bag bake balance balloon banana band bar barn base basket
bat bath battery battle beam bean beard beat beautiful because become bee beef before begin behind
believe belt ben bench bend berry best bet better between bicycle bike bill billion biscuit bit bite
bitter blade blame blanket bless blind block blood bloom blow board body boil bold bone bonus border
boring born borrow boss both bottle bottom bounce bowl brain branch brave bravo breakfast breath
brick bridge brief bright broad broken bronze brother brush bubble bucket budget build bullet bunch
burger burn burst busy butter button buy cabbage cabin cable camel camera camp can candle candy
canvas cap captain carbon care carpet carrot carry case cash castle catch cause cave ceiling cell
cent center century chain chalk champion chance change channel chapter charge charger charlie chase
cheap check cheek chef cherry chess chest chicken chief child chin chip chocolate choice choose
chris church cinema circle circus citizen claim clap clay clever client cliff climb close cloth
clown club coach coast coconut coffee coin collect college color column comb comfort common company
cookie copy corner cost cotton couch cough count country couple course court cousin cover crab crack
craft crane crash crazy cream credit crew crime crimson crisp crop cross crowd crown cruel crush cry
culture curtain curve cushion custom cut cycle daily damage damp danger daughter david dawn dead
deal dear debate decade december decide deer defend degree delay deliver delta demand dentist deny
depth describe desert design detail device diamond diary dictionary diet dig dinosaur direct dirt
dirty discover dish distance diver doctor dollar dolphin don done donkey dot double dozen dragon
drama draw drawer drill drop drum dry dust duty eagle ear eat echo edge editor effect effort
eggplant eighteen eighty elbow elder electric elephant elevator eleven else email emma empty energy
engine enjoy enter entire envelope equal escape evening event exact example excite exercise exit
expect expert explain extra eye fabric fair faith false famous fan fancy fantasy far fat fault favor
feather feature february fee feed feel fence festival fever few fiction fifteen fifty figure film
final finger finish fit fix flame flash flat flavor flight float flood flour fluid focus fog fold
folk fond football force forget form fortune forty fossil fourteen fox frame frank fresh friday
fridge fringe front frost frozen fuel fun funny fur future galaxy gallery gap garage garlic gas gear
general genius gentle ghost giant ginger giraffe give glad glove glue goose gorilla gossip gown grab
grace grade grain grammar grand grape graph grave gravity great grey grief grill grip guard guess
guest guide guitar gun habit hammer hamster handle harbor hard harvest hawk hay headphone health
hear heavy hedge height hello henry hero hidden high hint history hobby hockey holiday hollow honey
hood hook horn hospital host hotel hug human humor hundred hunt hurry husband hybrid india ink
insect inside invite isaac item ivory jack january jar jaw jazz jeans jelly jewel join joke journey
joy judge juliet july june jungle junior jury just kangaroo kate keep keyboard kick kid kidney kilo
kind kiss kitten knife knock label ladder lady language laptop laser later lava law lawn layer lazy
leader leather lecture leg lemon lend length lens leopard lesson lettuce level library lid life lift
lima limb limit line link liquid list listen live lizard load loan lobster local lock loft lonely
loose lose loud lucky lucy luggage lumber lyrics magic magnet maid mail main major make mammal mango
manner maple marble march mary mask mass master match math mattress may meadow meal measure meat
medal media melody melt member memory menu mercy merit mesh mess message metal method middle
midnight might mike million mind mirror miss mist mixture model modern moment monday monitor monkey
monster mood more mosquito moth motor mud muffin mule muscle museum mushroom mystery nail napkin
narrow nation nature navy neither nephew nerve net network neutral news nice nick nineteen ninety
noodle normal novel november nurse nut oak oat oblige obvious october oil olive omit onion opera
orbit orchard order organ oscar ostrich other otter outdoor outer oval oven owl owner oxygen oyster
pack paddle palace palm panda panel panic pants papa parent parrot pass past pasta path patient
pattern paul pause peace peach peanut pear pelican pen penalty pepper perfect pet peter phone photo
phrase physical pick picnic piece pigeon pill pillow pilot pine pipe pizza place planet plastic
pledge plug plum poem poet police polish pond pony popcorn popular portion post pottery pouch powder
power praise pretty price pride prince printer prison prize problem process produce profit program
project promote proof proud pudding pull pulse pumpkin punch pup pupil puppy purple purse push
puzzle pyramid quality quarter quebec quiz quote race rachel radar radio rail rainbow raise ranch
random rapid rare rate raven raw razor ready real reason rebel recall recipe record reduce reflect
region relax remain remember remind remove rent repair repeat reply report rescue rest result return
reward rhythm rib ribbon rich riddle ride rifle ripple rival robot rocket romeo roof rookie root
rope rough route royal rubber rude rug rule rural sad saddle safe sail salad salmon salute sam same
sample sandwich saturday sauce sausage save scale scarf scene science scissors score scout screen
script search seat second secret section security september seventeen seventy shadow shallow shape
share shark sharp shed shell shield shift shine ship shock shoot shop shoulder shovel shrimp shy
sick side sierra sight sign silent silk silver simple sing siren sit sixteen sixty size skate ski
skill skin skirt skull slab slam sleeve slice slide slim slogan slot smoke smooth snack sock soda
sofa soldier solid someone son sorry sort soul sound source spare spark speaker special speed spell
spend sphere spice spider spike spin spirit split sponge sport spot spray spread squirrel stable
stack stadium staff stage stairs stamp stand start state stay steak steel stem step stick still
sting stock stomach stone storm story stove strategy straw stream strong struggle student stuff
style subject submit subway success such sudden suit sunday sunny super supply sure surface surprise
swamp swan sweet swim swing sword symbol system taco talent talk tango tank tape target task taste
tattoo taxi tea team tell ten tennis tent term test text theater theme theory there thick thin think
thirteen thirty thumb thunder thursday tide tight tired title toast toddler toe tom tomato tone
tongue tonight tool top topic torch tornado tortoise toss total tourist tower toy track trade
traffic tragic trap tray treat trend trial tribe trick trip trophy trouble true trumpet trust truth
tuesday tuna tunnel turkey turn turtle twelve twenty twin type ugly umbrella unable unfair uniform
unique unit universe unlock until unusual unveil usual vacuum valley valve vanilla vapor vast vault
vehicle velvet vendor venue verb very vessel veteran victor video view vintage violet virus visit
vital vivid vocal volcano volume vote voyage wagon waist wallet walnut wander want war wash wasp
waste wave way wealth weapon wear weasel web wedding wednesday weekend weird welcome well wet whale
wheat whip whiskey whisper wide width wife wild will william win wine wing wink winner wire wisdom
wise wish witness wonder wool word work worry worth wrap wreck wrist xray yankee yard yeah year yet
yoga yogurt zipper zone zulu
""".split()
NEAR_KEYWORD = {"know", "knows", "of", "write", "rite", "goes", "going", "yesterday", "often", "offer",
                "office", "upon", "upper", "honest", "honor", "only"}
TRAIN_WORDS = sorted((set(UNKNOWN_WORDS) | set(EXTRA_WORDS)) - set(KEYWORDS) - NEAR_KEYWORD)

ESPEAK_ACCENTS = ["en", "en-us", "en-gb-x-rp", "en-gb-scotland", "en-gb-x-gbclan",
                  "en-gb-x-gbcwmd", "en-us-nyc", "en-029"]
TEST_ACCENT = "en-029"   # a whole accent never heard in training
FLITE = {"train": ["awb", "rms"], "val": ["kal16"], "test": ["slt"], "retest": ["slt"],
         "xsynth": ["kal", "kal16", "awb", "rms", "slt"]}
SETS = ["train", "val", "test", "retest", "xsynth", "xfest"]
FLITE_SHARE = 0.2        # fraction of renders from flite in train/val/test
# --festival: a third engine for train only (val/test/xsynth stay as in v3, so results compare).
# ked is a male US diphone voice; Debian's other English festival voices are kal (the same
# recordings as flite's kal16, the val voice) and slt (the test speaker), so neither is used.
FESTIVAL = {"train": ["ked_diphone"]}
FESTIVAL_SHARE = 0.15    # fraction of train renders from festival (taken from espeak's share)
FESTIVAL_BATCH = 64      # words per festival process (its start-up costs ~0.4 s)
# --ona: festival's Catalan female HTS voice for train only, speaking each English word from a
# lexicon entry made of espeak-ng's phonemes (kws_phonemes): no English voice of Debian is a
# female statistical-parametric voice other than slt, the test speaker.
ONA = {"train": ["upc_ca_ona_hts"]}
ONA_SHARE = 0.15         # fraction of train renders from ona (taken from espeak's share)
# --italian: festival's two Italian diphone voices (lp female, pc male) for train only, reading
# the English words from lexicon entries of the Italian phone set (kws_phonemes): two more
# speakers recorded from people, one of them female. Each such render replaces an espeak render,
# drawn after every other draw of the job, so that every other render stays what it is in v6.
# Their speed is varied by sox's tempo after synthesis: festival's Italian front end crashes
# (SIGSEGV) at some Duration_Stretch values (about 1 in 10 of 0.80-1.30, any word), never at 1.
ITALIAN = {"train": ["lp_diphone", "pc_diphone"]}
ITALIAN_SHARE = 0.15     # fraction of train renders from the Italian voices (taken from espeak's)
# xfest: every festival voice the dataset knows, none of them in v3's training (the committed models')
XFEST = ["ked_diphone", "upc_ca_ona_hts", "lp_diphone", "pc_diphone"]
PHONESET = {"upc_ca_ona_hts": "catalan", "lp_diphone": "italian", "pc_diphone": "italian"}
HTS_VOICES = {"upc_ca_ona_hts"}  # speed through the HTS engine's rate, not Duration_Stretch
# --vocode: per vocoded render, the frames its envelope is averaged over and the noise share of
# its voiced excitation (kws_vocoder.vocode), uniform
VOCODE_SMOOTH = [1, 3, 5, 7]
VOCODE_APER = (0.0, 0.3)
VOICE_DIRS = {"ked_diphone": ("english/ked_diphone", "festvox-kdlpc16k"),
              "upc_ca_ona_hts": ("catalan/upc_ca_ona_hts", "festvox-ca-ona-hts"),
              "lp_diphone": ("italian/lp_diphone", "festvox-italp16k"),
              "pc_diphone": ("italian/pc_diphone", "festvox-itapc16k")}


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
            "retest": (ESPEAK_ACCENTS, test_v), "xsynth": ([], []), "xfest": ([], [])}, {
                "test_variants": test_v, "val_variants": val_v, "train_variants": train_v}


def render(job):
    """One word -> int16 16 kHz mono, leading/trailing silence trimmed (espeak and flite)."""
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
    return finish(job, wav)


def render_festival(batch):
    """A batch of festival jobs in one festival process (one process per word would spend most
    of the time starting festival). Same post-processing as render()."""
    tmp = tempfile.mkdtemp(prefix="kws_festival_")
    try:
        lines = []
        for i, job in enumerate(batch):
            if not re.fullmatch(r"[a-z]+", job["word"]):
                raise ValueError("festival: word %r is not plain lower-case letters" % job["word"])
            lines.append("(voice_%s)" % job["voice"])
            if "lex" in job:  # ona, Italian: the English word in the voice's own phones
                lines.append(job["lex"])
            if job["voice"] in HTS_VOICES:  # HTS speed for the stretch
                lines.append("(set! hts_engine_params (append %s::hts_engine_params '((\"-r\" %.3f))))"
                             % (job["voice"], 1.0 / job["stretch"]))
            else:
                lines.append("(Parameter.set 'Duration_Stretch %.3f)" % job["stretch"])
            if "f0" in job:  # ked: its own linear-regression intonation, retargeted to this f0 mean/std
                lines.append("(set! int_lr_params '((target_f0_mean %d) (target_f0_std %d) "
                             "(model_f0_mean 170) (model_f0_std 34)))" % (job["f0"], job["f0_std"]))
            lines.append("(utt.save.wave (utt.synth (Utterance Text \"%s\")) \"%s/%d.wav\" 'riff)"
                         % (job["word"], tmp, i))
        script = os.path.join(tmp, "batch.scm")
        with open(script, "w") as f:
            f.write("\n".join(lines) + "\n")
        try:  # a batch takes about a second; a stuck festival must not stall the whole run
            r = subprocess.run(["festival", "-b", script], capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            raise RuntimeError("festival did not finish a batch of %d words (%s...) in 300 s"
                               % (len(batch), batch[0]["word"]))
        out = []
        for i, job in enumerate(batch):
            path = os.path.join(tmp, "%d.wav" % i)
            if r.returncode != 0 or not os.path.exists(path):
                raise RuntimeError("festival did not render %r (voice %s, exit %d): %s"
                                   % (job["word"], job["voice"], r.returncode, r.stderr.strip()[-300:]))
            with open(path, "rb") as f:
                out.append(finish(job, f.read()))
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_festival(voice, option):
    """--festival / --ona need Debian's festival and the voice; say so instead of failing mid-run."""
    sub, package = VOICE_DIRS[voice]
    voice_dir = "/usr/share/festival/voices/" + sub
    if shutil.which("festival") is None or not os.path.isdir(voice_dir):
        sys.exit("kws_dataset.py: %s needs festival with the voice %s (%s); install them with: "
                 "apt-get install festival %s" % (option, voice, voice_dir, package))


def finish(job, wav):
    """Synthesizer WAV bytes -> float32 16 kHz mono, perturbed (--perturb), vocoded (--vocode) and
    trimmed."""
    # sox: resample to 16 kHz with a gain guard (-G) and no dither (-D) so output is deterministic.
    fx = []
    if job.get("pitch_cents"):  # --perturb: voice variety beyond the synthesizers' own voices
        fx = ["pitch", str(job["pitch_cents"]), "equalizer", str(job["eq_hz"]), "1q", "%.1f" % job["eq_db"]]
    if job.get("tempo"):  # the Italian voices' speed (see ITALIAN) and --faster
        fx += ["tempo", "-s", "%.4f" % job["tempo"]]
    raw = subprocess.run(["sox", "-G", "-D", "-t", "wav", "-", "-t", "raw", "-r", "16000", "-e", "signed",
                          "-b", "16", "-c", "1", "-"] + fx, input=wav, capture_output=True, check=True).stdout
    x = np.frombuffer(raw, np.int16).astype(np.float32) / 32768.0
    if job.get("vocode"):
        x = kws_vocoder.vocode(x, **job["vocode"])
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


def make_jobs(set_name, pools, counts, seed, perturb=False, words=None, festival=0.0, ona=0.0, vocode=0.0,
              italian=0.0, faster=1.0):
    """counts: {class index: renders}. Returns render jobs (silence has none). words: the
    unknown-word list (default UNKNOWN_WORDS). festival / ona: the share of the train renders from
    festival's ked (FESTIVAL) / ona (ONA) voice, taken from espeak's (FESTIVAL_SHARE, ONA_SHARE
    with --festival / --ona; 0: none). vocode: the share of the train renders other
    than flite's spoken again by the LPC vocoder (kws_vocoder). italian: the share of the train
    renders from the Italian voices (ITALIAN), taken from espeak's. faster: each train render sped
    up by sox's tempo (pitch kept) by a factor uniform in [1, faster] (1: none)."""
    accents, variants = pools[set_name]
    words = words or UNKNOWN_WORDS
    jobs = []
    for c in sorted(counts):
        if c == SILENCE:
            continue
        for k in range(counts[c]):
            rng = np.random.default_rng([seed, hash_name(set_name), c, k])
            word = CLASSES[c] if c != UNKNOWN else words[rng.integers(len(words))]
            if set_name == "xfest":
                jobs.append(festival_job(str(rng.choice(XFEST)), rng, word, c))
                continue
            use_flite = set_name == "xsynth" or rng.random() < FLITE_SHARE
            if use_flite:
                jobs.append(dict(engine="flite", voice=str(rng.choice(FLITE[set_name])), variant="",
                                 stretch=float(rng.uniform(0.8, 1.3)), f0=int(rng.integers(80, 220)),
                                 word=word, label=c))
            elif festival and set_name in FESTIVAL and rng.random() < festival / (1 - FLITE_SHARE):
                jobs.append(festival_job(str(rng.choice(FESTIVAL[set_name])), rng, word, c))
            elif ona and set_name in ONA and rng.random() < ona / (1 - FLITE_SHARE - festival):
                jobs.append(festival_job(str(rng.choice(ONA[set_name])), rng, word, c))
            else:
                jobs.append(dict(engine="espeak", voice=str(rng.choice(accents)),
                                 variant=str(rng.choice(variants + [""])),
                                 rate=int(rng.integers(110, 230)), pitch=int(rng.integers(10, 90)),
                                 word=word, label=c))
            if perturb and set_name in ("train", "val"):
                # drawn after the voice so the unperturbed choices stay the same; +-6 semitones
                # moves a male voice into the female range (the held-out flite voice is female)
                jobs[-1].update(pitch_cents=int(rng.integers(-600, 601)) or 1,
                                eq_hz=int(rng.choice([300, 800, 1500, 3000])), eq_db=float(rng.uniform(-8, 8)))
            if vocode and set_name == "train" and jobs[-1]["engine"] != "flite" and rng.random() < vocode:
                # drawn last, so every other render stays what it is without --vocode
                jobs[-1]["vocode"] = dict(seed=int(rng.integers(1 << 31)), smooth=int(rng.choice(VOCODE_SMOOTH)),
                                          aper=float(rng.uniform(*VOCODE_APER)))
            if (italian and set_name in ITALIAN and jobs[-1]["engine"] == "espeak"
                    and rng.random() < italian / (1 - FLITE_SHARE - festival - ona)):
                # an Italian voice in place of this espeak render; the perturbation drawn above stays
                old = jobs[-1]
                jobs[-1] = festival_job(str(rng.choice(ITALIAN[set_name])), rng, word, c)
                jobs[-1].update({f: old[f] for f in ("pitch_cents", "eq_hz", "eq_db", "vocode") if f in old})
            if faster > 1.0 and set_name == "train":  # drawn last: every other draw stays what it is
                jobs[-1]["tempo"] = jobs[-1].get("tempo", 1.0) * float(rng.uniform(1.0, faster))
    return jobs


def festival_job(voice, rng, word, label):
    """A festival render of `word` by `voice`, its speed (and ked's intonation) drawn from rng in the
    order the train renders have always drawn them: diphone and HTS voices stretch 0.8-1.3 in
    festival, ked retargets its f0 mean (80-170 Hz) and std (8-30 Hz), the Italian voices speak at
    their own speed and sox's tempo varies it afterwards (see ITALIAN)."""
    if voice in ITALIAN["train"]:
        return dict(engine="festival", voice=voice, variant="", stretch=1.0,
                    tempo=1.0 / float(rng.uniform(0.8, 1.3)), word=word, label=label)
    job = dict(engine="festival", voice=voice, variant="", stretch=float(rng.uniform(0.8, 1.3)))
    if voice == "ked_diphone":
        job.update(f0=int(rng.integers(80, 170)), f0_std=int(rng.integers(8, 30)))
    job.update(word=word, label=label)
    return job


def hash_name(s):
    # only the first four characters count (31 bits): a set needing its own draws needs its own
    # first four ("retest", not "test2"); kept as it is so that every cache stays reproducible
    return int.from_bytes(s.encode()[:8].ljust(8, b"\0"), "little") & 0x7FFFFFFF


@functools.lru_cache(maxsize=4)
def _pink_shape(n):
    """sqrt(f) over the rfft bins of n samples (bin 0 as 1), computed once per length."""
    f = np.arange(n // 2 + 1, dtype=np.float64)
    f[0] = 1.0
    r = np.sqrt(f)
    r.flags.writeable = False
    return r


def pink(n, rng):
    """1/f noise by shaping white noise in the frequency domain."""
    spec = np.fft.rfft(rng.standard_normal(n))
    y = np.fft.irfft(spec / _pink_shape(n), n)
    return y / (np.std(y) + 1e-12)


def babble_words(words):
    """The words babble() draws from, each scaled to unit std once rather than on every draw."""
    return [w / (np.std(w) + 1e-9) for w in words]


def babble(n, rng, pool):
    """3-6 overlapping talkers, each a back-to-back stream of other words at its own level, so
    the interference covers the whole clip (a sparse mix could miss the keyword entirely).
    pool: babble_words() of the set's words."""
    y, seg = np.zeros(n), np.empty(n)
    for _ in range(int(rng.integers(3, 7))):
        words, total = [], 0   # (word, its start in the stream); each word is followed by a gap
        while total < 2 * n:
            w = pool[int(rng.integers(len(pool)))]
            words.append((w, total))
            total += len(w) + int(rng.integers(0, 800))
        off = int(rng.integers(0, total - n))
        # the stream's samples off..off+n (words and silent gaps), without building the stream
        seg[:] = 0.0
        for w, at in words:
            lo, hi = max(at, off), min(at + len(w), off + n)
            if lo < hi:
                seg[lo - off:hi - off] = w[lo - at:hi - at]
        y += seg * 10 ** (rng.uniform(-6, 0) / 20)
    return y / (np.std(y) + 1e-12)


def _active_frames(x, frame, rel_db):
    n = len(x) // frame * frame
    e = (x[:n].reshape(-1, frame) ** 2).mean(1)  # the same numbers as a mean per frame, at a tenth the cost
    if n < len(x):
        e = np.append(e, np.mean(x[n:] ** 2))
    return e > e.max() * 10 ** (rel_db / 10)


def active_mask(x, frame=160, rel_db=-30.0):
    """Samples in 10 ms frames within 30 dB of the loudest frame: where the SNR is measured."""
    return np.repeat(_active_frames(x, frame, rel_db), frame)[:len(x)]


class Active:
    """The speech-active samples of a clip (active_mask) as a selector: of(v) is v[active_mask(x)],
    the same values in the same order, taken frame by frame instead of through a sample mask."""

    def __init__(self, x, frame=160, rel_db=-30.0):
        self.on, self.frame, self.len = _active_frames(x, frame, rel_db), frame, len(x)
        self.whole = len(x) % frame == 0

    def of(self, v):
        if self.whole:
            return v.reshape(-1, self.frame)[self.on].reshape(-1)
        return v[np.repeat(self.on, self.frame)[:self.len]]


def place(speech, label, rng):
    """The clean 1 s clip (float, full scale 1): speech at a random time and a random level,
    zeros for silence."""
    n = fe.CLIP_SAMPLES
    clean = np.zeros(n)
    if label != SILENCE:
        off = int(rng.integers(0, n - len(speech) + 1))
        clean[off:off + len(speech)] = speech
        clean *= 10 ** (rng.uniform(-32, -8) / 20) / (np.sqrt(np.mean(speech ** 2)) + 1e-12)
    return clean


def mix(speech, label, rng, noise_kind, snr_db, pool):
    """Place speech at a random time in 1 s at a random level and add noise at exactly snr_db
    over the speech-active samples. Returns int16 clip and the measured SNR (dB)."""
    return add_noise(place(speech, label, rng), label, rng, noise_kind, snr_db, pool)


def add_noise(clean, label, rng, noise_kind, snr_db, pool):
    """Noise at exactly snr_db over the speech-active samples of a placed clip (silence: a floor
    at -70..-25 dB). Returns int16 clip and the measured SNR (dB). kws_train.py --remix calls
    this every epoch on the stored clean train clips (NAME_clean.npy). pool: babble_words()."""
    n = fe.CLIP_SAMPLES
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
            act = Active(clean)
            ps, pn = np.mean(act.of(clean) ** 2), np.mean(act.of(noise) ** 2)
            if pn <= 0:  # a noise with a gap exactly under the speech: fall back to white
                noise, pn = rng.standard_normal(n), 1.0
                pn = np.mean(act.of(noise) ** 2)
            noise *= np.sqrt(ps / (pn * 10 ** (snr_db / 10)))
            measured = 10 * np.log10(ps / np.mean(act.of(noise) ** 2))
        y = clean + noise
    else:
        y = clean
    peak = np.max(np.abs(y))
    if peak > 0.97:  # scale speech and noise together: no clipping, SNR unchanged
        y *= 0.97 / peak
    return np.round(y * 32767).astype(np.int16), measured


def mix_set(args):
    """Worker: mix and featurize clips [lo, hi) of one set; with keep_clean, also the placed
    clean clips (float16, before noise) for kws_train.py --remix."""
    name, specs, renders, pool, seed, cache, keep_clean = args
    pool = babble_words(pool)
    audio = np.zeros((len(specs), fe.CLIP_SAMPLES), np.int16)
    clean = np.zeros((len(specs), fe.CLIP_SAMPLES), np.float16) if keep_clean else None
    meta = []
    for i, sp in enumerate(specs):
        rng = np.random.default_rng([seed, hash_name(name), 1000003, sp["idx"]])
        speech = renders[sp["render"]] if sp["render"] is not None else None
        c = place(speech, sp["label"], rng)
        if keep_clean:
            clean[i] = c
        audio[i], snr = add_noise(c, sp["label"], rng, sp["noise"], sp["snr"], pool)
        meta.append(dict(sp, snr_measured=None if snr is None else round(float(snr), 3)))
    return audio, fe.mfcc_batch(audio, cache), meta, clean


NOISE_KINDS, NOISE_P = ["white", "pink", "babble", "none"], [0.3, 0.25, 0.3, 0.15]
SNR_RANGE = (0.0, 25.0)  # dB over the speech-active samples, uniform


def noise_plan(rng, label, white=None, snr=None):
    """(noise kind, SNR dB) of a train/val clip: white 30 %, pink 25 %, babble 30 %, none 15 %, SNR
    uniform 0-25 dB; silence: white, pink or babble as a floor (no SNR). white: another share of
    white noise for the words, the other kinds keeping their proportions (kws_train --remix-white);
    snr: another (lo, hi) range for the words' SNR (kws_train --remix-snr)."""
    if label == SILENCE:
        return str(rng.choice(["white", "pink", "babble"])), None
    p = NOISE_P if white is None else [white] + [(1.0 - white) * q / (1.0 - NOISE_P[0]) for q in NOISE_P[1:]]
    kind = str(rng.choice(NOISE_KINDS, p=p))
    lo, hi = SNR_RANGE if snr is None else snr
    return kind, float(rng.uniform(lo, hi))


def plan_noisy(render_idx, labels, rng, n_sil, copies):
    specs = []
    for c in range(copies):
        for r, lab in zip(render_idx, labels):
            kind, snr = noise_plan(rng, int(lab))
            specs.append(dict(render=r, label=int(lab), noise=kind, snr=snr))
        for _ in range(n_sil):
            kind, snr = noise_plan(rng, SILENCE)
            specs.append(dict(render=None, label=SILENCE, noise=kind, snr=snr))
    return specs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.expanduser("~/.cache/cimvp-kws"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every clip count (0.1 for a smoke test)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--perturb", action="store_true",
                    help="pitch (+-6 semitones) and EQ perturbation of train/val renders (cache v2-*)")
    ap.add_argument("--train-scale", type=float, default=None,
                    help="multiply the train counts only (default --scale); val/test/xsynth unchanged")
    ap.add_argument("--train-unknown", type=int, default=None,
                    help="unknown renders in train (default 600 x train scale)")
    ap.add_argument("--more-words", action="store_true",
                    help="train unknown words from TRAIN_WORDS (~1600 words) instead of UNKNOWN_WORDS (~300)")
    ap.add_argument("--festival", action="store_true",
                    help="festival's ked voice as a third engine in train (%d percent of the renders)"
                    % round(100 * FESTIVAL_SHARE))
    ap.add_argument("--ona", action="store_true",
                    help="festival's Catalan female HTS voice ona reading English phonemes in train "
                    "(%d percent of the renders)" % round(100 * ONA_SHARE))
    ap.add_argument("--festival-share", type=float, default=FESTIVAL_SHARE, metavar="S",
                    help="with --festival: its share of the train renders, taken from espeak's (default "
                    "%g; another share adds -festS to the cache name)" % FESTIVAL_SHARE)
    ap.add_argument("--ona-share", type=float, default=ONA_SHARE, metavar="S",
                    help="with --ona: its share of the train renders, taken from espeak's (default %g; "
                    "another share adds -onaS to the cache name)" % ONA_SHARE)
    ap.add_argument("--italian", action="store_true",
                    help="festival's Italian diphone voices lp (female) and pc (male) reading English phonemes "
                    "in train (%d percent of the renders, in place of espeak renders; the cache name gains "
                    "-itS, S the share)" % round(100 * ITALIAN_SHARE))
    ap.add_argument("--italian-share", type=float, default=ITALIAN_SHARE, metavar="S",
                    help="with --italian: its share of the train renders, taken from espeak's (default %g)"
                    % ITALIAN_SHARE)
    ap.add_argument("--vocode", type=float, default=0.0, metavar="P",
                    help="speak a share P of the train renders other than flite's again through an LPC "
                    "vocoder (kws_vocoder.py: smoothed envelope and F0, pulse-plus-noise excitation, the "
                    "kind of voice flite's clustergen voices are); the cache name gains -vocP")
    ap.add_argument("--faster", type=float, default=1.0, metavar="F",
                    help="speed every train render up by sox's tempo (the pitch kept), by a factor uniform in "
                    "[1, F]: diphone voices speak faster than the training's (docs/kws.md, forty-seventh "
                    "session); the cache name gains -fastF")
    ap.add_argument("--only", default=None, metavar="SET[,SET]",
                    help="render and mix only these sets (of %s) into an existing cache directory, "
                    "whose summary.json gains them; the other files are left as they are" % ",".join(SETS))
    ap.add_argument("--name", default=None, help="cache directory name (default v1-seedS / v2-seedS with "
                    "--perturb / v3-seedS with --more-words / v4-seedS with --festival / v5-seedS "
                    "with --ona / v6-seedS with both)")
    a = ap.parse_args()
    if not 0.0 <= a.vocode <= 1.0:
        ap.error("--vocode %g: want a share in [0, 1]" % a.vocode)
    if not 1.0 <= a.faster <= 2.0:
        ap.error("--faster %g: want a factor in [1, 2]" % a.faster)
    fest_share = a.festival_share if a.festival else 0.0
    ona_share = a.ona_share if a.ona else 0.0
    it_share = a.italian_share if a.italian else 0.0
    for opt, on, share, default in (("--festival-share", a.festival, a.festival_share, FESTIVAL_SHARE),
                                    ("--ona-share", a.ona, a.ona_share, ONA_SHARE),
                                    ("--italian-share", a.italian, a.italian_share, ITALIAN_SHARE)):
        if share != default and not on:
            ap.error("%s needs %s" % (opt, opt[:-len("-share")]))
    if (min(fest_share, ona_share, it_share) < 0 or a.italian and it_share <= 0
            or fest_share + ona_share + it_share > 1 - FLITE_SHARE + 1e-9):
        ap.error("--festival-share %g, --ona-share %g, --italian-share %g: want shares >= 0 (--italian's "
                 "> 0) that leave flite its %g (sum <= %g)"
                 % (fest_share, ona_share, it_share, FLITE_SHARE, 1 - FLITE_SHARE))
    only = None
    if a.only is not None:
        only = a.only.split(",")
        bad = [k for k in only if k not in SETS]
        if bad or not only:
            ap.error("--only %s: want one or more sets of %s" % (a.only, ",".join(SETS)))
    t0 = time.time()
    if a.festival:
        check_festival("ked_diphone", "--festival")
    if a.ona:
        check_festival("upc_ca_ona_hts", "--ona")
    if a.italian:
        for voice in ITALIAN["train"]:
            check_festival(voice, "--italian")
    if only is None or "xfest" in only:  # the cross-synthesizer set of models trained without festival
        for voice in XFEST:
            check_festival(voice, "the xfest set")
    # options that vary a dataset version: (cache name suffix, summary.json key, value) when set
    varied = [(sfx, key, v) for sfx, key, v, on in (
        ("fest", "festival_share", fest_share, a.festival and fest_share != FESTIVAL_SHARE),
        ("ona", "ona_share", ona_share, a.ona and ona_share != ONA_SHARE),
        ("voc", "vocode", a.vocode, a.vocode > 0),
        ("it", "italian_share", it_share, a.italian),
        ("fast", "faster", a.faster, a.faster > 1.0)) if on]
    name = a.name or (("v6-seed%d" if a.festival and a.ona else "v5-seed%d" if a.ona else
                       "v4-seed%d" if a.festival else "v3-seed%d" if a.more_words else
                       "v2-seed%d" if a.perturb else "v1-seed%d") % a.seed
                      + "".join("-%s%g" % (sfx, v) for sfx, _, v in varied))
    root = os.path.join(a.out, name)
    if only and not os.path.isfile(os.path.join(root, "summary.json")):
        sys.exit("kws_dataset.py: --only: no %s (make the dataset first)" % os.path.join(root, "summary.json"))
    os.makedirs(root, exist_ok=True)
    fe.build_lib(a.out)
    pools, split_info = voice_pools(a.seed)
    s = lambda n: max(1, int(round(n * a.scale)))
    ts = a.train_scale if a.train_scale is not None else a.scale
    st = lambda n: max(1, int(round(n * ts)))
    # Renders per class. Test sets are balanced: every class (silence too) has the same count.
    plan = {"train": {**{c: st(300) for c in range(10)},
                      UNKNOWN: a.train_unknown if a.train_unknown is not None else st(600)},
            "val": {**{c: s(50) for c in range(10)}, UNKNOWN: s(50)},
            "test": {**{c: s(100) for c in range(10)}, UNKNOWN: s(100)},
            "retest": {**{c: s(100) for c in range(10)}, UNKNOWN: s(100)},
            "xsynth": {**{c: s(100) for c in range(10)}, UNKNOWN: s(100)},
            "xfest": {**{c: s(100) for c in range(10)}, UNKNOWN: s(100)}}
    sil = {"train": st(300), "val": s(50), "test": s(100), "retest": s(100), "xsynth": s(100), "xfest": s(100)}
    old_summary = None
    if only:
        plan = {k: v for k, v in plan.items() if k in only}
        with open(os.path.join(root, "summary.json")) as f:
            old_summary = json.load(f)
        for key, want in (("seed", a.seed), ("scale", a.scale)):
            if old_summary.get(key) != want:
                sys.exit("kws_dataset.py: --only: %s has %s %s, not %s" % (root, key, old_summary.get(key), want))
        if old_summary.get("split") != split_info:  # the held-out voices must be the cache's
            sys.exit("kws_dataset.py: --only: %s was split into other voices than espeak-ng's variants "
                     "give now" % root)
    jobs = {k: make_jobs(k, pools, v, a.seed, a.perturb,
                         TRAIN_WORDS if (a.more_words and k == "train") else None, fest_share, ona_share,
                         a.vocode, it_share, a.faster)
            for k, v in plan.items()}
    flat = [j for k in plan for j in jobs[k]]
    for phoneset in sorted(set(PHONESET.values())):  # ona's and the Italian voices' lexicon entries
        words = sorted({j["word"] for j in flat if PHONESET.get(j["voice"]) == phoneset})
        if not words:
            continue
        try:
            lex = kws_phonemes.lexicon_entries(words, phoneset)
        except (ValueError, RuntimeError, subprocess.CalledProcessError) as e:
            sys.exit("kws_dataset.py: %s: %s" % ("--ona" if phoneset == "catalan" else "--italian", e))
        for j in flat:
            if PHONESET.get(j["voice"]) == phoneset:
                j["lex"] = lex[j["word"]]
    fest = [i for i, j in enumerate(flat) if j["engine"] == "festival"]
    solo = [i for i, j in enumerate(flat) if j["engine"] != "festival"]
    # One voice per festival process: after another voice's words (ona's HTS before ked) festival
    # rendered some words with bytes that changed from process to process (address-dependent
    # state: identical with ASLR off), so v6 differed between runs. Within one voice it does not.
    by_voice = {}
    for i in fest:
        by_voice.setdefault(flat[i]["voice"], []).append(i)
    batches = []
    for voice in sorted(by_voice):
        ix = by_voice[voice]
        batches += [ix[k:k + FESTIVAL_BATCH] for k in range(0, len(ix), FESTIVAL_BATCH)]
    rendered = [None] * len(flat)
    try:
        with mp.Pool(a.jobs) as p:
            for i, x in zip(solo, p.map(render, [flat[i] for i in solo], chunksize=16)):
                rendered[i] = x
            for b, xs in zip(batches, p.map(render_festival, [[flat[i] for i in b] for b in batches])):
                for i, x in zip(b, xs):
                    rendered[i] = x
    except (RuntimeError, ValueError, subprocess.CalledProcessError) as e:  # a synthesizer failed
        sys.exit("kws_dataset.py: %s%s" % (e, (": " + e.stderr.decode(errors="replace").strip()[-300:])
                                           if isinstance(e, subprocess.CalledProcessError) and e.stderr else ""))
    t1 = time.time()
    print("rendered %d words in %.0f s" % (len(flat), t1 - t0), flush=True)
    pos = 0
    by_set = {}
    for k in plan:
        by_set[k] = rendered[pos:pos + len(jobs[k])]
        pos += len(jobs[k])

    summary = old_summary or {"seed": a.seed, "perturb": a.perturb, "scale": a.scale, "train_scale": ts,
               "train_unknown_words": len(TRAIN_WORDS if a.more_words else UNKNOWN_WORDS),
               "classes": CLASSES, "split": split_info, "flite": FLITE,
               "festival": FESTIVAL if a.festival else {}, "ona": ONA if a.ona else {},
               **({"italian": ITALIAN} if a.italian else {}),
               **{key: v for _, key, v in varied}, "sets": {}}
    work, babble_pools = [], {}
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
                    if "vocode" in jobs[k][sp["render"]]:
                        sp["vocoded"] = True
            # _snr10 shares the placement seed with the quiet set (same name hash), so the clips
            # are the quiet clips plus noise; chunks keep both cores busy.
            seed_name = name.replace("_snr10", "")
            chunks = [specs[i:i + 200] for i in range(0, len(specs), 200)]
            for c in chunks:  # ship only the renders a chunk needs, not the whole set
                need = {sp["render"]: by_set[k][sp["render"]] for sp in c if sp["render"] is not None}
                work.append((name, seed_name, c, need, babble_pools.setdefault(name, pool[:120])))
    with mp.Pool(a.jobs) as p:
        results = p.map(mix_set, [(sn, c, r, pl, a.seed, a.out, sn == "train") for (_, sn, c, r, pl) in work],
                        chunksize=1)
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
        if parts[0][3] is not None:  # train: the clean clips and the babble words, for --remix
            np.save(os.path.join(root, name + "_clean.npy"), np.concatenate([p[3] for p in parts]))
            pool = babble_pools[name]
            np.savez(os.path.join(root, name + "_babble.npz"), audio=np.concatenate(pool).astype(np.float32),
                     lengths=np.array([len(w) for w in pool], np.int64))
        with open(os.path.join(root, name + "_meta.jsonl"), "w") as f:
            for m in meta:
                f.write(json.dumps(m) + "\n")
        summary["sets"][name] = {"clips": len(meta), "per_class": np.bincount(labels, minlength=12).tolist(),
                                 "sha256": kws_data_digest.set_digests(root, name)}
        if name in plan:  # the words as the synthesizers gave them, per engine: where a difference began
            summary["sets"][name]["renders_sha256"] = kws_data_digest.renders_digests(jobs[name], by_set[name])
        print("%-14s %6d clips  per class %s" % (name, len(meta), summary["sets"][name]["per_class"]))
    summary["seconds" if not only else "seconds_" + "_".join(only)] = round(time.time() - t0, 1)
    with open(os.path.join(root, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("done in %.0f s (render %.0f s) -> %s" % (time.time() - t0, t1 - t0, root))


if __name__ == "__main__":
    main()
