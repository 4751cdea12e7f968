#!/usr/bin/env python3
"""Checks scripts/kws_adc_range.py's account of the column currents against the board's own ADC
clipping counter (npu.adc_clipped).

  kws_adc_range_check.py CIMVP MODEL_DIR CLIP_ELF IMAGE CLIP.wav OUTDIR -- CONFIG...

On the first second of CLIP.wav, without programming error (so the board's column values are
the host integer model's x.w exactly), the script gives per layer the largest measured column
(cell currents per copy) and the bit line k x max(measured, calibration worst case). The clip
build on that second must then clip at out_bound = 0.9 x k x (largest measured column) and must
not clip at 1.1 x (largest bit line), and the script must say so with its exit code (1 / 0)."""
import json
import os
import re
import subprocess
import sys
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "kws_adc_range.py")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def account(cimvp, model, wav, cfg):
    p = subprocess.run(["/usr/bin/python3", SCRIPT, model, "--wav", wav, "--cache", os.path.dirname(wav),
                        "--cimvp", cimvp, "--", *cfg], capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    print(p.stdout + p.stderr, end="")
    k = re.search(r"board: (\d+) cop", p.stdout)
    rows = re.findall(r"^(\d+) +\d+ x \d+ +([0-9.]+) +([0-9.]+) +([0-9.]+) +([0-9.]+) ", p.stdout, re.M)
    if p.returncode not in (0, 1) or not k or not rows:
        fail("kws_adc_range.py exited %d without its table" % p.returncode)
    return p.returncode, int(k.group(1)), [(float(r[2]), float(r[4])) for r in rows]


def board_clipped(cimvp, cfg, elf, image, wav, stats):
    p = subprocess.run([cimvp, *cfg, "--npu-image", image, "--firmware", elf, "--audio", wav,
                        "--stats", stats, "--max-time", "5s"], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        print(p.stdout + p.stderr)
        fail("cimvp exited with %d" % p.returncode)
    with open(stats) as f:
        return int(json.load(f)["npu"]["adc_clipped"])


def main():
    sep = sys.argv.index("--") if "--" in sys.argv else -1
    if sep != 7:
        print(__doc__)
        sys.exit(2)
    cimvp, model, elf, image, clip, outdir = sys.argv[1:7]
    cfg = sys.argv[8:] + ["--set", "npu.noise.prog_noise_lsb=0", "--set", "npu.noise.prog_noise_frac=0"]
    os.makedirs(outdir, exist_ok=True)
    wav = os.path.join(outdir, "second0.wav")
    with wave.open(clip) as w, wave.open(wav, "wb") as o:
        o.setparams(w.getparams())
        o.writeframes(w.readframes(16000))
    _, k, layers = account(cimvp, model, wav, cfg)
    measured = k * max(m for m, _ in layers)
    line = max(b for _, b in layers)
    for bound, want_clip in ((0.9 * measured, True), (1.1 * line, False)):
        c = cfg + ["--set", "npu.converters.out_bound=%.4f" % bound]
        rc, _, _ = account(cimvp, model, wav, c)
        n = board_clipped(cimvp, c, elf, image, wav, os.path.join(outdir, "stats-%g.json" % bound))
        print("out_bound %.3f: the board clipped %d conversions, kws_adc_range.py exit %d" % (bound, n, rc))
        if (n > 0) != want_clip:
            fail("at out_bound %.3f (%s the largest column %.3f) the board clipped %d conversions"
                 % (bound, "under" if want_clip else "over", measured if want_clip else line, n))
        if (rc == 1) != want_clip:
            fail("at out_bound %.3f kws_adc_range.py exited %d, expected %d" % (bound, rc, int(want_clip)))
    print("PASS")


if __name__ == "__main__":
    main()
