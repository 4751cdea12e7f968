#!/usr/bin/env bash
# Installs the Debian packages cimvp needs (if missing), then configures and builds everything
# (simulator, Verilated core, firmware, tests) into ./build. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  cmake ninja-build g++ pkg-config
  libsystemc-dev verilator libyaml-cpp-dev libelf-dev googletest libgtest-dev
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf libsndfile1-dev
  # Host-side scripts and the tests that use them (/usr/bin/python3: NPU noise check, KWS
  # co-verification and evaluation, plots, the dataset's vocoder); OpenBLAS with threads makes
  # torch ~8x faster.
  python3 python3-numpy python3-scipy python3-torch python3-matplotlib libopenblas0-pthread
  # The keyword dataset's synthesizers (scripts/kws_dataset.py; festival + ked for --festival,
  # + the Catalan HTS voice ona for --ona, + the Italian diphone voices lp and pc for --italian)
  # and its tests.
  espeak-ng flite sox festival festvox-kdlpc16k festvox-ca-ona-hts festvox-italp16k festvox-itapc16k
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

BUILD_DIR=${CIMVP_BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$BUILD_DIR" -j "$(nproc)"
