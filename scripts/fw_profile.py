#!/usr/bin/python3
"""Instructions per firmware function, from a retirement trace.

    build/platform/cimvp ... --firmware FW.elf --trace TRACE.txt
    /usr/bin/python3 scripts/fw_profile.py TRACE.txt FW.elf [--top 15]

Each trace line is one retired instruction (`order pc insn ...`, the header line starts with
'#'); its pc is attributed to the function symbol of FW.elf (riscv64-unknown-elf-nm) at or below
it. Prints the functions by instruction count with their share of the total. Exit 1 with a
message naming the file if the trace or the ELF cannot be read.
"""
import argparse
import bisect
import collections
import subprocess
import sys


def symbols(elf):
    try:
        out = subprocess.run(["riscv64-unknown-elf-nm", "-n", elf], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit("fw_profile: %s: cannot read its symbols (%s)" % (elf, getattr(e, "stderr", "") or e))
    syms = []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            syms.append((int(f[0], 16), f[2]))
    if not syms:
        sys.exit("fw_profile: %s: no function symbols" % elf)
    return sorted(syms)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trace")
    ap.add_argument("elf")
    ap.add_argument("--top", type=int, default=15)
    a = ap.parse_args()
    syms = symbols(a.elf)
    addrs = [s[0] for s in syms]
    per_pc = collections.Counter()
    try:
        with open(a.trace) as f:
            for n, line in enumerate(f, 1):
                if line.startswith("#"):
                    continue
                parts = line.split(None, 2)
                if len(parts) < 2:
                    sys.exit("fw_profile: %s line %d: not a trace line" % (a.trace, n))
                per_pc[parts[1]] += 1
    except OSError as e:
        sys.exit("fw_profile: %s: %s" % (a.trace, e))
    except UnicodeDecodeError:
        sys.exit("fw_profile: %s: not a text trace" % a.trace)
    per_fn = collections.Counter()
    try:
        for pc, c in per_pc.items():
            i = bisect.bisect_right(addrs, int(pc, 16)) - 1
            per_fn[syms[i][1] if i >= 0 else "?"] += c
    except ValueError:
        sys.exit("fw_profile: %s: a pc that is not hexadecimal" % a.trace)
    total = sum(per_fn.values())
    if not total:
        sys.exit("fw_profile: %s: no instructions" % a.trace)
    print("%d instructions retired (%s, %s)" % (total, a.trace, a.elf))
    for name, c in per_fn.most_common(a.top):
        print("%-32s %10d %6.2f %%" % (name, c, 100.0 * c / total))


if __name__ == "__main__":
    main()
