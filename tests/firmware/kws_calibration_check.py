#!/usr/bin/env python3
"""Runs a KWS clip build on the board and checks the start-up offset calibration it prints
(firmware/apps/kws/main.c calibrate()) against the prediction from the model and the config.

  kws_calibration_check.py CIMVP MODEL_DIR ELF IMAGE AUDIO -- CONFIG... [--set K=V ...]

Layer 0 is fed only by offset-binary codes (u = s + 128), so a column's measured offset is
128 sum_i E_ij over the layer's R rows, each E the programming error averaged over the k
copies of the layer (npu.mapping.replication) in weight LSB: sp / 2^n with the weights
programmed x 2^n (npu.mapping.weight_amp_bits), E ~ N(0, sp^2 / (4^n k)), sp^2 =
prog_noise_lsb^2 + (prog_noise_frac * Lmax)^2 levels (cim_tile/crossbar.h step 2; one level =
one weight LSB for 8-bit cells without amplification). The offset is N(0, 128^2 R sp^2 /
(4^n k)), its mean absolute value over the n columns 128 sp / 2^n sqrt(R / k) sqrt(2 / pi),
and that sample mean has relative std sqrt(pi/2 - 1) / sqrt(n):
the printed offset_mean_abs must lie within 4 such stds (plus 2 LSB of rounding) of the
prediction. R and n come from the model's descriptor (model.json), sp and k from the config."""
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from npu_noise_check import dump_config, fail  # noqa: E402


def main():
    if len(sys.argv) < 7 or sys.argv[6] != "--":
        print(__doc__)
        sys.exit(2)
    cimvp, model_dir, elf, image, audio = sys.argv[1:6]
    cfg_args = sys.argv[7:]
    c = dump_config(cimvp, cfg_args)
    f = lambda k: float(c["npu." + k])
    if f("array.bits_per_cell") != 8:
        fail("the prediction takes one level = one weight LSB (8-bit cells)")
    for k in ("noise.d2d_variation", "noise.stuck_at_rate", "noise.drift_nu", "noise.ir_drop"):
        if f(k) != 0:
            fail(f"npu.{k} = {f(k)}: no closed-form prediction in this check")
    sp = math.hypot(f("noise.prog_noise_lsb"), f("noise.prog_noise_frac") * 255.0)
    k = f("mapping.replication")
    amp = 2.0 ** f("mapping.weight_amp_bits")
    with open(os.path.join(model_dir, "model.json")) as fh:
        layer = json.load(fh)["layers"][0]
    rows, cols = int(layer["rows"]), int(layer["cols"])
    expected = 128.0 * sp / amp * math.sqrt(rows / k) * math.sqrt(2.0 / math.pi)
    tol = 4.0 * math.sqrt(math.pi / 2.0 - 1.0) / math.sqrt(cols) * expected + 2.0

    run = subprocess.run([cimvp, *cfg_args, "--npu-image", image, "--firmware", elf, "--audio", audio,
                          "--max-time", "5s"], capture_output=True, text=True)
    print(run.stdout + run.stderr, end="")
    if run.returncode != 0:
        fail(f"cimvp exited with {run.returncode}")
    m = re.search(r"KWS calibration layer=0 runs=\d+ offset_mean_abs=(\d+) offset_max_abs=(\d+)", run.stdout)
    if not m:
        fail("no calibration line for layer 0 in the firmware's output")
    got = int(m.group(1))
    print(f"layer 0: {rows} rows x {cols} columns, {sp:g} LSB over {k:g} copies of weights x {amp:g}: predicted mean |offset| "
          f"{expected:.0f} +- {tol:.0f}, measured {got}")
    if abs(got - expected) > tol:
        fail(f"measured mean |offset| {got} differs from the predicted {expected:.0f} by {got - expected:+.0f} "
             f"(allowed +-{tol:.0f})")
    print("PASS")


if __name__ == "__main__":
    main()
