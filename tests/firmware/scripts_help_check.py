#!/usr/bin/python3
"""Every command-line script in scripts/ answers --help with its usage and exit 0.

A help string is formatted by argparse with %-substitution, so a literal "%" in it (kws_dataset.py's
"15 % of the renders" until 2026-12-05) raises TypeError only when --help is asked for: the one
time a user reads it. Usage: scripts_help_check.py SCRIPTS_DIR
"""
import os
import subprocess
import sys


def main():
    sdir = sys.argv[1]
    names = sorted(f for f in os.listdir(sdir) if f.endswith(".py"))
    cli = [f for f in names if "ArgumentParser" in open(os.path.join(sdir, f)).read()]
    if len(cli) < 10:
        print("FAIL: only %d scripts with a command line in %s" % (len(cli), sdir))
        return 1
    bad = []
    for f in cli:
        try:
            r = subprocess.run([sys.executable, os.path.join(sdir, f), "--help"], capture_output=True,
                               text=True, timeout=120)
        except subprocess.TimeoutExpired:
            bad.append("%s: --help did not answer in 120 s" % f)
            continue
        err = r.stderr.strip().splitlines()
        if r.returncode != 0:
            bad.append("%s: --help exit %d (%s)" % (f, r.returncode, err[-1] if err else "no message"))
        elif len(r.stdout.strip()) < 40:
            bad.append("%s: --help printed %d characters of usage" % (f, len(r.stdout.strip())))
    for b in bad:
        print("FAIL:", b)
    print("%d of %d scripts answer --help" % (len(cli) - len(bad), len(cli)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
