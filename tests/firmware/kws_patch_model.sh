#!/bin/sh
# Copies a KWS model directory (layers, model.json, model.kwsd) to DST with bytes of the
# descriptor overwritten from OFFSET on, then runs the command (the tests of descriptors the
# scripts or the firmware must refuse or handle):
#   kws_patch_model.sh SRC DST OFFSET "OCTAL_BYTE..." COMMAND...
set -e
src=$1 dst=$2 off=$3 byte=$4
shift 4
mkdir -p "$dst"
cp "$src"/*.npy "$src/model.json" "$src/model.kwsd" "$dst/"
for b in $byte; do printf "\\$b"; done | dd of="$dst/model.kwsd" bs=1 seek="$off" conv=notrunc 2>/dev/null
exec "$@"
