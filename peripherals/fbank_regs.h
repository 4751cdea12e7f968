/* Fbank accelerator register map (offsets from CIMVP_FBANK_BASE). Shared by model and firmware.
 *
 * All registers are 32 bits. The datapath is the one of fbank_math.h (bit exact); the fields
 * below map one to one onto fbank_config_t. Every register is snapshotted by START, so
 * writing one while BUSY affects the next START only.
 *
 * One START processes FRAME_COUNT frames. Frame i starts at ring index
 *   (SRC_START + i * HOP) mod SRC_LEN
 * of the circular source buffer of SRC_LEN int16 samples at SRC_BASE (so the frame may wrap
 * around the end of the ring); its pre-emphasis predecessor x[-1] is the ring sample before
 * it, or 0 for frame 0 when START is written together with CTRL_NO_PREV. Frame i's output
 * (NUM_MEL elements of OUT_BYTES / NUM_MEL bytes, little endian) goes to DST_ADDR + i * OUT_BYTES.
 * With CTRL_ADVANCE, SRC_START becomes (SRC_START + FRAME_COUNT * HOP) mod SRC_LEN when the
 * run completes, so the next START continues the audio stream.
 *
 * Dither (DITHER > 0): every frame's samples get the triangular dither of fbank_math.h step 0
 * from a generator whose state (DITHER_SEED) advances FRAME_LEN steps per frame computed and
 * carries over from run to run; it is not part of the START snapshot. Writing DITHER_SEED
 * restarts the sequence (write it before the stream's first START to make the features
 * reproducible: the host computes them from FBANK_DITHER_SEED_RESET, the value after reset).
 */
#ifndef CIMVP_FBANK_REGS_H
#define CIMVP_FBANK_REGS_H

#define FBANK_CTRL        0x00u /* RW: see FBANK_CTRL_* */
#define FBANK_STATUS      0x04u /* R, W1C: see FBANK_STATUS_* */
#define FBANK_ERR_CODE    0x08u /* R: FBANK_ERRC_* of the last error (0 = none); cleared by START */
#define FBANK_ERR_ADDR    0x0Cu /* R: bus address of a failed transfer (FBANK_ERRC_BUS_*) */
#define FBANK_FRAME_LEN   0x10u /* RW: samples per frame, 2..FFT_SIZE */
#define FBANK_HOP         0x14u /* RW: samples between frames, 1..FRAME_LEN */
#define FBANK_FFT_SIZE    0x18u /* RW: power of two, 16..1024 */
#define FBANK_WINDOW      0x1Cu /* RW: see FBANK_WINDOW_* */
#define FBANK_PREEMPH     0x20u /* RW: pre-emphasis coefficient, Q15 0..32767 (0 = off) */
#define FBANK_NUM_MEL     0x24u /* RW: Mel filters, 1..64 */
#define FBANK_F_LOW       0x28u /* RW: [Hz] lower edge of the first filter */
#define FBANK_F_HIGH      0x2Cu /* RW: [Hz] upper edge of the last filter, <= SAMPLE_RATE / 2 */
#define FBANK_SAMPLE_RATE 0x30u /* RW: [Hz] 1000..96000 */
#define FBANK_SPECTRUM    0x34u /* RW: FBANK_SPECTRUM_POWER or FBANK_SPECTRUM_MAGNITUDE */
#define FBANK_OUT_FMT     0x38u /* RW: see FBANK_OUT_FMT_* */
#define FBANK_LOG_FLOOR   0x3Cu /* RW: q8.7 int16 in bits 15:0 (read sign-extended) */
#define FBANK_LOG_OFFSET  0x40u /* RW: q8.7 int16 in bits 15:0 (read sign-extended) */
#define FBANK_SRC_BASE    0x44u /* RW: byte address of the ring, 2-byte aligned */
#define FBANK_SRC_LEN     0x48u /* RW: ring length in samples, >= FRAME_LEN */
#define FBANK_SRC_START   0x4Cu /* RW: ring index of the first frame's first sample, < SRC_LEN */
#define FBANK_DST_ADDR    0x50u /* RW: byte address of the output, aligned to the element size */
#define FBANK_FRAME_COUNT 0x54u /* RW: frames per START, >= 1 (reset 1) */
#define FBANK_FRAMES_DONE 0x58u /* R: frames written by the current/last run */
#define FBANK_OUT_BYTES   0x5Cu /* R: output bytes per frame for the current NUM_MEL/OUT_FMT */
#define FBANK_ID          0x60u /* R: FBANK_ID_VALUE */
#define FBANK_DITHER      0x64u /* RW: dither level 0..FBANK_MAX_DITHER (0 = off, reset 0) */
#define FBANK_DITHER_SEED 0x68u /* RW: dither generator state; W: restart it (0 writes
                                   FBANK_DITHER_SEED_RESET), R: the current state */

#define FBANK_ID_VALUE 0x46424B31u /* "FBK1" */

/* CTRL */
#define FBANK_CTRL_START   (1u << 0) /* W: start a run (ignored while BUSY); reads 0 */
#define FBANK_CTRL_IRQ_EN  (1u << 1) /* RW: interrupt while STATUS.DONE or STATUS.ERROR */
#define FBANK_CTRL_ADVANCE (1u << 2) /* RW: advance SRC_START by FRAME_COUNT * HOP after a run */
#define FBANK_CTRL_NO_PREV (1u << 3) /* W, with START: x[-1] = 0 for frame 0 (stream start); reads 0 */

/* STATUS */
#define FBANK_STATUS_BUSY  (1u << 0) /* R: a run is in progress */
#define FBANK_STATUS_DONE  (1u << 1) /* W1C: the last run completed */
#define FBANK_STATUS_ERROR (1u << 2) /* W1C: the last START failed; ERR_CODE says why */

/* WINDOW */
#define FBANK_WINDOW_TYPE_MASK 0x3u
#define FBANK_WINDOW_RECT      0u
#define FBANK_WINDOW_HANN      1u
#define FBANK_WINDOW_HAMMING   2u
#define FBANK_WINDOW_SYMMETRIC (1u << 8) /* symmetric (D = L - 1) instead of periodic (D = L) */

/* SPECTRUM */
#define FBANK_SPECTRUM_POWER     0u
#define FBANK_SPECTRUM_MAGNITUDE 1u

/* OUT_FMT: bits 1:0 format, bits 10:8 fraction bits of the int8 format */
#define FBANK_OUT_FMT_Q7_INT16  0u /* int16, natural log in q8.7 */
#define FBANK_OUT_FMT_INT8      1u /* int8, natural log * 2^FRAC */
#define FBANK_OUT_FMT_TYPE_MASK 0x3u
#define FBANK_OUT_FMT_FRAC_SHIFT 8u
#define FBANK_OUT_FMT_FRAC_MASK (0x7u << FBANK_OUT_FMT_FRAC_SHIFT)
#define FBANK_OUT_FMT_INT8_FRAC(f) (FBANK_OUT_FMT_INT8 | (((unsigned)(f) & 0x7u) << FBANK_OUT_FMT_FRAC_SHIFT))

/* ERR_CODE. 2..14 and 16 are the configuration checks of fbank_validate (same numbers as
 * fbank_status_t); 32.. are the accelerator's own (buffers and the bus). */
#define FBANK_ERRC_NONE             0u
#define FBANK_ERRC_SAMPLE_RATE      2u  /* SAMPLE_RATE outside 1000..96000 */
#define FBANK_ERRC_FFT_SIZE         3u  /* FFT_SIZE not a power of two in 16..1024 */
#define FBANK_ERRC_FRAME_LEN        4u  /* FRAME_LEN < 2 or > FFT_SIZE */
#define FBANK_ERRC_HOP              5u  /* HOP 0 or > FRAME_LEN */
#define FBANK_ERRC_WINDOW           6u  /* unknown window type or stray WINDOW bits */
#define FBANK_ERRC_PREEMPH          7u  /* PREEMPH > 32767 */
#define FBANK_ERRC_NUM_MEL          8u  /* NUM_MEL 0 or > 64 */
#define FBANK_ERRC_TOO_MANY_FILTERS 9u  /* NUM_MEL > FFT_SIZE / 2 + 1 bins */
#define FBANK_ERRC_FREQ_RANGE       10u /* F_LOW >= F_HIGH */
#define FBANK_ERRC_F_HIGH           11u /* F_HIGH > SAMPLE_RATE / 2 */
#define FBANK_ERRC_EMPTY_FILTER     12u /* a filter gets no bin (too many filters for the band) */
#define FBANK_ERRC_SPECTRUM         13u /* SPECTRUM not 0/1 */
#define FBANK_ERRC_OUTPUT           14u /* unknown OUT_FMT type or stray bits */
#define FBANK_ERRC_DITHER           16u /* DITHER above 8 (fbank_status_t FBANK_ERR_DITHER) */
#define FBANK_ERRC_SRC_LEN          32u /* SRC_LEN < FRAME_LEN */
#define FBANK_ERRC_SRC_START        33u /* SRC_START >= SRC_LEN */
#define FBANK_ERRC_SRC_ALIGN        34u /* SRC_BASE odd */
#define FBANK_ERRC_SRC_RANGE        35u /* ring not inside the SRAM window */
#define FBANK_ERRC_DST_ALIGN        36u /* DST_ADDR not aligned to the element size */
#define FBANK_ERRC_DST_RANGE        37u /* FRAME_COUNT outputs not inside the SRAM window */
#define FBANK_ERRC_FRAME_COUNT      38u /* FRAME_COUNT 0 */
#define FBANK_ERRC_BUS_READ         39u /* error response reading the source (ERR_ADDR) */
#define FBANK_ERRC_BUS_WRITE        40u /* error response writing the output (ERR_ADDR) */

#endif
