#!/usr/bin/env bash
# Keyword spotting on the board, NPU and CPU-only builds of both models, on the bundled clip
# with six keywords: the README's KWS table (cycles, CPU load, energy, wall time per second of
# audio). Run after scripts/setup.sh (or `ninja bench`). Each run's stats JSON and UART log are
# kept in $BUILD_DIR/bench-kws/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CIMVP_BUILD_DIR:-build}
CLIP=${1:-tests/kws/clips/keywords.wav}
OUT="$BUILD_DIR/bench-kws"
mkdir -p "$OUT"
for model in tdnn lstm; do
  for path in npu cpu; do
    fw="$BUILD_DIR/firmware/kws_$model.elf"
    [ "$path" = cpu ] && fw="$BUILD_DIR/firmware/kws_${model}_cpu.elf"
    "$BUILD_DIR/platform/cimvp" --config configs/kws-$model.yaml --firmware "$fw" \
      --npu-image "$BUILD_DIR/models/kws-$model.img" --audio "$CLIP" \
      --stats "$OUT/$model-$path.json" --set uart.output_file="$OUT/$model-$path.uart" \
      > "$OUT/$model-$path.log" 2>&1 || { cat "$OUT/$model-$path.log"; exit 1; }
  done
done
/usr/bin/python3 - "$OUT" "$CLIP" <<'PY'
import json, re, sys, wave
out, clip = sys.argv[1], sys.argv[2]
with wave.open(clip) as w:
    audio_s = w.getnframes() / w.getframerate()
cols, table = [], {}
for model in ("tdnn", "lstm"):
    for path in ("npu", "cpu"):
        s = json.load(open("%s/%s-%s.json" % (out, model, path)))
        summ = re.search(r"^SUMMARY .*$", open("%s/%s-%s.uart" % (out, model, path)).read(), re.M)
        if not summ:
            sys.exit("bench_kws: no SUMMARY line from %s %s (see %s/%s-%s.uart)" % (model, path, out, model, path))
        f = dict(kv.split("=", 1) for kv in summ.group(0).split()[1:])
        e = s["energy_pj"]
        dec = int(f["decisions"])
        name = "%s %s" % (model.upper(), "NPU" if path == "npu" else "CPU only")
        cols.append(name)
        table[name] = {
            "inference core cycles per hop (front-end excluded)": "%.1f k" % (int(f["infer_cycles_per_hop"]) / 1e3),
            "NPU cycles per hop": "%.1f k" % (int(f["npu_cycles_per_hop"]) / 1e3) if path == "npu" else "-",
            "core cycles per hop incl. front-end": "%.1f k" % (int(f["cycles_per_hop"]) / 1e3),
            "CPU load (not in wfi)": f["cpu_load"],
            "decisions (1 s windows)": str(dec),
            "detections": f["detections"],
            "energy, whole clip incl. start-up (stats energy_pj)": "%.0f uJ" % (e["total"] / 1e6)
            + (" (NPU %.1f)" % (e["npu"] / 1e6) if path == "npu" else ""),
            "energy per decision": "%.2f uJ" % (e["total"] / 1e6 / dec) if dec else "-",
            "energy per second of audio": "%.0f uJ" % (e["total"] / 1e6 / audio_s),
            "wall time per 1 s of audio": "%.2f s" % (s["wall_time_s"] / audio_s),
            "overruns / late hops": "%s / %s" % (f["overruns"], f["late"]),
        }
print("%s (%.2f s of audio), configs/kws-<model>.yaml, %d MHz core" % (clip, audio_s, s["clock_hz"] / 1e6))
print("| | " + " | ".join(cols) + " |")
print("| --- |" + " --- |" * len(cols))
for row in table[cols[0]]:
    print("| %s | %s |" % (row, " | ".join(table[c][row] for c in cols)))
PY
