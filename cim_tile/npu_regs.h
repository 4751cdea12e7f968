/*
 * NPU register map, buffers and layer descriptor (offsets from CIMVP_NPU_BASE).
 * Shared by the model (cim_tile/npu.cpp), the host tool and the firmware (firmware/hal/npu.h).
 *
 * Window (64 KiB):
 *   0x0000-0x0FFF  registers (32-bit, 1/2/4-byte aligned accesses; see peripherals/reg_access.h)
 *   0x1000-0x17FF  input buffer  (NPU_IBUF_SIZE bytes, byte-addressable RAM)
 *   0x2000-0x2FFF  output buffer (NPU_OBUF_SIZE bytes, byte-addressable RAM)
 *   anything else: TLM_ADDRESS_ERROR_RESPONSE.
 *
 * The input buffer is 2 KiB, larger than the eFlash SoC's 448-byte DAC FIFO: one full-array
 * input (1792 rows) fits, so a layer's input can be staged once; the 448-byte FIFO survives as
 * the DAC stage's batch size in the timing model (NpuConfig::dac_fifo_bytes: 4 batches for 1792
 * rows). The output buffer holds 896 int32 raw accumulators (3584 bytes).
 *
 * A descriptor address field (in, out, bias) is a bus address: inside the NPU's own buffers it is
 * served locally (no bus transfer), anywhere else it goes out on the AHB as master
 * CIMVP_MASTER_NPU. An address inside the NPU's register block is an error (NPU_ERR_ADDR).
 */
#ifndef CIMVP_NPU_REGS_H
#define CIMVP_NPU_REGS_H

#include <stdint.h>

/* ---- registers ---------------------------------------------------------------------------- */
#define NPU_ID          0x000u /* R: NPU_ID_VALUE */
#define NPU_VERSION     0x004u /* R: NPU_VERSION_VALUE (major << 16 | minor) */
#define NPU_ROWS        0x008u /* R: array rows (word lines = inputs), 1792 */
#define NPU_COLS        0x00Cu /* R: array columns in 8-bit weights (pair columns / slices), 896 */
#define NPU_CELL_BITS   0x010u /* R: bits per cell (a weight uses ceil(8 / bits) pair columns) */
#define NPU_IBUF_BYTES  0x014u /* R: NPU_IBUF_SIZE */
#define NPU_OBUF_BYTES  0x018u /* R: NPU_OBUF_SIZE */
#define NPU_CTRL        0x020u /* RW: NPU_CTRL_* */
#define NPU_STATUS      0x024u /* R, DONE/ERROR W1C: NPU_STATUS_* */
#define NPU_ERRCODE     0x028u /* R: NPU_ERR_* of the last error (0 = none); cleared with STATUS.ERROR */
#define NPU_ERRINDEX    0x02Cu /* R: descriptor index that failed */
#define NPU_ERRADDR     0x030u /* R: bus address of a failed transfer or bad address field */
#define NPU_DESC_ADDR   0x034u /* RW: bus address of descriptor 0 (4-byte aligned) */
#define NPU_DESC_COUNT  0x038u /* RW: descriptors in the chain, 1..NPU_MAX_DESC */
#define NPU_CYCLES      0x03Cu /* R: NPU clock cycles of the last chain (start to done/error) */
#define NPU_DESC_DONE   0x040u /* R: descriptors completed by the last chain */
#define NPU_W_ROW       0x050u /* RW: weight programming: array row */
#define NPU_W_COL       0x054u /* RW: weight programming: weight column */
#define NPU_W_DATA      0x058u /* RW: bits 7:0 = int8 weight to write; after a READ, the weight read */
#define NPU_W_CMD       0x05Cu /* W: NPU_W_CMD_* (other values: no operation); reads: error */

#define NPU_ID_VALUE      0x4E50551Au /* "NPU" + 0x1A */
#define NPU_VERSION_VALUE 0x00010000u /* 1.0 */

#define NPU_CTRL_START    (1u << 0) /* W1: start the chain at DESC_ADDR/DESC_COUNT; reads 0 */
#define NPU_CTRL_IRQ_EN   (1u << 1) /* irq = IRQ_EN && (DONE || ERROR) (level) */
#define NPU_CTRL_RESET    (1u << 2) /* W1: soft reset: abort, clear registers and buffers; the
                                       array keeps its weights (non-volatile); reads 0 */

#define NPU_STATUS_BUSY   (1u << 0) /* a chain is running */
#define NPU_STATUS_DONE   (1u << 1) /* W1C: the last chain completed */
#define NPU_STATUS_ERROR  (1u << 2) /* W1C: the last chain or command failed, see ERRCODE */
#define NPU_STATUS_WBUSY  (1u << 3) /* a weight write is in progress (per-cell write-verify) */

#define NPU_W_CMD_WRITE   1u /* program W_DATA into (W_ROW, W_COL); WBUSY for the write time */
#define NPU_W_CMD_READ    2u /* W_DATA = the intended weight stored at (W_ROW, W_COL) */

/* Error codes (NPU_ERRCODE). */
#define NPU_ERR_NONE        0u
#define NPU_ERR_DESC_COUNT  1u /* DESC_COUNT is 0 or above NPU_MAX_DESC, or DESC_ADDR unaligned */
#define NPU_ERR_DESC_VERSION 2u /* descriptor version is not NPU_DESC_VERSION */
#define NPU_ERR_DESC_FIELD  3u /* bad activation, format, encoding, shift, frac bits, flags or reserved */
#define NPU_ERR_ARRAY_RANGE 4u /* row/col offset + count outside the array, or a count of 0 */
#define NPU_ERR_ADDR        5u /* an address range wraps, hits the register block, or leaves a buffer */
#define NPU_ERR_BUS         6u /* the bus answered a transfer with an error (ERRADDR = its address) */
#define NPU_ERR_BUSY        7u /* START or a weight command while busy */
#define NPU_ERR_WEIGHT_ADDR 8u /* W_ROW / W_COL outside the array */
#define NPU_ERR_INTERNAL    9u /* the analog model rejected the layer (should not happen) */
#define NPU_ERR_MAPPING     10u /* the board's deployment mapping (npu.mapping: replication, amplification) does not fit this layer */

/* ---- buffers ------------------------------------------------------------------------------ */
#define NPU_IBUF_OFFSET 0x1000u
#define NPU_IBUF_SIZE   0x0800u /* 2048 bytes >= 1792 rows */
#define NPU_OBUF_OFFSET 0x2000u
#define NPU_OBUF_SIZE   0x1000u /* 4096 bytes >= 896 int32 */
#define NPU_MAX_DESC    1024u

/* ---- layer descriptor: 32 bytes, little-endian, no padding -------------------------------- */
#define NPU_DESC_VERSION 1u
#define NPU_DESC_SIZE    32u

/* activation */
#define NPU_ACT_IDENTITY     0u /* int8 output: z saturated */
#define NPU_ACT_RELU         1u /* uint8 output: max(z, 0) saturated */
#define NPU_ACT_SIGMOID_PWL  2u /* uint8 Q0.8, 20-segment piecewise linear, z / 2^act_frac */
#define NPU_ACT_TANH_PWL     3u /* int8 Q1.7, 20-segment piecewise linear */
#define NPU_ACT_SIGMOID_LUT  4u /* uint8 Q0.8, full lookup table */
#define NPU_ACT_TANH_LUT     5u /* int8 Q1.7, full lookup table */
/* input encoding */
#define NPU_ENC_PARALLEL     0u /* one read with a multi-bit DAC per row */
#define NPU_ENC_BIT_SERIAL   1u /* one read per input bit plane, shift-and-add after the ADC */
/* output format */
#define NPU_OUT_ACT8   0u /* one byte per column: the activation's code (int8 for identity/tanh,
                             uint8 for ReLU/sigmoid), saturated */
#define NPU_OUT_ACC32  1u /* int32 per column: raw W*X + b before shift and activation,
                             saturated to int32 (shift and activation fields are ignored) */
/* flags */
#define NPU_FLAG_BIAS  (1u << 0) /* bias_addr points at col_cnt int32 (little-endian); else b = 0 */

typedef struct npu_desc {
    uint8_t  version;    /* 0:  NPU_DESC_VERSION */
    uint8_t  act;        /* 1:  NPU_ACT_* */
    uint8_t  act_frac;   /* 2:  sigmoid/tanh: z represents z / 2^act_frac, 0..8 (else ignored) */
    uint8_t  shift;      /* 3:  G = 2^shift, 0..40; y = act(round_half_up((W*X + b) / G)) */
    uint8_t  encoding;   /* 4:  NPU_ENC_* */
    uint8_t  out_format; /* 5:  NPU_OUT_* */
    uint8_t  flags;      /* 6:  NPU_FLAG_* */
    uint8_t  reserved0;  /* 7:  0 */
    uint32_t in_addr;    /* 8:  row_cnt uint8 inputs */
    uint32_t out_addr;   /* 12: col_cnt outputs (1 or 4 bytes each, see out_format) */
    uint32_t bias_addr;  /* 16: col_cnt int32 when flags has NPU_FLAG_BIAS (4-byte aligned) */
    uint16_t row_off;    /* 20: first array row of the layer */
    uint16_t row_cnt;    /* 22: layer inputs, >= 1 */
    uint16_t col_off;    /* 24: first weight column of the layer */
    uint16_t col_cnt;    /* 26: layer outputs, >= 1 */
    uint32_t reserved1;  /* 28: 0 */
} npu_desc_t;

/* C89-compatible size check: a negative array size fails to compile. */
typedef char npu_desc_size_check[(sizeof(npu_desc_t) == NPU_DESC_SIZE) ? 1 : -1];

#endif
