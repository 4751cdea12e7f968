#!/usr/bin/python3
"""Writes the awkward audio of the KWS bad-input tests (tests/firmware/kws_tests.cmake):
    silence.wav   3 s of digital zero (the dataset's silence is never exactly zero)
    clipping.wav  keywords.wav x 30, saturated at int16 full scale (about 12 % of the samples)
    muted_then_keywords.wav  1 s of digital zero, then the first 2 s of keywords.wav (the dither
                  co-verification: a muted second and speech)

    kws_bad_audio.py KEYWORDS_WAV OUT_DIR
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from kws_eval import read_wav, write_wav  # noqa: E402  (16 kHz mono 16-bit, checked on read)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    x = read_wav(sys.argv[1]).astype(np.int64)
    os.makedirs(sys.argv[2], exist_ok=True)
    write_wav(os.path.join(sys.argv[2], "silence.wav"), np.zeros(3 * 16000, np.int64))
    write_wav(os.path.join(sys.argv[2], "muted_then_keywords.wav"),
              np.concatenate([np.zeros(16000, np.int64), x[:2 * 16000]]))
    y = np.clip(x * 30, -32768, 32767)
    write_wav(os.path.join(sys.argv[2], "clipping.wav"), y)
    print("kws_bad_audio: wrote silence.wav, muted_then_keywords.wav, clipping.wav (%.1f %% of its samples at full scale) to %s"
          % (100.0 * np.mean((y == 32767) | (y == -32768)), sys.argv[2]))


if __name__ == "__main__":
    main()
