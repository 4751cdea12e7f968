/* mfcc: streaming MFCC front-end on the board, in two builds of this source (variants.cmake):
 *   MFCC_ACCEL=1  log-Mel on the Fbank accelerator (interrupt driven, the core sleeps in wfi),
 *   MFCC_ACCEL=0  log-Mel in software on the core (fbank_math.c, the accelerator's bit-exact
 *                 datapath), so both paths give the same features and the speed-up is measurable.
 * Then DCT-II (mfcc_math.c), optional per-frame log-Mel mean removal, q8.7 or int8 output.
 *
 * Data flow: firmware/hal/audio_stream.h (audio input -> DMA -> SRAM ring, one interrupt per
 * hop; the ring keeps a frame intact while the next hop arrives). Frame t (samples t*HOP ..
 * t*HOP+FRAME-1) is processed once those samples are in the ring.
 *
 * UART output (parsed by tests/firmware/mfcc_check.cpp):
 *   MFCC path=accel|sw fs= frame= hop= fft= mel= flo= fhi= spec= win= sym= pre= ceps= out= frac= norm= floor=
 *   F <t> <c0> ... <c(ceps-1)>      q8.7 ints (out=q7) or int8 ints of scale 2^frac (out=int8)
 *   SUMMARY path= frames= samples= cycles_per_frame= ... load= overruns= late= ...
 * Exit 0 at the end of the audio when no sample was lost, every frame was processed before the
 * DMA came back to overwrite it (late=0), and no device reported an error. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "audio_in.h"
#include "audio_stream.h"
#include "csr.h"
#include "dma.h"
#include "fbank.h"
#include "fbank_math.h"
#include "irq.h"
#include "mfcc_math.h"
#include "timer.h"

/* ---- build-time configuration (defaults: the 40/20 ms, FFT 1024, 40 Mel 20-4000 Hz) */
#ifndef MFCC_ACCEL
#define MFCC_ACCEL 1
#endif
#ifndef MFCC_RATE
#define MFCC_RATE 16000
#endif
#ifndef MFCC_FRAME_MS
#define MFCC_FRAME_MS 40
#endif
#ifndef MFCC_HOP_MS
#define MFCC_HOP_MS 20
#endif
#ifndef MFCC_FFT
#define MFCC_FFT 1024
#endif
#ifndef MFCC_NUM_MEL
#define MFCC_NUM_MEL 40
#endif
#ifndef MFCC_F_LOW
#define MFCC_F_LOW 20
#endif
#ifndef MFCC_F_HIGH
#define MFCC_F_HIGH 4000
#endif
#ifndef MFCC_MAGNITUDE
#define MFCC_MAGNITUDE 0 /* 0: power spectrum, 1: magnitude */
#endif
#ifndef MFCC_WINDOW
#define MFCC_WINDOW FBANK_WIN_HANN
#endif
#ifndef MFCC_PREEMPH_Q15
#define MFCC_PREEMPH_Q15 0
#endif
#ifndef MFCC_NUM_CEPS
#define MFCC_NUM_CEPS 13
#endif
#ifndef MFCC_INT8_FRAC
#define MFCC_INT8_FRAC (-1) /* -1: q8.7 int16 output; 0..7: int8 with scale 2^frac */
#endif
#ifndef MFCC_NORM
#define MFCC_NORM 0 /* 1: subtract each frame's log-Mel mean before the DCT (c0 becomes 0) */
#endif
#ifndef CIMVP_CLOCK_HZ
#define CIMVP_CLOCK_HZ 100000000u /* configs/default.yaml soc.clock_hz: mtime -> core cycles */
#endif

#define FRAME (MFCC_RATE / 1000 * MFCC_FRAME_MS)
#define HOP (MFCC_RATE / 1000 * MFCC_HOP_MS)
#define RING AUDIO_STREAM_RING_LEN(HOP)
#define CYCLES_PER_TICK (CIMVP_CLOCK_HZ / CIMVP_MTIME_HZ)

_Static_assert(HOP % AUDIO_STREAM_BURST == 0, "a hop must be whole DMA bursts (the tail logic counts bursts)");
/* Frame t is complete when the DMA finishes hop t+FRAME/HOP-1; the DMA then overwrites frame t's
 * first sample only RING - FRAME samples later: that is the time budget to process it. */
_Static_assert(RING >= FRAME + HOP, "the ring must keep a frame while the next hop arrives");
_Static_assert(FRAME <= MFCC_FFT, "frame longer than the FFT");

static int16_t ring[RING] __attribute__((aligned(4)));
static int16_t logmel[MFCC_NUM_MEL] __attribute__((aligned(4)));
static int16_t ceps[MFCC_NUM_CEPS];
static int16_t dct_table[MFCC_NUM_MEL * MFCC_NUM_CEPS];
#if !MFCC_ACCEL
static uint32_t fb_tables[FBANK_TABLE_WORDS(FRAME, MFCC_FFT, MFCC_NUM_MEL)];
static int32_t fb_work[FBANK_WORK_WORDS(MFCC_FFT, MFCC_NUM_MEL)];
static int16_t frame_buf[FRAME];
static fbank_t fb;
#endif

static void build_config(fbank_config_t *c) {
    fbank_config_default(c);
    c->sample_rate_hz = MFCC_RATE;
    c->frame_len = FRAME;
    c->frame_shift = HOP;
    c->fft_size = MFCC_FFT;
    c->window = MFCC_WINDOW;
    c->preemph_q15 = MFCC_PREEMPH_Q15;
    c->num_mel = MFCC_NUM_MEL;
    c->f_low_hz = MFCC_F_LOW;
    c->f_high_hz = MFCC_F_HIGH;
    c->spectrum = MFCC_MAGNITUDE ? FBANK_SPEC_MAGNITUDE : FBANK_SPEC_POWER;
    c->out_format = FBANK_OUT_Q7_INT16; /* the DCT takes q8.7; int8 is applied after it */
}

/* Log-Mel of frame t into logmel[]. Returns 0, or an Fbank error code. */
static uint32_t log_mel_frame(uint32_t t) {
#if MFCC_ACCEL
    return audio_stream_fbank_frame(t);
#else
    const uint32_t start = (t * HOP) % RING;
    const uint32_t first = RING - start < FRAME ? RING - start : FRAME;
    memcpy(frame_buf, &ring[start], first * sizeof(int16_t));
    memcpy(frame_buf + first, ring, (FRAME - first) * sizeof(int16_t));
    const int16_t prev = t == 0 ? 0 : ring[(start + RING - 1u) % RING];
    fbank_process_frame(&fb, frame_buf, prev, NULL, fb_work, logmel);
    return 0;
#endif
}

static void emit_frame(uint32_t t) {
    printf("F %lu", (unsigned long)t);
#if MFCC_INT8_FRAC >= 0
    int8_t q[MFCC_NUM_CEPS];
    mfcc_q7_to_int8(ceps, q, MFCC_NUM_CEPS, MFCC_INT8_FRAC);
    for (unsigned j = 0; j < MFCC_NUM_CEPS; ++j) printf(" %d", (int)q[j]);
#else
    for (unsigned j = 0; j < MFCC_NUM_CEPS; ++j) printf(" %d", (int)ceps[j]);
#endif
    printf("\n");
}

int main(void) {
    fbank_config_t cfg;
    build_config(&cfg);
    const fbank_status_t vs = fbank_validate(&cfg);
    if (vs != FBANK_OK) {
        printf("mfcc: bad configuration: %s\n", fbank_status_str(vs));
        return 2;
    }
    if (mfcc_dct_init(dct_table, MFCC_NUM_MEL, MFCC_NUM_CEPS) != 0) {
        printf("mfcc: bad DCT size\n");
        return 2;
    }
#if MFCC_ACCEL
    audio_stream_fbank_init(&cfg, ring, RING, logmel);
#else
    /* Table set-up (about 2.5 M cycles) happens before the audio starts. */
    if (fbank_init(&fb, &cfg, fb_tables, sizeof fb_tables / sizeof fb_tables[0]) != FBANK_OK) {
        printf("mfcc: fbank_init failed\n");
        return 2;
    }
#endif
    printf("MFCC path=%s fs=%u frame=%u hop=%u fft=%u mel=%u flo=%u fhi=%u spec=%s win=%u sym=0 pre=%u "
           "ceps=%u out=%s frac=%d norm=%u floor=%d\n",
           MFCC_ACCEL ? "accel" : "sw", (unsigned)MFCC_RATE, (unsigned)FRAME, (unsigned)HOP, (unsigned)MFCC_FFT,
           (unsigned)MFCC_NUM_MEL, (unsigned)MFCC_F_LOW, (unsigned)MFCC_F_HIGH, MFCC_MAGNITUDE ? "mag" : "power",
           (unsigned)MFCC_WINDOW, (unsigned)MFCC_PREEMPH_Q15, (unsigned)MFCC_NUM_CEPS,
           MFCC_INT8_FRAC >= 0 ? "int8" : "q7", MFCC_INT8_FRAC >= 0 ? MFCC_INT8_FRAC : 7, (unsigned)MFCC_NORM,
           (int)cfg.log_floor_q7);

    const uint64_t t_start = timer_now();
    audio_stream_start(ring, HOP);

    uint32_t frames = 0, total = UINT32_MAX, errors = 0, late = 0;
    uint64_t proc_cycles = 0, max_cycles = 0, proc_ticks = 0;
    for (;;) {
        const uint32_t avail = total != UINT32_MAX ? total : audio_stream_written();
        if (frames * HOP + FRAME <= avail) {
            irq_global_enable();
            const uint64_t c0 = csr_cycle64(), m0 = timer_now();
            const uint32_t err = log_mel_frame(frames);
#if MFCC_NORM
            mfcc_frame_mean_sub(logmel, MFCC_NUM_MEL);
#endif
            mfcc_dct(dct_table, MFCC_NUM_MEL, MFCC_NUM_CEPS, logmel, ceps);
            const uint64_t dc = csr_cycle64() - c0;
            proc_ticks += timer_now() - m0;
            proc_cycles += dc;
            if (dc > max_cycles) max_cycles = dc;
            /* Late: the DMA may already be overwriting this frame's first samples (the hop
             * after the written ones is in flight). The FIFO would not overrun, the features would
             * silently be wrong: so this is the real-time check of the processing. */
            if (total == UINT32_MAX && audio_stream_written() + HOP > frames * HOP + RING) late++;
            if (err) {
                printf("mfcc: Fbank error %lu at frame %lu\n", (unsigned long)err, (unsigned long)frames);
                errors++;
            }
            emit_frame(frames);
            frames++;
            irq_global_disable();
        } else if (audio_stream_idle(&total)) {
            break; /* the tail is in and every complete frame is done */
        }
    }
    const uint64_t elapsed_ticks = timer_now() - t_start;
    irq_global_enable();

    const uint32_t overruns = audio_in_overruns();
    const uint32_t dma_errors = audio_stream_dma_errors();
    const int eof = audio_in_eof();
    const uint64_t elapsed = elapsed_ticks * CYCLES_PER_TICK;
    const uint64_t busy = (elapsed_ticks - audio_stream_sleep_ticks()) * CYCLES_PER_TICK;
    const uint32_t n = frames ? frames : 1u;
    /* load in units of 0.01 %: busy (not in wfi) over elapsed since the audio started */
    const uint32_t load_x100 = elapsed ? (uint32_t)(busy * 10000u / elapsed) : 0u;
    const uint32_t proc_x100 = elapsed ? (uint32_t)(proc_cycles * 10000u / elapsed) : 0u;
    printf("SUMMARY path=%s frames=%lu samples=%lu cycles_per_frame=%lu max_cycles_per_frame=%lu "
           "latency_cycles_per_frame=%lu elapsed_cycles=%llu busy_cycles=%llu load=%lu.%02lu%% "
           "proc_load=%lu.%02lu%% overruns=%lu late=%lu dma_errors=%lu fbank_errors=%lu eof=%d\n",
           MFCC_ACCEL ? "accel" : "sw", (unsigned long)frames, (unsigned long)total,
           (unsigned long)(proc_cycles / n), (unsigned long)max_cycles,
           (unsigned long)(proc_ticks * CYCLES_PER_TICK / n), (unsigned long long)elapsed,
           (unsigned long long)busy, (unsigned long)(load_x100 / 100), (unsigned long)(load_x100 % 100),
           (unsigned long)(proc_x100 / 100), (unsigned long)(proc_x100 % 100), (unsigned long)overruns,
           (unsigned long)late, (unsigned long)dma_errors, (unsigned long)errors, eof);
    return (overruns == 0 && late == 0 && dma_errors == 0 && errors == 0 && eof) ? 0 : 1;
}
