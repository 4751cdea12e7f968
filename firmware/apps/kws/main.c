/* kws: streaming keyword spotting on the board (issue 5), LSTM or TDNN, the model type read
 * from the embedded descriptor (model.kwsd, docs/kws.md). Builds (variants.cmake):
 *   KWS_NPU=1   matrix-vector products on the analog NPU (one descriptor chain per frame of a
 *               window, one interrupt, the core sleeps in wfi); weights preloaded with --npu-image
 *   KWS_NPU=0   the same integer model on the CPU (weights from the embedded array image), to
 *               measure the NPU's speed-up and energy saving
 *   KWS_CLIP=1  classify the first second (49 frames) of the audio: `RESULT <label> <score>`
 *               (the stream's window classification, once)
 *
 * Per 20 ms hop: log-Mel on the Fbank accelerator (the mfcc app's DMA ring; the Mel band the
 * model was trained on, from its descriptor, and the Fbank's +-1 LSB dither if the model was
 * trained with it, flags bit 2, the generator restarted at the stream start), DCT to 40
 * cepstra into a ring of the last num_frames frames. Every STRIDE hops (TDNN_STRIDE,
 * LSTM_STRIDE) the window of the last num_frames frames is classified exactly as in training
 * and in the clip build: if the model was trained with a floor in the Mel power (flags bit 5,
 * mfcc_log_floor: flat, below the window's mean; bit 6, mfcc_noise_floor: per band, at the level
 * of the window's quietest frames) the ring holds log-Mel frames and the window's cepstra are
 * computed after its floor; then per-utterance cepstral mean
 * removal over the window if the model was
 * trained with it (flags bit 0, mfcc_cmn), input codes
 *   s8 = sat8((mfcc_q7 - in_offset_q7 + 2^(in_shift-1)) >> in_shift), u8 = s8 + 128,
 * then the model frame by frame:
 *   LSTM: one step per frame from a zero state: the gate matrix on the NPU (3 descriptors: i|f
 *         sigmoid LUT, g tanh LUT, o sigmoid LUT), the cell update on the CPU; the FC layer
 *         on the last h (or, flags bit 3 / 4, h averaged / max over the steps) gives the logits;
 *   TDNN: each time-delay layer's output frame (the layers in one chain; frames no later layer
 *         reads are skipped), then the average pool over the last frames and the FC layer.
 * The window's steps run between hops (the front-end of a new hop goes first), so the core keeps
 * up with the audio however long a window takes; a window due while the previous one still runs
 * is skipped (SUMMARY skipped=, 0 on the NPU builds). A causal mean over the past frames instead
 * of the window's own (what an incremental per-hop stream must use) cost the committed models
 * 4-25 points of keyword hits on test streams (docs/kws.md "Streaming").
 * Before the audio starts, the NPU builds calibrate each column's offset on the layers fed with
 * offset-binary codes (calibrate(): the static programming error times the 128 input offset).
 * Posteriors (softmax of the logits) are averaged over the decisions of the last SMOOTH_MS; a
 * keyword whose average passes the model's threshold (its operating point, descriptor bytes
 * 28-29, chosen on the validation streams by scripts/kws_threshold.py) fires
 * `DETECT <label> <time_ms> <score>` (time_ms: the end of the window's audio), then no
 * detection for REFRACTORY_MS (to the nearest decision).
 *
 * Exit: 0 at the end of the audio (also on silence or audio shorter than a window); 3 if the
 * model descriptor, the NPU or the image do not match (message first, no inference); 1 if
 * samples were lost, a hop was processed too late or a device reported an error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_in.h"
#include "audio_stream.h"
#include "csr.h"
#include "dma.h"
#include "fbank.h"
#include "fbank_math.h"
#include "irq.h"
#include "mfcc_math.h"
#include "npu.h"
#include "timer.h"
#include "xorshift.h"

#if !KWS_NPU
#include <math.h>
#endif

#ifndef KWS_NPU
#define KWS_NPU 1
#endif
#ifndef KWS_CLIP
#define KWS_CLIP 0
#endif
#ifndef CIMVP_CLOCK_HZ
#define CIMVP_CLOCK_HZ 100000000u /* configs/default.yaml soc.clock_hz: mtime -> core cycles */
#endif
#ifndef SMOOTH_MS
#define SMOOTH_MS 300 /* posterior averaging window */
#endif
#ifndef REFRACTORY_MS
#define REFRACTORY_MS 800 /* no second detection this soon after one */
#endif
#ifndef LSTM_STRIDE
#define LSTM_STRIDE 13 /* hops between LSTM windows: 49 steps / 13 hops, ~4 gate steps per hop */
#endif
#ifndef TDNN_STRIDE
#define TDNN_STRIDE 8 /* hops between TDNN windows (160 ms; 4 doubles the core work for ~1 point, docs/kws.md) */
#endif

/* ---- front-end (the mfcc app's defaults: 40 ms frames, 20 ms hop, 40 Mel, 40 cepstra) ----- */
#define RATE 16000u
#define FRAME 640u
#define HOP 320u
#define HOP_MS 20u
#define FRAME_MS 40u
#define NUM_MEL 40u
#define NUM_CEPS 40u
#define RING AUDIO_STREAM_RING_LEN(HOP)
#define CYCLES_PER_TICK (CIMVP_CLOCK_HZ / CIMVP_MTIME_HZ)

/* ---- model limits of this firmware --------------------------------------------------------- */
#define WIN 49u          /* num_frames: one decision window */
#define NUM_CLASSES 12u  /* Speech Commands: 10 keywords, silence, unknown */
#define NUM_KEYWORDS 10u /* classes 0..9 may fire a detection */
#define MAX_LAYERS 6u
#define MAX_HIDDEN 192u /* LSTM cells; the array decides what fits (mapping.replication) */
#define MAX_TDNN 4u
#define MAX_WIDTH 128u   /* TDNN layer width */
#define MAX_CTX 5u
#define MAX_HIST 17u     /* (ctx - 1) * dilation + 1 */
#define MAX_POOL 32u
#define MAX_COLS (4u * MAX_HIDDEN) /* the widest layer: the LSTM gates (a TDNN layer is at most MAX_WIDTH) */

static const char *const class_names[NUM_CLASSES] = {"yes", "no",  "up",   "down", "left",    "right",
                                                     "on",  "off", "stop", "go",   "silence", "unknown"};

/* ---- descriptor -------------------------------------------------------------------------- */
typedef struct {
    uint16_t rows, cols, row_off, col_off;
    uint8_t shift, act, act_frac, ctx, dil;
    const int32_t *bias;
} layer_t;

typedef struct {
    uint8_t type; /* 1 LSTM, 2 TDNN */
    uint8_t nlayers, in_shift, in_frac, classes, hidden, act_frac, logit_frac, relu_frac, c_frac, tanh_c_frac, flags;
    uint16_t num_ceps, num_frames;
    uint16_t f_low, f_high; /* [Hz] the Mel band of the model's features */
    int16_t floor_rel;      /* q8.7: the log floor below the window's mean Mel power (flags bit 5) */
    uint16_t threshold;     /* [permille] smoothed keyword posterior that fires a detection */
    int16_t in_offset[NUM_CEPS];
    layer_t layer[MAX_LAYERS];
    const int8_t *tanh_lut; /* LSTM: 512 entries, index c(Q tanh_c_frac) + 256 */
} model_t;

extern const uint8_t kws_kwsd[], kws_kwsd_end[], kws_img[], kws_img_end[];
static model_t M;

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
__attribute__((unused)) static uint32_t le32(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static int refuse(const char *why, long a, long b) {
    printf("kws: model refused: ");
    printf(why, a, b);
    printf("\n");
    return 3;
}

#if !KWS_NPU
/* Weights of each layer on the CPU: found in the embedded array image (cim_tile/npu_image.h). */
static const int8_t *layer_w[MAX_LAYERS];
static uint32_t layer_stride[MAX_LAYERS];

static int find_image_weights(void) {
    const uint8_t *im = kws_img;
    const uint32_t size = (uint32_t)(kws_img_end - kws_img);
    if (size < 32 || memcmp(im, "CIMVPNPU", 8) != 0 || le32(im + 8) != 1)
        return refuse("embedded array image missing or not a version-1 cimvp NPU image (%ld bytes)", (long)size, 0);
    const uint32_t nreg = le32(im + 24);
    if (le32(im + 12) != NPU_REG(NPU_ROWS) || le32(im + 16) != NPU_REG(NPU_COLS))
        return refuse("image for a %ld-row array, the NPU has %ld rows", (long)le32(im + 12),
                      (long)NPU_REG(NPU_ROWS));
    uint32_t data = 32u + 16u * nreg;
    for (unsigned l = 0; l < M.nlayers; l++) layer_w[l] = 0;
    for (uint32_t r = 0; r < nreg; r++) {
        const uint8_t *rp = im + 32 + 16 * r;
        const uint32_t ro = le32(rp), rc = le32(rp + 4), co = le32(rp + 8), cc = le32(rp + 12);
        if (data + rc * cc > size) return refuse("image truncated in region %ld", (long)r, 0);
        for (unsigned l = 0; l < M.nlayers; l++) {
            const layer_t *L = &M.layer[l];
            if (L->row_off == ro && L->col_off == co && L->rows == rc && L->cols == cc) {
                layer_w[l] = (const int8_t *)(im + data);
                layer_stride[l] = cc;
            }
        }
        data += rc * cc;
    }
    for (unsigned l = 0; l < M.nlayers; l++)
        if (!layer_w[l])
            return refuse("layer %ld (array rows/cols at %ld) is not a region of the embedded image", (long)l,
                          (long)M.layer[l].col_off);
    return 0;
}
#endif

#define KWSD_VERSION 3 /* 2: the Mel band at bytes 24-27; 3: the detection threshold at bytes 28-29 */
#define KWSD_FLAG_CMN 1u    /* window cepstral mean removal (mfcc_cmn) */
#define KWSD_FLAG_DITHER 4u /* Fbank dither level 1 from FBANK_DITHER_SEED_RESET at the stream start */
#define KWSD_FLAG_POOL_MEAN 8u /* LSTM: the FC reads h averaged over the window's steps */
#define KWSD_FLAG_POOL_MAX 16u /* LSTM: the FC reads the largest h of each unit over the steps */
#define KWSD_FLAG_LOG_FLOOR 32u /* mfcc_log_floor over the window's log-Mel, rel_q7 at bytes 22-23 */
#define KWSD_FLAG_NOISE_FLOOR 64u /* mfcc_noise_floor over the window's log-Mel, the same rel_q7 */
#define KWSD_FLAGS_FLOOR (KWSD_FLAG_LOG_FLOOR | KWSD_FLAG_NOISE_FLOOR)
#define KWSD_FLAGS_KNOWN (KWSD_FLAG_CMN | KWSD_FLAG_DITHER | KWSD_FLAG_POOL_MEAN | KWSD_FLAG_POOL_MAX | KWSD_FLAGS_FLOOR)
#define KWSD_HEADER 32 /* bytes before in_offset_q7 */

/* Parses and checks model.kwsd against this firmware, the NPU's registers and the image. */
static int load_model(void) {
    const uint8_t *p = kws_kwsd;
    const uint32_t size = (uint32_t)(kws_kwsd_end - kws_kwsd);
    if (size < KWSD_HEADER + 2 * NUM_CEPS || memcmp(p, "KWSD", 4) != 0)
        return refuse("not a KWSD descriptor (bad magic or %ld bytes)", (long)size, 0);
    if (le16(p + 4) != KWSD_VERSION)
        return refuse("descriptor version %ld, this firmware reads version %ld", le16(p + 4), KWSD_VERSION);
    M.type = p[6];
    M.nlayers = p[7];
    M.num_ceps = le16(p + 8);
    M.num_frames = le16(p + 10);
    M.in_shift = p[12];
    M.in_frac = p[13];
    M.classes = p[14];
    M.hidden = p[15];
    M.act_frac = p[16];
    M.logit_frac = p[17];
    M.relu_frac = p[18];
    M.c_frac = p[19];
    M.tanh_c_frac = p[20];
    M.flags = p[21];
    M.floor_rel = (int16_t)le16(p + 22);
    M.f_low = le16(p + 24);
    M.f_high = le16(p + 26);
    M.threshold = le16(p + 28);
    if (M.type != 1 && M.type != 2) return refuse("model type %ld (1 LSTM, 2 TDNN)", M.type, 0);
    /* 0 would fire on every decision, 1000 never: both are a broken export, not an operating point */
    if (M.threshold < 1 || M.threshold > 999 || le16(p + 30) != 0)
        return refuse("detection threshold %ld permille (1..999), reserved bytes 30-31 %ld (0)", M.threshold, le16(p + 30));
    /* bit 0: window CMN, bit 2: Fbank dither, bits 3/4: the LSTM's pooled h, bits 5/6: the
     * window's log / noise floor; any other bit is
     * input processing this firmware does not do (bit 1: kws_train.py --cvn, a host-only study),
     * which would make every decision wrong */
    if (M.flags & ~KWSD_FLAGS_KNOWN) return refuse("flags 0x%lx: input features this firmware does not compute", M.flags, 0);
    if ((M.flags & KWSD_FLAG_POOL_MEAN) && (M.flags & KWSD_FLAG_POOL_MAX))
        return refuse("flags 0x%lx: both the mean and the max pool of h", M.flags, 0);
    if ((M.flags & (KWSD_FLAG_POOL_MEAN | KWSD_FLAG_POOL_MAX)) && M.type != 1)
        return refuse("flags 0x%lx: a pool of h on a model that is not an LSTM", M.flags, 0);
    if ((M.flags & KWSD_FLAGS_FLOOR) == KWSD_FLAGS_FLOOR)
        return refuse("flags 0x%lx: both the log floor and the noise floor", M.flags, 0);
    if (M.num_ceps != NUM_CEPS) return refuse("%ld input coefficients, the front-end makes %ld", M.num_ceps, NUM_CEPS);
    if (M.num_frames != WIN) return refuse("window of %ld frames, this firmware uses %ld", M.num_frames, WIN);
    if (M.classes != NUM_CLASSES) return refuse("%ld classes, this firmware knows %ld", M.classes, NUM_CLASSES);
    if (M.in_shift < 1 || M.in_shift > 12) return refuse("input shift %ld", M.in_shift, 0);
    if (M.logit_frac > 7) return refuse("logit_frac %ld", M.logit_frac, 0);
    if (M.nlayers < 2 || M.nlayers > MAX_LAYERS) return refuse("%ld layers", M.nlayers, 0);
    memcpy(M.in_offset, p + KWSD_HEADER, sizeof M.in_offset);
    uint32_t off = KWSD_HEADER + 2 * NUM_CEPS;
    const uint32_t npu_rows = NPU_REG(NPU_ROWS), npu_cols = NPU_REG(NPU_COLS);
    if (NPU_REG(NPU_ID) != NPU_ID_VALUE) return refuse("no NPU at 0x%lx", (long)CIMVP_NPU_BASE, 0);
    for (unsigned l = 0; l < M.nlayers; l++) {
        if (off + 16 > size) return refuse("descriptor truncated at layer %ld", l, 0);
        layer_t *L = &M.layer[l];
        const uint8_t *q = p + off;
        L->rows = le16(q);
        L->cols = le16(q + 2);
        L->row_off = le16(q + 4);
        L->col_off = le16(q + 6);
        L->shift = q[8];
        L->act = q[9];
        L->act_frac = q[10];
        L->ctx = q[11];
        L->dil = q[12];
        off += 16;
        if (off + 4u * L->cols > size) return refuse("descriptor truncated in the bias of layer %ld", l, 0);
        if (((uintptr_t)(p + off)) & 3u) return refuse("bias of layer %ld not 4-byte aligned", l, 0);
        L->bias = (const int32_t *)(p + off);
        off += 4u * L->cols;
        if (!L->rows || !L->cols || L->cols > MAX_COLS)
            return refuse("layer %ld is %ld columns wide", l, L->cols);
        if ((uint32_t)L->row_off + L->rows > npu_rows || (uint32_t)L->col_off + L->cols > npu_cols)
            return refuse("layer %ld needs array rows/cols up to %ld, the NPU array is smaller", l,
                          (long)((uint32_t)L->row_off + L->rows > npu_rows ? L->row_off + L->rows : L->col_off + L->cols));
        if (L->shift > 40 || L->act_frac > 8 || L->act > 2) return refuse("layer %ld: bad shift/act (%ld)", l, L->act);
    }
    const layer_t *fc = &M.layer[M.nlayers - 1];
    if (M.type == 1) {
        const layer_t *g = &M.layer[0];
        if (M.nlayers != 2) return refuse("LSTM with %ld layers, this firmware runs 2 (gates, FC)", M.nlayers, 0);
        if (!M.hidden || M.hidden > MAX_HIDDEN)
            return refuse("LSTM hidden %ld, this firmware runs 1..%ld", M.hidden, (long)MAX_HIDDEN);
        if (g->rows != NUM_CEPS + M.hidden || g->cols != 4u * M.hidden || g->act != 2)
            return refuse("LSTM gate matrix %ld x %ld does not match 40 inputs + hidden", g->rows, g->cols);
        if (fc->rows != M.hidden) return refuse("FC has %ld inputs, hidden is %ld", fc->rows, M.hidden);
        if (M.c_frac < M.tanh_c_frac || M.c_frac - M.tanh_c_frac > 16) return refuse("c_frac %ld / tanh_c_frac %ld", M.c_frac, M.tanh_c_frac);
        if (off + 512 > size) return refuse("descriptor truncated in the tanh table", 0, 0);
        M.tanh_lut = (const int8_t *)(p + off);
        off += 512;
    } else {
        const unsigned nt = M.nlayers - 1u;
        unsigned width = NUM_CEPS, span = 0;
        if (nt > MAX_TDNN) return refuse("%ld time-delay layers, at most %ld", nt, MAX_TDNN);
        for (unsigned l = 0; l < nt; l++) {
            const layer_t *L = &M.layer[l];
            if (L->act != 1 || !L->ctx || L->ctx > MAX_CTX || !L->dil || (L->ctx - 1u) * L->dil + 1u > MAX_HIST)
                return refuse("TDNN layer %ld: context %ld or activation not supported", l, L->ctx);
            if (L->rows != L->ctx * width || L->cols > MAX_WIDTH)
                return refuse("TDNN layer %ld has %ld inputs, context x previous width differs", l, L->rows);
            width = L->cols;
            span += (L->ctx - 1u) * L->dil;
        }
        if (span >= WIN || WIN - span > MAX_POOL) return refuse("receptive field %ld frames", span + 1, 0);
        if (fc->rows != width) return refuse("FC has %ld inputs, the last TDNN layer %ld outputs", fc->rows, width);
    }
    if (fc->cols != NUM_CLASSES || fc->act != 0) return refuse("FC layer: %ld outputs, act %ld", fc->cols, fc->act);
    if (off != size) return refuse("descriptor is %ld bytes, its fields describe %ld", (long)size, (long)off);
#if KWS_NPU
    /* The weights come from --npu-image: an empty array (no image) reads back as zeros. */
    for (unsigned l = 0; l < M.nlayers; l++) {
        const layer_t *L = &M.layer[l];
        unsigned nonzero = 0;
        for (unsigned k = 0; k < 16 && !nonzero; k++)
            nonzero |= (uint8_t)npu_read_weight(L->row_off + (k * 7u) % L->rows, L->col_off + (k * 13u) % L->cols);
        if (!nonzero)
            return refuse("layer %ld: the NPU array holds no weights at column %ld (load the model image with "
                          "--npu-image or load.npu_image)", l, L->col_off);
    }
    return 0;
#else
    return find_image_weights();
#endif
}

/* ---- layer execution: one chain on the NPU, or the same integer maths on the CPU --------- */
static npu_desc_t descs[MAX_TDNN > 3 ? MAX_TDNN : 3] __attribute__((aligned(4)));
static volatile uint32_t npu_done, npu_status_irq, npu_err_irq;
static uint64_t npu_cycles_total;
static uint32_t chains;

static npu_desc_t make_desc(unsigned l, uint32_t col0, uint32_t ncols, unsigned act, const void *in, void *out) {
    const layer_t *L = &M.layer[l];
    npu_desc_t d;
    memset(&d, 0, sizeof d);
    d.version = NPU_DESC_VERSION;
    d.act = (uint8_t)act;
    d.act_frac = L->act_frac;
    d.shift = L->shift;
    d.encoding = NPU_ENC_PARALLEL;
    d.out_format = NPU_OUT_ACT8;
    d.flags = NPU_FLAG_BIAS;
    d.in_addr = (uint32_t)(uintptr_t)in;
    d.out_addr = (uint32_t)(uintptr_t)out;
    d.bias_addr = (uint32_t)(uintptr_t)(L->bias + col0);
    d.row_off = L->row_off;
    d.row_cnt = L->rows;
    d.col_off = (uint16_t)(L->col_off + col0);
    d.col_cnt = (uint16_t)ncols;
    return d;
}

#if KWS_NPU
static void on_npu(unsigned source) {
    (void)source;
    const uint32_t st = NPU_REG(NPU_STATUS);
    if (!(st & (NPU_STATUS_DONE | NPU_STATUS_ERROR))) return;
    npu_status_irq = st;
    npu_err_irq = NPU_REG(NPU_ERRCODE);
    npu_ack();
    npu_done = 1;
}

static void run_chain(uint32_t n) {
    npu_done = 0;
    npu_start(descs, n, 1);
    irq_global_disable();
    while (!npu_done) audio_stream_sleep(); /* counted as sleep in the CPU load */
    irq_global_enable();
    __asm__ volatile("fence" ::: "memory");
    npu_cycles_total += npu_cycles();
    chains++;
    if (npu_status_irq & NPU_STATUS_ERROR) {
        printf("kws: NPU error %lu in a chain of %lu descriptors\n", (unsigned long)npu_err_irq, (unsigned long)n);
        exit(1);
    }
}

/* Offset calibration at start. Signed inputs (MFCC codes, LSTM h) reach the array in offset
 * binary u = s + 128 and the exporter folds -128 sum W into the bias, from the intended
 * weights. A programmed cell is off by E, so a column computes s.(W+E) + b + 128 sum E: the
 * last term is a fixed offset of the column, ~128 times larger than the cells' own error (with
 * 2 LSB per cell, ~40 output codes on the LSTM gates). As a chip would at power-up, the
 * firmware measures it, for each layer fed only by offset-binary codes (LSTM gates and FC, TDNN
 * first layer): KWS_CAL_RUNS runs with raw int32 output on inputs u = 128 + d, d a pseudo-random
 * dither in [-CAL_DITHER, CAL_DITHER]; the ideal results, b + sum_i U_i W_ij / runs with U_i the
 * sum of the inputs a row saw, come from the intended weights read back (NPU_W_CMD_READ). The
 * mean difference, 128 sum E + (sum_i dbar_i E_ij), is removed from a RAM copy of the bias. The
 * dither makes the ADC's quantization error and the read noise average out over the runs instead
 * of freezing one sample of them into the bias; on an ideal array the correction is exactly 0. */
#ifndef KWS_CAL_RUNS
#define KWS_CAL_RUNS 32u /* a power of two; 0 = no calibration (to measure its effect) */
#endif
#define CAL_DITHER 16u
#define CAL_ROWS (MAX_CTX * MAX_WIDTH > NUM_CEPS + MAX_HIDDEN ? MAX_CTX * MAX_WIDTH : NUM_CEPS + MAX_HIDDEN)
static int32_t cal_bias[MAX_LAYERS][MAX_COLS] __attribute__((aligned(4)));
static int32_t cal_out[MAX_COLS] __attribute__((aligned(4)));
static uint8_t cal_in[CAL_ROWS] __attribute__((aligned(4)));
static uint32_t cal_u[CAL_ROWS]; /* U_i: sum of row i's inputs over the runs */
static int64_t cal_sum[MAX_COLS];

static int offset_binary_input(unsigned l) { return M.type == 1 || l == 0; }

static void calibrate(void) {
    if (KWS_CAL_RUNS == 0) return;
    unsigned lg = 0;
    while ((1u << lg) < KWS_CAL_RUNS) lg++;
    uint32_t lfsr = 0x2545F491u; /* the same dither on every run of the firmware */
    for (unsigned l = 0; l < M.nlayers; l++) {
        layer_t *L = &M.layer[l];
        if (!offset_binary_input(l)) continue;
        memset(cal_sum, 0, sizeof cal_sum);
        memset(cal_u, 0, sizeof cal_u);
        for (unsigned r = 0; r < KWS_CAL_RUNS; r++) {
            for (unsigned i = 0; i < L->rows; i++) {
                cal_in[i] = (uint8_t)(128u - CAL_DITHER + (xorshift32(&lfsr) >> 8) % (2u * CAL_DITHER + 1u));
                cal_u[i] += cal_in[i];
            }
            descs[0] = make_desc(l, 0, L->cols, NPU_ACT_IDENTITY, cal_in, cal_out);
            descs[0].out_format = NPU_OUT_ACC32;
            run_chain(1);
            for (unsigned j = 0; j < L->cols; j++) cal_sum[j] += cal_out[j];
        }
        uint32_t max_abs = 0;
        uint64_t sum_abs = 0;
        for (unsigned j = 0; j < L->cols; j++) {
            int64_t ideal = (int64_t)KWS_CAL_RUNS * L->bias[j];
            for (unsigned i = 0; i < L->rows; i++)
                ideal += (int64_t)cal_u[i] * npu_read_weight(L->row_off + i, L->col_off + j);
            const int32_t off = (int32_t)((cal_sum[j] - ideal + (int64_t)(KWS_CAL_RUNS / 2u)) >> lg);
            cal_bias[l][j] = L->bias[j] - off;
            const uint32_t a = (uint32_t)(off < 0 ? -off : off);
            sum_abs += a;
            if (a > max_abs) max_abs = a;
        }
        L->bias = cal_bias[l];
        printf("KWS calibration layer=%u runs=%u offset_mean_abs=%lu offset_max_abs=%lu (accumulator LSB, shift %u)\n",
               l, (unsigned)KWS_CAL_RUNS, (unsigned long)(sum_abs / L->cols), (unsigned long)max_abs, (unsigned)L->shift);
    }
    chains = 0;
    npu_cycles_total = 0;
}
#else
static uint8_t sig_tab[2 * (8u << 8) + 1]; /* sized for act_frac up to 8 */
static int8_t tanh_tab[2 * (4u << 8) + 1];
static uint8_t tab_frac = 0xFF;

/* The NPU's LUT activations (cim_tile/activation.cpp): exact rounding of the real function. */
static void build_act_tables(unsigned f) {
    if (tab_frac == f) return;
    const int zs = 8 << f, zt = 4 << f;
    for (int z = -zs; z <= zs; z++) {
        const double v = floor(256.0 / (1.0 + exp(-(double)z / (double)(1 << f))) + 0.5);
        sig_tab[z + zs] = (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v);
    }
    for (int z = -zt; z <= zt; z++) {
        const double v = floor(128.0 * tanh((double)z / (double)(1 << f)) + 0.5);
        tanh_tab[z + zt] = (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v);
    }
    tab_frac = (uint8_t)f;
}

static int32_t shift_round32(int32_t a, unsigned s) { return s ? (a + (1 << (s - 1))) >> s : a; }

static void cpu_layer(const npu_desc_t *d) {
    unsigned l = 0;
    while (l < M.nlayers && !(d->col_off >= M.layer[l].col_off && d->col_off < M.layer[l].col_off + M.layer[l].cols)) l++;
    const int8_t *w = layer_w[l] + (d->col_off - M.layer[l].col_off);
    const uint32_t stride = layer_stride[l];
    const uint8_t *x = (const uint8_t *)(uintptr_t)d->in_addr;
    const int32_t *b = (const int32_t *)(uintptr_t)d->bias_addr;
    int32_t acc[MAX_COLS];
    const unsigned n = d->col_cnt;
    for (unsigned j = 0; j < n; j++) acc[j] = b[j];
    for (unsigned i = 0; i < d->row_cnt; i++, w += stride) {
        const int32_t xi = x[i];
        if (!xi) continue;
        for (unsigned j = 0; j < n; j++) acc[j] += xi * w[j];
    }
    uint8_t *y = (uint8_t *)(uintptr_t)d->out_addr;
    if (d->act == NPU_ACT_SIGMOID_LUT || d->act == NPU_ACT_TANH_LUT) build_act_tables(d->act_frac);
    const int32_t zs = 8 << d->act_frac, zt = 4 << d->act_frac;
    for (unsigned j = 0; j < n; j++) {
        int32_t z = shift_round32(acc[j], d->shift);
        switch (d->act) {
            case NPU_ACT_RELU: y[j] = (uint8_t)(z < 0 ? 0 : z > 255 ? 255 : z); break;
            case NPU_ACT_SIGMOID_LUT: y[j] = sig_tab[(z < -zs ? -zs : z > zs ? zs : z) + zs]; break;
            case NPU_ACT_TANH_LUT: y[j] = (uint8_t)tanh_tab[(z < -zt ? -zt : z > zt ? zt : z) + zt]; break;
            default: y[j] = (uint8_t)(int8_t)(z < -128 ? -128 : z > 127 ? 127 : z); break;
        }
    }
}

static void run_chain(uint32_t n) {
    for (uint32_t k = 0; k < n; k++) cpu_layer(&descs[k]);
    chains++;
}
#endif

/* ---- posteriors, smoothing, detection ---------------------------------------------------- */
static uint32_t exp_q16[256]; /* exp(-d / 2^logit_frac) in Q16 */
#define SMOOTH_MAX 32u
static uint32_t post_hist[SMOOTH_MAX][NUM_CLASSES]; /* Q16 */
static uint32_t smooth_n, smooth_fill, smooth_pos;
static uint32_t decisions, detections;
static int32_t last_detect_frame = -1000000;
static uint32_t refractory_frames;

static void build_exp_table(void) {
    /* exp(-d / 2^f) in Q16 by repeated multiplication with exp(-2^-f): integer only. */
    static const uint32_t step_q30[8] = {395007542u, 651257337u, 836230973u, 947573834u,
                                        1008687096u, 1040706261u, 1057095000u, 1065385899u};
    uint64_t v = 1ull << 30;
    for (unsigned d = 0; d < 256; d++) {
        exp_q16[d] = (uint32_t)((v + (1u << 13)) >> 14);
        v = (v * step_q30[M.logit_frac]) >> 30;
    }
}

/* Softmax of int8 logits (value l / 2^logit_frac) into Q16 probabilities; returns the argmax. */
static unsigned softmax(const int8_t *logits, uint32_t *p) {
    unsigned top = 0;
    for (unsigned j = 1; j < NUM_CLASSES; j++)
        if (logits[j] > logits[top]) top = j;
    uint32_t sum = 0;
    for (unsigned j = 0; j < NUM_CLASSES; j++) sum += exp_q16[logits[top] - logits[j]];
    for (unsigned j = 0; j < NUM_CLASSES; j++) p[j] = (uint32_t)(((uint64_t)exp_q16[logits[top] - logits[j]] << 16) / sum);
    return top;
}

static void print_score(uint32_t q16) {
    const uint32_t m = (uint32_t)(((uint64_t)q16 * 1000u + 32768u) >> 16);
    printf("%lu.%03lu", (unsigned long)(m / 1000u), (unsigned long)(m % 1000u));
}

/* A decision of the model at frame t (the window ends with frame t). */
static void decide(const int8_t *logits, uint32_t t) {
    uint32_t p[NUM_CLASSES];
    softmax(logits, p);
    decisions++;
    memcpy(post_hist[smooth_pos], p, sizeof p);
    smooth_pos = (smooth_pos + 1u) % smooth_n;
    if (smooth_fill < smooth_n) smooth_fill++;
    unsigned best = 0;
    uint32_t best_p = 0;
    for (unsigned j = 0; j < NUM_KEYWORDS; j++) {
        uint32_t s = 0;
        for (unsigned k = 0; k < smooth_fill; k++) s += post_hist[k][j];
        s /= smooth_fill;
        if (s > best_p) best_p = s, best = j;
    }
    if (!KWS_CLIP && best_p * 1000ull > (uint64_t)M.threshold * 65536u && (int32_t)t - last_detect_frame >= (int32_t)refractory_frames) {
        last_detect_frame = (int32_t)t;
        detections++;
        printf("DETECT %s %lu ", class_names[best], (unsigned long)(t * HOP_MS + FRAME_MS));
        print_score(best_p);
        printf("\n");
    }
}

/* ---- LSTM -------------------------------------------------------------------------------- */
static struct {
    uint8_t x[NUM_CEPS + MAX_HIDDEN] __attribute__((aligned(4))); /* [x + 128; h + 128] */
    uint8_t z[4 * MAX_HIDDEN] __attribute__((aligned(4)));        /* i f g o codes */
    int8_t logits[16] __attribute__((aligned(4)));
    int32_t c[MAX_HIDDEN];
    int32_t hpool[MAX_HIDDEN]; /* sum (mean pool) or max (max pool) of h over the steps */
} lstm;

static int32_t shift_round_s(int64_t a, unsigned s) { return (int32_t)(s ? (a + (1ll << (s - 1))) >> s : a); }

/* Frame t of a window (from a zero state at t = 0) on input codes u8[]; returns 1 when
 * lstm.logits holds the window's logits (its last frame). */
static int lstm_step(const uint8_t *u8, uint32_t t) {
    const unsigned H = M.hidden;
    const int pool_mean = (M.flags & KWSD_FLAG_POOL_MEAN) != 0, pool_max = (M.flags & KWSD_FLAG_POOL_MAX) != 0;
    if (t == 0) {
        memset(lstm.c, 0, sizeof lstm.c);
        memset(lstm.x + NUM_CEPS, 128, H); /* h = 0 */
        for (unsigned j = 0; j < H; j++) lstm.hpool[j] = pool_max ? -128 : 0;
    }
    memcpy(lstm.x, u8, NUM_CEPS);
    descs[0] = make_desc(0, 0, 2 * H, NPU_ACT_SIGMOID_LUT, lstm.x, lstm.z);
    descs[1] = make_desc(0, 2 * H, H, NPU_ACT_TANH_LUT, lstm.x, lstm.z + 2 * H);
    descs[2] = make_desc(0, 3 * H, H, NPU_ACT_SIGMOID_LUT, lstm.x, lstm.z + 3 * H);
    run_chain(3);
    const unsigned cs = M.c_frac - M.tanh_c_frac;
    for (unsigned j = 0; j < H; j++) {
        const int32_t i = lstm.z[j], f = lstm.z[H + j], g = (int8_t)lstm.z[2 * H + j], o = lstm.z[3 * H + j];
        /* c Q14 = (f c + i g 2^7) / 2^8, one rounding (docs/kws.md) */
        const int32_t c = shift_round_s((int64_t)f * lstm.c[j] + ((int64_t)(i * g) << 7), 8);
        lstm.c[j] = c;
        int32_t ci = shift_round_s(c, cs);
        ci = ci < -256 ? -256 : ci > 255 ? 255 : ci;
        int32_t h = shift_round_s((int64_t)o * M.tanh_lut[ci + 256], 8);
        h = h < -128 ? -128 : h > 127 ? 127 : h;
        lstm.x[NUM_CEPS + j] = (uint8_t)(h + 128);
        if (pool_mean) lstm.hpool[j] += h;
        else if (pool_max && h > lstm.hpool[j]) lstm.hpool[j] = h;
    }
    if (t + 1u < M.num_frames) return 0;
    if (pool_mean || pool_max) { /* the pooled h replaces the last h: no later step reads it */
        const int32_t n = (int32_t)M.num_frames;
        for (unsigned j = 0; j < H; j++) {
            int32_t v = lstm.hpool[j];
            if (pool_mean) { /* round half up: floor((2 sum + n) / 2n), floor for a negative sum too */
                const int32_t a = 2 * v + n, d = 2 * n;
                v = a >= 0 ? a / d : -((-a + d - 1) / d);
            }
            lstm.x[NUM_CEPS + j] = (uint8_t)(v + 128);
        }
    }
    descs[0] = make_desc(1, 0, NUM_CLASSES, NPU_ACT_IDENTITY, lstm.x + NUM_CEPS, lstm.logits);
    run_chain(1);
    return 1;
}

/* ---- TDNN -------------------------------------------------------------------------------- */
static uint8_t tdnn_stage[MAX_TDNN][MAX_CTX * MAX_WIDTH] __attribute__((aligned(4)));
static uint8_t tdnn_hist[MAX_TDNN][MAX_HIST][MAX_WIDTH] __attribute__((aligned(4)));
static uint8_t pool_ring[MAX_POOL][MAX_WIDTH] __attribute__((aligned(4)));
static uint8_t pooled[MAX_WIDTH] __attribute__((aligned(4)));
static int8_t tdnn_logits[16] __attribute__((aligned(4)));
static int32_t pool_sum[MAX_WIDTH];
static uint32_t pool_len;
static uint32_t tdnn_first[MAX_TDNN]; /* the first frame of a window with a whole context at layer l */

static void tdnn_init(void) {
    unsigned span = 0;
    for (unsigned l = 0; l + 1u < M.nlayers; l++) {
        span += (M.layer[l].ctx - 1u) * M.layer[l].dil;
        tdnn_first[l] = span;
    }
    pool_len = M.num_frames - span;
}

/* Frame t of a window: the output frame t of each time-delay layer whose context is all inside
 * the window (one chain; earlier frames are read by no later layer nor the pool), then, at the
 * last frame, the pool and the FC layer. Returns 1 when tdnn_logits holds the window's logits.
 * Older frames come from per-layer histories written at earlier frames of the same window. */
static int tdnn_step(const uint8_t *u8, uint32_t t) {
    const unsigned nt = M.nlayers - 1u;
    const uint32_t slot_p = t % pool_len;
    const unsigned wl = M.layer[nt - 1].cols;
    memcpy(&tdnn_stage[0][(M.layer[0].ctx - 1u) * NUM_CEPS], u8, NUM_CEPS);
    unsigned n = 0;
    for (; n < nt && t >= tdnn_first[n]; n++) {
        const layer_t *L = &M.layer[n];
        const unsigned w = n ? M.layer[n - 1].cols : NUM_CEPS, depth = (L->ctx - 1u) * L->dil + 1u;
        /* blocks 0..ctx-2: older input frames t - (ctx-1-k) dil from the history */
        for (unsigned k = 0; k + 1u < L->ctx; k++)
            memcpy(&tdnn_stage[n][k * w], tdnn_hist[n][(t + depth - (L->ctx - 1u - k) * L->dil) % depth], w);
        void *out = n + 1u < nt ? (void *)&tdnn_stage[n + 1][(M.layer[n + 1].ctx - 1u) * L->cols] : (void *)pool_ring[slot_p];
        descs[n] = make_desc(n, 0, L->cols, NPU_ACT_RELU, tdnn_stage[n], out);
    }
    if (n) {
        if (n == nt)
            for (unsigned j = 0; j < wl; j++) pool_sum[j] -= pool_ring[slot_p][j]; /* the frame leaving the pool */
        run_chain(n);
        if (n == nt)
            for (unsigned j = 0; j < wl; j++) pool_sum[j] += pool_ring[slot_p][j];
    }
    for (unsigned l = 0; l < nt && l <= n; l++) {
        const layer_t *L = &M.layer[l];
        const unsigned w = l ? M.layer[l - 1].cols : NUM_CEPS, depth = (L->ctx - 1u) * L->dil + 1u;
        memcpy(tdnn_hist[l][t % depth], &tdnn_stage[l][(L->ctx - 1u) * w], w);
    }
    if (t + 1u < M.num_frames) return 0;
    for (unsigned j = 0; j < wl; j++) pooled[j] = (uint8_t)((pool_sum[j] + (int32_t)(pool_len / 2u)) / (int32_t)pool_len);
    descs[0] = make_desc(nt, 0, NUM_CLASSES, NPU_ACT_IDENTITY, pooled, tdnn_logits);
    run_chain(1);
    return 1;
}

/* ---- front-end and main loop ------------------------------------------------------------- */
static int16_t ring[RING] __attribute__((aligned(4)));
static int16_t logmel[NUM_MEL] __attribute__((aligned(4)));
static int16_t ceps[NUM_CEPS];
static int16_t dct_table[NUM_MEL * NUM_CEPS];
static int16_t ceps_ring[WIN][NUM_CEPS];                          /* the last num_frames frames */
static int16_t mel_ring[WIN][NUM_MEL]; /* with a floor: their log-Mel (the floor is a window's) */
static int16_t win_mel[WIN][NUM_MEL];
static int16_t win_feat[WIN][NUM_CEPS];
static uint8_t win_u8[WIN][NUM_CEPS] __attribute__((aligned(4))); /* the window being classified */

/* Frame t's log-Mel into the ring; its cepstra too unless the model takes a floor, which
 * changes every frame of a window (window_start computes them then). */
static uint32_t mfcc_frame(uint32_t t) {
    const uint32_t err = audio_stream_fbank_frame(t);
    if (M.flags & KWSD_FLAGS_FLOOR) {
        memcpy(mel_ring[t % WIN], logmel, sizeof logmel);
    } else {
        mfcc_dct(dct_table, NUM_MEL, NUM_CEPS, logmel, ceps);
        memcpy(ceps_ring[t % WIN], ceps, sizeof ceps);
    }
    return err;
}

static void quantize(const int16_t *q7, uint8_t *u8) {
    const int32_t half = 1 << (M.in_shift - 1);
    for (unsigned j = 0; j < NUM_CEPS; j++) {
        int32_t s = ((int32_t)q7[j] - M.in_offset[j] + half) >> M.in_shift;
        s = s < -128 ? -128 : s > 127 ? 127 : s;
        u8[j] = (uint8_t)(s + 128);
    }
}

/* ---- window classification: started at a hop, run a frame at a time between hops --------- */
static struct {
    int active;
    uint32_t step, end;  /* next frame of the window; the hop its last frame arrived */
    uint64_t t0;         /* core cycle at the start of that hop's front-end */
} job;
static uint32_t skipped;
static uint64_t max_latency; /* core cycles from a window's last hop to its decision */

/* The window of frames t_end - num_frames + 1 .. t_end, as in training: the floor over the
 * window's log-Mel and its cepstra (mfcc_log_floor or mfcc_noise_floor, mfcc_dct, if the model
 * uses one), CMN over the window (mfcc_cmn, if the model uses it) and the input codes. */
static void window_start(uint32_t t_end, uint64_t t0) {
    if (M.flags & KWSD_FLAGS_FLOOR) {
        for (uint32_t k = 0; k < WIN; k++) memcpy(win_mel[k], mel_ring[(t_end + 1u + k) % WIN], sizeof win_mel[k]);
        if (M.flags & KWSD_FLAG_LOG_FLOOR)
            mfcc_log_floor(&win_mel[0][0], WIN * NUM_MEL, M.floor_rel);
        else
            mfcc_noise_floor(&win_mel[0][0], WIN, NUM_MEL, M.floor_rel, 0);
        for (uint32_t k = 0; k < WIN; k++) mfcc_dct(dct_table, NUM_MEL, NUM_CEPS, win_mel[k], win_feat[k]);
    } else {
        for (uint32_t k = 0; k < WIN; k++) memcpy(win_feat[k], ceps_ring[(t_end + 1u + k) % WIN], sizeof win_feat[k]);
    }
    if (M.flags & KWSD_FLAG_CMN) mfcc_cmn(&win_feat[0][0], WIN, NUM_CEPS);
    for (uint32_t k = 0; k < WIN; k++) quantize(win_feat[k], win_u8[k]);
    job.active = 1;
    job.step = 0;
    job.end = t_end;
    job.t0 = t0;
}

static const int8_t *window_logits(void) { return M.type == 1 ? lstm.logits : tdnn_logits; }

static void window_step(void) {
    const uint32_t k = job.step++;
    if (!(M.type == 1 ? lstm_step(win_u8[k], k) : tdnn_step(win_u8[k], k))) return;
    job.active = 0;
    const uint64_t lat = csr_cycle64() - job.t0;
    if (lat > max_latency) max_latency = lat;
    decide(window_logits(), job.end);
}

int main(void) {
    const int rc = load_model();
    if (rc) return rc;
    fbank_config_t cfg;
    fbank_config_default(&cfg);
    cfg.out_format = FBANK_OUT_Q7_INT16;
    cfg.f_low_hz = M.f_low;
    cfg.f_high_hz = M.f_high;
    cfg.dither = (M.flags & KWSD_FLAG_DITHER) ? 1u : 0u;
    const fbank_status_t fb_err = fbank_validate(&cfg);
    if (fb_err != FBANK_OK) {
        printf("kws: model refused: Mel band %u-%u Hz: %s\n", (unsigned)M.f_low, (unsigned)M.f_high,
               fbank_status_str(fb_err));
        return 3;
    }
    if (cfg.num_mel != NUM_MEL || cfg.frame_shift != HOP ||
        cfg.frame_len != FRAME || mfcc_dct_init(dct_table, NUM_MEL, NUM_CEPS) != 0) {
        printf("kws: bad front-end configuration\n");
        return 2;
    }
    build_exp_table();
    if (M.type == 2) tdnn_init();
    const uint32_t stride = M.type == 1 ? LSTM_STRIDE : TDNN_STRIDE; /* hops between windows */
    smooth_n = (SMOOTH_MS / HOP_MS + stride - 1u) / stride;
    smooth_n = smooth_n < 1 ? 1 : smooth_n > SMOOTH_MAX ? SMOOTH_MAX : smooth_n;
    /* decisions come every stride hops: a refractory of R ms is the nearest whole number of
     * decisions (t - last >= R/HOP alone would round 800 ms up to 1040 ms at stride 13, and the
     * next keyword of a 1 s-per-word stream would be missed) */
    refractory_frames = (REFRACTORY_MS / HOP_MS + stride / 2u) / stride * stride;
    char floor_str[16] = "off"; /* the floor's kind and rel_q7 */
    if (M.flags & KWSD_FLAGS_FLOOR)
        snprintf(floor_str, sizeof floor_str, "%s:%d", M.flags & KWSD_FLAG_NOISE_FLOOR ? "noise" : "log", (int)M.floor_rel);
    printf("KWS model=%s path=%s mode=%s layers=%u cmn=%s dither=%u floor=%s stride=%u smooth=%lu threshold=0.%03u refractory_ms=%u\n",
           M.type == 1 ? "lstm" : "tdnn", KWS_NPU ? "npu" : "cpu", KWS_CLIP ? "clip" : "stream", (unsigned)M.nlayers,
           (M.flags & KWSD_FLAG_CMN) ? "window" : "off", (unsigned)cfg.dither,
           floor_str, (unsigned)stride, (unsigned long)smooth_n, (unsigned)M.threshold,
           (unsigned)REFRACTORY_MS);

    audio_stream_fbank_init(&cfg, ring, RING, logmel);
    fbank_set_dither_seed(FBANK_DITHER_SEED_RESET); /* the host's features start there */
#if KWS_NPU
    irq_set_external_handler(CIMVP_IRQ_NPU, on_npu);
    irq_enable(MIE_MEIE); /* the calibration waits for NPU interrupts before the stream starts */
    calibrate();
#endif
    const uint64_t t_start = timer_now(), sleep_start = audio_stream_sleep_ticks(); /* after calibration */
    audio_stream_start(ring, HOP);

    uint32_t frames = 0, total = UINT32_MAX, errors = 0, late = 0;
    uint64_t proc_cycles = 0, infer_cycles = 0, max_cycles = 0;
    for (;;) {
        const uint32_t avail = total != UINT32_MAX ? total : audio_stream_written();
        const int want = !(KWS_CLIP && frames >= WIN); /* the clip build takes one window */
        uint64_t c0, c1;
        if (want && frames * HOP + FRAME <= avail) {
            /* a new hop first: its front-end must keep up with the audio ring */
            irq_global_enable();
            c0 = csr_cycle64();
            const uint32_t err = mfcc_frame(frames);
            if (total == UINT32_MAX && audio_stream_written() + HOP > frames * HOP + RING) late++;
            if (err) {
                printf("kws: Fbank error %lu at frame %lu\n", (unsigned long)err, (unsigned long)frames);
                errors++;
            }
            c1 = csr_cycle64();
            if (frames + 1u >= WIN && (frames + 1u - WIN) % stride == 0) {
                if (job.active) skipped++; /* the core is still on the previous window */
                else window_start(frames, c0);
                const uint64_t c2 = csr_cycle64();
                infer_cycles += c2 - c1; /* (log floor, DCT,) CMN and input codes: the model's share */
                c1 = c2;
            }
            frames++;
        } else if (job.active) {
            irq_global_enable();
            c0 = csr_cycle64();
            window_step();
            c1 = csr_cycle64();
            infer_cycles += c1 - c0;
        } else if (!want || audio_stream_idle(&total)) {
            break;
        } else {
            continue;
        }
        proc_cycles += c1 - c0;
        if (c1 - c0 > max_cycles) max_cycles = c1 - c0;
        irq_global_disable();
    }
    const uint64_t elapsed_ticks = timer_now() - t_start;
    irq_global_enable();

#if KWS_CLIP
    if (frames >= WIN) {
        const int8_t *lg = window_logits();
        uint32_t p[NUM_CLASSES];
        const unsigned top = softmax(lg, p);
        printf("LOGITS");
        for (unsigned j = 0; j < NUM_CLASSES; j++) printf(" %d", lg[j]);
        printf("\nRESULT %s ", class_names[top]);
        print_score(p[top]);
        printf("\n");
    } else {
        printf("kws: the clip has %lu frames, a decision needs %u\n", (unsigned long)frames, (unsigned)WIN);
    }
#endif
    const uint32_t overruns = audio_in_overruns();
    const uint32_t dma_errors = audio_stream_dma_errors();
    const uint64_t elapsed = elapsed_ticks * CYCLES_PER_TICK;
    const uint64_t busy = (elapsed_ticks - (audio_stream_sleep_ticks() - sleep_start)) * CYCLES_PER_TICK;
    const uint32_t n = frames ? frames : 1u;
    const uint32_t load_x100 = elapsed ? (uint32_t)(busy * 10000u / elapsed) : 0u;
    printf("SUMMARY frames=%lu detections=%lu decisions=%lu skipped=%lu cpu_load=%lu.%02lu%% overruns=%lu late=%lu "
           "cycles_per_hop=%lu infer_cycles_per_hop=%lu max_step_cycles=%lu latency_cycles=%lu npu_cycles_per_hop=%lu "
           "chains=%lu elapsed_cycles=%llu model=%s path=%s\n",
           (unsigned long)frames, (unsigned long)detections, (unsigned long)decisions, (unsigned long)skipped,
           (unsigned long)(load_x100 / 100), (unsigned long)(load_x100 % 100), (unsigned long)overruns,
           (unsigned long)late, (unsigned long)(proc_cycles / n), (unsigned long)(infer_cycles / n),
           (unsigned long)max_cycles, (unsigned long)max_latency, (unsigned long)(npu_cycles_total / n),
           (unsigned long)chains, (unsigned long long)elapsed, M.type == 1 ? "lstm" : "tdnn", KWS_NPU ? "npu" : "cpu");
    return (overruns == 0 && late == 0 && dma_errors == 0 && errors == 0) ? 0 : 1;
}
