#!/usr/bin/python3
"""How much of the ADC's range a KWS model uses on a board config, layer by layer: the basis for
choosing npu.converters.out_bound per model (configs/eflash.yaml: "re-tune it per model").

    /usr/bin/python3 scripts/kws_adc_range.py models/kws-lstm --data ~/.cache/cimvp-kws/v3-seed1 \\
        [--sets test,test_snr10] [--max-clips N] -- --config configs/kws-lstm.yaml [--set K=V]
    /usr/bin/python3 scripts/kws_adc_range.py MODEL_DIR --wav A.wav [B.wav ...] -- CONFIG_ARGS

Everything after `--` goes to `cimvp --dump-config` (scripts/cimvp_config.py): replication k,
weight amplification n (npu.mapping.weight_amp_bits), out_bound B, out_res_bits, and the checks
below. A column's analog value in cell currents (cim_tile/tile_config.h: 1.0 = one cell at the
top level, 255, driven by a full-scale input, 255) is x.(w 2^n) / 255^2 for one copy of the
layer and k times that on the bit line, which the ADC converts over +-B (and clips beyond).
Per layer it prints
  worst     the weights alone: max over columns of max(sum w+, sum w-) x 2^n x 255 / 255^2, every
            input at its extreme (an upper bound no input can pass)
  measured  the largest |x.(w 2^n)| / 255^2 over the audio, the inputs those of the host integer model
            (kws_int.int_infer, which the board matches bit for bit on an ideal array)
  cal       the firmware's start-up offset calibration reads (main.c calibrate(): inputs 128 +- 16
            on the layers fed with offset-binary codes), worst case over that dither
  margin    B / (k x max(measured, cal)): below 1 the board clips (npu.adc_clipped)
  step      the ADC's LSB after the digital average of the k copies and the amplification undone,
            in MAC units and in the layer's output codes (the accumulator >> shift): the
            quantisation the layer sees.
Exit 1 if a layer would clip, 2 on bad input. The host inputs use the intended weights: on the
board the programming error moves a column by about 128 x 2 LSB x sqrt(rows) / 255^2 (~0.05
cell currents per copy for 168 rows), well inside a margin of 2."""
import argparse
import os
import sys
import wave

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import cimvp_config  # noqa: E402
import kws_eval as ev  # noqa: E402
import kws_host_ref as hr  # noqa: E402
import kws_int  # noqa: E402

FULL = 255.0 * 255.0      # MAC units of one cell current (top level x full-scale input)
CAL_LO, CAL_HI = 112, 144  # the calibration's input range, 128 -+ CAL_DITHER (main.c)


def bad(msg):
    print("kws_adc_range: " + msg, file=sys.stderr)
    sys.exit(2)


def board_params(cimvp, cfg_args):
    try:
        c = cimvp_config.dump_config(cimvp, cfg_args)
    except (cimvp_config.ConfigError, OSError) as e:
        bad(str(e))
    need = {"npu.converters.encoding": "parallel", "npu.converters.inp_res_bits": "8",
            "npu.array.bits_per_cell": "8", "npu.mapping.input_amp_bits": "0",
            "npu.mapping.digital_high_bits": "false"}
    for k, v in need.items():
        if c.get(k) != v:
            bad("%s = %s: this account covers %s only" % (k, c.get(k), v))
    k = int(c["npu.mapping.replication"])
    bound = float(c["npu.converters.out_bound"]) or float(c["npu.array.rows"])
    return k, int(c["npu.mapping.weight_amp_bits"]), bound, int(c["npu.converters.out_res_bits"])


def audio_of(a, m):
    if a.wav:
        clips = []
        for p in a.wav:
            try:
                clips.append(ev.read_wav(p))
            except (OSError, EOFError, wave.Error, AssertionError) as e:
                bad("%s: not a readable 16 kHz mono 16-bit WAV (%s)" % (p, e or "format"))
        out = []  # every whole second of each file, a shorter file padded to one
        for c in clips:
            c = np.pad(c, (0, max(0, 16000 - len(c))))
            out += [c[i:i + 16000] for i in range(0, len(c) - 15999, 16000)]
        return np.stack(out)
    parts = [ev.load_dataset_set(a.data, s, a.max_clips)[0] for s in a.sets.split(",")]
    return np.concatenate(parts)


def main():
    if "--" not in sys.argv:
        # Asked for help: the usage, exit 0; anything else without the board's arguments is a usage error.
        asked = any(x in ("-h", "--help") for x in sys.argv[1:])
        print(__doc__, file=sys.stdout if asked else sys.stderr)
        sys.exit(0 if asked else 2)
    sep = sys.argv.index("--")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--data", default=os.path.expanduser("~/.cache/cimvp-kws/v3-seed1"))
    ap.add_argument("--sets", default="test,test_snr10")
    ap.add_argument("--max-clips", type=int, default=0, help="clips per set, class-balanced (0: all)")
    ap.add_argument("--wav", nargs="+", help="16 kHz mono clips instead of the dataset, cut into whole seconds")
    ap.add_argument("--cimvp", default=os.path.join(REPO, "build", "platform", "cimvp"))
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/cimvp-kws"), help="front-end .so cache")
    a = ap.parse_args(sys.argv[1:sep])
    k, amp, bound, bits = board_params(a.cimvp, sys.argv[sep + 1:])
    if not all(os.path.exists(os.path.join(a.model, f)) for f in ("model.kwsd", "model.json")):
        bad("%s is not a model directory of scripts/kws_train.py (model.kwsd, model.json)" % a.model)
    m = hr.load_model_or_exit(a.model, "kws_adc_range")
    exp = kws_int.from_descriptor(m)
    for l, L in enumerate(m["layers"]):
        big = int(np.abs(L["w"].astype(np.int64)).max()) << amp
        if big > 255:  # the array saturates such a weight (npu stats saturated_weights)
            bad("layer %d: weight_amp_bits = %d puts |w| = %d on a 255-level cell: this account covers "
                "unsaturated weights only" % (l, amp, big))
    w = [L["w"].astype(np.float64) * 2.0 ** amp for L in m["layers"]]  # as programmed
    peak = [0.0] * len(w)

    def probe(l, x):
        peak[l] = max(peak[l], float(np.abs(x.astype(np.float64) @ w[l]).max()) / FULL)

    audio = audio_of(a, m)
    s8, _ = ev.features(audio, m, a.cache)
    for i in range(0, len(s8), 256):
        kws_int.int_infer(exp, s8[i:i + 256], probe)
    cal_layers = kws_int.offset_binary_layers(exp)
    step = bound / (2 ** (bits - 1) - 1)  # cell currents per ADC code on the bit line
    print("%s on %d clips; board: %d cop%s, weights x %d, out_bound %g cell currents, %d-bit ADC (step %.4f)"
          % (a.model, len(audio), k, "y" if k == 1 else "ies", 2 ** amp, bound, bits, step))
    print("%-6s %9s %7s %9s %6s %10s %8s %16s %14s" % ("layer", "rows x cols", "worst", "measured", "cal",
                                                     "bit line", "margin", "step [MAC units]", "step [codes]"))
    clipped = []
    for l, (L, d) in enumerate(zip(m["layers"], w)):
        pos, neg = np.clip(d, 0, None).sum(0), np.clip(-d, 0, None).sum(0)
        worst = float(np.maximum(pos, neg).max()) * 255.0 / FULL
        cal = (float(np.maximum(CAL_HI * pos - CAL_LO * neg, CAL_HI * neg - CAL_LO * pos).max()) / FULL
               if l in cal_layers else 0.0)
        line = k * max(peak[l], cal)
        mac = step * FULL / (k * 2 ** amp)  # MAC units of the int8 weights
        print("%-6d %4d x %-4d %7.2f %9.2f %6.2f %10.2f %8.2f %16.0f %14.2f"
              % (l, d.shape[0], d.shape[1], worst, peak[l], cal, line, bound / line if line else float("inf"),
                 mac, mac / 2.0 ** L["shift"]))
        if line > bound:
            clipped.append(l)
    print("worst, measured, cal: cell currents per copy (amplified weights); bit line: k x max(measured, cal)")
    if clipped:
        print("CLIPS: layer%s %s exceed%s out_bound %g" % ("s" if len(clipped) > 1 else "",
              ", ".join(map(str, clipped)), "" if len(clipped) > 1 else "s", bound))
        sys.exit(1)


if __name__ == "__main__":
    main()
