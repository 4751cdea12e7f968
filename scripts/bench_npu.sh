#!/usr/bin/env bash
# NPU benchmark (issue 4): a full-array (rows x cols of the config, 1792 x 896 by default) layer
# on the board, measured by firmware npu_bench (one MVM alone, then a 512-MVM chain) and the
# stats JSON, plus the crossbar model alone (cim_tile/bench_crossbar).
# Prints: simulated MVM latency and steady-state throughput; wall time per simulated MVM, ideal
# and with every non-ideality on (model alone, and whole board runs / MVMs including boot and
# image load); energy per MVM and TOPS/W with both energy tables.
#   scripts/bench_npu.sh            (after a build; CIMVP_BUILD_DIR overrides build/)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${CIMVP_BUILD_DIR:-build}
py=/usr/bin/python3
work=$B/bench_npu
mkdir -p "$work"

# A deterministic random full-array int8 layer as .npy, placed at (0,0).
$py - "$work/full.npy" <<'PY'
import random, sys
rows, cols = 1792, 896
hdr = "{'descr': '|i1', 'fortran_order': False, 'shape': (%d, %d), }" % (rows, cols)
hdr += " " * ((64 - (10 + len(hdr) + 1) % 64) % 64) + "\n"
with open(sys.argv[1], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + len(hdr).to_bytes(2, "little") + hdr.encode())
    f.write(random.Random(1).randbytes(rows * cols))
PY
"$B/cim_tile/npu_image_tool" -o "$work/full.img" "$work/full.npy@0,0" > /dev/null

ALL_ON=(--set npu.converters.inp_res_bits=7 --set npu.converters.out_res_bits=10 --set npu.converters.out_bound=150
        --set npu.converters.out_noise=0.05 --set npu.noise.prog_noise_lsb=2 --set npu.noise.prog_noise_frac=0.002
        --set npu.noise.d2d_variation=0.02 --set npu.noise.stuck_at_rate=0.001 --set npu.noise.w_noise=0.005
        --set npu.noise.drift_nu=0.05 --set npu.noise.ir_drop=0.05)

board() {  # name, config args...
  local name=$1; shift
  $py - "$name" "$work/$name.json" "$B/platform/cimvp" --config configs/default.yaml "$@" --npu-image "$work/full.img" \
      --firmware "$B/firmware/npu_bench.elf" --stats "$work/$name.json" --max-time 1s <<'PY'
import json, re, resource, subprocess, sys
name, js, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
# CPU time of the child as well as wall time: on a shared machine the wall clock overstates.
r = subprocess.run(cmd, capture_output=True, text=True)
cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu_s = cpu.ru_utime + cpu.ru_stime
t = r.stdout + r.stderr
if r.returncode != 0:
    sys.exit(t + f"\nbench_npu: board run '{name}' failed")
s = json.load(open(js))
m = re.search(r"rows=(\d+) cols=(\d+) single_cycles=(\d+) chain=(\d+) chain_cycles=(\d+)", t)
rows, cols, single, chain, chain_cyc = map(int, m.groups())
ns = 1e9 / s["clock_hz"]
n = s["npu"]; e = s["energy_pj"]
mvms = chain + 1
lat = single * ns
per = (chain_cyc - single) * ns / (chain - 1)
print(f"{name:10s} {rows}x{cols}: latency {lat/1e3:7.2f} us, pipelined {per/1e3:7.2f} us/MVM = "
      f"{2*rows*cols/per:6.1f} GOPS | per MVM (whole run / {mvms}): wall {s['wall_time_s']*1e3/mvms:6.2f} ms, "
      f"CPU {cpu_s*1e3/mvms:6.2f} ms | "
      f"NPU energy {e['npu']/mvms/1e3:6.2f} nJ/MVM, {n['pj_per_mac']*1e3:6.2f} fJ/MAC, {n['tops_per_w']:6.1f} TOPS/W "
      f"(adc {e['adc']/mvms/1e3:.2f}, array {e['array']/mvms/1e3:.2f}, dac {e['dac']/mvms/1e3:.2f}, "
      f"post {e['post']/mvms/1e3:.2f}, buffer {e['buffer']/mvms/1e3:.2f} nJ)")
PY
}

echo "== board (firmware npu_bench: 1 MVM, then a chain of 512; input/output in the NPU buffers)"
board ideal --config configs/ideal.yaml
board all-on "${ALL_ON[@]}"
board murmann --config configs/energy-murmann.yaml
board neurosim --config configs/energy-neurosim.yaml
echo "== crossbar model alone (cim_tile/bench_crossbar, one core, median)"
"$B/cim_tile/bench_crossbar" "${BENCH_SECONDS:-0.5}"
