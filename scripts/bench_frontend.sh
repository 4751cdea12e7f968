#!/usr/bin/env bash
# Front-end figures (issue 3): the MFCC firmware (firmware/apps/mfcc) on 1 s of 16 kHz audio
# (tests/data/tone_noise.wav), software path vs Fbank accelerator, at the default clock.
# Prints cycles per 20 ms frame (log-Mel + DCT, mcycle delta of the processing only: the core's
# cycle counter stops while it sleeps in wfi waiting for the accelerator), the frame latency, the
# speed-up, CPU load (cycles not asleep in wfi / elapsed cycles, from the firmware's summary)
# and the wall time to simulate 1 s of audio (stats JSON, best of BENCH_RUNS runs).
#   scripts/bench_frontend.sh [WAV]      (or `ninja bench`; build first)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CIMVP_BUILD_DIR:-build}
WAV=${1:-tests/data/tone_noise.wav}
RUNS=${BENCH_RUNS:-3}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$2" | tail -1; }

declare -A cyc lat load wall frames sim
for path in sw accel; do
  best=""
  for i in $(seq "$RUNS"); do
    "$BUILD_DIR/platform/cimvp" --config configs/default.yaml --firmware "$BUILD_DIR/firmware/mfcc_$path.elf" \
        --audio "$WAV" --set uart.to_stdout=false --set "uart.output_file=$tmp/$path.uart" \
        --stats "$tmp/$path.json" > "$tmp/$path.log" 2>&1 || { cat "$tmp/$path.log" "$tmp/$path.uart"; exit 1; }
    w=$($py -c "import json;print(json.load(open('$tmp/$path.json'))['wall_time_s'])")
    best=$($py -c "print(min(float('$w'), float('${best:-1e9}')))")
  done
  wall[$path]=$best
  sim[$path]=$($py -c "import json;print(json.load(open('$tmp/$path.json'))['simulated_time_ns'] / 1e9)")
  cyc[$path]=$(field cycles_per_frame "$tmp/$path.uart")
  lat[$path]=$(field latency_cycles_per_frame "$tmp/$path.uart")
  load[$path]=$(field load "$tmp/$path.uart")
  frames[$path]=$(field frames "$tmp/$path.uart")
  over=$(field overruns "$tmp/$path.uart"); late=$(field late "$tmp/$path.uart")
  [ "$over" = 0 ] && [ "$late" = 0 ] || { echo "mfcc_$path: overruns=$over late=$late"; exit 1; }
done

samples=$(soxi -s "$WAV" 2>/dev/null || $py -c "import wave;print(wave.open('$WAV').getnframes())")
audio_s=$($py -c "print($samples / 16000)")
echo "MFCC front-end on $WAV (${audio_s} s, ${frames[sw]} frames of 40 ms every 20 ms, FFT 1024, 40 Mel, 13 MFCC), 100 MHz core"
printf '%-34s %12s %12s\n' "" "software" "accelerator"
printf '%-34s %12s %12s\n' "cycles per 20 ms frame" "${cyc[sw]}" "${cyc[accel]}"
printf '%-34s %12s %12s\n' "frame latency incl. accel. [cycles]" "${lat[sw]}" "${lat[accel]}"
printf '%-34s %11s%% %11s%%\n' "CPU load (not in wfi)" "${load[sw]}" "${load[accel]}"
printf '%-34s %12s %12s\n' "wall time to simulate 1 s audio [s]" \
  "$($py -c "print('%.2f' % (${wall[sw]} / ${sim[sw]} * 1.0))")" \
  "$($py -c "print('%.2f' % (${wall[accel]} / ${sim[accel]} * 1.0))")"
$py -c "print('speed-up (cycles per frame, software / accelerator): %.1fx' % (${cyc[sw]} / ${cyc[accel]}))"
