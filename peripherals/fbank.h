// Fbank accelerator: log-Mel filterbank energies of int16 audio frames in SRAM, registers per
// fbank_regs.h. The arithmetic is fbank_math.c itself (fbank_process_frame), so the output is
// bit exact with the C definition the firmware and the tests use.
//
// A START (CTRL bit 0) snapshots every register, checks the programming (the fbank_validate
// checks, then the source ring and destination against the SRAM window), and runs FRAME_COUNT
// frames in one SC_THREAD, each strictly in sequence:
//   read   x[-1] and the L frame samples from the ring as a bus master: word-aligned INCR bursts
//          of at most burst_beats words that never cross a 1 KiB boundary (AHB rule), split
//          where the ring wraps, sub-word transfers only at unaligned ends;
//   compute frame_compute_cycles() (the datapath latency formula, below);
//   write  the NUM_MEL outputs to DST_ADDR + i * OUT_BYTES, likewise in bursts.
// Every transfer carries an AhbExtension (master = cfg.master_id) and the thread waits for the
// latency the bus returns before the next one, so contention with other masters lengthens
// the run. A programming error ends the run after start_cycles with STATUS.ERROR and ERR_CODE;
// a bus error response ends it at the failing transfer (ERR_ADDR = its address), keeping the
// frames already written (FRAMES_DONE).
//
// Latency of a run of F frames, in cycles of clock_period:
//   start_cycles + sum over frames of (bus time of the frame's reads + frame_compute_cycles()
//   + bus time of its writes)
// with, from the operation counts of fbank_op_counts() (L = FRAME_LEN, M = FFT_SIZE / 2):
//   frame_compute_cycles = frame_cycles
//       + window_cycles * L                        pre-emphasis and window, one MAC lane
//       + norm_cycles * 2L                         block-float max scan, then shift pass
//       + fft_stage_cycles * (log2 M + 1)          per FFT pass and the split pass (fill/drain)
//       + butterfly_cycles * (M/2) log2 M          radix-2 butterflies
//       + split_cycles * (M/2 + 1)                 real-FFT split steps
//       + bin_cycles * bins (+ sqrt_cycles * bins if magnitude)   spectrum of the bins in use
//       + mel_tap_cycles * taps                    2 per interior bin, 1 at the band ends
//       + log_cycles * NUM_MEL
// Dither (DITHER > 0) is an adder and a generator in the sample path, pipelined with the window
// multiply: no extra cycles.
// An all-zero frame (silence) skips the FFT, spectrum and Mel stages as fbank_math does:
//       frame_cycles + window_cycles * L + norm_cycles * L + log_cycles * NUM_MEL.
// The tables (twiddles, window, Mel weights) are assumed ready when a START is accepted (their
// generation is not timed); the model builds them on the host once per distinct configuration.
//
// irq is a level: CTRL.IRQ_EN and (STATUS.DONE or STATUS.ERROR).
// Binding: socket is a bus target (4 KiB at CIMVP_FBANK_BASE), master_socket a bus master port
// (HMASTER CIMVP_MASTER_FBANK), irq the interrupt controller's source CIMVP_IRQ_FBANK. A START
// takes effect at its annotated time (sc_time_stamp() + delay of the register write).
// Register access rules: reg_access.h. START while BUSY is ignored (counted in stats).
#ifndef CIMVP_PERIPHERALS_FBANK_H
#define CIMVP_PERIPHERALS_FBANK_H

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "ahb_extension.h"
#include "fbank_math.h"
#include "memory_map.h"

namespace cimvp {

struct FbankConfig {
    sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);  // accelerator clock (HCLK), > 0
    uint64_t sram_base = CIMVP_SRAM_BASE;  // [byte address] window the source and destination must lie in
    uint64_t sram_size = CIMVP_SRAM_SIZE;  // [bytes]
    unsigned master_id = CIMVP_MASTER_FBANK;  // HMASTER in the AhbExtension
    unsigned burst_beats = 16;  // [words] longest burst, 1..256 (16/8/4 give INCR16/8/4, else INCR)

    // Datapath latency, [cycles] of clock_period per operation (see the formula above).
    unsigned start_cycles = 8;       // per START: register snapshot and programming checks
    unsigned frame_cycles = 4;       // per frame: sequencing
    unsigned window_cycles = 1;      // per frame sample: pre-emphasis + window multiply
    unsigned norm_cycles = 1;        // per sample and pass (2 passes): block-float normalisation
    unsigned fft_stage_cycles = 4;   // per FFT pass (log2 M stages + split): pipeline fill/drain
    unsigned butterfly_cycles = 1;   // per radix-2 butterfly (4 real multipliers)
    unsigned split_cycles = 1;       // per real-FFT split step
    unsigned bin_cycles = 1;         // per spectrum bin in the Mel band: Xr^2 + Xi^2
    unsigned sqrt_cycles = 4;        // extra per bin for the magnitude spectrum (integer sqrt)
    unsigned mel_tap_cycles = 1;     // per Mel filter tap (weight * bin, accumulate)
    unsigned log_cycles = 4;         // per Mel filter: normalise, log2 table + interpolate, scale
};

struct FbankStats {
    uint64_t runs = 0;            // STARTs accepted
    uint64_t frames = 0;          // frames computed and written
    uint64_t busy_cycles = 0;     // cycles with STATUS.BUSY set (runs, including failed ones)
    uint64_t compute_cycles = 0;  // datapath cycles (frame_compute_cycles summed)
    uint64_t bus_cycles = 0;      // cycles spent in bus transfers (including waits for the bus)
    uint64_t bytes_read = 0;      // bus bytes read (source samples)
    uint64_t bytes_written = 0;   // bus bytes written (outputs)
    uint64_t bus_transfers = 0;   // b_transport calls issued
    uint64_t errors = 0;          // runs ended by an error (programming or bus)
    uint64_t ignored_starts = 0;  // START written while BUSY
};

class Fbank : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Fbank> socket{"socket"};                   // registers (bus -> Fbank)
    tlm_utils::simple_initiator_socket<Fbank> master_socket{"master_socket"};  // SRAM (Fbank -> bus)
    sc_core::sc_out<bool> irq{"irq"};

    // Reports an error (SC_REPORT_ERROR) for a zero clock period or burst_beats outside 1..256.
    Fbank(sc_core::sc_module_name name, const FbankConfig& cfg);

    FbankStats stats() const;
    const FbankConfig& config() const { return cfg_; }
    bool busy() const { return busy_; }

    // The datapath cycles of one frame (formula above) for a valid configuration; all_zero =
    // a frame whose windowed samples are all zero. 0 for an invalid configuration.
    static uint64_t frame_compute_cycles(const FbankConfig& fc, const fbank_config_t& cfg, bool all_zero = false);

private:
    // Registers as written (the snapshot a START takes).
    struct Regs {
        uint32_t frame_len = 640, hop = 320, fft_size = 1024, window = 1, preemph = 0, num_mel = 40;
        uint32_t f_low = 20, f_high = 4000, sample_rate = 16000, spectrum = 0, out_fmt = 0;
        uint32_t log_floor = 0xF600u, log_offset = 0;  // q8.7: -20.0 and 0
        uint32_t src_base = 0, src_len = 0, src_start = 0, dst = 0, frame_count = 1;
        uint32_t dither = 0;
    };

    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    bool peek(uint64_t reg, uint32_t& value) const;
    void update_irq();  // SC_METHOD on irq_event_
    void run();         // SC_THREAD: one run per START

    // Datapath configuration from the registers; returns FBANK_ERRC_* (0 = fine).
    static uint32_t to_config(const Regs& r, fbank_config_t& cfg);
    uint32_t check(const Regs& r, fbank_config_t& cfg) const;  // all programming checks
    void finish(uint32_t err_code, uint64_t err_addr);
    // Bus transfers of [addr, addr + len) as bursts; false (and err_addr_) on an error response.
    bool transfer(bool write, uint64_t addr, unsigned char* data, uint64_t len);
    bool read_samples(const Regs& r, uint64_t index, uint64_t count, int16_t* out);
    uint32_t out_bytes() const;  // per frame, for the current registers
    uint32_t* reg_field(uint64_t reg);  // a plain RW configuration register, nullptr otherwise

    FbankConfig cfg_;
    Regs regs_;
    Regs run_regs_;        // snapshot of the run in progress
    bool run_no_prev_ = false, run_advance_ = false;
    uint32_t ctrl_ = 0;    // IRQ_EN | ADVANCE
    bool busy_ = false, done_ = false, error_ = false;
    uint32_t err_code_ = 0, err_addr_ = 0, frames_done_ = 0;
    uint32_t dither_state_ = FBANK_DITHER_SEED_RESET;  // DITHER_SEED: advanced by every dithered frame
    sc_core::sc_time run_start_;
    sc_core::sc_event start_event_, irq_event_;

    // Tables for the configuration in use, rebuilt only when it changes.
    fbank_config_t table_cfg_{};
    bool tables_valid_ = false;
    fbank_t fb_{};
    std::vector<uint32_t> tables_;
    std::vector<int32_t> work_;
    uint64_t cycles_frame_ = 0, cycles_zero_ = 0;  // frame_compute_cycles() of table_cfg_

    std::vector<int16_t> samples_;         // x[-1] and the frame
    std::vector<unsigned char> byte_buf_;  // bus data of one ring segment

    AhbExtension ext_;
    FbankStats stats_;  // counters; the time-based ones are kept in ticks below
    uint64_t busy_ticks_ = 0, bus_ticks_ = 0, compute_cycles_ = 0;
};

}  // namespace cimvp

#endif
