#include "fbank.h"

#include <algorithm>
#include <string>

#include "fbank_regs.h"
#include "reg_access.h"

using namespace sc_core;

namespace cimvp {

// ERR_CODE 2..14 are fbank_validate's status values: the firmware can decode either.
static_assert(FBANK_ERRC_SAMPLE_RATE == FBANK_ERR_SAMPLE_RATE && FBANK_ERRC_FFT_SIZE == FBANK_ERR_FFT_SIZE &&
                  FBANK_ERRC_FRAME_LEN == FBANK_ERR_FRAME_LEN && FBANK_ERRC_HOP == FBANK_ERR_FRAME_SHIFT &&
                  FBANK_ERRC_WINDOW == FBANK_ERR_WINDOW && FBANK_ERRC_PREEMPH == FBANK_ERR_PREEMPH &&
                  FBANK_ERRC_NUM_MEL == FBANK_ERR_NUM_MEL &&
                  FBANK_ERRC_TOO_MANY_FILTERS == FBANK_ERR_TOO_MANY_FILTERS &&
                  FBANK_ERRC_FREQ_RANGE == FBANK_ERR_FREQ_RANGE && FBANK_ERRC_F_HIGH == FBANK_ERR_F_HIGH &&
                  FBANK_ERRC_EMPTY_FILTER == FBANK_ERR_EMPTY_FILTER && FBANK_ERRC_SPECTRUM == FBANK_ERR_SPECTRUM &&
                  FBANK_ERRC_OUTPUT == FBANK_ERR_OUTPUT && FBANK_ERRC_DITHER == FBANK_ERR_DITHER,
              "fbank_regs.h error codes must match fbank_status_t");
static_assert(FBANK_WINDOW_RECT == FBANK_WIN_RECT && FBANK_WINDOW_HANN == FBANK_WIN_HANN &&
                  FBANK_WINDOW_HAMMING == FBANK_WIN_HAMMING && FBANK_SPECTRUM_POWER == FBANK_SPEC_POWER &&
                  FBANK_SPECTRUM_MAGNITUDE == FBANK_SPEC_MAGNITUDE && FBANK_OUT_FMT_Q7_INT16 == FBANK_OUT_Q7_INT16 &&
                  FBANK_OUT_FMT_INT8 == FBANK_OUT_INT8,
              "fbank_regs.h encodings must match fbank_math.h");

namespace {

constexpr uint32_t kCtrlRw = FBANK_CTRL_IRQ_EN | FBANK_CTRL_ADVANCE;
constexpr uint64_t kBurstBoundary = 1024;  // AHB: a burst must not cross a 1 KiB boundary

bool same_config(const fbank_config_t& a, const fbank_config_t& b) {
    return a.sample_rate_hz == b.sample_rate_hz && a.frame_len == b.frame_len && a.frame_shift == b.frame_shift &&
           a.fft_size == b.fft_size && a.window == b.window && a.window_symmetric == b.window_symmetric &&
           a.preemph_q15 == b.preemph_q15 && a.num_mel == b.num_mel && a.spectrum == b.spectrum &&
           a.f_low_hz == b.f_low_hz && a.f_high_hz == b.f_high_hz && a.out_format == b.out_format &&
           a.out_frac_bits == b.out_frac_bits && a.log_floor_q7 == b.log_floor_q7 &&
           a.log_offset_q7 == b.log_offset_q7 && a.dither == b.dither;
}

AhbBurst burst_for(unsigned beats) {
    switch (beats) {
        case 1: return AhbBurst::Single;
        case 4: return AhbBurst::Incr4;
        case 8: return AhbBurst::Incr8;
        case 16: return AhbBurst::Incr16;
        default: return AhbBurst::Incr;
    }
}

}  // namespace

Fbank::Fbank(sc_module_name name, const FbankConfig& cfg) : sc_module(name), cfg_(cfg) {
    if (cfg_.clock_period == SC_ZERO_TIME) SC_REPORT_ERROR(this->name(), "Fbank clock period must be > 0");
    if (cfg_.burst_beats < 1 || cfg_.burst_beats > 256)
        SC_REPORT_ERROR(this->name(), "Fbank burst_beats must be in 1..256");
    ext_.master = cfg_.master_id;
    socket.register_b_transport(this, &Fbank::b_transport);
    socket.register_transport_dbg(this, &Fbank::transport_dbg);
    SC_HAS_PROCESS(Fbank);
    SC_METHOD(update_irq);
    sensitive << irq_event_;
    SC_THREAD(run);
}

uint64_t Fbank::frame_compute_cycles(const FbankConfig& fc, const fbank_config_t& cfg, bool all_zero) {
    fbank_ops_t ops;
    if (fbank_op_counts(&cfg, &ops) != FBANK_OK) return 0;
    const uint64_t L = cfg.frame_len;
    uint64_t c = fc.frame_cycles + uint64_t{fc.window_cycles} * L + uint64_t{fc.log_cycles} * ops.logs;
    if (all_zero) return c + uint64_t{fc.norm_cycles} * L;  // the scan finds nothing: no shift pass
    c += uint64_t{fc.norm_cycles} * ops.norm_ops;
    c += uint64_t{fc.fft_stage_cycles} * ops.bfp_scans;  // log2(M) stages + the split pass
    c += uint64_t{fc.butterfly_cycles} * ops.butterflies;
    c += uint64_t{fc.split_cycles} * ops.split_ops;
    c += uint64_t{fc.bin_cycles} * ops.bins + uint64_t{fc.sqrt_cycles} * ops.sqrts;
    c += uint64_t{fc.mel_tap_cycles} * ops.mel_macs;
    return c;
}

uint32_t Fbank::out_bytes() const {
    const uint64_t elem = (regs_.out_fmt & FBANK_OUT_FMT_TYPE_MASK) == FBANK_OUT_FMT_INT8 ? 1 : 2;
    return static_cast<uint32_t>(std::min<uint64_t>(uint64_t{regs_.num_mel} * elem, 0xffffffffu));
}

// Register values that do not fit fbank_config_t's narrower fields map to values that
// fbank_validate rejects with the matching code (never truncate into a valid one).
uint32_t Fbank::to_config(const Regs& r, fbank_config_t& c) {
    c.sample_rate_hz = r.sample_rate;
    c.fft_size = r.fft_size > 0xffffu ? 0 : static_cast<uint16_t>(r.fft_size);
    c.frame_len = r.frame_len > 0xffffu ? 0 : static_cast<uint16_t>(r.frame_len);
    c.frame_shift = r.hop > 0xffffu ? 0 : static_cast<uint16_t>(r.hop);
    const bool window_stray = (r.window & ~(FBANK_WINDOW_TYPE_MASK | FBANK_WINDOW_SYMMETRIC)) != 0;
    c.window = window_stray ? 0xff : static_cast<uint8_t>(r.window & FBANK_WINDOW_TYPE_MASK);
    c.window_symmetric = (r.window & FBANK_WINDOW_SYMMETRIC) ? 1 : 0;
    c.preemph_q15 = r.preemph > 0xffffu ? 0xffff : static_cast<uint16_t>(r.preemph);
    c.num_mel = r.num_mel > 0xffu ? 0 : static_cast<uint8_t>(r.num_mel);
    c.spectrum = r.spectrum > 0xffu ? 0xff : static_cast<uint8_t>(r.spectrum);
    c.f_low_hz = r.f_low;
    c.f_high_hz = r.f_high;
    const bool fmt_stray = (r.out_fmt & ~(FBANK_OUT_FMT_TYPE_MASK | FBANK_OUT_FMT_FRAC_MASK)) != 0;
    c.out_format = fmt_stray ? 0xff : static_cast<uint8_t>(r.out_fmt & FBANK_OUT_FMT_TYPE_MASK);
    c.out_frac_bits = c.out_format == FBANK_OUT_INT8
                          ? static_cast<uint8_t>((r.out_fmt & FBANK_OUT_FMT_FRAC_MASK) >> FBANK_OUT_FMT_FRAC_SHIFT)
                          : 7;
    c.log_floor_q7 = static_cast<int16_t>(static_cast<uint16_t>(r.log_floor));
    c.log_offset_q7 = static_cast<int16_t>(static_cast<uint16_t>(r.log_offset));
    c.dither = r.dither > 0xffu ? 0xff : static_cast<uint8_t>(r.dither);
    return static_cast<uint32_t>(fbank_validate(&c));
}

uint32_t Fbank::check(const Regs& r, fbank_config_t& c) const {
    if (const uint32_t e = to_config(r, c)) return e;
    if (r.frame_count == 0) return FBANK_ERRC_FRAME_COUNT;
    if (r.src_len < r.frame_len) return FBANK_ERRC_SRC_LEN;
    if (r.src_start >= r.src_len) return FBANK_ERRC_SRC_START;
    if (r.src_base & 1u) return FBANK_ERRC_SRC_ALIGN;
    const uint64_t lo = cfg_.sram_base, hi = cfg_.sram_base + cfg_.sram_size;
    if (r.src_base < lo || uint64_t{r.src_base} + 2 * uint64_t{r.src_len} > hi) return FBANK_ERRC_SRC_RANGE;
    const unsigned elem = fbank_out_elem_bytes(&c);
    if (r.dst % elem) return FBANK_ERRC_DST_ALIGN;
    const uint64_t out = uint64_t{r.frame_count} * c.num_mel * elem;
    if (r.dst < lo || uint64_t{r.dst} + out > hi) return FBANK_ERRC_DST_RANGE;
    return FBANK_ERRC_NONE;
}

bool Fbank::transfer(bool write, uint64_t addr, unsigned char* data, uint64_t len) {
    const uint64_t end = addr + len;
    uint64_t a = addr;
    while (a < end) {
        const uint64_t left = end - a;
        unsigned bytes, beats = 1;
        if ((a & 3) || left < 4) {
            // Unaligned ends only: a byte or halfword single.
            bytes = ((a & 1) || left < 2) ? 1 : 2;
            ext_.hsize = bytes == 1 ? kAhbByte : kAhbHalf;
        } else {
            const uint64_t to_boundary = kBurstBoundary - (a & (kBurstBoundary - 1));
            beats = static_cast<unsigned>(std::min<uint64_t>({left / 4, cfg_.burst_beats, to_boundary / 4}));
            bytes = beats * 4;
            ext_.hsize = kAhbWord;
        }
        ext_.hburst = burst_for(beats);
        ext_.beats = beats;

        tlm::tlm_generic_payload gp;
        prepare_transfer(gp, write, a, data + (a - addr), bytes);
        gp.set_extension(&ext_);
        sc_time delay = SC_ZERO_TIME;
        master_socket->b_transport(gp, delay);
        gp.clear_extension(&ext_);  // ext_ is ours: the payload must not free it
        ++stats_.bus_transfers;
        // Honour the bus latency before the next transfer, so other masters interleave in time.
        bus_ticks_ += delay.value();
        if (delay > SC_ZERO_TIME) wait(delay);
        if (!gp.is_response_ok()) {
            err_addr_ = static_cast<uint32_t>(a);
            return false;
        }
        (write ? stats_.bytes_written : stats_.bytes_read) += bytes;
        a += bytes;
    }
    return true;
}

bool Fbank::read_samples(const Regs& r, uint64_t index, uint64_t count, int16_t* out) {
    std::vector<unsigned char>& buf = byte_buf_;
    uint64_t done = 0;
    index %= r.src_len;
    while (done < count) {
        // Contiguous up to the end of the ring, then wrap to its base.
        const uint64_t seg = std::min<uint64_t>(count - done, r.src_len - index);
        buf.resize(seg * 2);
        if (!transfer(false, r.src_base + 2 * index, buf.data(), seg * 2)) return false;
        for (uint64_t i = 0; i < seg; ++i)  // samples are little endian in memory
            out[done + i] = static_cast<int16_t>(static_cast<uint16_t>(buf[2 * i] | (buf[2 * i + 1] << 8)));
        done += seg;
        index = 0;
    }
    return true;
}

void Fbank::finish(uint32_t err_code, uint64_t err_addr) {
    busy_ = false;
    if (err_code) {
        error_ = true;
        err_code_ = err_code;
        err_addr_ = static_cast<uint32_t>(err_addr);
        ++stats_.errors;
    } else {
        done_ = true;
    }
    busy_ticks_ += (sc_time_stamp() - run_start_).value();
    irq_event_.notify();
}

void Fbank::run() {
    for (;;) {
        wait(start_event_);
        run_start_ = sc_time_stamp();
        const Regs r = run_regs_;
        const bool no_prev = run_no_prev_, advance = run_advance_;
        wait(cfg_.clock_period * static_cast<double>(cfg_.start_cycles));
        fbank_config_t c;
        if (const uint32_t e = check(r, c)) {
            finish(e, 0);
            continue;
        }
        if (!tables_valid_ || !same_config(c, table_cfg_)) {
            tables_.assign(fbank_table_words(&c), 0);
            work_.assign(fbank_work_words(&c), 0);
            if (const fbank_status_t st = fbank_init(&fb_, &c, tables_.data(), tables_.size()); st != FBANK_OK) {
                // check() passed, so this cannot happen; fail the run rather than compute garbage.
                tables_valid_ = false;
                finish(static_cast<uint32_t>(st), 0);
                continue;
            }
            table_cfg_ = c;
            tables_valid_ = true;
            // Per-frame cost, with the tables: fbank_op_counts rescans the bins (log2 per bin),
            // which per START was ~5 % of a keyword-spotting run's wall time.
            cycles_frame_ = frame_compute_cycles(cfg_, c, false);
            cycles_zero_ = frame_compute_cycles(cfg_, c, true);
        }
        const unsigned K = c.num_mel, elem = fbank_out_elem_bytes(&c);
        const uint64_t L = c.frame_len;
        samples_.resize(L + 1);
        std::vector<unsigned char> out(K * elem);
        std::vector<int16_t> out16(K);
        uint32_t err = FBANK_ERRC_NONE;
        for (uint32_t i = 0; i < r.frame_count; ++i) {
            const uint64_t start = (uint64_t{r.src_start} + uint64_t{i} * r.hop) % r.src_len;
            int16_t prev = 0;
            const int16_t* frame = samples_.data() + 1;
            if (i == 0 && no_prev) {
                if (!read_samples(r, start, L, samples_.data() + 1)) { err = FBANK_ERRC_BUS_READ; break; }
            } else {  // x[-1] and the frame in one contiguous read of the ring
                if (!read_samples(r, start + r.src_len - 1, L + 1, samples_.data())) { err = FBANK_ERRC_BUS_READ; break; }
                prev = samples_[0];
            }

            // The fbank_process_frame stages, called one by one to see an all-zero frame.
            uint32_t* mant = reinterpret_cast<uint32_t*>(work_.data() + c.fft_size + 2);
            int32_t* exps = work_.data() + c.fft_size + 2 + K;
            int32_t e = fbank_front_end(&fb_, frame, prev, &dither_state_, work_.data());
            const bool zero = e == FBANK_EXP_ZERO;
            e = fbank_rfft(&fb_, work_.data(), e);
            fbank_mel(&fb_, work_.data(), e, mant, exps);
            if (elem == 2) {
                fbank_log_mel(&fb_, mant, exps, out16.data());
                for (unsigned m = 0; m < K; ++m) {  // little endian in memory
                    out[2 * m] = static_cast<unsigned char>(static_cast<uint16_t>(out16[m]) & 0xff);
                    out[2 * m + 1] = static_cast<unsigned char>(static_cast<uint16_t>(out16[m]) >> 8);
                }
            } else {
                fbank_log_mel(&fb_, mant, exps, out.data());
            }
            const uint64_t cycles = zero ? cycles_zero_ : cycles_frame_;
            compute_cycles_ += cycles;
            wait(cfg_.clock_period * static_cast<double>(cycles));

            if (!transfer(true, uint64_t{r.dst} + uint64_t{i} * K * elem, out.data(), out.size())) {
                err = FBANK_ERRC_BUS_WRITE;
                break;
            }
            ++frames_done_;
            ++stats_.frames;
        }
        if (err) {
            finish(err, err_addr_);
            continue;
        }
        if (advance) regs_.src_start = static_cast<uint32_t>((uint64_t{r.src_start} + uint64_t{r.frame_count} * r.hop) % r.src_len);
        finish(FBANK_ERRC_NONE, 0);
    }
}

void Fbank::update_irq() {
    irq.write((ctrl_ & FBANK_CTRL_IRQ_EN) && (done_ || error_));
}

FbankStats Fbank::stats() const {
    FbankStats s = stats_;
    const uint64_t period = cfg_.clock_period.value();
    s.busy_cycles = busy_ticks_ / period;
    s.bus_cycles = bus_ticks_ / period;
    s.compute_cycles = compute_cycles_;
    return s;
}

bool Fbank::peek(uint64_t reg, uint32_t& v) const {
    switch (reg) {
        case FBANK_CTRL: v = ctrl_; return true;
        case FBANK_STATUS:
            v = (busy_ ? FBANK_STATUS_BUSY : 0u) | (done_ ? FBANK_STATUS_DONE : 0u) | (error_ ? FBANK_STATUS_ERROR : 0u);
            return true;
        case FBANK_ERR_CODE: v = err_code_; return true;
        case FBANK_ERR_ADDR: v = err_addr_; return true;
        case FBANK_FRAME_LEN: v = regs_.frame_len; return true;
        case FBANK_HOP: v = regs_.hop; return true;
        case FBANK_FFT_SIZE: v = regs_.fft_size; return true;
        case FBANK_WINDOW: v = regs_.window; return true;
        case FBANK_PREEMPH: v = regs_.preemph; return true;
        case FBANK_NUM_MEL: v = regs_.num_mel; return true;
        case FBANK_F_LOW: v = regs_.f_low; return true;
        case FBANK_F_HIGH: v = regs_.f_high; return true;
        case FBANK_SAMPLE_RATE: v = regs_.sample_rate; return true;
        case FBANK_SPECTRUM: v = regs_.spectrum; return true;
        case FBANK_OUT_FMT: v = regs_.out_fmt; return true;
        // q8.7 values read back sign-extended, as the datapath uses them.
        case FBANK_LOG_FLOOR: v = static_cast<uint32_t>(int32_t{static_cast<int16_t>(regs_.log_floor)}); return true;
        case FBANK_LOG_OFFSET: v = static_cast<uint32_t>(int32_t{static_cast<int16_t>(regs_.log_offset)}); return true;
        case FBANK_SRC_BASE: v = regs_.src_base; return true;
        case FBANK_SRC_LEN: v = regs_.src_len; return true;
        case FBANK_SRC_START: v = regs_.src_start; return true;
        case FBANK_DST_ADDR: v = regs_.dst; return true;
        case FBANK_FRAME_COUNT: v = regs_.frame_count; return true;
        case FBANK_FRAMES_DONE: v = frames_done_; return true;
        case FBANK_OUT_BYTES: v = out_bytes(); return true;
        case FBANK_ID: v = FBANK_ID_VALUE; return true;
        case FBANK_DITHER: v = regs_.dither; return true;
        case FBANK_DITHER_SEED: v = dither_state_; return true;
        default: return false;
    }
}

uint32_t* Fbank::reg_field(uint64_t reg) {
    switch (reg) {
        case FBANK_FRAME_LEN: return &regs_.frame_len;
        case FBANK_HOP: return &regs_.hop;
        case FBANK_FFT_SIZE: return &regs_.fft_size;
        case FBANK_WINDOW: return &regs_.window;
        case FBANK_PREEMPH: return &regs_.preemph;
        case FBANK_NUM_MEL: return &regs_.num_mel;
        case FBANK_F_LOW: return &regs_.f_low;
        case FBANK_F_HIGH: return &regs_.f_high;
        case FBANK_SAMPLE_RATE: return &regs_.sample_rate;
        case FBANK_SPECTRUM: return &regs_.spectrum;
        case FBANK_OUT_FMT: return &regs_.out_fmt;
        case FBANK_LOG_FLOOR: return &regs_.log_floor;
        case FBANK_LOG_OFFSET: return &regs_.log_offset;
        case FBANK_SRC_BASE: return &regs_.src_base;
        case FBANK_SRC_LEN: return &regs_.src_len;
        case FBANK_SRC_START: return &regs_.src_start;
        case FBANK_DST_ADDR: return &regs_.dst;
        case FBANK_FRAME_COUNT: return &regs_.frame_count;
        case FBANK_DITHER: return &regs_.dither;
        default: return nullptr;
    }
}

void Fbank::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
    bool irq_may_change = false;
    serve_registers(
        gp,
        [&](const RegAccess& a, uint32_t& v) {
            return peek(a.reg, v) ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE;
        },
        [&](const RegAccess& a) {
            switch (a.reg) {
                case FBANK_CTRL: {
                    ctrl_ = reg_merge(ctrl_, a) & kCtrlRw;
                    irq_may_change = true;
                    if (!(a.value & FBANK_CTRL_START)) return tlm::TLM_OK_RESPONSE;
                    if (busy_) {
                        ++stats_.ignored_starts;
                        return tlm::TLM_OK_RESPONSE;
                    }
                    // Snapshot now: the CPU may run ahead and reprogram before the run begins.
                    run_regs_ = regs_;
                    run_no_prev_ = (a.value & FBANK_CTRL_NO_PREV) != 0;
                    run_advance_ = (ctrl_ & FBANK_CTRL_ADVANCE) != 0;
                    busy_ = true;
                    done_ = error_ = false;
                    err_code_ = err_addr_ = frames_done_ = 0;
                    ++stats_.runs;
                    start_event_.notify(delay);
                    return tlm::TLM_OK_RESPONSE;
                }
                case FBANK_STATUS:
                    if (a.value & FBANK_STATUS_DONE) done_ = false;
                    if (a.value & FBANK_STATUS_ERROR) error_ = false;
                    irq_may_change = true;
                    return tlm::TLM_OK_RESPONSE;
                case FBANK_DITHER_SEED: {
                    // Live state, not snapshotted: a write restarts the sequence at once.
                    const uint32_t v = reg_merge(dither_state_, a);
                    dither_state_ = v ? v : FBANK_DITHER_SEED_RESET;
                    return tlm::TLM_OK_RESPONSE;
                }
                case FBANK_ERR_CODE:
                case FBANK_ERR_ADDR:
                case FBANK_FRAMES_DONE:
                case FBANK_OUT_BYTES:
                case FBANK_ID: return tlm::TLM_COMMAND_ERROR_RESPONSE;
                default:
                    if (uint32_t* f = reg_field(a.reg)) {
                        *f = reg_merge(*f, a);
                        return tlm::TLM_OK_RESPONSE;
                    }
                    return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            }
        });
    // The interrupt level follows at the time of the access.
    if (irq_may_change) irq_event_.notify(delay);
}

unsigned Fbank::transport_dbg(tlm::tlm_generic_payload& gp) {
    return debug_read_registers(gp, [this](uint64_t reg, uint32_t& v) { return peek(reg, v); });
}

}  // namespace cimvp
