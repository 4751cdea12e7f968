#!/usr/bin/python3
"""Co-verification of the board's clip classification with the host integer model.

    kws_coverify.py CIMVP MODEL_DIR FW_NPU_CLIP FW_CPU_CLIP IMAGE CLIP.wav OUTDIR -- CIMVP_ARGS...

Cuts the first 3 whole seconds of CLIP.wav, and for each: runs the NPU clip build (CIMVP_ARGS, e.g.
the board with the ideal preset) and the CPU-only clip build, and scripts/kws_host_ref.py
(the firmware's front-end in C through ctypes + kws_int.int_infer in numpy). The three must
print the same LOGITS line (int8, bit-exact) and the same RESULT label. Exit 0 if they do.
"""
import os
import re
import subprocess
import sys
import wave

MAX_SECONDS = 3  # keeps the test well under a minute (the CPU-only TDNN is slow to simulate)
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    return p.returncode, p.stdout


def parse(out):
    lg = re.search(r"^LOGITS (.*)$", out, re.M)
    rs = re.search(r"^RESULT (\S+) ", out, re.M)
    return (lg.group(1).split() if lg else None), (rs.group(1) if rs else None)


def main():
    sep = sys.argv.index("--")
    cimvp, model, fw_npu, fw_cpu, image, clip, outdir = sys.argv[1:sep]
    extra = sys.argv[sep + 1:]
    os.makedirs(outdir, exist_ok=True)
    with wave.open(clip) as w:
        frames = w.readframes(w.getnframes())
    fails = 0
    parts = []
    for k in range(min(MAX_SECONDS, len(frames) // 32000)):
        part = os.path.join(outdir, "second%d.wav" % k)
        with wave.open(part, "wb") as o:
            o.setnchannels(1)
            o.setsampwidth(2)
            o.setframerate(16000)
            o.writeframes(frames[k * 32000:(k + 1) * 32000])
        parts.append(part)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    p = subprocess.run(["/usr/bin/python3", os.path.join(REPO, "scripts", "kws_host_ref.py"), model] + parts +
                       ["--cache", os.path.join(outdir, "fe-cache")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, timeout=300)
    hosts = [parse(chunk) for chunk in p.stdout.split("CLIP ")[1:]]
    if len(hosts) != len(parts):
        print(p.stdout[-3000:])
        print("FAIL: the host reference did not answer for every clip")
        return 1
    for k, (part, host) in enumerate(zip(parts, hosts)):
        got = {}
        for name, fw in (("npu", fw_npu), ("cpu", fw_cpu)):
            code, out = run([cimvp] + extra + ["--firmware", fw, "--npu-image", image, "--audio", part,
                                               "--max-time", "5s"])
            got[name] = parse(out)
            if code != 0:
                print(out[-2000:])
                print("FAIL: second %d: %s build exited %d" % (k, name, code))
                fails += 1
        print("second %d: host %s %s | npu %s %s | cpu %s %s" % (
            k, host[1], " ".join(host[0] or []), got["npu"][1], " ".join(got["npu"][0] or []), got["cpu"][1],
            " ".join(got["cpu"][0] or [])))
        if host[0] is None or got["npu"] != host or got["cpu"] != host:
            print("FAIL: second %d: the board's logits differ from the host integer model" % k)
            fails += 1
    print("kws_coverify: %s" % ("PASS" if not fails else "FAIL (%d)" % fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
