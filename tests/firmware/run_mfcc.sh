#!/usr/bin/env bash
# Runs an MFCC firmware build on the board with a WAV and checks its UART output with mfcc_check.
#   run_mfcc.sh CIMVP CONFIG ELF WAV OUT_PREFIX MFCC_CHECK [mfcc_check options...]
# Writes OUT_PREFIX.uart (console) and OUT_PREFIX.json (stats); fails if the simulator's exit
# code is not 0 (the firmware exits 1 on an overrun, a late frame or a device error) or the
# checker fails.
set -u
cimvp=$1 cfg=$2 elf=$3 wav=$4 out=$5 check=$6
shift 6
rm -f "$out.uart" "$out.json"
"$cimvp" --config "$cfg" --firmware "$elf" --audio "$wav" --set uart.to_stdout=false \
  --set "uart.output_file=$out.uart" --stats "$out.json" --max-time 30s
code=$?
grep -E '^(MFCC|SUMMARY|mfcc:)' "$out.uart" 2>/dev/null
if [ "$code" != 0 ]; then echo "FAIL: cimvp exit code $code"; exit 1; fi
exec "$check" "$wav" "$out.uart" "$@"
