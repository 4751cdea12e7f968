#!/usr/bin/python3
"""scripts/kws_reproduce.py without training: its chain against the committed reports (and that a
drifted recipe is caught, naming the stage and the field), the stage choice for a resumed or a
partial run, snapshots without model.pt, the quick recipes, and the final byte comparison with
models/ (both committed models are quick-fest's: the default recipe "committed" is it).

    kws_reproduce_check.py SCRIPTS_DIR OUT_DIR CIMVP
"""
import copy
import json
import os
import shutil
import sys

sys.path.insert(0, sys.argv[1])
import kws_reproduce as R  # noqa: E402
from kws_adc_range import board_params  # noqa: E402
from kws_train import adc_lsb_of  # noqa: E402

OUT, CIMVP = sys.argv[2], sys.argv[3]
fails = []
DATAS = {"v3": "/d", "v3x4": "/dx4", "v3x4f": "/dx4f"}   # the dataset caches by their DATASETS key


def expect(cond, what):
    if not cond:
        fails.append(what)


def by_name(stages, name):
    return next(st for st in stages if st["name"] == name)


def diffs_after(mutate):
    stages = copy.deepcopy(R.STAGES)
    mutate(stages)
    return R.check_reports(stages, "/w", DATAS, "/t")


# the chain as committed: a valid order, and every recipe as its report says
expect(R.check_plan(R.STAGES) is None, "plan: %s" % R.check_plan(R.STAGES))
d = R.check_reports(R.STAGES, "/w", DATAS, "/t")
expect(d == [], "the committed chain disagrees with its reports: %s" % d)
expect(R.RECIPES["chain"][1] == {}, "the chain's finals: %s (its TDNN left models/ in the fifty-first session)"
       % R.RECIPES["chain"][1])
committed, finals = R.RECIPES["committed"]
reported = [st["name"] for st in committed if st.get("report")]
expect([st["name"] for st in committed] == [st["name"] for st in R.RECIPES["quick-fest"][0]]
       and finals == {"models/kws-tdnn": "tdnn-f05-tl-w07-u4", "models/kws-lstm": "lstm-f05-ft-adc"}
       and set(finals.values()) <= set(reported) and R.check_plan(committed, finals) is None,
       "the committed recipe: %s, finals %s, plan %s" % ([st["name"] for st in committed], finals,
                                                        R.check_plan(committed, finals)))

# drift is caught, naming the stage and the field
d = diffs_after(lambda s: by_name(s, "lstm-ft2-snr018-s2").update(
    extra=by_name(s, "lstm-ft2-snr018-s2")["extra"].replace("--seed 2", "--seed 3")))
expect(d == ["lstm-ft2-snr018-s2: seed is 3 here, 2 in models/kws-lstm/results-v3data-snr-curriculum.json"], "seed drift: %s" % d)
d = diffs_after(lambda s: by_name(s, "tdnn-ft15").update(base=R.T15.replace("--lr 1e-3", "--lr 3e-3")))
expect(len(d) == 1 and d[0].startswith("tdnn-ft15: lr is 0.003 here, 0.001 in"), "lr drift: %s" % d)
d = diffs_after(lambda s: by_name(s, "lstm-h184-t2").update(teachers=["c-tdnn"]))
expect(len(d) == 1 and d[0].startswith("lstm-h184-t2: teacher is 1 here, 2 in"), "teacher count: %s" % d)


def swap_teachers(s):
    t = by_name(s, "lstm-t8")["teachers"]
    t[5], t[6] = t[6], t[5]


d = diffs_after(swap_teachers)
expect(len(d) == 2 and all(x.startswith("lstm-t8: teacher ") for x in d) and "teacher 6 is tdnn-gen3-white0.7" in d[0],
       "teacher order: %s" % d)
d = diffs_after(lambda s: by_name(s, "lstm-ft15-w07").update(extra="--remix-white 0.5"))
expect(len(d) == 1 and "remix_white is 0.5 here, 0.7" in d[0], "remix-white drift: %s" % d)
d = diffs_after(lambda s: by_name(s, "tdnn-ft15").update(report="models/kws-tdnn/no-such-report.json"))
expect(len(d) == 1 and d[0].startswith("tdnn-ft15: report models/kws-tdnn/no-such-report.json unreadable"),
       "missing report: %s" % d)
# the dataset: each stage reads its own cache, and a stage moved to another is caught
argv = R.argv_of(by_name(R.STAGES, "tdnn-x4-ft"), "/w", DATAS, "/t")
expect(argv[argv.index("--data") + 1] == "/dx4", "tdnn-x4-ft reads %s" % argv[argv.index("--data") + 1])
argv = R.argv_of(by_name(R.STAGES, "tdnn-ft15"), "/w", DATAS, "/t")
expect(argv[argv.index("--data") + 1] == "/d", "tdnn-ft15 reads %s" % argv[argv.index("--data") + 1])
d = diffs_after(lambda s: by_name(s, "tdnn-x4-ft").update(data="v3"))
expect(d == ["tdnn-x4-ft: data is v3-seed1 here, v3x4-seed1 in models/kws-tdnn/results-v3x4data-finetune.json"],
       "data drift: %s" % d)

# a stage before what it needs is refused
s = copy.deepcopy(R.STAGES)
ft = by_name(s, "tdnn-ft15")
s.remove(ft)
s.insert(0, ft)
why = R.check_plan(s)
expect(why is not None and why.startswith("stage tdnn-ft15 needs c-tdnn"), "order: %s" % why)

# which stages run: a fresh work dir runs all; done ones (results.json / a snapshot's model.kwsd) are
# skipped; --stages runs the named ones again, with the snapshots of them
work = os.path.join(OUT, "work")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(work)
pend, why = R.to_run(R.STAGES, work, None)
expect(why is None and [st["name"] for st in pend] == [st["name"] for st in R.STAGES], "fresh: %s" % why)
for name in ("tdnn-e60-stop45", "tdnn-e60-full"):
    os.makedirs(os.path.join(work, name))
    with open(os.path.join(work, name, "results.json"), "w") as f:
        json.dump({}, f)
os.makedirs(os.path.join(work, "tdnn-cons03-e45"))
with open(os.path.join(work, "tdnn-cons03-e45", "results.json"), "w") as f:
    f.write('{"model": "td')   # a run stopped while writing its report is not done
pend, why = R.to_run(R.STAGES, work, None)
names = [st["name"] for st in pend]
expect(names[:2] == ["tdnn-cons03-e45", "tdnn-distill3"] and "tdnn-e60-full" not in names, "resume: %s" % names[:4])
pend, why = R.to_run(R.STAGES, work, ["tdnn-distill3"])
expect(why is not None and "tdnn-distill3 needs tdnn-cons03-e45" in why, "missing input: %s" % why)
pend, why = R.to_run(R.STAGES, work, ["tdnn-e60-full"])
expect(why is None and [st["name"] for st in pend] == ["tdnn-e60-full"], "rerun a done stage: %s %s" % (why, pend))
# the fine-tunes' inputs present (the committed models stand in for them: only the files count here)
for name, src in (("c-tdnn", "models/kws-tdnn"), ("c-lstm", "models/kws-lstm"), ("lstm-h184-t2", "models/kws-lstm"),
                  ("tdnn-ft15", "models/kws-tdnn")):
    shutil.copytree(os.path.join(R.ROOT, src), os.path.join(work, name))
pend, why = R.to_run(R.STAGES, work, ["tdnn-ft15", "lstm-ft15-w07"])
expect(why is None and [st["name"] for st in pend] == ["tdnn-ft15", "tdnn-ft15-x", "lstm-ft15-w07"],
       "fine-tunes: %s %s" % (why, [st["name"] for st in pend or []]))

# a snapshot: the exported files, byte-equal, and no model.pt
with open(os.path.join(work, "tdnn-ft15", "model.pt"), "wb") as f:
    f.write(b"float weights")
R.take_snapshot(by_name(R.STAGES, "tdnn-ft15-x"), work)
snap = os.path.join(work, "tdnn-ft15-x")
expect(not os.path.exists(os.path.join(snap, "model.pt")), "snapshot has model.pt")
expect(sorted(os.listdir(snap)) == sorted(R.export_files(os.path.join(R.ROOT, "models/kws-tdnn"))),
       "snapshot files: %s" % sorted(os.listdir(snap)))
expect(R.is_done(by_name(R.STAGES, "tdnn-ft15-x"), work), "snapshot not seen as done")

# the last fine-tune on the train-scale-4 cache: its inputs are the pair as git held it
shutil.copytree(os.path.join(R.ROOT, "models/kws-lstm"), os.path.join(work, "lstm-ft2-snr018-s2"))
pend, why = R.to_run(R.STAGES, work, ["tdnn-x4-ft"])
expect(why is None and [st["name"] for st in pend] == ["lstm-ft2-snr018-s2-x", "tdnn-x4-ft", "tdnn-x4-ft-x"],
       "x4 fine-tune: %s %s" % (why, [st["name"] for st in pend or []]))

# the LSTM's two fine-tunes on it: the second is taught by the new TDNN as git holds it
shutil.copytree(os.path.join(R.ROOT, "models/kws-tdnn"), os.path.join(work, "tdnn-x4-ft"))
shutil.copytree(os.path.join(R.ROOT, "models/kws-lstm"), os.path.join(work, "lstm-w07-ft2"))
pend, why = R.to_run(R.STAGES, work, ["lstm-x4-ft2"])
expect(pend is None and "lstm-x4-ft2 needs lstm-x4-ft" in why, "x4 LSTM without its first fine-tune: %s" % why)
pend, why = R.to_run(R.STAGES, work, ["lstm-x4-ft", "lstm-x4-ft2"])
expect(why is None and [st["name"] for st in pend] == ["lstm-ft2-snr018-s2-x", "lstm-x4-ft", "tdnn-x4-ft-x",
                                                        "lstm-x4-ft2"],
       "x4 LSTM fine-tunes: %s %s" % (why, [st["name"] for st in pend or []]))
argv = R.argv_of(by_name(R.STAGES, "lstm-x4-ft2"), "/w", DATAS, "/t")
expect(argv[argv.index("--init") + 1] == "/w/lstm-x4-ft"
       and argv[argv.index("--teacher") + 1].split(",")[0] == "/w/tdnn-x4-ft-x", "lstm-x4-ft2 argv: %s" % argv)

# the final comparison (the committed recipe's: quick-fest's LSTM and its last TDNN): equal copies
# pass, one changed byte or a missing file is named
shutil.copytree(os.path.join(R.ROOT, "models/kws-lstm"), os.path.join(work, "lstm-f05-ft-adc"))
shutil.copytree(os.path.join(R.ROOT, "models/kws-tdnn"), os.path.join(work, "tdnn-f05-tl-w07-u4"))
bad, n = R.compare_final(work, finals)
nfiles = sum(len(R.export_files(os.path.join(R.ROOT, m))) for m in finals)
expect(bad == [] and n == nfiles, "equal copies: %s, %d of %d files" % (bad, n, nfiles))
img = os.path.join(work, "lstm-f05-ft-adc", "model.img")
with open(img, "r+b") as f:
    f.seek(100)
    b = f.read(1)
    f.seek(100)
    f.write(bytes([b[0] ^ 1]))
os.remove(os.path.join(work, "tdnn-f05-tl-w07-u4", "fc.npy"))
bad, n = R.compare_final(work, finals)
expect(len(bad) == 2 and any(x.endswith("tdnn-f05-tl-w07-u4/fc.npy: missing") for x in bad)
       and any("lstm-f05-ft-adc/model.img differs from models/kws-lstm/model.img" in x for x in bad),
       "changed copies: %s" % bad)

bad, n = R.compare_final(work, {"models/kws-tdnn": "tdnn-f05-tl-w07-u4"})   # --stages with one final
expect(bad == [os.path.join(work, "tdnn-f05-tl-w07-u4", "fc.npy") + ": missing"]
       and n == len(R.export_files(os.path.join(R.ROOT, "models/kws-tdnn"))), "one final: %s, %d files" % (bad, n))

# the quick recipes: a valid plan that agrees with its reports, on its train-scale-4 cache, the LSTM
# taught by the TDNN before it, then fine-tuned from itself, taught by the TDNN's fine-tune and
# itself; and (below) their verdict, a finished stage's figures against its report
def check_quick(recipe, key, want_finals):
    stages, finals = R.RECIPES[recipe]
    expect(R.check_plan(stages, finals) is None and finals == want_finals,
           "%s plan: %s, finals %s" % (recipe, R.check_plan(stages, finals), finals))
    d = R.check_reports(stages, "/w", DATAS, "/t")
    expect(d == [], "the %s recipe disagrees with its reports: %s" % (recipe, d))
    expect(all(st["data"] == key for st in stages) and all(st["report"] for st in stages),
           "%s data and reports: %s" % (recipe, [(st["data"], st["report"]) for st in stages]))
    tq, lq, tft, lft = stages[:4]
    expect(tq["base"].startswith("--model tdnn") and not tq["teachers"] and not tq["init"], "%s TDNN: %s" % (recipe, tq))
    expect(lq["teachers"] == [tq["name"]] and lq["base"].startswith("--model lstm") and not lq["init"],
           "%s LSTM: %s" % (recipe, lq))
    expect(lft["init"] == lq["name"] and lft["teachers"] == [tft["name"], lq["name"]]
           and "--remix-snr 0,18" in lft["extra"]
           and "--adc-lsb" in lft["extra"], "%s LSTM fine-tune: %s" % (recipe, lft))
    expect(tft["init"] == tq["name"] and tft["teachers"] == [tq["name"]] and tft["base"].startswith("--model tdnn")
           and "--adc-lsb" in tft["extra"], "%s TDNN fine-tune: %s" % (recipe, tft))
    pend, why = R.to_run(stages, os.path.join(OUT, recipe + "-empty"), None)   # the TDNN's fine-tune beside the LSTM
    expect(why is None and {d for st in pend if st["name"] == tft["name"] for d in R.deps_of(st)} == {tq["name"]},
           "%s TDNN fine-tune's inputs: %s %s" % (recipe, why, [R.deps_of(st) for st in pend or []]))


check_quick("quick", "v3x4", {})
check_quick("quick-fest", "v3x4f", {"models/kws-tdnn": "tdnn-f05-tl-w07-u4", "models/kws-lstm": "lstm-f05-ft-adc"})
# the same first four trainings: quick-fest differs from quick in its dataset alone; then its fifth,
# the committed TDNN: quick's TDNN from scratch, taught by the LSTM's fine-tune, with more white noise
# and the unknown class weighted 4
fest = R.RECIPES["quick-fest"][0]
expect(len(R.RECIPES["quick"][0]) == 4 and [(st["base"], st["extra"]) for st in R.RECIPES["quick"][0]] ==
       [(st["base"], st["extra"]) for st in fest[:4]], "quick-fest's trainings are not quick's")
expect(len(fest) == 5 and fest[4]["base"] == fest[0]["base"] and fest[4]["teachers"] == [fest[3]["name"]]
       and not fest[4]["init"] and fest[4]["extra"] == "--remix-white 0.7 --unknown-weight 4",
       "quick-fest's last TDNN: %s" % fest[4:])
d = R.check_reports([dict(fest[4], extra="--remix-white 0.7")], "/w", DATAS, "/t")
expect(d == ["tdnn-f05-tl-w07-u4: unknown_weight is 2.0 here, 4.0 in models/kws-tdnn/results-v3x4f-quick-tl.json"],
       "unknown-weight drift: %s" % d)
expect(R.DATASETS["v3x4f"][1][:len(R.DATASETS["v3x4"][1])] == R.DATASETS["v3x4"][1],
       "v3x4f is not v3x4 plus options: %s" % R.DATASETS["v3x4f"][1])
stages = R.RECIPES["quick"][0]
tq, lq, tft, lft = stages

# each recipe's ADC step is its board's: adc_lsb_of over configs/kws-<m>.yaml as cimvp resolves it
# (kws_adc_range.board_params: replication, weight amplification, out_bound, out_res_bits; 8-bit cells and DAC)
for opt, cfg in ((R.ADC_LSTM, "configs/kws-lstm.yaml"), (R.ADC_TDNN, "configs/kws-tdnn.yaml")):
    k, n, bound, res = board_params(CIMVP, ["--config", os.path.join(R.ROOT, cfg)])
    want = adc_lsb_of(bound, res, 8, 8, k, n)
    got = float(opt.split()[-1])
    expect(opt.split()[0] == "--adc-lsb" and abs(got - want) <= 0.005,   # written to two decimals
           "%s: %s, the config's ADC step is %.4f" % (cfg, opt, want))
with open(os.path.join(R.ROOT, lq["report"])) as f:
    rep = json.load(f)
os.makedirs(os.path.join(work, lq["name"]))
res = os.path.join(work, lq["name"], "results.json")
with open(res, "w") as f:
    json.dump(rep, f)
expect(R.figure_diffs(lq, work) == [], "a copy of the report: %s" % R.figure_diffs(lq, work))
rep["sets"]["test_snr10"]["integer"]["acc"] -= 0.001
del rep["sets"]["xsynth"]
rep["threshold"]["chosen"] = 0.5
with open(res, "w") as f:
    json.dump(rep, f)
d = R.figure_diffs(lq, work)
named = ["test_snr10 integer is ", "xsynth integer is missing here", "threshold is 0.5 here"]
expect(all(any(x.startswith("%s: %s" % (lq["name"], w)) and x.endswith(" in " + lq["report"]) for x in d) for w in named)
       and all(x.split(": ")[1].startswith(("test_snr10 integer ", "xsynth ", "threshold ")) for x in d),
       "changed figures: %s" % d)



# main's verdict on a quick run, with run() standing in for the trainings: each stage's results.json
# is its report, one figure changed in the LSTM's when `change` says so
def verdict(change):
    def fake_run(stages, pending, work, datas, tool, jobs):
        for st in list(pending):
            with open(os.path.join(R.ROOT, st["report"])) as f:
                rep = json.load(f)
            if change and st["base"].startswith("--model lstm"):
                rep["sets"]["test"]["integer"]["acc"] = 0.5
            os.makedirs(os.path.join(work, st["name"]), exist_ok=True)
            with open(os.path.join(work, st["name"], "results.json"), "w") as f:
                json.dump(rep, f)
            pending.remove(st)   # as run() does
        return None
    data, build = os.path.join(OUT, "dx4"), os.path.join(OUT, "build")
    os.makedirs(data, exist_ok=True)
    os.makedirs(os.path.join(build, "cim_tile"), exist_ok=True)
    with open(os.path.join(data, "summary.json"), "w") as f:
        json.dump({"sets": {}}, f)
    tool = os.path.join(build, "cim_tile", "npu_image_tool")
    open(tool, "w").close()
    os.chmod(tool, 0o755)
    wq = os.path.join(OUT, "work-quick-%d" % change)
    real_run, argv = R.run, sys.argv
    R.run, sys.argv = fake_run, ["kws_reproduce.py", "--recipe", "quick", "--work", wq, "--data-x4", data,
                                 "--build", build, "--no-data-check"]
    try:
        R.main()
        return None
    except SystemExit as e:
        return str(e.code)
    finally:
        R.run, sys.argv = real_run, argv


v = verdict(False)
expect(v is None, "quick run as reported: %s" % v)
v = verdict(True)
expect(v is not None and v.startswith("kws_reproduce: not reproduced") and "lstm-x4-e30-tdef: test integer is 0.5 here"
       in v and "lstm-x4-e30-tdef-ft-adc-tft: test integer is 0.5 here" in v and "tdnn-x4" not in v,
       "quick run with changed LSTM figures: %s" % v)

for f in fails:
    print("FAIL:", f)
print("kws_reproduce check: %d failures" % len(fails))
sys.exit(1 if fails else 0)
