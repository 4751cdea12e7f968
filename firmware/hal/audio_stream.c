#include "audio_stream.h"

#include "audio_in.h"
#include "csr.h"
#include "dma.h"
#include "fbank.h"
#include "irq.h"
#include "memory_map.h"
#include "timer.h"

/* Interrupt state. `written` = samples the DMA has put in the ring (a multiple of the hop). */
static int16_t *s_ring;
static uint32_t s_hop;
static volatile uint32_t s_written;
static volatile uint32_t s_passes_done;
static volatile uint32_t s_dma_errors;
static volatile uint32_t s_file_done;
static volatile uint32_t s_fbank_result; /* FBANK_STATUS_DONE / _ERROR of the last run, 0 = running */
static uint64_t s_sleep_ticks;

static void dma_pass_dst(uint32_t pass) {
    DMA_CH_REG(AUDIO_STREAM_DMA_CH, DMA_CH_DST) = (uint32_t)(uintptr_t)&s_ring[(pass % AUDIO_STREAM_PASSES) * 2u * s_hop];
}

/* Idempotent: a repeated entry finds no flag (they are cleared here). */
static void on_dma(unsigned source) {
    (void)source;
    const uint32_t s = dma_status(AUDIO_STREAM_DMA_CH);
    if (!s) return;
    dma_clear(AUDIO_STREAM_DMA_CH, s);
    if (s & DMA_STATUS_HALF) s_written += s_hop;
    if (s & DMA_STATUS_DONE) {
        s_written += s_hop;
        /* Pass passes_done+1 is running with the DST latched at this wrap: program the next. */
        s_passes_done++;
        dma_pass_dst(s_passes_done + 1u);
    }
    if (s & (DMA_STATUS_BUS_ERR | DMA_STATUS_CFG_ERR)) s_dma_errors++;
}

static void on_audio(unsigned source) {
    (void)source;
    const uint32_t s = audio_in_irq_status() & AUDIO_IRQ_FILE_DONE;
    if (!s) return;
    audio_in_irq_clear(s);
    s_file_done = 1;
}

static void on_fbank(unsigned source) {
    (void)source;
    const uint32_t s = fbank_status() & (FBANK_STATUS_DONE | FBANK_STATUS_ERROR);
    if (!s) return;
    fbank_clear();
    s_fbank_result = s;
}

void audio_stream_start(int16_t *ring, uint32_t hop) {
    s_ring = ring;
    s_hop = hop;
    irq_set_external_handler(CIMVP_IRQ_DMA, on_dma);
    irq_set_external_handler(CIMVP_IRQ_AUDIO, on_audio);
    irq_enable(MIE_MEIE);
    irq_global_disable();
    audio_in_set_threshold(AUDIO_STREAM_BURST);
    audio_in_irq_clear(AUDIO_IRQ_ALL);
    audio_in_set_irq(AUDIO_IRQ_FILE_DONE);
    dma_start_audio_pingpong(AUDIO_STREAM_DMA_CH, CIMVP_DRQ_AUDIO, AUDIO_DATA_ADDR, ring, hop, AUDIO_STREAM_BURST);
    dma_pass_dst(1); /* latched at the first wrap */
    audio_in_start(1);
}

uint32_t audio_stream_written(void) { return s_written; }

int audio_stream_file_done(void) { return s_file_done || (audio_in_status() & AUDIO_STATUS_FILE_DONE); }

uint32_t audio_stream_finish(void) {
    const uint32_t kept = audio_in_length() - audio_in_overruns();
    const uint32_t ring_len = AUDIO_STREAM_RING_LEN(s_hop);
    /* Every DMA request moves exactly a burst, so the DMA is done when the FIFO holds the
     * remainder of the kept samples modulo the burst (it never starts another request). */
    while (audio_in_level() != kept % AUDIO_STREAM_BURST) {
    }
    AUDIO_REG(AUDIO_CTRL) = AUDIO_CTRL_ENABLE; /* drop the DMA request */
    dma_stop(AUDIO_STREAM_DMA_CH);
    while (dma_busy(AUDIO_STREAM_DMA_CH)) {
    }
    on_dma(CIMVP_IRQ_DMA); /* account for a HALF/DONE not yet taken */
    uint32_t n = kept - audio_in_level();
    while (!(audio_in_status() & AUDIO_STATUS_EMPTY)) s_ring[n++ % ring_len] = audio_in_read();
    return n;
}

void audio_stream_sleep(void) {
    const uint64_t t0 = timer_now();
    cpu_wfi();
    s_sleep_ticks += timer_now() - t0;
    irq_global_enable(); /* take the interrupt that woke us */
    irq_global_disable();
}

uint64_t audio_stream_sleep_ticks(void) { return s_sleep_ticks; }

int audio_stream_idle(uint32_t *total) {
    if (*total != UINT32_MAX) return 1;
    if (audio_stream_file_done()) *total = audio_stream_finish();
    else audio_stream_sleep();
    return 0;
}

uint32_t audio_stream_dma_errors(void) {
    const uint32_t flags = dma_status(AUDIO_STREAM_DMA_CH) & (DMA_STATUS_BUS_ERR | DMA_STATUS_CFG_ERR);
    return s_dma_errors + (flags ? 1u : 0u);
}

void audio_stream_fbank_init(const fbank_config_t *cfg, int16_t *ring, uint32_t ring_len, int16_t *out) {
    fbank_configure(cfg);
    fbank_set_source(ring, ring_len, 0);
    fbank_set_dest(out, 1);
    irq_set_external_handler(CIMVP_IRQ_FBANK, on_fbank);
}

uint32_t audio_stream_fbank_frame(uint32_t t) {
    /* SRC_START advances by a hop per run (CTRL.ADVANCE), so the accelerator follows the stream. */
    s_fbank_result = 0;
    fbank_start(FBANK_CTRL_IRQ_EN | FBANK_CTRL_ADVANCE | (t == 0 ? FBANK_CTRL_NO_PREV : 0u));
    irq_global_disable(); /* so the completion cannot slip in between the check and the wfi */
    while (!s_fbank_result) audio_stream_sleep();
    irq_global_enable();
    return (s_fbank_result & FBANK_STATUS_ERROR) ? fbank_error_code() : 0u;
}
