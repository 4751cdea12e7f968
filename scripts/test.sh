#!/usr/bin/env bash
# Set up, build, and run every test (unit, model, core ISA, firmware end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
BUILD_DIR=${CIMVP_BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" --timeout 600
