#!/usr/bin/python3
"""Co-verification of the board's streaming keyword spotter with the host integer reference.

    kws_stream_coverify.py CIMVP MODEL_DIR FW_STREAM OUTDIR CLIP.wav... -- CIMVP_ARGS...

For each clip: runs the streaming NPU build (CIMVP_ARGS: the board with the ideal preset) and
scripts/kws_stream_ref.py (the firmware's front end in C through ctypes, the window CMN, the
integer model in numpy, the firmware's Q16 softmax, smoothing, threshold and refractory
period). The DETECT lines (label, audio time, score to 3 decimals) must be identical, the board
must skip no window, and its SUMMARY must count the reference's frames and decisions. Exit 0 if so.
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def main():
    sep = sys.argv.index("--")
    cimvp, model, fw, outdir = sys.argv[1:5]
    clips = sys.argv[5:sep]
    extra = sys.argv[sep + 1:]
    os.makedirs(outdir, exist_ok=True)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    fails = 0
    for clip in clips:
        b = subprocess.run([cimvp] + extra + ["--firmware", fw, "--audio", clip, "--max-time", "30s"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
        h = subprocess.run(["/usr/bin/python3", os.path.join(REPO, "scripts", "kws_stream_ref.py"), model, clip,
                            "--cache", os.path.join(outdir, "fe-cache")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, timeout=300)
        name = os.path.basename(clip)
        if b.returncode != 0 or h.returncode != 0:
            print(b.stdout[-2000:] + h.stdout[-2000:])
            print("FAIL %s: board exited %d, host reference %d" % (name, b.returncode, h.returncode))
            fails += 1
            continue
        bd = re.findall(r"^DETECT .*$", b.stdout, re.M)
        hd = re.findall(r"^DETECT .*$", h.stdout, re.M)
        bs = dict(re.findall(r"(\w+)=(\S+)", (re.findall(r"^SUMMARY (.*)$", b.stdout, re.M) or [""])[0]))
        hs = dict(re.findall(r"(\w+)=(\S+)", (re.findall(r"^SUMMARY (.*)$", h.stdout, re.M) or [""])[0]))
        print("%s: board %s | host %s" % (name, "; ".join(bd) or "-", "; ".join(hd) or "-"))
        if bd != hd:
            print("FAIL %s: the DETECT lines differ (board %d, host %d)" % (name, len(bd), len(hd)))
            fails += 1
        for key in ("frames", "decisions"):
            if bs.get(key) != hs.get(key):
                print("FAIL %s: SUMMARY %s board %s, host %s" % (name, key, bs.get(key), hs.get(key)))
                fails += 1
        if bs.get("skipped") != "0":
            print("FAIL %s: the board skipped %s windows (the NPU build keeps up)" % (name, bs.get("skipped")))
            fails += 1
    print("PASS" if not fails else "FAIL: %d differences" % fails)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
