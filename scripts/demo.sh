#!/usr/bin/env bash
# The main job: set up, build what is missing, and run keyword spotting on the virtual board.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
BUILD_DIR=${CIMVP_BUILD_DIR:-build}
CIMVP="$BUILD_DIR/platform/cimvp"
echo "== hello: C firmware on the Verilated RV32IMC core, printing through the virtual UART"
"$CIMVP" --config configs/default.yaml --firmware "$BUILD_DIR/firmware/hello.elf"
# The board configs name ../build/...: in another build dir, point them at it explicitly.
CLIP=tests/kws/clips/keywords.wav
echo "== keyword spotting: $CLIP (truth: $(tail -n +2 tests/kws/clips/keywords.csv | cut -d, -f1,2 | tr '\n' ' '))"
for model in tdnn lstm; do
  echo "-- $model on the NPU (configs/kws-$model.yaml: eFlash programming error), stats in $BUILD_DIR/kws-$model-stats.json"
  "$CIMVP" --config configs/kws-$model.yaml --firmware "$BUILD_DIR/firmware/kws_$model.elf" \
    --npu-image "$BUILD_DIR/models/kws-$model.img" --audio "$CLIP" --stats "$BUILD_DIR/kws-$model-stats.json" \
    --set uart.output_file="$BUILD_DIR/kws-$model.uart"
  /usr/bin/python3 - "$BUILD_DIR/kws-$model-stats.json" "$BUILD_DIR/kws-$model.uart" <<'PY' || true
import json, re, sys
s = json.load(open(sys.argv[1]))
m = re.search(r"decisions=(\d+)", open(sys.argv[2]).read())
def find(d, key):
    if isinstance(d, dict):
        for k, v in d.items():
            if k == key: return v
            r = find(v, key)
            if r is not None: return r
e = find(s, "energy_pj")
if isinstance(e, dict):
    print("energy [uJ]: " + ", ".join("%s %.2f" % (k, v / 1e6) for k, v in e.items() if v))
    if m and int(m.group(1)):
        print("energy per decision: %.2f uJ (%s decisions, each over a 1 s window)" % (e["total"] / 1e6 / int(m.group(1)), m.group(1)))
PY
done
