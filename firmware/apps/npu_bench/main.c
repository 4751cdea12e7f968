/* npu_bench: full-array MVMs for scripts/bench_npu.sh. Needs an image whose region (0,0) covers
 * the whole array (the script writes one). Runs one MVM alone (latency), then a chain of
 * NPU_BENCH_CHAIN identical MVMs with one interrupt while the core sleeps in wfi (the pipeline
 * overlaps them: steady-state throughput). Input in the NPU's input buffer, ReLU output in its
 * output buffer, so the numbers are the NPU's own, not the bus's.
 * Prints "npu_bench: rows=R cols=C single_cycles=A chain=N chain_cycles=B"; exit 0, or 1 on error. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "csr.h"
#include "irq.h"
#include "npu.h"
#include "../npu_test/npu_test_data.h"

#define NPU_BENCH_CHAIN 512u

static npu_desc_t descs[NPU_BENCH_CHAIN];
static volatile unsigned npu_irqs;
static volatile uint32_t irq_status, irq_errcode;

static void on_npu(unsigned source) {
    (void)source;
    const uint32_t st = NPU_REG(NPU_STATUS);
    if (!(st & (NPU_STATUS_DONE | NPU_STATUS_ERROR))) return;
    irq_status = st;
    irq_errcode = NPU_REG(NPU_ERRCODE); /* the ack clears it */
    npu_ack();
    npu_irqs++;
}

int main(void) {
    const uint32_t rows = NPU_REG(NPU_ROWS), cols = NPU_REG(NPU_COLS);
    const npu_test_layer_t l = {"bench", 0x7007u, (uint16_t)rows, (uint16_t)cols, 0, 0};
    for (uint32_t k = 0; k < rows; k++) NPU_IBUF[k] = npu_test_input(&l, 0, k);
    for (uint32_t n = 0; n < NPU_BENCH_CHAIN; n++) {
        npu_desc_t *d = &descs[n];
        memset(d, 0, sizeof *d);
        d->version = NPU_DESC_VERSION;
        d->act = NPU_ACT_RELU;
        d->shift = 14;
        d->in_addr = NPU_IBUF_ADDR;
        d->out_addr = NPU_OBUF_ADDR;
        d->row_cnt = (uint16_t)rows;
        d->col_cnt = (uint16_t)cols;
    }
    const uint32_t err = npu_run(descs, 1);
    const uint32_t single = npu_cycles();
    if (err != NPU_ERR_NONE) {
        printf("npu_bench: FAIL: NPU error %lu\n", (unsigned long)err);
        return 1;
    }
    irq_set_external_handler(CIMVP_IRQ_NPU, on_npu);
    irq_enable(MIE_MEIE);
    irq_global_disable();
    npu_start(descs, NPU_BENCH_CHAIN, 1);
    while (npu_irqs == 0) {
        cpu_wfi();
        irq_global_enable();
        irq_global_disable();
    }
    irq_global_enable();
    if (irq_status & NPU_STATUS_ERROR) {
        printf("npu_bench: FAIL: chain error %lu\n", (unsigned long)irq_errcode);
        return 1;
    }
    printf("npu_bench: rows=%lu cols=%lu single_cycles=%lu chain=%u chain_cycles=%lu\n", (unsigned long)rows,
           (unsigned long)cols, (unsigned long)single, NPU_BENCH_CHAIN, (unsigned long)npu_cycles());
    return 0;
}
