/* Fbank accelerator (peripherals/fbank_regs.h): log-Mel energies of int16 frames in SRAM,
 * bit exact with fbank_math.c. Its interrupt is external source CIMVP_IRQ_FBANK (level while
 * STATUS.DONE or STATUS.ERROR and CTRL.IRQ_EN); clear it with fbank_clear().
 *
 * Typical use on an audio ring buffer of n samples:
 *   fbank_configure(&cfg);                       // fbank_config_t of fbank_math.h
 *   fbank_set_source(ring, n, 0);
 *   fbank_set_dest(out, 1);
 *   fbank_start(FBANK_CTRL_ADVANCE | FBANK_CTRL_NO_PREV);   // first frame of the stream
 *   ... fbank_wait() or the interrupt ...
 *   fbank_start(FBANK_CTRL_ADVANCE);                        // next frame: SRC_START moved on
 */
#ifndef CIMVP_HAL_FBANK_H
#define CIMVP_HAL_FBANK_H

#include <stdint.h>
#include "fbank_math.h"
#include "fbank_regs.h"
#include "memory_map.h"
#include "mmio.h"

#define FBANK_REG(off) MMIO32(CIMVP_FBANK_BASE + (off))

/* Programs the datapath registers from an fbank_config_t (frame_shift is the hop). The
 * accelerator checks them at START: an invalid one gives STATUS.ERROR with the
 * fbank_status_t number in ERR_CODE. */
static inline void fbank_configure(const fbank_config_t *c) {
    FBANK_REG(FBANK_SAMPLE_RATE) = c->sample_rate_hz;
    FBANK_REG(FBANK_FRAME_LEN) = c->frame_len;
    FBANK_REG(FBANK_HOP) = c->frame_shift;
    FBANK_REG(FBANK_FFT_SIZE) = c->fft_size;
    FBANK_REG(FBANK_WINDOW) = (uint32_t)c->window | (c->window_symmetric ? FBANK_WINDOW_SYMMETRIC : 0u);
    FBANK_REG(FBANK_PREEMPH) = c->preemph_q15;
    FBANK_REG(FBANK_NUM_MEL) = c->num_mel;
    FBANK_REG(FBANK_F_LOW) = c->f_low_hz;
    FBANK_REG(FBANK_F_HIGH) = c->f_high_hz;
    FBANK_REG(FBANK_SPECTRUM) = c->spectrum;
    FBANK_REG(FBANK_OUT_FMT) = c->out_format == FBANK_OUT_INT8 ? FBANK_OUT_FMT_INT8_FRAC(c->out_frac_bits)
                                                               : FBANK_OUT_FMT_Q7_INT16;
    FBANK_REG(FBANK_LOG_FLOOR) = (uint16_t)c->log_floor_q7;
    FBANK_REG(FBANK_LOG_OFFSET) = (uint16_t)c->log_offset_q7;
    FBANK_REG(FBANK_DITHER) = c->dither;
}

/* Restarts the dither sequence (FBANK_DITHER_SEED_RESET reproduces the host's features). */
static inline void fbank_set_dither_seed(uint32_t seed) { FBANK_REG(FBANK_DITHER_SEED) = seed; }

/* Circular source: len samples at ring, the first frame starting at index start. */
static inline void fbank_set_source(const int16_t *ring, uint32_t len, uint32_t start) {
    FBANK_REG(FBANK_SRC_BASE) = (uint32_t)(uintptr_t)ring;
    FBANK_REG(FBANK_SRC_LEN) = len;
    FBANK_REG(FBANK_SRC_START) = start;
}

/* Output of `frames` frames, each FBANK_OUT_BYTES bytes, back to back from out. */
static inline void fbank_set_dest(void *out, uint32_t frames) {
    FBANK_REG(FBANK_DST_ADDR) = (uint32_t)(uintptr_t)out;
    FBANK_REG(FBANK_FRAME_COUNT) = frames;
}

/* Starts a run. flags: FBANK_CTRL_IRQ_EN, FBANK_CTRL_ADVANCE (kept in CTRL) and
 * FBANK_CTRL_NO_PREV (this run's first frame has x[-1] = 0). Ignored while busy. */
static inline void fbank_start(uint32_t flags) {
    FBANK_REG(FBANK_CTRL) = flags | FBANK_CTRL_START;
}

static inline uint32_t fbank_status(void) { return FBANK_REG(FBANK_STATUS); }
static inline int fbank_busy(void) { return (FBANK_REG(FBANK_STATUS) & FBANK_STATUS_BUSY) != 0; }
static inline uint32_t fbank_error_code(void) { return FBANK_REG(FBANK_ERR_CODE); }
static inline uint32_t fbank_error_addr(void) { return FBANK_REG(FBANK_ERR_ADDR); }
static inline uint32_t fbank_frames_done(void) { return FBANK_REG(FBANK_FRAMES_DONE); }
static inline uint32_t fbank_out_bytes(void) { return FBANK_REG(FBANK_OUT_BYTES); }

/* Clears DONE and ERROR (and so the interrupt). */
static inline void fbank_clear(void) { FBANK_REG(FBANK_STATUS) = FBANK_STATUS_DONE | FBANK_STATUS_ERROR; }

static inline void fbank_irq_enable(int on) {
    uint32_t c = FBANK_REG(FBANK_CTRL) & (FBANK_CTRL_IRQ_EN | FBANK_CTRL_ADVANCE);
    FBANK_REG(FBANK_CTRL) = on ? (c | FBANK_CTRL_IRQ_EN) : (c & ~FBANK_CTRL_IRQ_EN);
}

/* Polls until the run ends, clears DONE/ERROR; returns 0 on success, else the FBANK_ERRC_*
 * code (ERR_CODE stays readable until the next START). */
static inline uint32_t fbank_wait(void) {
    uint32_t s;
    while ((s = FBANK_REG(FBANK_STATUS)) & FBANK_STATUS_BUSY) {
    }
    fbank_clear();
    return (s & FBANK_STATUS_ERROR) ? FBANK_REG(FBANK_ERR_CODE) : 0u;
}

#endif
