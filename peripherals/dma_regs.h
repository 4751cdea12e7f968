/* DMA controller register map, offsets from CIMVP_DMA_BASE. Shared by the model
 * (peripherals/dma.cpp) and the firmware (firmware/hal/dma.h). All registers are 32-bit and take
 * 32-bit accesses only.
 *
 * A channel moves COUNT items of 1, 2 or 4 bytes (CTRL.WIDTH) from SRC to DST over the AHB bus,
 * incrementing each address by the item size or keeping it fixed. Memory-to-memory channels run
 * whenever enabled; request channels (CTRL.MODE_REQ) move up to BURST items each time their
 * request line (CTRL.REQSEL) is high. Active channels share the engine round robin, BURST items
 * at a time. */
#ifndef CIMVP_DMA_REGS_H
#define CIMVP_DMA_REGS_H

/* Global registers */
#define DMA_IRQ_STATUS 0x000u /* R: bit c = channel c has a flag set whose interrupt is enabled */
#define DMA_ACTIVE     0x004u /* R: bit c = channel c is enabled (running or waiting for its request) */
#define DMA_INFO       0x008u /* R: see DMA_INFO_* */
#define DMA_INFO_CHANNELS(v)      ((v) & 0xFFu)        /* number of channels */
#define DMA_INFO_REQUEST_LINES(v) (((v) >> 8) & 0xFFu) /* number of request lines */

/* Channel c's registers: DMA_CH_BASE(c) + DMA_CH_* */
#define DMA_CH_BASE(c)   (0x100u + (unsigned)(c) * 0x20u)
#define DMA_CH_STRIDE    0x20u
#define DMA_CH_SRC       0x00u /* RW: source address (bus address) */
#define DMA_CH_DST       0x04u /* RW: destination address */
#define DMA_CH_COUNT     0x08u /* RW: items per pass (not bytes) */
#define DMA_CH_CTRL      0x0Cu /* RW: see DMA_CTRL_*; EN is cleared by the hardware when it stops */
#define DMA_CH_STATUS    0x10u /* R/W1C: see DMA_STATUS_* */
#define DMA_CH_REMAIN    0x14u /* R: items left in the current pass */
#define DMA_CH_ERR_ADDR  0x18u /* R: bus address of the access that failed (BUS_ERR) */

/* CTRL. SRC, DST and COUNT are latched when EN goes 0->1, and again at each wrap of a circular
 * channel (so new values written while it runs apply to the next pass). Writing EN = 0 stops the
 * channel after the item in progress. */
#define DMA_CTRL_EN          (1u << 0)
#define DMA_CTRL_WIDTH_SHIFT 1u        /* bits 2:1: item size, DMA_WIDTH_* */
#define DMA_CTRL_WIDTH_MASK  (3u << 1)
#define DMA_CTRL_SRC_INC     (1u << 3) /* increment SRC by the item size (else fixed) */
#define DMA_CTRL_DST_INC     (1u << 4) /* increment DST by the item size (else fixed) */
#define DMA_CTRL_CIRC        (1u << 5) /* circular: reload and continue after COUNT items */
#define DMA_CTRL_MODE_REQ    (1u << 6) /* 1: hardware request handshake on REQSEL; 0: memory to memory */
#define DMA_CTRL_REQSEL_SHIFT 8u       /* bits 10:8: request line */
#define DMA_CTRL_REQSEL_MASK (7u << 8)
#define DMA_CTRL_HALF_IE     (1u << 11) /* interrupt on STATUS.HALF */
#define DMA_CTRL_DONE_IE     (1u << 12) /* interrupt on STATUS.DONE */
#define DMA_CTRL_ERR_IE      (1u << 13) /* interrupt on STATUS.BUS_ERR / CFG_ERR */
#define DMA_CTRL_BURST_SHIFT 16u        /* bits 19:16: items per request / arbitration slot, minus 1 */
#define DMA_CTRL_BURST_MASK  (15u << 16)

#define DMA_WIDTH_8  0u
#define DMA_WIDTH_16 1u
#define DMA_WIDTH_32 2u

#define DMA_CTRL_WIDTH(w)  (((unsigned)(w) << DMA_CTRL_WIDTH_SHIFT) & DMA_CTRL_WIDTH_MASK)
#define DMA_CTRL_REQSEL(r) (((unsigned)(r) << DMA_CTRL_REQSEL_SHIFT) & DMA_CTRL_REQSEL_MASK)
#define DMA_CTRL_BURST(n)  ((((unsigned)(n) - 1u) << DMA_CTRL_BURST_SHIFT) & DMA_CTRL_BURST_MASK) /* n = 1..16 */

/* STATUS: flags are sticky, write 1 to clear; BUSY is read-only. */
#define DMA_STATUS_HALF    (1u << 0) /* half of the pass done (COUNT / 2 items, rounded up) */
#define DMA_STATUS_DONE    (1u << 1) /* a pass completed (circular: each wrap) */
#define DMA_STATUS_BUS_ERR (1u << 2) /* a bus access failed: the channel stopped, see ERR_ADDR */
#define DMA_STATUS_CFG_ERR (1u << 3) /* EN with a bad setup (width 3, misaligned address, REQSEL out of
                                        range, circular with COUNT 0): the channel did not start */
#define DMA_STATUS_BUSY    (1u << 8) /* CTRL.EN */
#define DMA_STATUS_FLAGS   0x0Fu

#endif
