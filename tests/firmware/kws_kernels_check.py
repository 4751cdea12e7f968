#!/usr/bin/python3
"""kws_kernels (kws_train.py pins its float kernels): the same bits on any x86-64 CPU with AVX2.

    /usr/bin/python3 tests/firmware/kws_kernels_check.py SCRIPTS_DIR

- pin() sets OPENBLAS_CORETYPE=Haswell, ATEN_CPU_CAPABILITY=avx2 and ONEDNN_MAX_CPU_ISA=AVX2 where
  the CPU has AVX2 and FMA, leaves a variable the user set, does nothing without AVX2, and refuses
  once numpy is loaded (the setting would be ignored);
- kws_train.py, run as a program, reports those kernels in its process (describe());
- under the pin, the LSTM's products and gates (a 128 x 168 batch by the 168 x 512 gate matrix,
  sigmoid and tanh of the result) on inputs from numpy's portable generator give the digests
  recorded below. They were recorded on an Intel Xeon (AVX-512) under the pin, where
  OPENBLAS_CORETYPE=Zen (an AMD EPYC's own choice) gives them too, and the quick recipe's files
  made on an EPYC repeated under the pin; so a machine of another kind must match them. Where the CPU runs AVX-512, the products under OpenBLAS's SkylakeX kernels
  must differ, which shows the digest sees a change of kernels.
Exit 1 naming what differed.
"""
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, sys.argv[1])
import kws_kernels  # noqa: E402

RECORDED = {"gemm": "0d7bc0ba034ee135", "gates": "945ab40e935eb25d"}   # 2026-12-06, Intel Xeon, pinned; Zen equal
PROBE = r"""
import hashlib, json, os, sys
sys.path.insert(0, %r)
import kws_kernels
if os.environ.get("PIN") == "1":
    kws_kernels.pin()
import numpy as np
import torch
rng = np.random.default_rng(20261206)
x = torch.from_numpy(rng.standard_normal((128, 168), dtype=np.float32))
w = torch.from_numpy(rng.standard_normal((168, 512), dtype=np.float32) / 8)
y = x @ w
g = torch.cat([torch.sigmoid(y[:, :384]), torch.tanh(y[:, 384:])], 1)
d = lambda t: hashlib.sha256(t.numpy().tobytes()).hexdigest()[:16]
print(json.dumps({"gemm": d(y), "gates": d(g), "kernels": kws_kernels.describe()}))
"""

failures = []


def probe(env_extra, pin):
    env = {k: v for k, v in os.environ.items() if k not in kws_kernels.PIN}
    env.update(env_extra, OPENBLAS_NUM_THREADS="1", PIN="1" if pin else "0")
    r = subprocess.run([sys.executable, "-c", PROBE % sys.argv[1]], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("probe failed (exit %d):\n%s" % (r.returncode, r.stderr))
    return json.loads(r.stdout)


# pin() on its own: what it sets, what it leaves
env = {}
got = kws_kernels.pin(env, {"avx2", "fma", "sse2"})
if env != kws_kernels.PIN or got != kws_kernels.PIN:
    failures.append("pin() on an AVX2+FMA CPU set %r, want %r" % (env, kws_kernels.PIN))
env = {"OPENBLAS_CORETYPE": "SkylakeX"}
kws_kernels.pin(env, {"avx2", "fma"})
if env["OPENBLAS_CORETYPE"] != "SkylakeX" or env.get("ATEN_CPU_CAPABILITY") != "avx2":
    failures.append("pin() with OPENBLAS_CORETYPE=SkylakeX set gave %r (the user's choice must stay)" % env)
env = {}
if kws_kernels.pin(env, {"sse2", "avx"}) or env:
    failures.append("pin() on a CPU without AVX2 set %r (its kernels would not run there)" % env)
import numpy  # noqa: E402,F401
try:
    kws_kernels.pin()
    failures.append("pin() after numpy was imported did not refuse")
except RuntimeError as e:
    if "numpy" not in str(e):
        failures.append("pin() after numpy: %s (does not name numpy)" % e)

flags = kws_kernels.cpu_flags()
if not all(f in flags for f in kws_kernels.NEEDS):
    print("kws_kernels: this CPU has no AVX2+FMA: the pinned kernels are not checked")
else:
    # kws_train.py run as a program pins (its first lines, before numpy)
    r = subprocess.run([sys.executable, "-c", "import runpy, sys; sys.argv = ['kws_train.py', '--help']; "
                        "sys.path.insert(0, %r); " % sys.argv[1] +
                        "import kws_kernels; import atexit; "
                        "atexit.register(lambda: print('KERNELS', __import__('json').dumps(kws_kernels.describe()))); "
                        "runpy.run_path(%r, run_name='__main__')" % os.path.join(sys.argv[1], "kws_train.py")],
                       env={k: v for k, v in os.environ.items() if k not in kws_kernels.PIN},
                       capture_output=True, text=True)
    line = [ln for ln in r.stdout.splitlines() if ln.startswith("KERNELS ")]
    k = json.loads(line[0][8:]) if line else None
    if not k or k["openblas"] != "Haswell" or k["aten"] != "AVX2" or k["onednn_max_isa"] != "AVX2":
        failures.append("kws_train.py as a program runs on %r, want Haswell / AVX2 / AVX2 (exit %d, %s)"
                        % (k, r.returncode, r.stderr.strip()[-300:]))
    pinned = probe({}, True)
    if pinned["kernels"]["openblas"] != "Haswell":
        failures.append("the probe under the pin ran OpenBLAS %s" % pinned["kernels"]["openblas"])
    for key in ("gemm", "gates"):
        if pinned[key] != RECORDED[key]:
            failures.append("%s digest under the pin: %s, recorded %s (the kernels' bits changed on %s)"
                            % (key, pinned[key], RECORDED[key], pinned["kernels"]))
    if "avx512f" in flags:
        sk = probe({"OPENBLAS_CORETYPE": "SkylakeX"}, True)
        if sk["gemm"] == pinned["gemm"]:
            failures.append("the SkylakeX kernels gave the pinned product's digest %s: the check cannot see a "
                            "change of kernels" % sk["gemm"])
        else:
            print("SkylakeX kernels: product digest %s, pinned %s (differ, as they should)" % (sk["gemm"], pinned["gemm"]))
    print("pinned:", pinned)

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("kws_kernels: ok")
