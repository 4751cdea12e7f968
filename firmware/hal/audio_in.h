/* Audio input (peripherals/audio_in_regs.h): a sample FIFO filled at the sample rate from the
 * board's audio file once enabled. Interrupt source CIMVP_IRQ_AUDIO; DMA request line as wired by
 * the platform. */
#ifndef CIMVP_HAL_AUDIO_IN_H
#define CIMVP_HAL_AUDIO_IN_H

#include <stdint.h>
#include "memory_map.h"
#include "audio_in_regs.h"
#include "mmio.h"

#define AUDIO_REG(off) MMIO32(CIMVP_AUDIO_BASE + (off))
/* Bus address of the data register, the fixed source of a DMA channel (16-bit items). */
#define AUDIO_DATA_ADDR (CIMVP_AUDIO_BASE + AUDIO_DATA)

/* Starts playback (time 0 of the audio is now). dma != 0 also drives the DMA request. */
static inline void audio_in_start(int dma) {
    AUDIO_REG(AUDIO_CTRL) = AUDIO_CTRL_ENABLE | (dma ? AUDIO_CTRL_DMA_EN : 0u);
}

/* Pauses playback; the FIFO keeps its samples and a later start resumes where it stopped. */
static inline void audio_in_stop(void) { AUDIO_REG(AUDIO_CTRL) = 0; }

/* Threshold in samples (1..depth): the DMA request and AUDIO_IRQ_THRESH follow LEVEL >= it. */
static inline void audio_in_set_threshold(uint32_t samples) { AUDIO_REG(AUDIO_THRESHOLD) = samples; }

static inline void audio_in_set_irq(uint32_t irqs) { AUDIO_REG(AUDIO_IRQ_EN) = irqs; }
static inline uint32_t audio_in_irq_status(void) { return AUDIO_REG(AUDIO_IRQ_STATUS); }
/* Clears sticky interrupt causes (write 1 to clear). */
static inline void audio_in_irq_clear(uint32_t irqs) { AUDIO_REG(AUDIO_IRQ_STATUS) = irqs; }

static inline uint32_t audio_in_status(void) { return AUDIO_REG(AUDIO_STATUS); }
static inline uint32_t audio_in_level(void) { return AUDIO_REG(AUDIO_LEVEL); }
static inline uint32_t audio_in_overruns(void) { return AUDIO_REG(AUDIO_OVERRUNS); }
static inline uint32_t audio_in_length(void) { return AUDIO_REG(AUDIO_LENGTH); }

/* Every sample has arrived and been read: nothing more will come. */
static inline int audio_in_eof(void) { return (audio_in_status() & AUDIO_STATUS_EOF) != 0; }

/* Pops one sample (0 and an UNDERRUN flag if the FIFO is empty: check the level first). */
static inline int16_t audio_in_read(void) { return (int16_t)AUDIO_REG(AUDIO_DATA); }

/* Reads up to max samples that are in the FIFO now; returns how many. */
static inline uint32_t audio_in_read_available(int16_t *dst, uint32_t max) {
    uint32_t n = audio_in_level();
    if (n > max) n = max;
    for (uint32_t i = 0; i < n; ++i) dst[i] = audio_in_read();
    return n;
}

/* Waits for and reads exactly n samples; returns fewer only at the end of the file. */
static inline uint32_t audio_in_read_blocking(int16_t *dst, uint32_t n) {
    uint32_t got = 0;
    while (got < n) {
        const uint32_t status = audio_in_status();
        if (!(status & AUDIO_STATUS_EMPTY)) {
            dst[got++] = audio_in_read();
        } else if (status & AUDIO_STATUS_EOF) {
            break;
        }
    }
    return got;
}

#endif
