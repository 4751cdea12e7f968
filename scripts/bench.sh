#!/usr/bin/env bash
# Core speed: the CPU benchmark firmware on the full SystemC platform and on the Verilated core
# alone (no SystemC, memory in C++). Prints retired instructions per wall second for both and
# the platform's share of the core-alone speed. Run after scripts/setup.sh (or `ninja bench`).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CIMVP_BUILD_DIR:-build}
FW=${1:-$BUILD_DIR/firmware/cpubench.elf}
RUNS=${BENCH_RUNS:-3}
py=/usr/bin/python3

best_platform=0; best_alone=0
for i in $(seq "$RUNS"); do
  "$BUILD_DIR/platform/cimvp" --config configs/default.yaml --firmware "$FW" \
      --stats "$BUILD_DIR/bench-stats.json" > /dev/null 2>&1
  mips=$($py -c "import json;print(json.load(open('$BUILD_DIR/bench-stats.json'))['cpu']['mips'])")
  best_platform=$($py -c "print(max($best_platform, $mips))")
  mips=$("$BUILD_DIR/tests/rtl/core_alone" "$FW" --bench 2>&1 >/dev/null | sed -n 's/.*MIPS[: =]*\([0-9.]*\).*/\1/p' | tail -1)
  best_alone=$($py -c "print(max($best_alone, ${mips:-0}))")
done
instret=$($py -c "import json;print(json.load(open('$BUILD_DIR/bench-stats.json'))['cpu']['instret'])")
pgo=$(sed -n 's/^CIMVP_PGO:BOOL=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
echo "cpubench: $instret instructions retired, best of $RUNS runs (core model PGO: ${pgo:-OFF}, rtl/pgo.cmake)"
printf 'full platform (SystemC/TLM, cimvp): %6.2f MIPS\n' "$best_platform"
printf 'core alone (Verilated, C++ memory): %6.2f MIPS\n' "$best_alone"
$py -c "print('platform / core alone: %5.1f %%' % (100.0 * $best_platform / $best_alone if $best_alone else 0))"
