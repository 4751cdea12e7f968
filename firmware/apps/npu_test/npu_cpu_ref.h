/* The firmware's own CPU computation of an NPU layer, written from the definition in
 * cim_tile/int_reference.h (not shared with the simulator):
 *   acc[j] = b[j] + sum_i W[i][j] * X[i]
 *   z[j]   = round_half_up(acc[j] / 2^shift) = floor((acc + 2^(shift-1)) / 2^shift)
 *   y[j]   = identity: z saturated to int8; ReLU: max(z, 0) saturated to 255 (uint8)
 * ACC32 output is acc saturated to int32. Weights come from npu_test_data.h. */
#ifndef CIMVP_NPU_CPU_REF_H
#define CIMVP_NPU_CPU_REF_H

#include <stdint.h>

#include "npu_regs.h"
#include "npu_test_data.h"

/* acc[j] = sum_i W[i][j] * x[i] (+ bias[j] when bias != 0). The column sum is at most
 * 1792 * 128 * 255 < 2^31 in magnitude, so the inner loop stays in int32; bias is added in int64. */
static void ref_accumulate(const npu_test_layer_t *l, const uint8_t *x, const int32_t *bias, int64_t *acc) {
    static int32_t sum[896];
    for (uint32_t j = 0; j < l->cols; j++) sum[j] = 0;
    const uint32_t s = npu_test_stream(l->seed, 1u);
    for (uint32_t i = 0; i < l->rows; i++) {
        const int32_t xi = x[i];
        if (xi == 0) continue;
        const uint32_t base = i * l->cols;
        for (uint32_t j = 0; j < l->cols; j++) sum[j] += (int8_t)(npu_test_hash(s ^ (base + j)) >> 24) * xi;
    }
    for (uint32_t j = 0; j < l->cols; j++) acc[j] = (int64_t)sum[j] + (bias ? bias[j] : 0);
}

static inline int64_t ref_shift_round(int64_t acc, unsigned shift) {
    if (shift == 0) return acc;
    const int64_t v = acc + ((int64_t)1 << (shift - 1));
    /* floor division spelled out, independent of how >> treats negative values */
    return v >= 0 ? v >> shift : -((-v - 1) >> shift) - 1;
}

static inline int32_t ref_activation(int64_t z, unsigned act) {
    const int64_t lo = act == NPU_ACT_RELU ? 0 : -128, hi = act == NPU_ACT_RELU ? 255 : 127;
    return (int32_t)(z < lo ? lo : z > hi ? hi : z);
}

static inline int32_t ref_acc32(int64_t acc) {
    return (int32_t)(acc < INT32_MIN ? INT32_MIN : acc > INT32_MAX ? INT32_MAX : acc);
}

#endif
