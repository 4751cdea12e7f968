/* fbank_bench.c - the golden front-end run on the RV32IMC core: prints each config's hash
 * (must equal test_golden.cpp's) and the cycles/instructions of init and per frame.
 * Not built by the test suite (it needs the firmware runtime); by hand, with the firmware
 * built into FW (for libcimvp_rt.a and gen/cimvp_memory.ld) and core_alone built:
 *   riscv64-unknown-elf-gcc -march=rv32imc -misa-spec=2.2 -mabi=ilp32 --specs=picolibc.specs \
 *     -O2 -I firmware/hal -I platform -I peripherals tests/frontend/rv32/fbank_bench.c \
 *     tests/frontend/golden_frames.c peripherals/fbank_math.c peripherals/mfcc_math.c \
 *     -nostartfiles -T firmware/link/cimvp.ld -L FW/gen -Wl,--undefined=_start \
 *     -Wl,--gc-sections FW/libcimvp_rt.a -o fbank_bench.elf
 *   core_alone fbank_bench.elf --max-cycles 2000000000
 */
#include <stdio.h>

#include "../golden_frames.h"
#include "simctrl.h"

static uint32_t c_mark[5], i_mark[5];
static uint32_t frame_cyc, frame_ins, dct_cyc, dct_ins, frames;

static uint32_t rd_cycle(void) {
  uint32_t v;
  __asm__ volatile("csrr %0, mcycle" : "=r"(v));
  return v;
}
static uint32_t rd_instret(void) {
  uint32_t v;
  __asm__ volatile("csrr %0, minstret" : "=r"(v));
  return v;
}

static void mark(int phase) {
  c_mark[phase] = rd_cycle();
  i_mark[phase] = rd_instret();
  if (phase == 4) {
    frame_cyc += c_mark[3] - c_mark[2];
    frame_ins += i_mark[3] - i_mark[2];
    dct_cyc += c_mark[4] - c_mark[3];
    dct_ins += i_mark[4] - i_mark[3];
    frames++;
  }
}

int main(void) {
  int cfg;
  for (cfg = 0; cfg < FE_GOLDEN_CONFIGS; cfg++) {
    uint32_t h;
    frame_cyc = frame_ins = dct_cyc = dct_ins = frames = 0;
    h = fe_golden_hash(cfg, mark);
    printf("config %d hash 0x%08lx: fbank_init %lu cycles; per frame fbank %lu cycles "
           "(%lu instr), mfcc_dct 40->13 %lu cycles (%lu instr)\n",
           cfg, (unsigned long)h, (unsigned long)(c_mark[1] - c_mark[0]),
           (unsigned long)(frame_cyc / frames), (unsigned long)(frame_ins / frames),
           (unsigned long)(dct_cyc / frames), (unsigned long)(dct_ins / frames));
  }
  simctrl_exit(0);
}
