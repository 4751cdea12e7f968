#!/usr/bin/env bash
# Runs a command and checks its exit code and output, naming what differed.
#   run_check.sh EXPECTED_EXIT 'REGEX' [--file PATH 'REGEX'] [--no-file PATH] -- COMMAND...
# REGEX (extended grep) must match the command's combined stdout+stderr ('' = no check).
# --file PATH REGEX: PATH must exist afterwards and match REGEX. --no-file PATH: must not exist.
set -u
expected=$1; pattern=$2; shift 2
file_checks=(); absent=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    --file) file_checks+=("$2" "$3"); shift 3 ;;
    --no-file) absent+=("$2"); shift 2 ;;
    *) echo "run_check: bad argument $1"; exit 2 ;;
  esac
done
shift
for f in "${absent[@]}"; do rm -f "$f"; done
for ((i = 0; i < ${#file_checks[@]}; i += 2)); do rm -f "${file_checks[i]}"; done
out=$("$@" 2>&1); code=$?
echo "$out" | tail -n 60
fail=0
if [ "$code" != "$expected" ]; then echo "FAIL: exit code $code, expected $expected"; fail=1; fi
if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" <<<"$out"; then echo "FAIL: output does not match /$pattern/"; fail=1; fi
for ((i = 0; i < ${#file_checks[@]}; i += 2)); do
  f=${file_checks[i]}; re=${file_checks[i+1]}
  if [ ! -f "$f" ]; then echo "FAIL: $f was not written"; fail=1
  elif ! grep -Eq -- "$re" "$f"; then echo "FAIL: $f does not match /$re/"; fail=1; fi
done
for f in "${absent[@]}"; do
  if [ -e "$f" ]; then echo "FAIL: $f exists but should not"; fail=1; fi
done
exit $fail
