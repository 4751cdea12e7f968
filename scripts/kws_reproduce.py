#!/usr/bin/python3
"""Reproduce the committed keyword-spotting models from the seed, in one command.

    /usr/bin/python3 scripts/kws_reproduce.py [--recipe committed|quick-fest|chain|quick]
        [--work ~/.cache/cimvp-kws/repro-quick-fest-seed1] [--data-fest ~/.cache/cimvp-kws/v3x4-seed1-fest05]
        [--data ~/.cache/cimvp-kws/v3-seed1] [--data-x4 ~/.cache/cimvp-kws/v3x4-seed1]
        [--jobs 2] [--dry-run] [--build build] [--stages NAME,...]

Both committed models are the ends of --recipe quick-fest (docs/kws.md "The quick recipe with
festival's voices", "The quick-fest LSTM committed", "The committed TDNN from the quick-fest
recipe"), on v3x4f, v3x4 whose train set also hears festival's four voices at 5 % each: a TDNN and
an LSTM from scratch (the LSTM taught by the TDNN), a fine-tune of the TDNN with its board's column
ADC beside the LSTM, then one of the LSTM with its ADC, taught by both (models/kws-lstm), and last
a TDNN from scratch taught by that LSTM (models/kws-tdnn); 73 minutes with its dataset on a 2-core EPYC.
--recipe committed (the default) is it. --recipe chain is the 21 trainings behind the TDNN committed
from the thirty-second to the fiftieth session (three TDNN teachers, three generations of distilled
students, LSTMs taught by them, fine-tunes on v3 and v3x4; about 7 hours, scripts/bench_train.py
--chain estimates it); --recipe quick is quick-fest's first four trainings on v3x4 (docs/kws.md "A
quick recipe"). Neither has exports in models/: their reports' figures are their verdict. The
script makes the datasets whose default caches are missing, runs every training in order (--jobs
at a time; each also runs a remix worker, so 2 suits this 2-core machine), and ends by comparing
the recipe's final exports with models/ byte for byte (exit 1 if any file differs).

Before anything runs, each stage's command line is parsed with kws_train's own parser and
checked against the report committed for the run it repeats (epochs, learning rate, seed,
noise, remix, teachers, ...), so that the recipe here and the reports cannot drift apart
unnoticed (--dry-run does only that and prints the plan). Before training, each dataset cache a
stage reads is checked byte for byte against the digests committed in models/datasets/NAME.json
(scripts/kws_data_digest.py) when there are any: a cache made differently (another machine's
synthesizers, another version of the scripts) cannot give the committed models, and is named
at once instead of after hours (--no-data-check trains on it anyway). A stage is done when its directory
under --work holds results.json (kws_train writes it last), so a stopped run resumes where it
stopped. "snapshot" stages copy a run's exported layers without its model.pt: the chain's fine-tunes
were trained from the committed models as git held them (no float weights), and a teacher or
--init read from the exported layers is not bit-equal to one read from model.pt.

Every stage that has a report is also checked, when it ends, against its report's figures (each
set's accuracy per model, the threshold): the first stage to differ is named at once, and the run
ends with exit 1 if any did.
"""
import argparse
import filecmp
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import kws_data_digest  # noqa: E402

CACHE = os.path.expanduser("~/.cache/cimvp-kws")   # kws_dataset.py's default --out

# key -> (cache name, kws_dataset.py arguments besides --out and --name). v3x4 is the train-scale-4 cache
# of the last fine-tunes (sessions 32 and 33): twice v3's train clips from the same voices, every other
# set byte-identical to v3's.
V3X4_ARGS = ["--perturb", "--more-words", "--train-scale", "4", "--train-unknown", "7200", "--seed", "1"]
DATASETS = {"v3": ("v3-seed1", ["--perturb", "--more-words", "--train-scale", "2", "--train-unknown", "3600",
                                "--seed", "1"]),
            "v3x4": ("v3x4-seed1", V3X4_ARGS),
            # v3x4 with festival's four voices at 5 % of the train renders each (forty-eighth session): every
            # set but train is v3x4's; the quick-fest recipe trains on it
            "v3x4f": ("v3x4-seed1-fest05", V3X4_ARGS + ["--festival", "--ona", "--italian", "--festival-share", "0.05",
                                                        "--ona-share", "0.05", "--italian-share", "0.05"])}


def default_cache(key):
    """Where the cache DATASETS[key] is made when --data / --data-x4 are left at their defaults."""
    return os.path.join(CACHE, DATASETS[key][0])


def dataset_digests(key):
    """The committed digests of the cache DATASETS[key] (kws_data_digest.py --record), or None."""
    path = os.path.join(ROOT, "models", "datasets", DATASETS[key][0] + ".json")
    return path if os.path.isfile(path) else None


def dataset_args(key):
    """kws_dataset.py's arguments that make default_cache(key)."""
    name, args = DATASETS[key]
    return args + ["--out", CACHE, "--name", name]

# The recipes' shared options (docs/kws.md: T and the LSTM command of "Reproducing the committed
# models", T15 / L15 of "Fine-tuning the committed models"); DATA and TOOL are filled in at run time.
COMMON = "--data {DATA} --cmn --mel-band 300,4000 --dither --batch 128 --threads 1 --ema 0.999 --select last " \
         "--image-tool {TOOL}"
T60 = "--model tdnn --lr 3e-3 --epochs 60 --float-epochs 2 --eval-prog-lsb 0 --remix 0.5 " + COMMON
L60 = "--model lstm --lr 5e-3 --epochs 60 --float-epochs 2 --eval-prog-lsb 0.71 --hidden 128 --prog-lsb 2.0 " \
      "--prog-cal --remix 1.0 " + COMMON
T15 = "--model tdnn --float-epochs 0 --lr 1e-3 --epochs 15 --eval-prog-lsb 0 --remix 0.5 --remix-white 0.7 " + COMMON
L15 = "--model lstm --float-epochs 0 --lr 1e-3 --epochs 15 --eval-prog-lsb 0.71 --prog-lsb 2.0 --prog-cal " \
      "--remix 1.0 --hidden 128 " + COMMON

# the LSTM's noise-curriculum fine-tune (twenty-ninth session), the recipe of its fine-tunes on v3x4 too
LSTM_SNR018 = "--lr 5e-4 --remix-white 0.7 --remix-snr 0,18"
# configs/kws-lstm.yaml's column ADC in training, one step in MAC units of one weight copy: 10 bits over
# +-80 cell currents, 8-bit cells and DAC, 8 copies programmed x 2 (kws_train.adc_lsb_of(80, 10, 8, 8, 8, 1))
ADC_LSTM = "--adc-lsb 636.25"
# configs/kws-tdnn.yaml's: 10 bits over +-64 cell currents, 4 copies programmed x 2 (adc_lsb_of(64, 10, 8, 8, 4, 1))
ADC_TDNN = "--adc-lsb 1018"

G1 = ["tdnn-e60-stop45", "tdnn-cons03-e45", "tdnn-e60-full", "tdnn-distill3"]
G2 = ["tdnn-gen2", "tdnn-gen2-seed2", "tdnn-gen2-seed3", "tdnn-gen2-white0.6", "tdnn-gen2-white0.9"]
G3 = ["tdnn-gen3-white0.5", "tdnn-gen3-white0.7", "tdnn-gen3-white0.9"]

TDNN_REPORTS = "models/kws-tdnn/"
LSTM_REPORTS = "models/kws-lstm/"


def stage(name, base, extra="", teachers=(), init=None, report=None, data="v3"):
    """One kws_train run: its --out is WORK/name; teachers and init name earlier stages; data is a
    key of DATASETS."""
    return dict(name=name, base=base, extra=extra, teachers=list(teachers), init=init, report=report, data=data)


def snapshot(name, of):
    """WORK/name: the exported layers of stage `of` without model.pt (as the committed models are)."""
    return dict(name=name, snapshot_of=of, teachers=[], init=None)


STAGES = [
    # three TDNN teachers (the TDNN committed from the sixteenth session is the first)
    stage("tdnn-e60-stop45", T60, "--stop-epoch 45", report=TDNN_REPORTS + "results-v3data-remix-e60-stop45.json"),
    stage("tdnn-cons03-e45", T60, "--stop-epoch 45 --consistency 0.3",
          report=TDNN_REPORTS + "results-v3data-consistency03-e60-stop45.json"),
    stage("tdnn-e60-full", T60, report=TDNN_REPORTS + "results-v3data-remix-e60-full.json"),
    # the first student, then five second-generation students taught by all four
    stage("tdnn-distill3", T60, "--stop-epoch 45", G1[:3], report=TDNN_REPORTS + "results-v3data-distill3.json"),
    stage("tdnn-gen2", T60, "--stop-epoch 45", G1, report=TDNN_REPORTS + "results-v3data-distill-gen2.json"),
    stage("tdnn-gen2-seed2", T60, "--stop-epoch 45 --seed 2", G1),
    stage("tdnn-gen2-seed3", T60, "--stop-epoch 45 --seed 3", G1),
    stage("tdnn-gen2-white0.6", T60, "--stop-epoch 45 --remix-white 0.6", G1),
    stage("tdnn-gen2-white0.9", T60, "--stop-epoch 45 --remix-white 0.9", G1),
    # third generation; white 0.7 was the committed TDNN of sessions 23-26
    stage("tdnn-gen3-white0.7", T60, "--stop-epoch 45 --remix-white 0.7", G2,
          report=TDNN_REPORTS + "results-v3data-distill-gen3-white0.7.json"),
    stage("tdnn-gen3-white0.5", T60, "--stop-epoch 45 --remix-white 0.5", G2),
    stage("tdnn-gen3-white0.9", T60, "--stop-epoch 45 --remix-white 0.9", G2),
    # the LSTM taught by eight TDNNs (committed in sessions 24-26)
    stage("lstm-t8", L60, "", G2 + G3, report=LSTM_REPORTS + "results-v3data-distill-t8.json"),
    # the committed pair of commit 7ecec88 as git held it, and the wide LSTM taught by it
    snapshot("c-tdnn", "tdnn-gen3-white0.7"),
    snapshot("c-lstm", "lstm-t8"),
    stage("lstm-h184-t2", L60, "--hidden 184", ["c-tdnn", "c-lstm"],
          report=LSTM_REPORTS + "results-v3data-h184-t2.json"),
    # the committed TDNN: the 7ecec88 TDNN fine-tuned (twenty-seventh session)
    stage("tdnn-ft15", T15, "", ["c-tdnn", "c-lstm", "lstm-h184-t2"], init="c-tdnn",
          report=TDNN_REPORTS + "results-v3data-finetune.json"),
    snapshot("tdnn-ft15-x", "tdnn-ft15"),
    # the committed LSTM: the 7ecec88 LSTM fine-tuned three times (sessions 27, 28, 29)
    stage("lstm-ft15-w07", L15, "--remix-white 0.7", ["tdnn-ft15-x", "c-lstm", "lstm-h184-t2"], init="c-lstm",
          report=LSTM_REPORTS + "results-v3data-finetune-w07.json"),
    stage("lstm-w07-ft2", L15, "--lr 5e-4 --remix-white 0.7", ["tdnn-ft15-x", "lstm-ft15-w07", "c-lstm"],
          init="lstm-ft15-w07", report=LSTM_REPORTS + "results-v3data-finetune2.json"),
    stage("lstm-ft2-snr018-s2", L15, LSTM_SNR018 + " --seed 2",
          ["tdnn-ft15-x", "lstm-w07-ft2", "lstm-ft15-w07"], init="lstm-w07-ft2",
          report=LSTM_REPORTS + "results-v3data-snr-curriculum.json"),
    # the committed TDNN (thirty-second session): the pair of commit c4adb6e as git held it, the TDNN
    # fine-tuned once more on the train-scale-4 cache
    snapshot("lstm-ft2-snr018-s2-x", "lstm-ft2-snr018-s2"),
    stage("tdnn-x4-ft", T15, "", ["tdnn-ft15-x", "lstm-ft2-snr018-s2-x", "lstm-h184-t2"], init="tdnn-ft15-x",
          report=TDNN_REPORTS + "results-v3x4data-finetune.json", data="v3x4"),
    # the committed LSTM (thirty-third session): the LSTM of c4adb6e fine-tuned twice on the
    # train-scale-4 cache, the second time taught by the TDNN above as git holds it
    stage("lstm-x4-ft", L15, LSTM_SNR018, ["tdnn-ft15-x", "lstm-ft2-snr018-s2-x", "lstm-w07-ft2"],
          init="lstm-ft2-snr018-s2-x", report=LSTM_REPORTS + "results-v3x4data-finetune.json", data="v3x4"),
    snapshot("tdnn-x4-ft-x", "tdnn-x4-ft"),
    stage("lstm-x4-ft2", L15, LSTM_SNR018, ["tdnn-x4-ft-x", "lstm-x4-ft", "lstm-ft2-snr018-s2-x"], init="lstm-x4-ft",
          report=LSTM_REPORTS + "results-v3x4data-finetune2.json", data="v3x4"),
]

# The quick recipe (thirty-eighth session): two trainings from scratch on the train-scale-4 cache, the
# TDNN first (30 epochs stopped after 23: about as many steps as the chain's 60-stop-45 on v3), then the
# LSTM taught by it; the TDNN's fine-tune with its board's ADC (forty-first) runs beside the LSTM, then one
# fine-tune of the LSTM (thirty-ninth session), taught by both (forty-third). Its figures are checked
# against its reports (it has no exports in models/).
TQ = "--model tdnn --lr 3e-3 --epochs 30 --stop-epoch 23 --float-epochs 1 --eval-prog-lsb 0 --remix 0.5 " + COMMON
LQ = "--model lstm --lr 5e-3 --epochs 30 --float-epochs 1 --eval-prog-lsb 0.71 --hidden 128 --prog-lsb 2.0 " \
     "--prog-cal --remix 1.0 " + COMMON
TQFT = "--model tdnn --lr 1e-3 --epochs 8 --float-epochs 0 --eval-prog-lsb 0 --remix 0.5 " + COMMON


def quick_stages(names, reports, data):
    """The quick recipe's four trainings: names and reports (TDNN, LSTM, TDNN fine-tune, LSTM
    fine-tune), on the cache DATASETS[data]."""
    t, l, tft, lft = names
    return [
        stage(t, TQ, report=reports[0], data=data),
        stage(l, LQ, "", [t], report=reports[1], data=data),
        # the TDNN fine-tuned with its board's column ADC (forty-first session), beside the LSTM: on the board
        # 0.4 points more in quiet and 0.3 at 10 dB than the TDNN it starts from (results-v3x4data-quick-ftadc.json)
        stage(tft, TQFT, ADC_TDNN, [t], init=t, report=reports[2], data=data),
        # the LSTM's noise-curriculum fine-tune, as the chain's last ones (thirty-ninth session): about 0.9 point
        # at 10 dB; a second one lost a quarter of a point in both sets (results-v3x4data-quick-ft2.json). Since
        # the fortieth session it trains with the board's column ADC (ADC_LSTM): on the board 0.46 points more
        # at 10 dB and 0.2 in quiet than the same stage without it (report results-v3x4data-quick-ft.json).
        # Since the forty-third its first teacher is the TDNN's fine-tune above, which ends long before the
        # LSTM it also waits for, so it costs no time: on the board 0.12 points more at 10 dB (0.8811) and the
        # same in quiet (0.9499) as with the TDNN from scratch as teacher (results-v3x4data-quick-ft-adc.json)
        stage(lft, L15, LSTM_SNR018 + " " + ADC_LSTM, [tft, l], init=l, report=reports[3], data=data),
    ]


QUICK = quick_stages(("tdnn-x4-e30-s23-wdef", "lstm-x4-e30-tdef", "tdnn-x4-e30-s23-ftadc", "lstm-x4-e30-tdef-ft-adc-tft"),
                     (TDNN_REPORTS + "results-v3x4data-quick.json", LSTM_REPORTS + "results-v3x4data-quick.json",
                      TDNN_REPORTS + "results-v3x4data-quick-ftadc.json",
                      LSTM_REPORTS + "results-v3x4data-quick-ft-adc-tft.json"), "v3x4")
# The quick recipe on v3x4f (forty-ninth session): the same four trainings on the cache whose train set
# also hears festival's four voices at a light share; flite's kal, kal16 and slt stay out of every train
# set, the held-out group of its cross-synthesizer test (docs/kws.md)
QUICK_FEST = quick_stages(("tdnn-f05-e30-s23", "lstm-f05-e30", "tdnn-f05-ftadc", "lstm-f05-ft-adc"),
                          (TDNN_REPORTS + "results-v3x4f-quick.json", LSTM_REPORTS + "results-v3x4f-quick.json",
                           TDNN_REPORTS + "results-v3x4f-quick-ftadc.json",
                           LSTM_REPORTS + "results-v3x4f-quick-ft-adc.json"), "v3x4f") + [
    # ... and since the fifty-first session a fifth: the committed TDNN, a TDNN from scratch taught by
    # the LSTM's fine-tune (the committed LSTM), with more white noise in its remix and the unknown class
    # weighted 4 (2 by default). The quick-fest TDNNs before it heard "yes" in none.wav's "juice" and
    # missed "stop" in the demo clip; this one does neither, and holds on the test's second draw
    # (docs/kws.md "The committed TDNN from the quick-fest recipe")
    stage("tdnn-f05-tl-w07-u4", TQ, "--remix-white 0.7 --unknown-weight 4", ["lstm-f05-ft-adc"],
          report=TDNN_REPORTS + "results-v3x4f-quick-tl.json", data="v3x4f")]

# the committed models: models/ directory -> the stage whose exports must equal it byte for byte. Both
# are quick-fest's since the fifty-first session (the LSTM since the fiftieth); the chain's last TDNN,
# committed from the thirty-second session to the fiftieth, is in git's history, and the chain's reports
# are its verdict now
FINAL_FEST = {"models/kws-tdnn": "tdnn-f05-tl-w07-u4", "models/kws-lstm": "lstm-f05-ft-adc"}

# recipe -> (stages, finals: models/ directory -> the stage whose exports must equal it byte for byte);
# "committed" is the one command behind models/: another name of the recipe COMMITTED
COMMITTED = "quick-fest"
RECIPES = {"chain": (STAGES, {}), "quick": (QUICK, {}), "quick-fest": (QUICK_FEST, FINAL_FEST)}
RECIPES["committed"] = RECIPES[COMMITTED]
EXPORT_FILES = ("model.json", "model.kwsd", "model.img")   # plus every *.npy of the export

# report key -> how the parsed command line gives it (reports older than a field lack it: skipped)
REPORT_FIELDS = {
    "model": lambda a: a.model,
    "epochs": lambda a: a.epochs,
    "stop_epoch": lambda a: a.stop_epoch,
    "lr": lambda a: a.lr,
    "seed": lambda a: a.seed,
    "batch": lambda a: a.batch,
    "train_noise": lambda a: a.noise,
    "train_prog_lsb": lambda a: a.prog_lsb,
    "prog_cal": lambda a: a.prog_cal,
    "train_adc_lsb": lambda a: a.adc_lsb,
    "cmn": lambda a: a.cmn,
    "mel_band_hz": lambda a: [int(v) for v in a.mel_band.split(",")],
    "dither": lambda a: 1 if a.dither else 0,
    "remix": lambda a: a.remix,
    "remix_white": lambda a: a.remix_white,
    "remix_snr": lambda a: [float(v) for v in a.remix_snr.split(",")] if a.remix_snr else None,
    "remix_speed": lambda a: [float(v) for v in a.remix_speed.split(",")] if a.remix_speed else None,
    "time_stretch": lambda a: a.time_stretch,
    "consistency": lambda a: a.consistency,
    "ema": lambda a: a.ema,
    "select": lambda a: a.select,
    "distill_temp": lambda a: a.distill_temp if a.teacher else None,
    "teacher": lambda a: len(a.teacher.split(",")) if a.teacher else None,
    "lstm_bptt": lambda a: a.lstm_bptt,
    "lstm_noise": lambda a: a.lstm_noise,
    "unknown_weight": lambda a: a.unknown_weight,
}


def argv_of(st, work, datas, tool):
    """The kws_train.py arguments of a stage; datas maps the keys of DATASETS to cache directories."""
    argv = shlex.split(st["base"].format(DATA=datas[st["data"]], TOOL=tool)) + shlex.split(st["extra"])
    if st["teachers"]:
        argv += ["--teacher", ",".join(os.path.join(work, t) for t in st["teachers"])]
    if st["init"]:
        argv += ["--init", os.path.join(work, st["init"])]
    return argv + ["--out", os.path.join(work, st["name"])]


def deps_of(st):
    return st["teachers"] + ([st["init"]] if st["init"] else []) + ([st["snapshot_of"]] if "snapshot_of" in st else [])


def check_plan(stages, finals=None):
    """Every dependency is an earlier stage, names are unique, the finals (a recipe's, if any) exist:
    else the reason."""
    seen = set()
    for st in stages:
        for dep in deps_of(st):
            if dep not in seen:
                return "stage %s needs %s, which no earlier stage makes" % (st["name"], dep)
        if st["name"] in seen:
            return "stage %s twice" % st["name"]
        seen.add(st["name"])
    missing = [s for s in (finals or {}).values() if s not in seen]
    return "final stage(s) %s not in the plan" % ", ".join(missing) if missing else None


def check_reports(stages, work, datas, tool):
    """Each stage's parsed command line against its committed report: a list of differences."""
    import kws_train   # torch; only imported here
    parser = kws_train.build_parser()
    names = {st["name"] for st in stages}
    diffs = []
    for st in stages:
        if not st.get("report"):
            continue
        path = os.path.join(ROOT, st["report"])
        try:
            with open(path) as f:
                rep = json.load(f)
        except (OSError, ValueError) as e:
            diffs.append("%s: report %s unreadable (%s)" % (st["name"], st["report"], e))
            continue
        a = parser.parse_args(argv_of(st, work, datas, tool))
        # the dataset by its cache name (the directory may be anywhere; its contents follow the name's args)
        theirs = os.path.basename(os.path.normpath(rep["data"])) if "data" in rep else None
        if theirs is not None and theirs != DATASETS[st["data"]][0]:
            diffs.append("%s: data is %s here, %s in %s" % (st["name"], DATASETS[st["data"]][0], theirs, st["report"]))
        for key, get in REPORT_FIELDS.items():
            if key not in rep:
                continue   # an older report without the field
            want = len(rep[key]) if key == "teacher" and rep[key] else rep[key]
            got = get(a)
            if key == "teacher" and rep[key]:
                # the order counts (the posteriors are summed in it): each teacher the report names
                # by a stage's name must be that stage; others are the committed models' own paths
                for i, (r, mine) in enumerate(zip(rep[key], st["teachers"])):
                    if os.path.basename(r) in names and os.path.basename(r) != mine:
                        diffs.append("%s: teacher %d is %s here, %s in %s" % (st["name"], i + 1, mine,
                                                                              os.path.basename(r), st["report"]))
            if isinstance(want, float) or isinstance(got, float):
                same = want is not None and got is not None and abs(float(want) - float(got)) < 1e-12
            else:
                same = want == got
            if not same:
                diffs.append("%s: %s is %r here, %r in %s" % (st["name"], key, got, want, st["report"]))
    return diffs


def report_figures(rep):
    """What a rerun of a report's training must repeat: each set's accuracy per model, and the
    threshold chosen on the val streams."""
    out = {}
    for name, systems in (rep.get("sets") or {}).items():
        for system, v in (systems if isinstance(systems, dict) else {}).items():
            if isinstance(v, dict) and "acc" in v:
                out["%s %s" % (name, system)] = v["acc"]
    if isinstance(rep.get("threshold"), dict):
        out["threshold"] = rep["threshold"].get("chosen")
    return out


def figure_diffs(st, work):
    """A finished stage's results.json against its committed report: the figures that differ
    (empty when it has no report)."""
    if not st.get("report"):
        return []
    with open(os.path.join(ROOT, st["report"])) as f:
        want = report_figures(json.load(f))
    with open(os.path.join(work, st["name"], "results.json")) as f:
        got = report_figures(json.load(f))
    return ["%s: %s is %s here, %s in %s" % (st["name"], k, got.get(k, "missing"), v, st["report"])
            for k, v in want.items() if got.get(k) != v]


def is_done(st, work):
    d = os.path.join(work, st["name"])
    if "snapshot_of" in st:
        return os.path.isfile(os.path.join(d, "model.kwsd"))
    try:
        with open(os.path.join(d, "results.json")) as f:
            json.load(f)
        return True
    except (OSError, ValueError):
        return False


def export_files(d):
    return sorted(f for f in os.listdir(d) if f.endswith(".npy")) + [f for f in EXPORT_FILES]


def take_snapshot(st, work):
    src, dst = os.path.join(work, st["snapshot_of"]), os.path.join(work, st["name"])
    tmp = dst + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for f in export_files(src):
        shutil.copy2(os.path.join(src, f), os.path.join(tmp, f))
    shutil.rmtree(dst, ignore_errors=True)
    os.rename(tmp, dst)   # whole or not at all: is_done looks for model.kwsd in dst


def compare_final(work, finals):
    """The final exports of finals (models/ directory -> stage) against models/: (differing files,
    compared files)."""
    bad, n = [], 0
    for committed, name in finals.items():
        mine, theirs = os.path.join(work, name), os.path.join(ROOT, committed)
        for f in export_files(theirs):
            n += 1
            a, b = os.path.join(mine, f), os.path.join(theirs, f)
            if not os.path.isfile(a):
                bad.append("%s: missing" % a)
            elif not filecmp.cmp(a, b, shallow=False):
                bad.append("%s differs from %s/%s" % (a, committed, f))
    return bad, n


def to_run(stages, work, only):
    """The stages to run: those not done, or with --stages those named (done or not) and the
    snapshots of them; None and the reason if a named stage needs one that is neither."""
    done = {st["name"] for st in stages if is_done(st, work)}
    if not only:
        return [st for st in stages if st["name"] not in done], None
    needed = {d for st in stages if st["name"] in only for d in deps_of(st)}
    pick = [st for st in stages if st["name"] in only or
            ("snapshot_of" in st and (st["snapshot_of"] in only or (st["name"] in needed and st["name"] not in done)))]
    names = {st["name"] for st in pick}
    for st in pick:
        for dep in deps_of(st):
            if dep not in names and dep not in done:
                return None, "stage %s needs %s, which is neither done in %s nor named" % (st["name"], dep, work)
    return pick, None


def run(stages, pending, work, datas, tool, jobs):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    done = {st["name"] for st in stages if st not in pending}
    running = {}   # name -> (Popen, log file, start time)
    failed = None
    print("kws_reproduce: %d stages to run in %s" % (len(pending), work), flush=True)
    while pending or running:
        for st in list(pending):
            if failed:
                break
            if not all(d in done for d in deps_of(st)):
                continue
            if "snapshot_of" in st:
                take_snapshot(st, work)
                done.add(st["name"])
                pending.remove(st)
                print("  %-20s snapshot of %s" % (st["name"], st["snapshot_of"]), flush=True)
                continue
            if len(running) >= jobs:
                continue
            try:   # a rerun must not look done before it ends
                os.remove(os.path.join(work, st["name"], "results.json"))
            except FileNotFoundError:
                pass
            log = open(os.path.join(work, st["name"] + ".log"), "w")
            cmd = [sys.executable, os.path.join(HERE, "kws_train.py")] + argv_of(st, work, datas, tool)
            log.write("# " + " ".join(shlex.quote(c) for c in cmd) + "\n")
            log.flush()
            running[st["name"]] = (subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT),
                                   log, time.time())
            pending.remove(st)
            print("  %-20s started (%d running)" % (st["name"], len(running)), flush=True)
        if not running:
            if pending and not failed:
                sys.exit("kws_reproduce: internal error: stages %s cannot start"
                         % ", ".join(s["name"] for s in pending))
            break
        time.sleep(2)
        for name, (p, log, t0) in list(running.items()):
            if p.poll() is None:
                continue
            log.close()
            del running[name]
            st = next(s for s in stages if s["name"] == name)
            if p.returncode == 0 and is_done(st, work):
                done.add(name)
                diffs = figure_diffs(st, work)
                print("  %-20s done in %.0f s%s" % (name, time.time() - t0, "; its figures differ from its report:\n    "
                                                    + "\n    ".join(diffs) if diffs else ""), flush=True)
            else:
                failed = failed or name
                print("  %-20s FAILED (exit %s), see %s.log" % (name, p.returncode, os.path.join(work, name)),
                      flush=True)
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--recipe", choices=sorted(RECIPES), default="committed",
                    help="committed (default): the trainings of both committed models, quick-fest's; "
                         "quick-fest: a TDNN and an LSTM from scratch on v3x4f (festival's voices in training), "
                         "a fine-tune of each (the LSTM's committed), then a TDNN taught by that LSTM (committed); "
                         "chain: the trainings of the TDNN committed until the fiftieth session; quick: "
                         "quick-fest's first four on v3x4; the last two checked against their reports")
    ap.add_argument("--work", default=None,
                    help="where every stage's run directory and log go (resumed if present; default "
                         "~/.cache/cimvp-kws/repro-RECIPE-seed1, repro-quick-fest-seed1 for committed, repro-seed1 "
                         "for the chain)")
    ap.add_argument("--data", default=default_cache("v3"),
                    help="dataset v3 cache (made with kws_dataset.py %s if it is the default and missing)"
                         % " ".join(dataset_args("v3")))
    ap.add_argument("--data-x4", default=default_cache("v3x4"),
                    help="the train-scale-4 cache of the last fine-tunes (made with kws_dataset.py %s if it is "
                         "the default and missing)" % " ".join(dataset_args("v3x4")))
    ap.add_argument("--data-fest", default=default_cache("v3x4f"),
                    help="the cache of the quick-fest recipe (made with kws_dataset.py %s if it is the default "
                         "and missing)" % " ".join(dataset_args("v3x4f")))
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="the CMake build (npu_image_tool)")
    ap.add_argument("--jobs", type=int, default=2, help="trainings side by side (default 2)")
    ap.add_argument("--dry-run", action="store_true", help="check the plan against the reports, print it, stop")
    ap.add_argument("--no-data-check", action="store_true",
                    help="train even on a dataset cache whose files differ from models/datasets/NAME.json")
    ap.add_argument("--stages", default=None, metavar="NAME[,NAME]",
                    help="run only these stages (again if done), whose inputs are done in --work")
    a = ap.parse_args()
    if a.jobs < 1:
        ap.error("--jobs %d: want >= 1" % a.jobs)
    stages, final = RECIPES[a.recipe]
    only = [n for n in a.stages.split(",") if n] if a.stages else None
    if a.stages is not None and (not only or any(n not in {st["name"] for st in stages} for n in only)):
        ap.error("--stages %s: want names of stages of the %s recipe (--dry-run lists them)" % (a.stages, a.recipe))
    recipe = COMMITTED if a.recipe == "committed" else a.recipe   # one work dir per recipe, whatever its name
    work = os.path.abspath(a.work or os.path.join(CACHE, "repro-seed1" if recipe == "chain" else "repro-%s-seed1" % recipe))
    datas = {"v3": os.path.abspath(a.data), "v3x4": os.path.abspath(a.data_x4), "v3x4f": os.path.abspath(a.data_fest)}
    tool = os.path.join(os.path.abspath(a.build), "cim_tile", "npu_image_tool")

    why = check_plan(stages, final)
    if why:
        sys.exit("kws_reproduce: bad plan: " + why)
    diffs = check_reports(stages, work, datas, tool)
    if diffs:
        sys.exit("kws_reproduce: the recipe here disagrees with the committed reports:\n  " + "\n  ".join(diffs))
    if a.dry_run:
        for st in stages:
            if "snapshot_of" in st:
                print("%-20s snapshot of %s (exported layers, no model.pt)" % (st["name"], st["snapshot_of"]))
            else:
                print("%-20s kws_train.py %s%s" % (st["name"], " ".join(argv_of(st, work, datas, tool)),
                                                   "   # checked against " + st["report"] if st["report"] else ""))
        print("%d stages; %d checked against committed reports; finals: %s" % (
            len(stages), sum(1 for s in stages if s.get("report")),
            ", ".join("%s -> %s" % (v, k) for k, v in final.items()) or "none (figures checked against the reports)"))
        return

    if not os.access(tool, os.X_OK):
        sys.exit("kws_reproduce: %s not found: build first (README, or cmake --build %s)" % (tool, a.build))
    os.makedirs(work, exist_ok=True)
    pending, why = to_run(stages, work, only)
    if why:
        sys.exit("kws_reproduce: --stages: " + why)
    t0 = time.time()   # the datasets count: the hour is from the seed
    for key in sorted({st["data"] for st in pending if "data" in st}):   # the caches the runs read
        if os.path.isfile(os.path.join(datas[key], "summary.json")):
            continue
        if datas[key] != default_cache(key):
            sys.exit("kws_reproduce: %s: no dataset cache there (summary.json missing)" % datas[key])
        print("kws_reproduce: making dataset %s (5-12 minutes on a 2-core machine)" % DATASETS[key][0], flush=True)
        r = subprocess.run([sys.executable, os.path.join(HERE, "kws_dataset.py")] + dataset_args(key), cwd=ROOT)
        if r.returncode != 0:
            sys.exit("kws_reproduce: kws_dataset.py failed (exit %d)" % r.returncode)
    for key in sorted({st["data"] for st in pending if "data" in st}):
        ref = dataset_digests(key)
        if ref is None:
            print("kws_reproduce: no committed digests for dataset %s: not checked" % DATASETS[key][0], flush=True)
            continue
        with open(ref) as f:
            diffs, n = kws_data_digest.compare(datas[key], kws_data_digest.recorded(json.load(f)))
        if diffs and not a.no_data_check:
            sys.exit("kws_reproduce: %d of %d files of %s differ from %s, the dataset the recipe's reports "
                     "were trained on (--no-data-check to train on it anyway):\n  %s"
                     % (len(diffs), n, datas[key], os.path.relpath(ref, ROOT), "\n  ".join(diffs)))
        print("kws_reproduce: dataset %s: %s" % (DATASETS[key][0], "%d of %d files differ (--no-data-check)"
                                                 % (len(diffs), n) if diffs else "all %d files as committed" % n),
              flush=True)
    ran = [st for st in pending if st.get("report")]   # before run(), which empties pending
    failed = run(stages, pending, work, datas, tool, a.jobs)
    if failed:
        sys.exit("kws_reproduce: stage %s failed; fix it and run again to resume (%.0f s)" % (failed, time.time() - t0))
    figs = [d for st in ran for d in figure_diffs(st, work)]
    finals = {k: v for k, v in final.items() if not only or v in only}   # --stages: the finals it ran
    bad, n = compare_final(work, finals) if finals else ([], 0)
    if figs or bad:
        sys.exit("kws_reproduce: not reproduced (%.0f s):\n  %s" % (time.time() - t0, "\n  ".join(
            (["%d of %d files differ from models/:" % (len(bad), n)] + bad if bad else []) + figs)))
    print("kws_reproduce: %s%s (%.0f s)" % (
        "all %d exported files of %s reproduced byte for byte; " % (n, " and ".join(sorted(finals))) if finals else "",
        "the figures of %d reports repeated" % len(ran), time.time() - t0))


if __name__ == "__main__":
    main()
