/* npu_noise: error statistics of the analog NPU against the firmware's exact CPU reference, for
 * the noisy presets (configs/eflash.yaml, configs/reram.yaml) where bit-exactness is not
 * expected. Runs the image-preloaded full-width 512x896 layer NOISE (npu_test_data.h, image from
 * tests/firmware/npu_prepare.sh) with raw int32 outputs (ACC32: no shift or activation to hide
 * the error) and prints, over the 896 columns:
 *   n, sum_x2 = sum_i x_i^2 (what the predicted error std scales with), rms and mean error,
 *   rms of the reference, cosine similarity (as the eFlash paper's Table I reports it).
 * The inputs are multiples of 16 up to 240, exactly representable by a DAC of >= 4 bits, so the
 * measured error is the analog one only (no input rounding); tests/firmware/npu_noise_check.py
 * compares it with the value predicted from the configured sigmas.
 * Exit 0 when the NPU ran (whatever the error), 2 on an NPU error, 3 on a wrong image. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "npu.h"
#include "../npu_test/npu_cpu_ref.h"
#include "../npu_test/npu_test_data.h"

static npu_desc_t desc;
static uint8_t x[512];
static int32_t out[896];
static int64_t ref[896];

int main(void) {
    const npu_test_layer_t *l = &npu_test_layers[NPU_T_NOISE];
    /* A wrong image would look like enormous noise: make sure it is the test image. */
    const uint32_t pts[3][2] = {{0, 0}, {l->rows - 1u, l->cols - 1u}, {l->rows / 2u, l->cols / 3u}};
    for (unsigned p = 0; p < 3; p++) {
        const int8_t got = npu_read_weight(l->row_off + pts[p][0], l->col_off + pts[p][1]);
        if (got != npu_test_weight(l, pts[p][0], pts[p][1])) {
            printf("npu_noise: FAIL: weight (%lu, %lu) is %d, not the test image's %d\n", (unsigned long)pts[p][0],
                   (unsigned long)pts[p][1], got, npu_test_weight(l, pts[p][0], pts[p][1]));
            return 3;
        }
    }
    uint64_t sum_x2 = 0;
    for (uint32_t k = 0; k < l->rows; k++) {
        x[k] = npu_test_input(l, 0, k) & 0xF0u;
        sum_x2 += (uint64_t)x[k] * x[k];
    }
    memset(&desc, 0, sizeof desc);
    desc.version = NPU_DESC_VERSION;
    desc.out_format = NPU_OUT_ACC32;
    desc.in_addr = (uint32_t)(uintptr_t)x;
    desc.out_addr = (uint32_t)(uintptr_t)out;
    desc.row_off = l->row_off;
    desc.row_cnt = l->rows;
    desc.col_off = l->col_off;
    desc.col_cnt = l->cols;
    const uint32_t err = npu_run(&desc, 1);
    if (err != NPU_ERR_NONE) {
        printf("npu_noise: FAIL: NPU error %lu\n", (unsigned long)err);
        return 2;
    }
    ref_accumulate(l, x, 0, ref);

    double se = 0, se2 = 0, sr2 = 0, sy2 = 0, sry = 0;
    int64_t max_abs = 0;
    for (uint32_t j = 0; j < l->cols; j++) {
        const double r = (double)ref[j], y = (double)out[j], e = y - r;
        se += e;
        se2 += e * e;
        sr2 += r * r;
        sy2 += y * y;
        sry += r * y;
        const int64_t a = ref[j] < 0 ? -ref[j] : ref[j];
        if (a > max_abs) max_abs = a;
    }
    const double n = l->cols;
    const double cosine = (sr2 > 0 && sy2 > 0) ? sry / sqrt(sr2 * sy2) : 0.0;
    printf("npu_noise: layer %s %ux%u: n=%u sum_x2=%llu rms_err=%.3f mean_err=%.3f rms_ref=%.1f max_abs_ref=%lld "
           "cosine=%.6f exact=%s\n",
           l->name, (unsigned)l->rows, (unsigned)l->cols, (unsigned)l->cols, (unsigned long long)sum_x2, sqrt(se2 / n),
           se / n, sqrt(sr2 / n), (long long)max_abs, cosine, se2 == 0 ? "yes" : "no");
    return 0;
}
