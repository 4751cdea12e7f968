#!/usr/bin/python3
"""Writes the awkward audio of the KWS bad-input tests (tests/firmware/kws_tests.cmake):
    silence.wav   3 s of digital zero (the dataset's silence is never exactly zero)
    clipping.wav  keywords.wav x 30, saturated at int16 full scale (about 12 % of the samples)

    kws_bad_audio.py KEYWORDS_WAV OUT_DIR
"""
import os
import sys
import wave

import numpy as np


def write(path, x):
    with wave.open(path, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(16000)
        f.writeframes(x.astype("<i2").tobytes())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with wave.open(sys.argv[1]) as f:
        if f.getframerate() != 16000 or f.getnchannels() != 1 or f.getsampwidth() != 2:
            sys.exit("kws_bad_audio: %s is not 16 kHz mono 16-bit" % sys.argv[1])
        x = np.frombuffer(f.readframes(f.getnframes()), "<i2").astype(np.int64)
    os.makedirs(sys.argv[2], exist_ok=True)
    write(os.path.join(sys.argv[2], "silence.wav"), np.zeros(3 * 16000, np.int64))
    y = np.clip(x * 30, -32768, 32767)
    write(os.path.join(sys.argv[2], "clipping.wav"), y)
    print("kws_bad_audio: wrote silence.wav, clipping.wav (%.1f %% of its samples at full scale) to %s"
          % (100.0 * np.mean((y == 32767) | (y == -32768)), sys.argv[2]))


if __name__ == "__main__":
    main()
