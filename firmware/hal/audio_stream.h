/* Streaming audio capture into an SRAM ring, shared by the front-end programs (mfcc, kws).
 *
 * The audio input requests DMA channel AUDIO_STREAM_DMA_CH (request line CIMVP_DRQ_AUDIO) every
 * AUDIO_STREAM_BURST samples; the channel moves them into `ring` in passes of 2 hops with HALF
 * and DONE interrupts, i.e. one interrupt per hop. The ring holds AUDIO_STREAM_PASSES passes and
 * each DONE handler programs the destination of the pass after next (the DMA latches DST at each
 * wrap), so a frame longer than a hop stays intact while the next hop arrives.
 *
 * Frame t (samples t*hop .. t*hop+frame-1, ring index modulo the ring length) is complete once
 * audio_stream_written() >= t*hop + frame. Interrupts are masked between calls (the caller
 * unmasks them while it processes a frame); audio_stream_sleep() waits for the next one. */
#ifndef CIMVP_HAL_AUDIO_STREAM_H
#define CIMVP_HAL_AUDIO_STREAM_H

#include <stdint.h>

#include "fbank_math.h"

#define AUDIO_STREAM_BURST 16u /* FIFO threshold = DMA items per request (DMA_CTRL_BURST: at most 16) */
#define AUDIO_STREAM_PASSES 2u /* DMA passes of 2 hops each in the ring */
#define AUDIO_STREAM_DMA_CH 0u
#define AUDIO_STREAM_RING_LEN(hop) (AUDIO_STREAM_PASSES * 2u * (hop))

/* Sets the interrupt handlers, starts the DMA into ring (AUDIO_STREAM_RING_LEN(hop) samples) and
 * the audio playback (time 0 of the audio is now). Returns with interrupts globally masked.
 * hop must be a multiple of AUDIO_STREAM_BURST. */
void audio_stream_start(int16_t *ring, uint32_t hop);

/* Samples in the ring so far (a multiple of the hop until the end of the file). */
uint32_t audio_stream_written(void);
/* The last sample of the file has arrived (the tail may still be in the FIFO). */
int audio_stream_file_done(void);
/* After file_done: lets the DMA finish, stops it, reads the tail (fewer than a burst) through
 * DATA into the ring and returns the total number of samples in the stream. */
uint32_t audio_stream_finish(void);
/* Sleeps in wfi until an interrupt has been handled; call and return with interrupts masked. */
void audio_stream_sleep(void);
/* The main loop's idle step, when no complete frame is waiting: 1 once *total is known (the
 * file's tail is in, every frame can be processed), else collects the tail into *total if the
 * file has ended, or sleeps until the next interrupt, and returns 0. *total starts UINT32_MAX. */
int audio_stream_idle(uint32_t *total);
/* mtime ticks spent asleep in audio_stream_sleep() (and so in audio_stream_fbank_frame()). */
uint64_t audio_stream_sleep_ticks(void);
/* DMA errors seen (bus or configuration), counted by the handler or still flagged. */
uint32_t audio_stream_dma_errors(void);

/* The Fbank accelerator on the same ring: configures it (cfg), its source ring and destination
 * out (num_mel values), and its interrupt handler. */
void audio_stream_fbank_init(const fbank_config_t *cfg, int16_t *ring, uint32_t ring_len, int16_t *out);
/* Runs the Fbank on frame t (the accelerator advances by one hop per run) and sleeps until it is
 * done; call with interrupts enabled. Returns 0, or the accelerator's error code. */
uint32_t audio_stream_fbank_frame(uint32_t t);

#endif
