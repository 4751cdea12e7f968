#!/usr/bin/env bash
# The main job: set up, build, and run firmware on the virtual board.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
BUILD_DIR=${CIMVP_BUILD_DIR:-build}
echo "== hello: C firmware on the Verilated RV32IMC core, printing through the virtual UART"
"$BUILD_DIR/platform/cimvp" --config configs/default.yaml --firmware "$BUILD_DIR/firmware/hello.elf"
echo "== cpubench: fixed-point DSP benchmark (stats in $BUILD_DIR/cpubench-stats.json)"
"$BUILD_DIR/platform/cimvp" --config configs/default.yaml --firmware "$BUILD_DIR/firmware/cpubench.elf" \
  --stats "$BUILD_DIR/cpubench-stats.json"
