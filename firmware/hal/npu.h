/* CIM NPU (cim_tile/npu_regs.h): descriptor chains, completion by polling or by the interrupt
 * (external source CIMVP_IRQ_NPU on the interrupt controller), and the slow weight path. */
#ifndef CIMVP_HAL_NPU_H
#define CIMVP_HAL_NPU_H

#include <stdint.h>
#include "memory_map.h"
#include "npu_regs.h"
#include "mmio.h"

#define NPU_REG(off) MMIO32(CIMVP_NPU_BASE + (off))
/* The NPU's own buffers, directly addressable; usable as descriptor in/out addresses. */
#define NPU_IBUF ((volatile uint8_t *)(uintptr_t)(CIMVP_NPU_BASE + NPU_IBUF_OFFSET))
#define NPU_OBUF ((volatile uint8_t *)(uintptr_t)(CIMVP_NPU_BASE + NPU_OBUF_OFFSET))
#define NPU_IBUF_ADDR (CIMVP_NPU_BASE + NPU_IBUF_OFFSET)
#define NPU_OBUF_ADDR (CIMVP_NPU_BASE + NPU_OBUF_OFFSET)

/* Starts a chain of `count` descriptors at `descs` (4-byte aligned, in SRAM or flash). DONE and
 * ERROR of the previous chain are cleared by the start. With irq_en the NPU interrupt stays
 * raised until npu_ack() once the chain has ended. */
static inline void npu_start(const npu_desc_t *descs, uint32_t count, int irq_en) {
    /* Descriptors, inputs and biases are plain (non-volatile) stores: without the barrier the
     * compiler may sink them past the volatile START write and the NPU reads stale memory. */
    __asm__ volatile("fence" ::: "memory");
    NPU_REG(NPU_DESC_ADDR) = (uint32_t)(uintptr_t)descs;
    NPU_REG(NPU_DESC_COUNT) = count;
    NPU_REG(NPU_CTRL) = NPU_CTRL_START | (irq_en ? NPU_CTRL_IRQ_EN : 0u);
}

static inline int npu_busy(void) { return (NPU_REG(NPU_STATUS) & NPU_STATUS_BUSY) != 0; }

/* Clears DONE/ERROR (drops the interrupt). */
static inline void npu_ack(void) { NPU_REG(NPU_STATUS) = NPU_STATUS_DONE | NPU_STATUS_ERROR; }

/* Waits for the running chain; returns NPU_ERR_NONE or the error code (see NPU_ERRINDEX /
 * NPU_ERRADDR for where). Leaves DONE/ERROR set. */
static inline uint32_t npu_wait(void) {
    while (npu_busy()) {
    }
    __asm__ volatile("fence" ::: "memory"); /* outputs are read only after the chain ended */
    return (NPU_REG(NPU_STATUS) & NPU_STATUS_ERROR) ? NPU_REG(NPU_ERRCODE) : NPU_ERR_NONE;
}

/* Runs a chain to completion by polling; returns the error code. */
static inline uint32_t npu_run(const npu_desc_t *descs, uint32_t count) {
    npu_start(descs, count, 0);
    uint32_t err = npu_wait();
    npu_ack();
    return err;
}

/* NPU clock cycles taken by the last chain. */
static inline uint32_t npu_cycles(void) { return NPU_REG(NPU_CYCLES); }

/* Slow path: programs one weight with write-verify (tens of microseconds); waits for it. */
static inline uint32_t npu_write_weight(uint32_t row, uint32_t col, int8_t w) {
    while (NPU_REG(NPU_STATUS) & NPU_STATUS_WBUSY) {
    }
    NPU_REG(NPU_W_ROW) = row;
    NPU_REG(NPU_W_COL) = col;
    NPU_REG(NPU_W_DATA) = (uint32_t)(uint8_t)w;
    NPU_REG(NPU_W_CMD) = NPU_W_CMD_WRITE;
    while (NPU_REG(NPU_STATUS) & NPU_STATUS_WBUSY) {
    }
    return (NPU_REG(NPU_STATUS) & NPU_STATUS_ERROR) ? NPU_REG(NPU_ERRCODE) : NPU_ERR_NONE;
}

static inline int8_t npu_read_weight(uint32_t row, uint32_t col) {
    NPU_REG(NPU_W_ROW) = row;
    NPU_REG(NPU_W_COL) = col;
    NPU_REG(NPU_W_CMD) = NPU_W_CMD_READ;
    return (int8_t)NPU_REG(NPU_W_DATA);
}

/* Soft reset: aborts a chain and clears registers and buffers; the weights stay. */
static inline void npu_reset(void) { NPU_REG(NPU_CTRL) = NPU_CTRL_RESET; }

#endif
