/* golden_frames.h - a fixed integer-only input run through the whole front end (Fbank + DCT),
 * hashed. The same C runs on the host (test_golden.cpp) and on the RV32IMC core
 * (rv32/fbank_bench.c): equal hashes show the datapath is bit-exact across both, and the
 * recorded hashes pin the accelerator's output contract. */
#ifndef CIMVP_FE_GOLDEN_FRAMES_H
#define CIMVP_FE_GOLDEN_FRAMES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FE_GOLDEN_CONFIGS 3

/* Optional timing hook: phase 0 before fbank_init, 1 after it, 2 before a frame,
 * 3 after fbank_process_frame, 4 after mfcc_dct. */
typedef void (*fe_golden_mark_fn)(int phase);

/* Config 0: default (40/20 ms, FFT 1024, Hann, power, 40 Mel 20-4000 Hz);
 * 1: 30/20 ms, FFT 512, magnitude, pre-emphasis 0.97, 125-7500 Hz;
 * 2: as 0 with the magnitude spectrum. Each: 14 frames of a 0.3 s tone+noise signal, 40
 * log-Mel (q8.7) and 13 MFCC per frame, FNV-1a hash. Returns 0 on a config error. */
uint32_t fe_golden_hash(int config, fe_golden_mark_fn mark);

#ifdef __cplusplus
}
#endif

#endif
