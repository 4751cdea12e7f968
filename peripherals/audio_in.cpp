#include "audio_in.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>

#include <sndfile.h>

#include "audio_in_regs.h"
#include "errors.h"
#include "reg_access.h"

using namespace sc_core;

namespace cimvp {

namespace {

std::string quoted(const std::string& path) { return "'" + path + "'"; }

// Bytes per sample of a PCM/float subtype, 0 if not fixed (compressed formats).
unsigned bytes_per_sample(int format) {
    switch (format & SF_FORMAT_SUBMASK) {
        case SF_FORMAT_PCM_S8:
        case SF_FORMAT_PCM_U8:
        case SF_FORMAT_ULAW:
        case SF_FORMAT_ALAW: return 1;
        case SF_FORMAT_PCM_16: return 2;
        case SF_FORMAT_PCM_24: return 3;
        case SF_FORMAT_PCM_32:
        case SF_FORMAT_FLOAT: return 4;
        case SF_FORMAT_DOUBLE: return 8;
        default: return 0;
    }
}

uint32_t sat32(uint64_t v) { return v > 0xffffffffu ? 0xffffffffu : static_cast<uint32_t>(v); }

}  // namespace

AudioIn::AudioIn(sc_module_name name, const AudioInConfig& cfg) : sc_module(name), cfg_(cfg) {
    if (cfg_.fifo_depth == 0) SC_REPORT_ERROR(this->name(), "audio FIFO depth must be >= 1 sample");
    if (cfg_.threshold == 0 || cfg_.threshold > cfg_.fifo_depth)
        SC_REPORT_ERROR(this->name(), ("audio FIFO threshold " + std::to_string(cfg_.threshold) +
                                       " must be in 1..fifo_depth (" + std::to_string(cfg_.fifo_depth) + ")")
                                          .c_str());
    if (cfg_.sample_rate_hz == 0) SC_REPORT_ERROR(this->name(), "audio sample rate must be > 0 Hz");
    // Sample clock = HCLK / integer divider.
    const double res = sc_get_time_resolution().to_seconds();
    double period_s = 1.0 / cfg_.sample_rate_hz;
    if (const double clk = cfg_.clock_period.to_seconds(); clk > 0)
        period_s = std::max(1.0, std::round(period_s / clk)) * clk;
    period_ticks_ = static_cast<uint64_t>(std::llround(period_s / res));
    if (period_ticks_ == 0) SC_REPORT_ERROR(this->name(), "audio sample rate too high for the time resolution");

    if (!cfg_.wav_path.empty()) load(cfg_.wav_path);
    ring_.assign(cfg_.fifo_depth, 0);
    threshold_ = cfg_.threshold;

    socket.register_b_transport(this, &AudioIn::b_transport);
    socket.register_transport_dbg(this, &AudioIn::transport_dbg);
    SC_HAS_PROCESS(AudioIn);
    SC_METHOD(update);
    sensitive << wake_;
}

void AudioIn::load(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw InputError("cannot open audio file " + quoted(path) + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw InputError("audio file " + quoted(path) + " is not a regular file");
    if (st.st_size == 0) throw InputError("audio file " + quoted(path) + " is empty");

    SF_INFO info{};
    std::unique_ptr<SNDFILE, int (*)(SNDFILE*)> f(sf_open(path.c_str(), SFM_READ, &info), &sf_close);
    if (!f)
        throw InputError("cannot read audio file " + quoted(path) + ": " + sf_strerror(nullptr) +
                         " (expected a WAV file)");
    if (info.frames <= 0) throw InputError("audio file " + quoted(path) + " contains no samples");
    if (info.samplerate != static_cast<int>(cfg_.sample_rate_hz))
        throw InputError("audio file " + quoted(path) + " has a sample rate of " + std::to_string(info.samplerate) +
                         " Hz; the board runs at " + std::to_string(cfg_.sample_rate_hz) +
                         " Hz (resampling is not supported: convert the file)");
    const unsigned channels = static_cast<unsigned>(info.channels);
    if (channels > 1) {
        if (cfg_.channel_mode == AudioChannelMode::Reject)
            throw InputError("audio file " + quoted(path) + " has " + std::to_string(channels) +
                             " channels; expected mono (or configure a channel to pick or mixing)");
        if (cfg_.channel_mode == AudioChannelMode::Pick && cfg_.channel >= channels)
            throw InputError("audio file " + quoted(path) + " has " + std::to_string(channels) +
                             " channels; channel " + std::to_string(cfg_.channel) + " does not exist");
    }
    // libsndfile silently shortens a file whose data chunk runs past its end: compare the length
    // the header declares with what is there.
    if (const unsigned bps = bytes_per_sample(info.format); bps) {
        SF_CHUNK_INFO want{};
        std::strcpy(want.id, "data");
        want.id_size = 4;
        if (SF_CHUNK_ITERATOR* it = sf_get_chunk_iterator(f.get(), &want)) {
            SF_CHUNK_INFO got{};
            if (sf_get_chunk_size(it, &got) == SF_ERR_NO_ERROR) {
                const uint64_t have = static_cast<uint64_t>(info.frames) * channels * bps;
                if (got.datalen > have)
                    throw InputError("audio file " + quoted(path) + " is truncated: its header declares " +
                                     std::to_string(got.datalen) + " bytes of samples, the file holds " +
                                     std::to_string(have));
            }
        }
    }

    sf_command(f.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);  // float files: clip, do not wrap
    std::vector<short> frames(static_cast<size_t>(info.frames) * channels);
    const sf_count_t got = sf_readf_short(f.get(), frames.data(), info.frames);
    if (got != info.frames)
        throw InputError("audio file " + quoted(path) + " is truncated or unreadable: read " + std::to_string(got) +
                         " of " + std::to_string(info.frames) + " frames (" + sf_strerror(f.get()) + ")");
    samples_.resize(static_cast<size_t>(info.frames));
    for (size_t i = 0; i < samples_.size(); ++i) {
        const short* fr = &frames[i * channels];
        if (channels == 1) {
            samples_[i] = fr[0];
        } else if (cfg_.channel_mode == AudioChannelMode::Pick) {
            samples_[i] = fr[cfg_.channel];
        } else {
            long sum = 0;
            for (unsigned c = 0; c < channels; ++c) sum += fr[c];
            samples_[i] = static_cast<int16_t>(std::lround(static_cast<double>(sum) / channels));
        }
    }
}

void AudioIn::before_end_of_elaboration() {
    if (irq.bind_count() == 0) irq.bind(irq_tie_);
    if (drq.bind_count() == 0) drq.bind(drq_tie_);
}

// --- lazy FIFO ------------------------------------------------------------------------------

uint64_t AudioIn::arrived_by(uint64_t t) const {
    if (!(ctrl_ & AUDIO_CTRL_ENABLE) || t < seg_t0_) return produced_;
    const uint64_t n = seg_base_ + (t - seg_t0_) / period_ticks_;
    return std::min<uint64_t>(n, samples_.size());
}

uint64_t AudioIn::arrival_time(uint64_t index) const { return seg_t0_ + (index - seg_base_ + 1) * period_ticks_; }

void AudioIn::advance(uint64_t t) {
    if (t <= last_t_) return;
    last_t_ = t;
    const uint64_t target = arrived_by(t);
    if (target == produced_) return;
    const uint64_t n = target - produced_;
    const uint64_t kept = std::min<uint64_t>(n, cfg_.fifo_depth - level_);
    // The oldest arrivals fill the free space; the rest find the FIFO full and are dropped.
    for (uint64_t i = 0; i < kept; ++i) {
        ring_[(head_ + level_) % cfg_.fifo_depth] = samples_[produced_ + i];
        ++level_;
    }
    if (n > kept) {
        stats_.overruns += n - kept;
        sticky_ |= AUDIO_IRQ_OVERRUN;
    }
    produced_ = target;
    stats_.samples_arrived += n;
    stats_.fifo_high_water = std::max<uint64_t>(stats_.fifo_high_water, level_);
    refresh_flags();
}

// FILE_DONE and EOF are raised once, on the transition (writing 1 clears them for good).
void AudioIn::refresh_flags() {
    if (!started_ || produced_ != samples_.size()) return;
    if (!file_done_seen_) {
        file_done_seen_ = true;
        sticky_ |= AUDIO_IRQ_FILE_DONE;
    }
    if (!eof_seen_ && level_ == 0) {
        eof_seen_ = true;
        sticky_ |= AUDIO_IRQ_EOF;
    }
}

void AudioIn::set_enable(bool on, uint64_t t) {
    const bool was = ctrl_ & AUDIO_CTRL_ENABLE;
    if (on == was) return;
    if (on) {
        // The audio clock starts now: the next sample arrives one period later.
        ctrl_ |= AUDIO_CTRL_ENABLE;
        seg_base_ = produced_;
        seg_t0_ = t;
        started_ = true;
        refresh_flags();  // an empty input is done at once
    } else {
        ctrl_ &= ~AUDIO_CTRL_ENABLE;  // state already brought up to t: nothing more arrives
    }
}

uint32_t AudioIn::pop() {
    if (level_ == 0) {
        ++stats_.underrun_reads;
        sticky_ |= AUDIO_IRQ_UNDERRUN;
        return 0;
    }
    const int16_t s = ring_[head_];
    head_ = (head_ + 1) % cfg_.fifo_depth;
    --level_;
    ++stats_.samples_delivered;
    refresh_flags();
    return static_cast<uint32_t>(static_cast<int32_t>(s));  // sign-extended
}

uint64_t AudioIn::next_event() const {
    if (!(ctrl_ & AUDIO_CTRL_ENABLE) || produced_ >= samples_.size()) return kNever;
    const uint64_t n = samples_.size();
    uint64_t next = kNever;
    // Sample index whose arrival brings the level up to the threshold (no reads in between).
    if (level_ < threshold_) {
        const uint64_t i = produced_ + (threshold_ - level_) - 1;
        if (i < n) next = std::min(next, arrival_time(i));
    }
    // The first sample to find the FIFO full.
    if (!(sticky_ & AUDIO_IRQ_OVERRUN)) {
        const uint64_t i = produced_ + (cfg_.fifo_depth - level_);
        if (i < n) next = std::min(next, arrival_time(i));
    }
    if (!file_done_seen_) next = std::min(next, arrival_time(n - 1));
    return next;
}

uint32_t AudioIn::status() const {
    uint32_t s = 0;
    if (level_ >= threshold_) s |= AUDIO_STATUS_THRESH;
    if (level_ == 0) s |= AUDIO_STATUS_EMPTY;
    if (level_ == cfg_.fifo_depth) s |= AUDIO_STATUS_FULL;
    const bool done = started_ && produced_ == samples_.size();
    if (done) s |= AUDIO_STATUS_FILE_DONE;
    if (done && level_ == 0) s |= AUDIO_STATUS_EOF;
    if (ctrl_ & AUDIO_CTRL_ENABLE) s |= AUDIO_STATUS_RUNNING;
    return s;
}

bool AudioIn::dma_request() const { return (ctrl_ & AUDIO_CTRL_DMA_EN) && level_ >= threshold_; }

uint32_t AudioIn::irq_status() const { return sticky_ | (level_ >= threshold_ ? AUDIO_IRQ_THRESH : 0u); }

void AudioIn::update() {
    const uint64_t now = sc_time_stamp().value();
    if (last_t_ > now) {
        // An access already took the state past now: the outputs follow at that time, except a
        // request that access ended: it drops now, or the DMA, back from the burst that emptied
        // the FIFO, would find DRQ still high and pop an empty FIFO (a burst of zero samples in
        // the stream: seen when NPU traffic delayed the DMA's accesses).
        if (!dma_request()) drq.write(false);
        wake_.notify(sc_time::from_value(last_t_ - now));
        return;
    }
    advance(now);
    irq.write((irq_status() & irq_en_) != 0);
    drq.write(dma_request());
    if (const uint64_t next = next_event(); next != kNever) wake_.notify(sc_time::from_value(next - now));
}

AudioInStats AudioIn::stats() const {
    AudioInStats s = stats_;
    // Arrivals since the last access, as advance() would count them.
    const uint64_t t = std::max<uint64_t>(sc_time_stamp().value(), last_t_);
    const uint64_t n = arrived_by(t) - produced_;
    const uint64_t kept = std::min<uint64_t>(n, cfg_.fifo_depth - level_);
    s.samples_arrived += n;
    s.overruns += n - kept;
    s.fifo_high_water = std::max<uint64_t>(s.fifo_high_water, level_ + kept);
    return s;
}

// --- registers ------------------------------------------------------------------------------

bool AudioIn::read_reg(uint64_t reg, uint32_t& v) {
    switch (reg) {
        case AUDIO_CTRL: v = ctrl_; return true;
        case AUDIO_STATUS: v = status(); return true;
        case AUDIO_IRQ_STATUS: v = irq_status(); return true;
        case AUDIO_IRQ_EN: v = irq_en_; return true;
        case AUDIO_LEVEL: v = level_; return true;
        case AUDIO_THRESHOLD: v = threshold_; return true;
        case AUDIO_DEPTH: v = cfg_.fifo_depth; return true;
        case AUDIO_OVERRUNS: v = sat32(stats_.overruns); return true;
        case AUDIO_SAMPLE_RATE: v = cfg_.sample_rate_hz; return true;
        case AUDIO_LENGTH: v = sat32(samples_.size()); return true;
        case AUDIO_POSITION: v = sat32(produced_); return true;
        default: return false;
    }
}

void AudioIn::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
    const uint64_t now = sc_time_stamp().value();
    const uint64_t t = std::max<uint64_t>(now + delay.value(), last_t_);
    advance(t);
    serve_registers(
        gp,
        [&](const RegAccess& a, uint32_t& v) {
            if (a.reg == AUDIO_DATA) {
                if (a.lane != 0 || (a.size != 2 && a.size != 4)) return tlm::TLM_BURST_ERROR_RESPONSE;
                v = pop();
                return tlm::TLM_OK_RESPONSE;
            }
            if (!read_reg(a.reg, v)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            if (!a.whole()) return tlm::TLM_BURST_ERROR_RESPONSE;
            return tlm::TLM_OK_RESPONSE;
        },
        [&](const RegAccess& a) {
            uint32_t dummy;
            if (!read_reg(a.reg, dummy) && a.reg != AUDIO_DATA) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            if (!a.whole()) return tlm::TLM_BURST_ERROR_RESPONSE;
            switch (a.reg) {
                case AUDIO_CTRL:
                    set_enable(a.value & AUDIO_CTRL_ENABLE, t);
                    ctrl_ = (ctrl_ & AUDIO_CTRL_ENABLE) | (a.value & AUDIO_CTRL_DMA_EN);
                    return tlm::TLM_OK_RESPONSE;
                case AUDIO_IRQ_STATUS: sticky_ &= ~(a.value & AUDIO_IRQ_ALL); return tlm::TLM_OK_RESPONSE;
                case AUDIO_IRQ_EN: irq_en_ = a.value & AUDIO_IRQ_ALL; return tlm::TLM_OK_RESPONSE;
                case AUDIO_THRESHOLD:
                    if (a.value == 0 || a.value > cfg_.fifo_depth) return tlm::TLM_GENERIC_ERROR_RESPONSE;
                    threshold_ = a.value;
                    return tlm::TLM_OK_RESPONSE;
                default: return tlm::TLM_COMMAND_ERROR_RESPONSE;  // read-only
            }
        });
    // Outputs follow at the time of the access (the earliest pending wake-up wins; update()
    // re-arms itself for later ones).
    wake_.notify(sc_time::from_value(t - now));
}

unsigned AudioIn::transport_dbg(tlm::tlm_generic_payload& gp) {
    // Bringing the arrivals up to now has no visible effect (no read happens in between).
    advance(sc_time_stamp().value());
    return debug_read_registers(gp, [this](uint64_t reg, uint32_t& v) {
        if (reg == AUDIO_DATA) {
            v = level_ ? static_cast<uint32_t>(static_cast<int32_t>(ring_[head_])) : 0;  // peek, no pop
            return true;
        }
        return read_reg(reg, v);
    });
}

}  // namespace cimvp
