/* DMA controller (peripherals/dma_regs.h). Interrupt source CIMVP_IRQ_DMA; DMA_IRQ_STATUS says
 * which channels have an enabled flag set, each channel's STATUS which flags (write 1 to clear). */
#ifndef CIMVP_HAL_DMA_H
#define CIMVP_HAL_DMA_H

#include <stdint.h>
#include "memory_map.h"
#include "dma_regs.h"
#include "mmio.h"

#define DMA_REG(off) MMIO32(CIMVP_DMA_BASE + (off))
#define DMA_CH_REG(ch, off) MMIO32(CIMVP_DMA_BASE + DMA_CH_BASE(ch) + (off))

/* Programs and starts channel ch: count items from src to dst; ctrl = DMA_CTRL_* without EN. */
static inline void dma_start(unsigned ch, uintptr_t src, uintptr_t dst, uint32_t count, uint32_t ctrl) {
    DMA_CH_REG(ch, DMA_CH_CTRL) = 0;
    DMA_CH_REG(ch, DMA_CH_STATUS) = DMA_STATUS_FLAGS;
    DMA_CH_REG(ch, DMA_CH_SRC) = (uint32_t)src;
    DMA_CH_REG(ch, DMA_CH_DST) = (uint32_t)dst;
    DMA_CH_REG(ch, DMA_CH_COUNT) = count;
    DMA_CH_REG(ch, DMA_CH_CTRL) = ctrl | DMA_CTRL_EN;
}

/* Word copy memory to memory (addresses and n_words aligned to 4 bytes). */
static inline void dma_memcpy32(unsigned ch, void *dst, const void *src, uint32_t n_words) {
    dma_start(ch, (uintptr_t)src, (uintptr_t)dst, n_words,
              DMA_CTRL_WIDTH(DMA_WIDTH_32) | DMA_CTRL_SRC_INC | DMA_CTRL_DST_INC | DMA_CTRL_BURST(4));
}

/* Circular peripheral-to-memory ping-pong: 16-bit items from a fixed register into buf of
 * 2 * half_items, HALF then DONE interrupts for each half. burst = items per request, 1..16
 * (the BURST field's range): set the peripheral's threshold to the same value, since a request
 * stays up while LEVEL >= THRESHOLD and each grant moves only `burst` items. */
static inline void dma_start_audio_pingpong(unsigned ch, unsigned reqsel, uintptr_t data_reg, int16_t *buf,
                                            uint32_t half_items, unsigned burst) {
    dma_start(ch, data_reg, (uintptr_t)buf, 2u * half_items,
              DMA_CTRL_WIDTH(DMA_WIDTH_16) | DMA_CTRL_DST_INC | DMA_CTRL_CIRC | DMA_CTRL_MODE_REQ |
                  DMA_CTRL_REQSEL(reqsel) | DMA_CTRL_BURST(burst) | DMA_CTRL_HALF_IE | DMA_CTRL_DONE_IE |
                  DMA_CTRL_ERR_IE);
}

static inline void dma_stop(unsigned ch) { DMA_CH_REG(ch, DMA_CH_CTRL) &= ~DMA_CTRL_EN; }
static inline int dma_busy(unsigned ch) { return (DMA_CH_REG(ch, DMA_CH_STATUS) & DMA_STATUS_BUSY) != 0; }
static inline uint32_t dma_status(unsigned ch) { return DMA_CH_REG(ch, DMA_CH_STATUS) & DMA_STATUS_FLAGS; }
static inline void dma_clear(unsigned ch, uint32_t flags) { DMA_CH_REG(ch, DMA_CH_STATUS) = flags; }
static inline uint32_t dma_remaining(unsigned ch) { return DMA_CH_REG(ch, DMA_CH_REMAIN); }
static inline uint32_t dma_error_address(unsigned ch) { return DMA_CH_REG(ch, DMA_CH_ERR_ADDR); }
static inline uint32_t dma_irq_channels(void) { return DMA_REG(DMA_IRQ_STATUS); }

/* Waits until channel ch stops; returns its flags (DMA_STATUS_DONE, or an error flag). */
static inline uint32_t dma_wait(unsigned ch) {
    while (dma_busy(ch)) {
    }
    return dma_status(ch);
}

#endif
