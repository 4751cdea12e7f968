/* mfcc: streaming MFCC front-end on the board, in two builds of this source (variants.cmake):
 *   MFCC_ACCEL=1  log-Mel on the Fbank accelerator (interrupt driven, the core sleeps in wfi),
 *   MFCC_ACCEL=0  log-Mel in software on the core (fbank_math.c, the accelerator's bit-exact
 *                 datapath), so both paths give the same features and the speed-up is measurable.
 * Then DCT-II (mfcc_math.c), optional per-frame log-Mel mean removal, q8.7 or int8 output.
 *
 * Data flow: the audio FIFO requests the DMA (line 0) every BURST samples; DMA channel 0 moves
 * them into `ring` (RING samples) in passes of 2 hops with HALF and DONE interrupts, i.e. one
 * interrupt per hop. The ring holds PASSES passes: each DONE handler programs the destination of
 * the pass after next (the DMA latches DST at each wrap), so the ring is longer than the
 * ping-pong pair and a frame (longer than a hop) stays intact while the next hop arrives.
 * A frame t (samples t*HOP .. t*HOP+FRAME-1) is processed once those samples are in the ring.
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
#define BURST 16u /* audio FIFO threshold = DMA items per request (DMA_CTRL_BURST: at most 16) */
#define PASSES 2u /* DMA passes (2 hops each) in the ring */
#define RING (PASSES * 2u * HOP)
#define DMA_CH 0u
#define AUDIO_DRQ 0u /* request line of the audio input (dma.request_lines, line 0) */
#define CYCLES_PER_TICK (CIMVP_CLOCK_HZ / CIMVP_MTIME_HZ)

_Static_assert(HOP % BURST == 0, "a hop must be whole DMA bursts (the tail logic counts bursts)");
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

/* Interrupt state. `written` = samples the DMA has put in the ring (a multiple of HOP). */
static volatile uint32_t written;
static volatile uint32_t passes_done;
static volatile uint32_t dma_errors;
static volatile uint32_t file_done;
static volatile uint32_t fbank_result; /* FBANK_STATUS_DONE / _ERROR of the last run, 0 = running */

static uint64_t sleep_ticks; /* mtime ticks spent in wfi */

static void dma_pass_dst(uint32_t pass) {
    DMA_CH_REG(DMA_CH, DMA_CH_DST) = (uint32_t)(uintptr_t)&ring[(pass % PASSES) * 2u * HOP];
}

/* Idempotent: a repeated entry finds no flag (they are cleared here). */
static void on_dma(unsigned source) {
    (void)source;
    const uint32_t s = dma_status(DMA_CH);
    if (!s) return;
    dma_clear(DMA_CH, s);
    if (s & DMA_STATUS_HALF) written += HOP;
    if (s & DMA_STATUS_DONE) {
        written += HOP;
        /* Pass passes_done+1 is running with the DST latched at this wrap: program the next. */
        passes_done++;
        dma_pass_dst(passes_done + 1u);
    }
    if (s & (DMA_STATUS_BUS_ERR | DMA_STATUS_CFG_ERR)) dma_errors++;
}

static void on_audio(unsigned source) {
    (void)source;
    const uint32_t s = audio_in_irq_status() & AUDIO_IRQ_FILE_DONE;
    if (!s) return;
    audio_in_irq_clear(s);
    file_done = 1;
}

#if MFCC_ACCEL
static void on_fbank(unsigned source) {
    (void)source;
    const uint32_t s = fbank_status() & (FBANK_STATUS_DONE | FBANK_STATUS_ERROR);
    if (!s) return;
    fbank_clear();
    fbank_result = s;
}
#endif

/* Sleeps until an interrupt has been handled. Called with interrupts masked so that a wake-up
 * cannot slip between the caller's check and the wfi; returns with them masked again. */
static void sleep_once(void) {
    const uint64_t t0 = timer_now();
    cpu_wfi();
    sleep_ticks += timer_now() - t0;
    irq_global_enable();
    irq_global_disable();
}

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
    /* SRC_START advances by HOP per run (CTRL.ADVANCE), so the accelerator follows the stream. */
    fbank_result = 0;
    fbank_start(FBANK_CTRL_IRQ_EN | FBANK_CTRL_ADVANCE | (t == 0 ? FBANK_CTRL_NO_PREV : 0u));
    while (!fbank_result) sleep_once();
    return (fbank_result & FBANK_STATUS_ERROR) ? fbank_error_code() : 0u;
#else
    const uint32_t start = (t * HOP) % RING;
    const uint32_t first = RING - start < FRAME ? RING - start : FRAME;
    memcpy(frame_buf, &ring[start], first * sizeof(int16_t));
    memcpy(frame_buf + first, ring, (FRAME - first) * sizeof(int16_t));
    const int16_t prev = t == 0 ? 0 : ring[(start + RING - 1u) % RING];
    fbank_process_frame(&fb, frame_buf, prev, fb_work, logmel);
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

/* After the last sample arrived: let the DMA finish its last burst, stop it, and read the rest
 * (fewer than BURST samples, below the FIFO threshold so never requested) through DATA. */
static void read_tail(uint32_t *total) {
    const uint32_t kept = audio_in_length() - audio_in_overruns();
    /* Every DMA request moves exactly BURST samples, so the DMA is done when the FIFO holds
     * the remainder of the kept samples modulo BURST (and it never starts another request). */
    while (audio_in_level() != kept % BURST) {
    }
    AUDIO_REG(AUDIO_CTRL) = AUDIO_CTRL_ENABLE; /* drop the DMA request */
    dma_stop(DMA_CH);
    while (dma_busy(DMA_CH)) {
    }
    on_dma(CIMVP_IRQ_DMA); /* account for a HALF/DONE not yet taken */
    uint32_t n = kept - audio_in_level();
    while (!(audio_in_status() & AUDIO_STATUS_EMPTY)) ring[n++ % RING] = audio_in_read();
    *total = n;
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
    fbank_configure(&cfg);
    fbank_set_source(ring, RING, 0);
    fbank_set_dest(logmel, 1);
    irq_set_external_handler(CIMVP_IRQ_FBANK, on_fbank);
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

    irq_set_external_handler(CIMVP_IRQ_DMA, on_dma);
    irq_set_external_handler(CIMVP_IRQ_AUDIO, on_audio);
    irq_enable(MIE_MEIE);
    irq_global_disable();

    audio_in_set_threshold(BURST);
    audio_in_irq_clear(AUDIO_IRQ_ALL);
    audio_in_set_irq(AUDIO_IRQ_FILE_DONE);
    dma_start_audio_pingpong(DMA_CH, AUDIO_DRQ, AUDIO_DATA_ADDR, ring, HOP, BURST);
    dma_pass_dst(1); /* latched at the first wrap */
    const uint64_t t_start = timer_now();
    audio_in_start(1);

    uint32_t frames = 0, total = UINT32_MAX, errors = 0, late = 0;
    uint64_t proc_cycles = 0, max_cycles = 0, proc_ticks = 0;
    for (;;) {
        const uint32_t avail = total != UINT32_MAX ? total : written;
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
             * after `written` is in flight). The FIFO would not overrun, the features would
             * silently be wrong: so this is the real-time check of the processing. */
            if (total == UINT32_MAX && written + HOP > frames * HOP + RING) late++;
            if (err) {
                printf("mfcc: Fbank error %lu at frame %lu\n", (unsigned long)err, (unsigned long)frames);
                errors++;
            }
            emit_frame(frames);
            frames++;
            irq_global_disable();
        } else if (total != UINT32_MAX) {
            break; /* the tail is in and every complete frame is done */
        } else if (file_done || (audio_in_status() & AUDIO_STATUS_FILE_DONE)) {
            read_tail(&total);
        } else {
            sleep_once();
        }
    }
    const uint64_t elapsed_ticks = timer_now() - t_start;
    irq_global_enable();

    const uint32_t overruns = audio_in_overruns();
    const uint32_t dma_flags = dma_status(DMA_CH) & (DMA_STATUS_BUS_ERR | DMA_STATUS_CFG_ERR);
    const int eof = audio_in_eof();
    const uint64_t elapsed = elapsed_ticks * CYCLES_PER_TICK;
    const uint64_t busy = (elapsed_ticks - sleep_ticks) * CYCLES_PER_TICK;
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
           (unsigned long)late, (unsigned long)(dma_errors + (dma_flags ? 1u : 0u)), (unsigned long)errors, eof);
    return (overruns == 0 && late == 0 && dma_errors == 0 && dma_flags == 0 && errors == 0 && eof) ? 0 : 1;
}
