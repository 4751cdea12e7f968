#!/usr/bin/env python3
"""Runs firmware npu_noise on a config and checks its measured error against the prediction
from the configured sigmas.

  npu_noise_check.py CIMVP ELF IMAGE STATS_JSON -- CONFIG... [--set K=V ...]

Prediction (parallel inputs; cim_tile/crossbar.h steps 2, 4, 8, 9). Column j's error in MAC
units is a sum of independent zero-mean terms, for every weight slice s of bits_per_cell = b
bits, with q = 2^(8 - inp_res_bits) (the digital input shift), Dmax = 2^inp_res_bits - 1,
Lmax = 2^b - 1 and k_s = 2^(s*b) * q (MAC units per read unit of slice s):
  programming   sum_i code_i * e_i, e_i ~ N(0, sp^2) levels:  sp^2 * sum code^2
                sp^2 = prog_noise_lsb^2 + (prog_noise_frac * Lmax)^2
  read noise    pair std w_noise * Lmax levels per read:      (w_noise Lmax)^2 * sum code^2
  output noise  out_noise * Lmax * Dmax read units:           (out_noise Lmax Dmax)^2
  ADC           uniform quantisation, LSB = bound / (2^(B-1) - 1) with bound = out_bound *
                Lmax * Dmax (or array rows * Lmax * Dmax), then rounding to whole read units:
                (LSB^2 + 1) / 12
  var = sum_s k_s^2 * (the above), and sum code^2 = sum x^2 / q^2 (inputs are exact DAC codes).
The firmware measures the RMS over n columns; for a Gaussian error the sample RMS has relative
std 1/sqrt(2n), so it must lie within 4/sqrt(2n) of the prediction (9.4 % for 896 columns; a
uniform ADC error has a smaller spread). The mean error must lie within 4 rms/sqrt(n) of 0. An
analog-ideal config (no noise, 32-bit ADC at full scale) must give exactly 0 error, cosine 1.
Effects without a closed form here (d2d, stuck-at, drift, IR drop, bit-serial) are refused."""
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import cimvp_config  # noqa: E402


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def dump_config(cimvp, cfg_args):
    try:
        return cimvp_config.dump_config(cimvp, cfg_args)
    except cimvp_config.ConfigError as e:
        fail(str(e))


def main():
    if len(sys.argv) < 6 or sys.argv[5] != "--":
        print(__doc__)
        sys.exit(2)
    cimvp, elf, image, stats = sys.argv[1:5]
    cfg_args = sys.argv[6:]
    c = dump_config(cimvp, cfg_args)
    f = lambda k: float(c["npu." + k])
    if c["npu.converters.encoding"] != "parallel":
        fail("prediction covers parallel inputs only")
    for k in ("noise.d2d_variation", "noise.stuck_at_rate", "noise.drift_nu", "noise.ir_drop"):
        if f(k) != 0:
            fail(f"npu.{k} = {f(k)}: no closed-form prediction in this check")

    run = subprocess.run([cimvp, *cfg_args, "--npu-image", image, "--firmware", elf, "--stats", stats,
                          "--max-time", "1s"], capture_output=True, text=True)
    print(run.stdout + run.stderr, end="")
    if run.returncode != 0:
        fail(f"cimvp exited with {run.returncode}")
    m = re.search(r"n=(\d+) sum_x2=(\d+) rms_err=([0-9.]+) mean_err=(-?[0-9.]+) rms_ref=([0-9.]+) "
                  r"max_abs_ref=(\d+) cosine=([0-9.]+) exact=(yes|no)", run.stdout)
    if not m:
        fail("no statistics line from the firmware")
    n, sum_x2 = int(m.group(1)), int(m.group(2))
    rms, mean, cosine, exact = float(m.group(3)), float(m.group(4)), float(m.group(7)), m.group(8) == "yes"
    clipped = json.load(open(stats))["npu"]["adc_clipped"]
    if clipped:
        fail(f"{clipped} ADC conversions clipped: out_bound too small for the test layer, prediction invalid")

    b = int(f("array.bits_per_cell"))
    D = int(f("converters.inp_res_bits"))
    B = int(f("converters.out_res_bits"))
    lmax, dmax, q = 2 ** b - 1, 2 ** D - 1, 2 ** (8 - D)
    slices = (8 + b - 1) // b
    sp2 = f("noise.prog_noise_lsb") ** 2 + (f("noise.prog_noise_frac") * lmax) ** 2
    sr2 = (f("noise.w_noise") * lmax) ** 2
    so2 = (f("converters.out_noise") * lmax * dmax) ** 2
    bound = (f("converters.out_bound") or f("array.rows")) * lmax * dmax
    lsb = bound / (2 ** (B - 1) - 1)
    ideal = sp2 == 0 and sr2 == 0 and so2 == 0 and B == 32 and f("converters.out_bound") == 0
    if ideal:
        print(f"npu_noise_check: analog-ideal config: expecting exact results (measured rms {rms}, cosine {cosine})")
        if not exact or rms != 0 or cosine != 1.0:
            fail("an analog-ideal config must give exactly the CPU reference")
        print("npu_noise_check: PASS")
        return
    per_read = (sp2 + sr2) * sum_x2 / q ** 2 + so2 + (lsb ** 2 + 1) / 12
    var = sum((2 ** (s * b) * q) ** 2 for s in range(slices)) * per_read
    pred = math.sqrt(var)
    tol = 4 / math.sqrt(2 * n)
    ratio = rms / pred
    print(f"npu_noise_check: predicted rms {pred:.1f} (programming {math.sqrt(sp2):.3g} LSB, read {math.sqrt(sr2):.3g} "
          f"levels, ADC LSB {lsb * q:.1f} MAC), measured {rms:.1f}: ratio {ratio:.4f}, allowed 1 +- {tol:.4f}; "
          f"mean {mean:.1f}, cosine {cosine:.6f}")
    if abs(ratio - 1) > tol:
        fail(f"measured error rms {rms:.1f} is not within {100 * tol:.1f} % of the predicted {pred:.1f}")
    if abs(mean) > 4 * rms / math.sqrt(n):
        fail(f"mean error {mean:.1f} is biased (limit {4 * rms / math.sqrt(n):.1f})")
    print("npu_noise_check: PASS")


if __name__ == "__main__":
    main()
