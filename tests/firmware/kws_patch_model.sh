#!/bin/sh
# Copies a KWS model directory (layers, model.json, model.kwsd) to DST with one byte of the
# descriptor overwritten, then runs the command (the tests of descriptors the scripts or the
# firmware must refuse or handle):
#   kws_patch_model.sh SRC DST OFFSET OCTAL_BYTE COMMAND...
set -e
src=$1 dst=$2 off=$3 byte=$4
shift 4
mkdir -p "$dst"
cp "$src"/*.npy "$src/model.json" "$src/model.kwsd" "$dst/"
printf "\\$byte" | dd of="$dst/model.kwsd" bs=1 seek="$off" conv=notrunc 2>/dev/null
exec "$@"
