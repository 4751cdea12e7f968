#!/usr/bin/env bash
# Regenerates the bundled audio clips of tests/data/ (16 kHz, mono, 16-bit PCM WAV), used by the
# MFCC firmware tests and the front-end bench. Run once; the WAVs are committed, so the build
# never needs espeak-ng or sox. sox -R keeps the noise repeatable.
#   scripts/make_clips.sh [OUT_DIR]   (default tests/data)
set -euo pipefail
out=${1:-$(dirname "$0")/../tests/data}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fmt=(-r 16000 -c 1 -b 16 -e signed-integer)

# speech: espeak-ng's own output (22.05 kHz), resampled, peak-normalised to -3 dBFS
speak() { # name text
  espeak-ng -v en-us -s 150 -w "$tmp/$1.wav" "$2"
  sox -R "$tmp/$1.wav" "${fmt[@]}" "$out/$1.wav" rate -v 16000 gain -n -3
}
speak yes "yes"
speak phrase "turn on the kitchen lights"
# exactly 1.000 s: two tones and white noise (the zero-overrun test's 1 s clip)
sox -R -n -r 16000 -c 3 -b 16 "$tmp/tn.wav" synth 1.0 sine 440 sine 1000 whitenoise
sox -R "$tmp/tn.wav" "${fmt[@]}" "$out/tone_noise.wav" remix 1v0.5,2v0.3,3v0.2 gain -n -6
ls -l "$out"/*.wav
