#!/usr/bin/python3
"""The board's effective configuration as the simulator resolves it: `cimvp CONFIG... --dump-config`
(every key with its default, after the YAML files and --set overrides), flattened to
{"npu.converters.out_bound": "40", ...}. One parser for the scripts and tests that predict from a
config, so none reads YAML defaults of its own."""
import re
import subprocess


class ConfigError(RuntimeError):
    pass


def dump_config(cimvp, cfg_args):
    """cfg_args: cimvp's own options (--config F, --set K=V). Raises ConfigError with cimvp's message
    when it refuses them."""
    out = subprocess.run([cimvp, *cfg_args, "--dump-config"], capture_output=True, text=True)
    if out.returncode != 0:
        raise ConfigError("--dump-config failed: " + out.stdout + out.stderr)
    vals, stack = {}, []
    for line in out.stdout.splitlines():
        m = re.match(r"^( *)([A-Za-z0-9_]+):\s*(.*?)\s*(#.*)?$", line)
        if not m:
            continue
        depth = len(m.group(1)) // 2
        stack = stack[:depth] + [m.group(2)]
        if m.group(3):
            vals[".".join(stack)] = m.group(3).strip('"')
    return vals
