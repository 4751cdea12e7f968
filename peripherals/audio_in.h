// Audio input (microphone / I2S-style): plays an audio file into the board in simulated time.
//
// The file is read whole at construction through libsndfile (16 kHz mono 16-bit WAV is the
// default; other sample formats are converted to 16-bit by libsndfile). Sample k of the file
// arrives in the FIFO at enable_time + (k + 1) * sample_period; a sample that finds the FIFO full
// is dropped and counted (the FIFO keeps the older samples), so what the firmware reads is the
// file minus exactly the counted overruns.
//
// Timing is computed lazily and exactly: the FIFO contents at any time follow from the time of
// the last access, so no process runs per sample. A register access (or a DMA read) at time t
// first brings the FIFO up to t; an SC_METHOD wakes only when an output may change (threshold
// crossing, first drop, last sample) and at accesses. With temporal decoupling an access that
// arrives with an earlier time than a previous one is treated as happening at the later time.
//
// Registers per audio_in_regs.h. All are 32-bit with 32-bit accesses only (else
// TLM_BURST_ERROR_RESPONSE), except DATA, which also takes a 16-bit read at its offset; unknown
// offsets give TLM_ADDRESS_ERROR_RESPONSE, writes to read-only registers
// TLM_COMMAND_ERROR_RESPONSE, a THRESHOLD outside 1..depth TLM_GENERIC_ERROR_RESPONSE.
//
// Outputs (levels): drq = CTRL.DMA_EN && LEVEL >= THRESHOLD; irq = IRQ_STATUS & IRQ_EN != 0.
// The tail of a file shorter than the threshold stays in the FIFO without a DMA request: the
// firmware reads it through DATA after IRQ_STATUS.FILE_DONE. Unbound outputs are tied off.
#ifndef CIMVP_PERIPHERALS_AUDIO_IN_H
#define CIMVP_PERIPHERALS_AUDIO_IN_H

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace cimvp {

// What to do with a file of more than one channel.
enum class AudioChannelMode {
    Reject,  // InputError naming the file and its channel count
    Mix,     // mono = average of all channels, rounded to nearest (ties away from zero)
    Pick,    // mono = channel AudioInConfig::channel (0-based)
};

struct AudioInConfig {
    std::string wav_path;                 // input file; empty = no input (EOF as soon as enabled)
    unsigned sample_rate_hz = 16000;      // [Hz] rate the board runs at; a file at another rate is rejected
    AudioChannelMode channel_mode = AudioChannelMode::Reject;
    unsigned channel = 0;                 // [index] the channel kept with AudioChannelMode::Pick
    unsigned fifo_depth = 64;             // [samples] >= 1
    unsigned threshold = 32;              // [samples] reset value of THRESHOLD, 1..fifo_depth
    // HCLK: the sample clock is HCLK divided by an integer, so the sample period is rounded to
    // whole HCLK periods (62.5 us exactly for 16 kHz at 100 MHz).
    sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);
};

struct AudioInStats {
    uint64_t samples_arrived = 0;    // samples of the file that reached the FIFO input (kept + dropped)
    uint64_t samples_delivered = 0;  // samples read out through DATA (CPU or DMA)
    uint64_t overruns = 0;           // samples dropped because the FIFO was full
    uint64_t underrun_reads = 0;     // DATA reads while the FIFO was empty (returned 0)
    uint64_t fifo_high_water = 0;    // [samples] highest FIFO level seen
};

class AudioIn : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<AudioIn> socket{"socket"};
    sc_core::sc_out<bool> irq{"irq"};  // to the interrupt controller (CIMVP_IRQ_AUDIO)
    sc_core::sc_out<bool> drq{"drq"};  // DMA request line

    // Loads the file. Throws InputError naming the file for a missing, empty, truncated or
    // non-audio file, a sample rate other than cfg.sample_rate_hz, or an unsupported channel
    // layout; reports SC_REPORT_ERROR for an invalid configuration (depth, threshold, clock).
    AudioIn(sc_core::sc_module_name name, const AudioInConfig& cfg);

    AudioInStats stats() const;  // up to the current simulated time
    const std::vector<int16_t>& samples() const { return samples_; }  // the mono input, as loaded
    sc_core::sc_time sample_period() const { return sc_core::sc_time::from_value(period_ticks_); }
    const AudioInConfig& config() const { return cfg_; }

private:
    static constexpr uint64_t kNever = ~uint64_t{0};

    void load(const std::string& path);
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void before_end_of_elaboration() override;
    void update();  // SC_METHOD on wake_: outputs and the next wake-up

    uint64_t arrived_by(uint64_t t) const;  // file samples arrived by time t (ticks)
    uint64_t arrival_time(uint64_t index) const;
    void advance(uint64_t t);  // brings the FIFO up to time t
    void set_enable(bool on, uint64_t t);
    uint32_t pop();
    void refresh_flags();
    uint64_t next_event() const;
    uint32_t status() const;
    bool dma_request() const;  // DRQ: DMA enabled and the level at the threshold
    uint32_t irq_status() const;
    bool read_reg(uint64_t reg, uint32_t& v);

    AudioInConfig cfg_;
    std::vector<int16_t> samples_;
    uint64_t period_ticks_ = 0;

    // FIFO: a ring of the kept samples.
    std::vector<int16_t> ring_;
    unsigned head_ = 0;
    unsigned level_ = 0;

    uint64_t produced_ = 0;  // file samples arrived so far (kept or dropped)
    uint64_t seg_base_ = 0;  // produced_ when playback was last enabled
    uint64_t seg_t0_ = 0;    // that enable time [ticks]
    uint64_t last_t_ = 0;    // time the state has been brought up to [ticks]
    bool started_ = false;   // enabled at least once
    bool file_done_seen_ = false, eof_seen_ = false;  // FILE_DONE / EOF edges already flagged
    uint32_t ctrl_ = 0;
    uint32_t threshold_ = 0;
    uint32_t irq_en_ = 0;
    uint32_t sticky_ = 0;    // AUDIO_IRQ_* sticky causes
    AudioInStats stats_;
    sc_core::sc_event wake_;

    // Tie-offs for outputs the platform leaves unbound (e.g. no DMA).
    sc_core::sc_signal<bool> irq_tie_{"irq_tie"}, drq_tie_{"drq_tie"};
};

}  // namespace cimvp

#endif
