/* Audio input (microphone / I2S-style) register map, offsets from CIMVP_AUDIO_BASE.
 * Shared by the model (peripherals/audio_in.cpp) and the firmware (firmware/hal/audio_in.h).
 *
 * Samples arrive one per sample period after CTRL.ENABLE is set (sample k at enable time +
 * (k + 1) / fs) into a FIFO of AUDIO_DEPTH samples. When the FIFO is full, newly arriving samples
 * are dropped and counted (AUDIO_OVERRUNS, IRQ_STATUS.OVERRUN). All registers are 32-bit and take
 * 32-bit accesses only, except AUDIO_DATA, which also takes a 16-bit read. */
#ifndef CIMVP_AUDIO_IN_REGS_H
#define CIMVP_AUDIO_IN_REGS_H

#define AUDIO_CTRL        0x00u /* RW: see AUDIO_CTRL_* */
#define AUDIO_STATUS      0x04u /* R : live state, see AUDIO_STATUS_* */
#define AUDIO_IRQ_STATUS  0x08u /* R/W1C: interrupt causes, see AUDIO_IRQ_* */
#define AUDIO_IRQ_EN      0x0Cu /* RW: interrupt enables, same bits as AUDIO_IRQ_STATUS */
#define AUDIO_DATA        0x10u /* R : pops the oldest sample, sign-extended 16-bit; 0 and UNDERRUN if empty */
#define AUDIO_LEVEL       0x14u /* R : samples in the FIFO */
#define AUDIO_THRESHOLD   0x18u /* RW: FIFO threshold [samples], 1..AUDIO_DEPTH (else error response) */
#define AUDIO_DEPTH       0x1Cu /* R : FIFO depth [samples] */
#define AUDIO_OVERRUNS    0x20u /* R : samples dropped because the FIFO was full (saturates) */
#define AUDIO_SAMPLE_RATE 0x24u /* R : sample rate [Hz] */
#define AUDIO_LENGTH      0x28u /* R : samples in the input file (saturates) */
#define AUDIO_POSITION    0x2Cu /* R : samples of the file that have arrived so far (kept or dropped) */

/* CTRL */
#define AUDIO_CTRL_ENABLE (1u << 0) /* 0->1: playback (re)starts; 1->0: pauses (the FIFO keeps its samples) */
#define AUDIO_CTRL_DMA_EN (1u << 1) /* drive the DMA request while LEVEL >= THRESHOLD */

/* STATUS (read-only, live) */
#define AUDIO_STATUS_THRESH    (1u << 0) /* LEVEL >= THRESHOLD */
#define AUDIO_STATUS_EMPTY     (1u << 1) /* LEVEL == 0 */
#define AUDIO_STATUS_FULL      (1u << 2) /* LEVEL == DEPTH: arriving samples are dropped */
#define AUDIO_STATUS_FILE_DONE (1u << 3) /* every sample of the file has arrived */
#define AUDIO_STATUS_EOF       (1u << 4) /* FILE_DONE and the FIFO is empty: nothing more will come */
#define AUDIO_STATUS_RUNNING   (1u << 5) /* CTRL.ENABLE */

/* IRQ_STATUS / IRQ_EN. THRESH mirrors STATUS.THRESH (a level: it clears when the FIFO is read
 * below the threshold; writing it has no effect); the others are sticky until written with 1. */
#define AUDIO_IRQ_THRESH    (1u << 0)
#define AUDIO_IRQ_OVERRUN   (1u << 1) /* a sample was dropped */
#define AUDIO_IRQ_FILE_DONE (1u << 2) /* the last sample of the file arrived */
#define AUDIO_IRQ_EOF       (1u << 3) /* STATUS.EOF became true */
#define AUDIO_IRQ_UNDERRUN  (1u << 4) /* DATA was read while the FIFO was empty */
#define AUDIO_IRQ_ALL       0x1Fu

#endif
