/* npu_test: the NPU driver end to end, every result checked bit-exactly against the firmware's
 * own CPU computation of the same layer (npu_cpu_ref.h). Needs an ideal NPU config
 * (configs/ideal.yaml) and the test image (--npu-image, made by tests/firmware/npu_prepare.sh
 * from npu_test_data.h: layers BIG, C1, C2, C3).
 *
 *  a. slow path: a 40x24 layer programmed weight by weight through the registers, read back,
 *     then run parallel/ReLU/bias into the NPU buffers, bit-serial/ACC32 into SRAM and
 *     identity (saturating) without bias;
 *  b. a chain of three descriptors C1 -> C2 -> C3 (NPU buffer and SRAM hand-offs) with one
 *     interrupt, the core sleeping in wfi until it arrives;
 *  c. the 1024x512 layer preloaded from the image: placement spot-checked by read-back, then
 *     ACC32 with bias (SRAM in/out) and ReLU (act8 into the output buffer);
 *  d. error paths: bad version, region outside the array mid-chain, output address in the
 *     register block, input on an unmapped bus address, a reserved field, count 0, a weight
 *     address outside the array; each sets STATUS.ERROR with the right ERRCODE/ERRINDEX/ERRADDR
 *     and raises the interrupt; a good layer still runs afterwards.
 * Exit code: 0 pass, else 1..4 = the first failing part (a..d); every mismatch is printed. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "csr.h"
#include "irq.h"
#include "npu.h"
#include "npu_cpu_ref.h"
#include "npu_test_data.h"
#include "simctrl.h"
#include "timer.h"

static int first_failed_part;
static unsigned failures;
static char part_name = '?';

static void fail_here(void) {
    failures++;
    if (!first_failed_part) first_failed_part = part_name - 'a' + 1;
}
#define FAIL(...)                                   \
    do {                                            \
        printf("npu_test: FAIL (part %c): ", part_name); \
        printf(__VA_ARGS__);                        \
        printf("\n");                               \
        fail_here();                                \
    } while (0)

/* ---- interrupt: one NPU interrupt per chain ---------------------------------------------- */
static volatile unsigned npu_irqs, timeouts;
static volatile uint32_t irq_status, irq_errcode, irq_errindex, irq_erraddr, irq_desc_done;

static void on_npu(unsigned source) {
    (void)source;
    const uint32_t st = NPU_REG(NPU_STATUS);
    if (!(st & (NPU_STATUS_DONE | NPU_STATUS_ERROR))) return; /* re-entry after the ack */
    irq_status = st;
    irq_errcode = NPU_REG(NPU_ERRCODE);
    irq_errindex = NPU_REG(NPU_ERRINDEX);
    irq_erraddr = NPU_REG(NPU_ERRADDR);
    irq_desc_done = NPU_REG(NPU_DESC_DONE);
    npu_ack();
    npu_irqs++;
}

static void on_timer(void) { /* watchdog: a lost interrupt must not hang the test in wfi */
    timer_disable_cmp();
    timeouts++;
}

/* Sleeps in wfi until the NPU interrupt count reaches `want` or 50 ms of mtime pass. Interrupts
 * are masked around the check-then-sleep so a wake-up cannot be lost. Returns 1 on the irq. */
static int wait_npu_irq(unsigned want) {
    const unsigned t0 = timeouts;
    timer_set_cmp(timer_now() + timer_us_to_ticks(50000));
    irq_global_disable();
    while (npu_irqs < want && timeouts == t0) {
        cpu_wfi();
        irq_global_enable();
        irq_global_disable();
    }
    irq_global_enable();
    timer_disable_cmp();
    return npu_irqs >= want;
}

/* ---- data ------------------------------------------------------------------------------ */
static const npu_test_layer_t *const L_BIG = &npu_test_layers[NPU_T_BIG];
static const npu_test_layer_t *const L_C1 = &npu_test_layers[NPU_T_C1];
static const npu_test_layer_t *const L_C2 = &npu_test_layers[NPU_T_C2];
static const npu_test_layer_t *const L_C3 = &npu_test_layers[NPU_T_C3];
static const npu_test_layer_t *const L_SLOW = &npu_test_layers[NPU_T_SLOW];

static npu_desc_t descs[4];
static uint8_t x_sram[1024];
static int32_t bias_sram[896];
static int32_t out_sram[896];
static uint8_t mid_sram[64];
static int64_t acc_ref[896];
static uint8_t x_tmp[96], y_tmp1[64], y_tmp2[48];

static npu_desc_t make_desc(const npu_test_layer_t *l, uint32_t in, uint32_t out, const int32_t *bias, unsigned act,
                            unsigned shift, unsigned out_format, unsigned encoding) {
    npu_desc_t d;
    memset(&d, 0, sizeof d);
    d.version = NPU_DESC_VERSION;
    d.act = (uint8_t)act;
    d.shift = (uint8_t)shift;
    d.encoding = (uint8_t)encoding;
    d.out_format = (uint8_t)out_format;
    d.flags = bias ? NPU_FLAG_BIAS : 0;
    d.in_addr = in;
    d.out_addr = out;
    d.bias_addr = (uint32_t)(uintptr_t)bias;
    d.row_off = l->row_off;
    d.row_cnt = l->rows;
    d.col_off = l->col_off;
    d.col_cnt = l->cols;
    return d;
}

/* Compares act8 outputs at `out` (bytes) or ACC32 outputs (int32) with the CPU's acc_ref. */
static void check_outputs(const char *what, const npu_test_layer_t *l, const volatile void *out, unsigned act,
                          unsigned shift, unsigned out_format) {
    unsigned bad = 0;
    for (uint32_t j = 0; j < l->cols; j++) {
        int32_t got, want;
        if (out_format == NPU_OUT_ACC32) {
            got = ((const volatile int32_t *)out)[j];
            want = ref_acc32(acc_ref[j]);
        } else {
            const uint8_t b = ((const volatile uint8_t *)out)[j];
            got = act == NPU_ACT_RELU ? (int32_t)b : (int32_t)(int8_t)b;
            want = ref_activation(ref_shift_round(acc_ref[j], shift), act);
        }
        if (got != want) {
            if (bad < 5)
                FAIL("%s: layer %s column %lu: NPU %ld, CPU reference %ld (acc %lld)", what, l->name, (unsigned long)j,
                     (long)got, (long)want, (long long)acc_ref[j]);
            bad++;
        }
    }
    if (bad) FAIL("%s: %u of %u outputs differ", what, bad, (unsigned)l->cols);
    else printf("npu_test: %s: %u outputs bit-exact\n", what, (unsigned)l->cols);
}

static void run_polled(const npu_desc_t *d, uint32_t n, const char *what) {
    const uint32_t err = npu_run(d, n);
    if (err != NPU_ERR_NONE)
        FAIL("%s: NPU error %lu at descriptor %lu", what, (unsigned long)err, (unsigned long)NPU_REG(NPU_ERRINDEX));
}

/* ---- a. slow path ------------------------------------------------------------------------ */
static void part_a(void) {
    part_name = 'a';
    const npu_test_layer_t *l = L_SLOW;
    const uint64_t t0 = simctrl_time_ns();
    for (uint32_t i = 0; i < l->rows; i++)
        for (uint32_t j = 0; j < l->cols; j++) {
            const uint32_t e = npu_write_weight(l->row_off + i, l->col_off + j, npu_test_weight(l, i, j));
            if (e != NPU_ERR_NONE) {
                FAIL("write of weight (%lu, %lu) failed with error %lu", (unsigned long)i, (unsigned long)j,
                     (unsigned long)e);
                npu_ack();
                return;
            }
        }
    while (NPU_REG(NPU_STATUS) & NPU_STATUS_WBUSY) {
    }
    const uint64_t t1 = simctrl_time_ns();
    printf("npu_test: a: programmed %u weights through the registers in %llu us simulated\n",
           (unsigned)(l->rows * l->cols), (unsigned long long)((t1 - t0) / 1000));
    unsigned bad = 0;
    for (uint32_t i = 0; i < l->rows; i++)
        for (uint32_t j = 0; j < l->cols; j++) {
            const int8_t got = npu_read_weight(l->row_off + i, l->col_off + j), want = npu_test_weight(l, i, j);
            if (got != want && bad++ < 3)
                FAIL("read-back of weight (%lu, %lu): %d, written %d", (unsigned long)i, (unsigned long)j, got, want);
        }

    /* Run 1: parallel, bias, ReLU, input and output in the NPU's own buffers. */
    for (uint32_t k = 0; k < l->rows; k++) NPU_IBUF[k] = npu_test_input(l, 0, k);
    for (uint32_t j = 0; j < l->cols; j++) bias_sram[j] = npu_test_bias(l, j, 16);
    for (uint32_t k = 0; k < l->rows; k++) x_tmp[k] = npu_test_input(l, 0, k);
    ref_accumulate(l, x_tmp, bias_sram, acc_ref);
    descs[0] = make_desc(l, NPU_IBUF_ADDR, NPU_OBUF_ADDR, bias_sram, NPU_ACT_RELU, 9, NPU_OUT_ACT8, NPU_ENC_PARALLEL);
    run_polled(descs, 1, "a: relu");
    check_outputs("a: parallel relu+bias -> OBUF", l, NPU_OBUF, NPU_ACT_RELU, 9, NPU_OUT_ACT8);

    /* Run 2: bit-serial input, raw int32 accumulators into SRAM (same input and bias). */
    descs[0] = make_desc(l, NPU_IBUF_ADDR, (uint32_t)(uintptr_t)out_sram, bias_sram, NPU_ACT_IDENTITY, 0, NPU_OUT_ACC32,
                         NPU_ENC_BIT_SERIAL);
    run_polled(descs, 1, "a: acc32");
    check_outputs("a: bit-serial acc32 -> SRAM", l, out_sram, 0, 0, NPU_OUT_ACC32);

    /* Run 3: identity without bias, a small shift so many outputs saturate at -128 / 127. */
    for (uint32_t k = 0; k < l->rows; k++) x_sram[k] = x_tmp[k] = npu_test_input(l, 1, k);
    ref_accumulate(l, x_tmp, 0, acc_ref);
    descs[0] = make_desc(l, (uint32_t)(uintptr_t)x_sram, (uint32_t)(uintptr_t)mid_sram, 0, NPU_ACT_IDENTITY, 7,
                         NPU_OUT_ACT8, NPU_ENC_PARALLEL);
    run_polled(descs, 1, "a: identity");
    check_outputs("a: identity saturating, SRAM -> SRAM", l, mid_sram, NPU_ACT_IDENTITY, 7, NPU_OUT_ACT8);
}

/* ---- b. chain with one interrupt --------------------------------------------------------- */
static void part_b(void) {
    part_name = 'b';
    static int32_t b1[64], b2[48];
    for (uint32_t k = 0; k < L_C1->rows; k++) x_sram[k] = npu_test_input(L_C1, 0, k);
    for (uint32_t j = 0; j < L_C1->cols; j++) b1[j] = npu_test_bias(L_C1, j, 18);
    for (uint32_t j = 0; j < L_C2->cols; j++) b2[j] = npu_test_bias(L_C2, j, 18);
    const uint32_t mid1 = NPU_IBUF_ADDR + 0x400u; /* C1's output stays in the NPU for C2 */
    descs[0] = make_desc(L_C1, (uint32_t)(uintptr_t)x_sram, mid1, b1, NPU_ACT_RELU, 10, NPU_OUT_ACT8, NPU_ENC_PARALLEL);
    descs[1] = make_desc(L_C2, mid1, (uint32_t)(uintptr_t)mid_sram, b2, NPU_ACT_RELU, 9, NPU_OUT_ACT8, NPU_ENC_PARALLEL);
    descs[2] = make_desc(L_C3, (uint32_t)(uintptr_t)mid_sram, NPU_OBUF_ADDR, 0, NPU_ACT_IDENTITY, 9, NPU_OUT_ACT8,
                         NPU_ENC_PARALLEL);
    const unsigned before = npu_irqs;
    npu_start(descs, 3, 1);
    const int got_irq = wait_npu_irq(before + 1);
    if (!got_irq) {
        FAIL("no NPU interrupt within 50 ms (STATUS 0x%lx)", (unsigned long)NPU_REG(NPU_STATUS));
        npu_reset();
        return;
    }
    printf("npu_test: b: 3-descriptor chain, 1 interrupt (woke from wfi), %lu NPU cycles\n",
           (unsigned long)npu_cycles());
    if (npu_irqs != before + 1) FAIL("%u interrupts for one chain", npu_irqs - before);
    if (!(irq_status & NPU_STATUS_DONE) || (irq_status & NPU_STATUS_ERROR))
        FAIL("chain status 0x%lx (error %lu)", (unsigned long)irq_status, (unsigned long)irq_errcode);
    if (irq_desc_done != 3) FAIL("DESC_DONE %lu, expected 3", (unsigned long)irq_desc_done);

    /* The CPU runs the same chain, each layer on its own reference outputs. */
    for (uint32_t k = 0; k < L_C1->rows; k++) x_tmp[k] = x_sram[k];
    ref_accumulate(L_C1, x_tmp, b1, acc_ref);
    check_outputs("b: C1 -> IBUF", L_C1, NPU_IBUF + 0x400, NPU_ACT_RELU, 10, NPU_OUT_ACT8);
    for (uint32_t j = 0; j < L_C1->cols; j++) y_tmp1[j] = (uint8_t)ref_activation(ref_shift_round(acc_ref[j], 10), NPU_ACT_RELU);
    ref_accumulate(L_C2, y_tmp1, b2, acc_ref);
    check_outputs("b: C2 IBUF -> SRAM", L_C2, mid_sram, NPU_ACT_RELU, 9, NPU_OUT_ACT8);
    for (uint32_t j = 0; j < L_C2->cols; j++) y_tmp2[j] = (uint8_t)ref_activation(ref_shift_round(acc_ref[j], 9), NPU_ACT_RELU);
    ref_accumulate(L_C3, y_tmp2, 0, acc_ref);
    check_outputs("b: C3 SRAM -> OBUF", L_C3, NPU_OBUF, NPU_ACT_IDENTITY, 9, NPU_OUT_ACT8);
}

/* ---- c. the image-preloaded large layer -------------------------------------------------- */
static int image_matches(void) {
    /* Corners and a few inner points of every image layer, through the read-back command: a
     * missing or different image is named here instead of as thousands of output mismatches. */
    int ok = 1;
    for (unsigned n = 0; n < NPU_T_IMAGE_LAYERS; n++) {
        const npu_test_layer_t *l = &npu_test_layers[n];
        const uint32_t pts[6][2] = {{0, 0},
                                    {0, l->cols - 1u},
                                    {l->rows - 1u, 0},
                                    {l->rows - 1u, l->cols - 1u},
                                    {l->rows / 2u, l->cols / 3u},
                                    {l->rows / 3u, l->cols / 2u}};
        for (unsigned p = 0; p < 6; p++) {
            const int8_t got = npu_read_weight(l->row_off + pts[p][0], l->col_off + pts[p][1]);
            const int8_t want = npu_test_weight(l, pts[p][0], pts[p][1]);
            if (got != want) {
                FAIL("image layer %s weight (%lu, %lu) at array (%lu, %lu) is %d, expected %d: was --npu-image "
                     "made by tests/firmware/npu_prepare.sh?",
                     l->name, (unsigned long)pts[p][0], (unsigned long)pts[p][1],
                     (unsigned long)(l->row_off + pts[p][0]), (unsigned long)(l->col_off + pts[p][1]), got, want);
                ok = 0;
                break;
            }
        }
    }
    return ok;
}

static void part_c(void) {
    part_name = 'c';
    if (!image_matches()) return;
    const npu_test_layer_t *l = L_BIG;
    for (uint32_t k = 0; k < l->rows; k++) x_sram[k] = npu_test_input(l, 0, k);
    for (uint32_t j = 0; j < l->cols; j++) bias_sram[j] = npu_test_bias(l, j, 20);
    const uint64_t c0 = csr_cycle64();
    ref_accumulate(l, x_sram, bias_sram, acc_ref);
    const uint64_t c1 = csr_cycle64();
    descs[0] = make_desc(l, (uint32_t)(uintptr_t)x_sram, (uint32_t)(uintptr_t)out_sram, bias_sram, NPU_ACT_IDENTITY, 0,
                         NPU_OUT_ACC32, NPU_ENC_PARALLEL);
    run_polled(descs, 1, "c: acc32");
    const uint32_t cyc = npu_cycles();
    printf("npu_test: c: %ux%u layer: NPU %lu cycles, CPU reference %llu cycles\n", (unsigned)l->rows,
           (unsigned)l->cols, (unsigned long)cyc, (unsigned long long)(c1 - c0));
    check_outputs("c: big acc32+bias SRAM -> SRAM", l, out_sram, 0, 0, NPU_OUT_ACC32);
    descs[0] = make_desc(l, (uint32_t)(uintptr_t)x_sram, NPU_OBUF_ADDR, bias_sram, NPU_ACT_RELU, 13, NPU_OUT_ACT8,
                         NPU_ENC_PARALLEL);
    run_polled(descs, 1, "c: relu");
    check_outputs("c: big relu SRAM -> OBUF", l, NPU_OBUF, NPU_ACT_RELU, 13, NPU_OUT_ACT8);
}

/* ---- d. error paths ---------------------------------------------------------------------- */
static void expect_error(const char *what, uint32_t count, uint32_t code, uint32_t index, uint32_t addr,
                         uint32_t done) {
    const unsigned before = npu_irqs;
    npu_start(descs, count, 1);
    if (!wait_npu_irq(before + 1)) {
        FAIL("%s: no interrupt (STATUS 0x%lx)", what, (unsigned long)NPU_REG(NPU_STATUS));
        npu_reset();
        return;
    }
    if (!(irq_status & NPU_STATUS_ERROR) || (irq_status & NPU_STATUS_DONE))
        FAIL("%s: STATUS 0x%lx, expected ERROR only", what, (unsigned long)irq_status);
    if (irq_errcode != code) FAIL("%s: ERRCODE %lu, expected %lu", what, (unsigned long)irq_errcode, (unsigned long)code);
    if (irq_errindex != index)
        FAIL("%s: ERRINDEX %lu, expected %lu", what, (unsigned long)irq_errindex, (unsigned long)index);
    if (irq_erraddr != addr)
        FAIL("%s: ERRADDR 0x%lx, expected 0x%lx", what, (unsigned long)irq_erraddr, (unsigned long)addr);
    if (irq_desc_done != done)
        FAIL("%s: DESC_DONE %lu, expected %lu", what, (unsigned long)irq_desc_done, (unsigned long)done);
    if (NPU_REG(NPU_STATUS) & (NPU_STATUS_ERROR | NPU_STATUS_DONE)) FAIL("%s: ERROR not cleared by the ack", what);
    printf("npu_test: d: %s -> interrupt, ERRCODE %lu, index %lu, addr 0x%lx\n", what, (unsigned long)irq_errcode,
           (unsigned long)irq_errindex, (unsigned long)irq_erraddr);
}

static void part_d(void) {
    part_name = 'd';
    const npu_test_layer_t *l = L_SLOW;
    const uint32_t d0 = (uint32_t)(uintptr_t)&descs[0], d1 = (uint32_t)(uintptr_t)&descs[1];
    for (uint32_t k = 0; k < l->rows; k++) x_sram[k] = x_tmp[k] = npu_test_input(l, 2, k);
    const npu_desc_t good =
        make_desc(l, (uint32_t)(uintptr_t)x_sram, (uint32_t)(uintptr_t)out_sram, 0, 0, 0, NPU_OUT_ACC32, NPU_ENC_PARALLEL);

    descs[0] = good;
    descs[0].version = 7;
    expect_error("bad descriptor version", 1, NPU_ERR_DESC_VERSION, 0, d0, 0);

    /* The first descriptor completes, the second (rows past the array's end) fails. */
    memset(out_sram, 0x5a, sizeof out_sram);
    descs[0] = good;
    descs[1] = good;
    descs[1].row_off = (uint16_t)(NPU_REG(NPU_ROWS) - 8u);
    expect_error("region outside the array (2nd of 2)", 2, NPU_ERR_ARRAY_RANGE, 1, d1, 1);
    ref_accumulate(l, x_tmp, 0, acc_ref);
    check_outputs("d: descriptor before the failing one completed", l, out_sram, 0, 0, NPU_OUT_ACC32);

    descs[0] = good;
    descs[0].out_addr = CIMVP_NPU_BASE + 0x100u;
    expect_error("output address in the register block", 1, NPU_ERR_ADDR, 0, CIMVP_NPU_BASE + 0x100u, 0);

    descs[0] = good;
    descs[0].in_addr = 0x30000000u; /* nothing is mapped there (platform/memory_map.h) */
    expect_error("input on an unmapped bus address", 1, NPU_ERR_BUS, 0, 0x30000000u, 0);

    descs[0] = good;
    descs[0].reserved1 = 1;
    expect_error("reserved field set", 1, NPU_ERR_DESC_FIELD, 0, d0, 0);

    expect_error("descriptor count 0", 0, NPU_ERR_DESC_COUNT, 0, d0, 0);

    /* A weight command outside the array: ERROR and the interrupt outside any chain. */
    {
        const unsigned before = npu_irqs;
        NPU_REG(NPU_CTRL) = NPU_CTRL_IRQ_EN;
        /* Masked, so the handler cannot acknowledge the error before the driver reads it. */
        irq_global_disable();
        const uint32_t e = npu_write_weight(NPU_REG(NPU_ROWS), 0, 1);
        irq_global_enable();
        if (e != NPU_ERR_WEIGHT_ADDR) FAIL("weight write outside the array: error %lu, expected %u", (unsigned long)e,
                                           (unsigned)NPU_ERR_WEIGHT_ADDR);
        if (!wait_npu_irq(before + 1)) FAIL("weight write outside the array: no interrupt");
        else printf("npu_test: d: weight address outside the array -> ERRCODE %lu, interrupt\n", (unsigned long)irq_errcode);
    }

    /* Recovery: the same good layer runs again without error. */
    memset(out_sram, 0, sizeof out_sram);
    descs[0] = good;
    const unsigned before = npu_irqs;
    npu_start(descs, 1, 1);
    if (!wait_npu_irq(before + 1) || !(irq_status & NPU_STATUS_DONE))
        FAIL("good layer after the errors did not complete: STATUS 0x%lx, ERRCODE %lu", (unsigned long)irq_status,
             (unsigned long)irq_errcode);
    check_outputs("d: good layer after the errors", l, out_sram, 0, 0, NPU_OUT_ACC32);
}

int main(void) {
    if (NPU_REG(NPU_ID) != NPU_ID_VALUE) {
        printf("npu_test: FAIL: NPU ID 0x%lx\n", (unsigned long)NPU_REG(NPU_ID));
        return 5;
    }
    printf("npu_test: NPU %lux%lu, %lu-bit cells\n", (unsigned long)NPU_REG(NPU_ROWS), (unsigned long)NPU_REG(NPU_COLS),
           (unsigned long)NPU_REG(NPU_CELL_BITS));
    irq_set_external_handler(CIMVP_IRQ_NPU, on_npu);
    irq_set_timer_handler(on_timer);
    irq_enable(MIE_MEIE | MIE_MTIE);
    irq_global_enable();

    part_a();
    part_b();
    part_c();
    part_d();

    printf("npu_test: %s (%u failures)\n", failures ? "FAIL" : "PASS", failures);
    return first_failed_part;
}
