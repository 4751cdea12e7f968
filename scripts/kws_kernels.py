"""The float kernels a training runs on, pinned so that its bits do not depend on the CPU.

Debian's OpenBLAS (a DYNAMIC_ARCH build) picks its GEMM kernels by CPU: SkylakeX/Cooperlake on an
AVX-512 Intel Xeon, Haswell/Zen on an AMD EPYC. Their products of the same matrices differ in the
last bits, and over a training the float sums drift apart: the quick recipe's LSTM repeated byte for
byte on the AMD machines but a chain LSTM made on another machine kind did not (docs/kws.md
"Training speed", "Kernels pinned"). torch's own vector kernels (ATen: tanh, sigmoid, exp) and
oneDNN also dispatch on the CPU. pin() asks all three for their AVX2 kernels, which any x86-64 CPU
with AVX2 and FMA runs, so a training repeats across machine kinds. It must run before numpy or
torch is loaded (OpenBLAS reads its setting when it is loaded); a variable already set in the
environment is left as it is, so `OPENBLAS_CORETYPE=SkylakeX kws_train.py ...` still chooses.

    import kws_kernels; kws_kernels.pin()    # first, before numpy
    ...
    report["kernels"] = kws_kernels.describe()
"""
import os
import re
import sys

# Haswell's kernels are the ones OpenBLAS gives an AMD Zen (equal bits, docs/kws.md "Kernels pinned")
PIN = {"OPENBLAS_CORETYPE": "Haswell", "ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}
NEEDS = ("avx2", "fma")   # what the pinned kernels execute


def cpu_flags(cpuinfo="/proc/cpuinfo"):
    """The CPU's feature flags (an empty set where /proc/cpuinfo has none, e.g. not x86)."""
    try:
        with open(cpuinfo) as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def pin(environ=None, flags=None):
    """Set PIN's variables that are not already set, if the CPU can run the AVX2 kernels.
    Returns the variables this call set. Refuses to run once numpy or torch is loaded: the
    setting would then be ignored without a word."""
    loaded = [m for m in ("numpy", "torch") if m in sys.modules]
    if environ is None and loaded:
        raise RuntimeError("kws_kernels.pin() after %s was imported: OpenBLAS has already chosen its kernels"
                           % " and ".join(loaded))
    environ = os.environ if environ is None else environ
    flags = cpu_flags() if flags is None else flags
    if not all(f in flags for f in NEEDS):
        return {}
    done = {}
    for key, value in PIN.items():
        if key not in environ:
            environ[key] = value
            done[key] = value
    return done


def openblas_core():
    """The core type of the OpenBLAS this process loaded (None if it has loaded none)."""
    import ctypes
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if re.search(r"/libopenblas[^/]*\.so", line)})
    except OSError:
        return None
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
        except (OSError, AttributeError):
            continue
    return None


def aten_capability():
    """torch's CPU capability ("AVX2", "AVX512", "NO AVX"), as torch reports it."""
    import torch
    m = re.search(r"CPU capability usage: ([^\n]+)", torch.__config__.show())
    return m.group(1).strip() if m else None


def describe():
    """The kernels in use, for a training's report."""
    return {"openblas": openblas_core(), "aten": aten_capability(),
            "onednn_max_isa": os.environ.get("ONEDNN_MAX_CPU_ISA")}
