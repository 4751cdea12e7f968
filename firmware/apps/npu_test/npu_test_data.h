/* Deterministic test data shared by the NPU firmware tests (npu_test, npu_noise) and the host
 * generator (tests/firmware/npu_gen_layers.c) that writes the same weights as .npy files for
 * npu_image_tool. Every value is a pure function of (layer seed, index), so the firmware can
 * recompute any weight on its own instead of carrying megabytes of tables (flash is 512 KiB,
 * the big layer alone is 512 KiB). Plain C99, no HAL: it also builds on the host.
 *
 * Array layout of the test image (1792 x 896 array of 8-bit weights):
 *   BIG  1024 x 512 at (0, 0)       the large layer (npu_test part c, npu_noise)
 *   C1     96 x  64 at (0, 512)     chain layer 1 (part b)
 *   C2     64 x  48 at (96, 512)    chain layer 2
 *   C3     48 x  16 at (160, 512)   chain layer 3
 *   NOISE 512 x 896 at (1024, 0)    full-width layer for the error statistics (npu_noise)
 *   SLOW   40 x  24 at (1600, 0)    programmed by the firmware through the register path (part a)
 * The image holds every layer but SLOW. */
#ifndef CIMVP_NPU_TEST_DATA_H
#define CIMVP_NPU_TEST_DATA_H

#include <stdint.h>

typedef struct npu_test_layer {
    const char *name;
    uint32_t seed;
    uint16_t rows, cols;       /* inputs, outputs */
    uint16_t row_off, col_off; /* placement in the array */
} npu_test_layer_t;

enum { NPU_T_BIG, NPU_T_C1, NPU_T_C2, NPU_T_C3, NPU_T_NOISE, NPU_T_SLOW, NPU_T_COUNT };
#define NPU_T_IMAGE_LAYERS 5u /* the first five live in the image */

static const npu_test_layer_t npu_test_layers[NPU_T_COUNT] = {
    {"big", 0x1001u, 1024, 512, 0, 0},
    {"c1", 0x2002u, 96, 64, 0, 512},
    {"c2", 0x3003u, 64, 48, 96, 512},
    {"c3", 0x4004u, 48, 16, 160, 512},
    {"noise", 0x6006u, 512, 896, 1024, 0},
    {"slow", 0x5005u, 40, 24, 1600, 0},
};

/* A 32-bit integer finaliser (xor-shift-multiply); good enough to make uncorrelated bytes. */
static inline uint32_t npu_test_hash(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

static inline uint32_t npu_test_stream(uint32_t seed, uint32_t what) {
    return npu_test_hash(seed * 0x9E3779B9u + what * 0x85EBCA6Bu);
}

/* Weight (i = input row, j = output column) of a layer: uniform over the whole int8 range. */
static inline int8_t npu_test_weight(const npu_test_layer_t *l, uint32_t i, uint32_t j) {
    return (int8_t)(npu_test_hash(npu_test_stream(l->seed, 1u) ^ (i * l->cols + j)) >> 24);
}

/* Input byte k of input vector `vec` of a layer: uniform 0..255. */
static inline uint8_t npu_test_input(const npu_test_layer_t *l, uint32_t vec, uint32_t k) {
    return (uint8_t)(npu_test_hash(npu_test_stream(l->seed, 2u + vec) ^ k) >> 24);
}

/* Bias of column j: uniform in [-2^(bits-1), 2^(bits-1)). */
static inline int32_t npu_test_bias(const npu_test_layer_t *l, uint32_t j, unsigned bits) {
    const uint32_t h = npu_test_hash(npu_test_stream(l->seed, 100u) ^ j);
    return (int32_t)(h >> (32 - bits)) - (int32_t)(1u << (bits - 1));
}

#endif
