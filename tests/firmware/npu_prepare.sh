#!/usr/bin/env bash
# Builds the NPU test image: the layers of firmware/apps/npu_test/npu_test_data.h as .npy
# (npu_gen_layers) placed by npu_image_tool at their fixed positions.
#   npu_prepare.sh NPU_GEN_LAYERS NPU_IMAGE_TOOL OUT_DIR   -> OUT_DIR/npu_test.img (+ .desc)
set -euo pipefail
gen=$1; tool=$2; out=$3
mkdir -p "$out"
mapfile -t layers < <("$gen" "$out")
"$tool" -o "$out/npu_test.img" --desc "$out/npu_test.desc" "${layers[@]}"
