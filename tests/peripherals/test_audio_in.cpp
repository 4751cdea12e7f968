// Audio input: sample timing, FIFO level/threshold, DMA request and interrupts, exact overrun
// accounting, end of file, file loading and rejection, register access errors.
#include "audio_in.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sndfile.h>

#include "audio_in_regs.h"
#include "errors.h"
#include "sc_test_util.h"

using namespace sc_core;
using cimvp::AudioChannelMode;
using cimvp::AudioIn;
using cimvp::AudioInConfig;
using cimvp::InputError;
using cimvp::test::EdgeRecorder;
using cimvp::test::TestInitiator;

namespace {

const sc_time kPeriod(62.5, SC_US);  // 16 kHz from a 100 MHz clock

// Lets signal writes triggered by a register access take effect (a delta notification made
// between sc_start calls needs more than one delta cycle).
void settle() { sc_start(sc_time(1, SC_NS)); }

std::string temp_path(const std::string& tag) {
    return ::testing::TempDir() + "cimvp_audio_" + tag + "_" + std::to_string(::getpid()) + ".wav";
}

// Writes interleaved 16-bit frames with libsndfile; returns the path.
std::string write_wav(const std::string& tag, const std::vector<short>& data, int rate = 16000, int channels = 1) {
    const std::string path = temp_path(tag);
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    EXPECT_NE(f, nullptr) << sf_strerror(nullptr);
    if (!f) return path;
    EXPECT_EQ(sf_writef_short(f, data.data(), static_cast<sf_count_t>(data.size() / channels)),
              static_cast<sf_count_t>(data.size() / channels));
    sf_close(f);
    return path;
}

// Samples whose value is their index (plus an offset), so a gap shows where a sample was lost.
std::vector<short> ramp(unsigned n, int offset = 0) {
    std::vector<short> v(n);
    for (unsigned i = 0; i < n; ++i) v[i] = static_cast<short>(offset + static_cast<int>(i));
    return v;
}

AudioInConfig config(const std::string& path, unsigned depth = 8, unsigned threshold = 4) {
    AudioInConfig c;
    c.wav_path = path;
    c.fifo_depth = depth;
    c.threshold = threshold;
    c.clock_period = sc_time(10, SC_NS);
    return c;
}

struct Bench {
    TestInitiator init{"init"};
    AudioIn audio;
    sc_signal<bool> irq{"irq"}, drq{"drq"};
    EdgeRecorder irq_rec{"irq_rec"}, drq_rec{"drq_rec"};
    explicit Bench(const AudioInConfig& cfg) : audio("audio", cfg) {
        init.socket.bind(audio.socket);
        audio.irq.bind(irq);
        audio.drq.bind(drq);
        irq_rec.in.bind(irq);
        drq_rec.in.bind(drq);
        sc_start(SC_ZERO_TIME);
    }
    uint32_t reg(uint32_t off, sc_time delay = SC_ZERO_TIME) {
        const auto r = init.read(off, 4, delay);
        EXPECT_TRUE(r.ok()) << "read of 0x" << std::hex << off << " failed: " << r.status;
        return r.value;
    }
    void set(uint32_t off, uint32_t v, sc_time delay = SC_ZERO_TIME) {
        const auto r = init.write(off, v, 4, delay);
        EXPECT_TRUE(r.ok()) << "write of 0x" << std::hex << off << " failed: " << r.status;
    }
    int16_t pop(sc_time delay = SC_ZERO_TIME) { return static_cast<int16_t>(reg(AUDIO_DATA, delay)); }
};

class AudioInTest : public cimvp::test::ScTest {
protected:
    void TearDown() override {
        for (const auto& p : files_) std::remove(p.c_str());
    }
    std::string wav(const std::string& tag, const std::vector<short>& d, int rate = 16000, int ch = 1) {
        files_.push_back(write_wav(tag, d, rate, ch));
        return files_.back();
    }
    std::string raw(const std::string& tag, const std::string& bytes) {
        files_.push_back(temp_path(tag));
        std::ofstream(files_.back(), std::ios::binary) << bytes;
        return files_.back();
    }
    std::vector<std::string> files_;
};

// Expects the constructor to throw InputError whose message names the file and contains `what`.
void expect_input_error(const AudioInConfig& cfg, const std::string& what) {
    try {
        AudioIn a("audio", cfg);
        ADD_FAILURE() << "no InputError for " << cfg.wav_path;
    } catch (const InputError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("'" + cfg.wav_path + "'"), std::string::npos) << "file not named: " << msg;
        EXPECT_NE(msg.find(what), std::string::npos) << "expected '" << what << "' in: " << msg;
    }
}

}  // namespace

TEST_F(AudioInTest, SampleKArrivesOnePeriodAfterSampleKMinusOne) {
    Bench b(config(wav("timing", ramp(6, 100)), 8, 8));
    EXPECT_EQ(b.audio.sample_period(), kPeriod) << "got " << b.audio.sample_period();
    EXPECT_EQ(b.audio.samples().size(), 6u);
    const sc_time t0(3, SC_US);
    b.set(AUDIO_CTRL, AUDIO_CTRL_ENABLE, t0);  // time 0 of the audio = the enable write
    const sc_time tick = sc_get_time_resolution();
    EXPECT_EQ(b.reg(AUDIO_LEVEL, t0 + kPeriod - tick), 0u) << "sample 0 arrives one period after enable";
    for (unsigned k = 0; k < 6; ++k) {
        const sc_time at = t0 + kPeriod * static_cast<double>(k + 1);
        EXPECT_EQ(b.reg(AUDIO_LEVEL, at - tick), k) << "just before sample " << k << " at " << at;
        EXPECT_EQ(b.reg(AUDIO_LEVEL, at), k + 1) << "sample " << k << " at " << at;
    }
    EXPECT_EQ(b.reg(AUDIO_LEVEL, t0 + kPeriod * 100.0), 6u) << "the file has 6 samples";
    for (int k = 0; k < 6; ++k) EXPECT_EQ(b.pop(t0 + kPeriod * 100.0), 100 + k) << "sample " << k;
    EXPECT_EQ(b.audio.stats().samples_delivered, 6u);
}

TEST_F(AudioInTest, ThresholdDrivesDrqAndIrq) {
    Bench b(config(wav("thresh", ramp(40)), 8, 4));
    b.set(AUDIO_IRQ_EN, AUDIO_IRQ_THRESH);
    b.set(AUDIO_CTRL, AUDIO_CTRL_ENABLE | AUDIO_CTRL_DMA_EN);
    sc_start(kPeriod * 4.5);
    ASSERT_EQ(b.drq_rec.changes.size(), 1u);
    EXPECT_EQ(b.drq_rec.first(true), kPeriod * 4.0) << "drq rises when the 4th sample arrives";
    EXPECT_EQ(b.irq_rec.first(true), kPeriod * 4.0) << "threshold interrupt";
    EXPECT_EQ(b.reg(AUDIO_STATUS) & AUDIO_STATUS_THRESH, AUDIO_STATUS_THRESH);
    EXPECT_EQ(b.pop(), 0);  // level 3 at 4.5 periods: below the threshold
    sc_start(kPeriod * 0.25);
    EXPECT_FALSE(b.drq.read()) << "drq drops with the read";
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.drq_rec.changes.back().first, kPeriod * 4.5) << "at the time of the read";
    sc_start(kPeriod * 0.5);  // to 5.25 periods
    EXPECT_TRUE(b.drq.read()) << "sample 4 brought the level back to 4";
    EXPECT_EQ(b.drq_rec.changes.back().first, kPeriod * 5.0);
    // Raising the threshold drops the request; DMA_EN off keeps drq low but not the irq.
    b.set(AUDIO_THRESHOLD, 6);
    sc_start(kPeriod * 0.1);
    EXPECT_FALSE(b.drq.read());
    b.set(AUDIO_CTRL, AUDIO_CTRL_ENABLE);
    sc_start(kPeriod * 2);
    EXPECT_FALSE(b.drq.read()) << "DMA_EN clear";
    EXPECT_TRUE(b.irq.read()) << "level 6 >= threshold 6";
    EXPECT_EQ(b.reg(AUDIO_LEVEL), 6u);
    // The number of wake-ups does not grow with the samples: the history is three drq edges.
    EXPECT_EQ(b.drq_rec.changes.size(), 4u);
}

TEST_F(AudioInTest, OverrunDropsNewestSamplesAndCountsThemExactly) {
    const unsigned n = 50, depth = 4;
    Bench b(config(wav("overrun", ramp(n)), depth, 2));
    b.set(AUDIO_IRQ_EN, AUDIO_IRQ_OVERRUN);
    b.set(AUDIO_CTRL, AUDIO_CTRL_ENABLE);
    // The reader drains at irregular times; a model of the FIFO in the test predicts what survives.
    const double read_at[] = {2.5, 9.5, 9.6, 10.2, 17.0, 17.1, 17.2, 17.3, 30.9, 45.0};
    std::vector<int> expected, got;
    std::vector<int> fifo;
    unsigned next = 0, dropped = 0;
    sc_time first_drop;
    auto arrive_until = [&](double periods) {
        for (; next < n && next + 1 <= periods; ++next) {
            if (fifo.size() < depth) fifo.push_back(static_cast<int>(next));
            else {
                if (!dropped) first_drop = kPeriod * static_cast<double>(next + 1);
                ++dropped;
            }
        }
    };
    for (double p : read_at) {
        sc_start(kPeriod * p - sc_time_stamp());
        arrive_until(p);
        if (!fifo.empty()) {
            expected.push_back(fifo.front());
            fifo.erase(fifo.begin());
        }
        got.push_back(b.pop());
    }
    sc_start(kPeriod * 60.0 - sc_time_stamp());
    arrive_until(60);
    while (!fifo.empty()) {
        expected.push_back(fifo.front());
        fifo.erase(fifo.begin());
        got.push_back(b.pop());
    }
    EXPECT_EQ(got, expected) << "read-back differs from the file minus the predicted drops";
    EXPECT_EQ(b.audio.stats().overruns, dropped);
    EXPECT_EQ(b.reg(AUDIO_OVERRUNS), dropped);
    EXPECT_EQ(got.size() + dropped, n) << "every sample is either read or counted as dropped";
    EXPECT_EQ(b.irq_rec.first(true), first_drop) << "interrupt at the first drop";
    EXPECT_TRUE(b.reg(AUDIO_IRQ_STATUS) & AUDIO_IRQ_OVERRUN);
    b.set(AUDIO_IRQ_STATUS, AUDIO_IRQ_OVERRUN);  // W1C
    settle();
    EXPECT_FALSE(b.irq.read()) << "cleared";
    EXPECT_EQ(b.reg(AUDIO_IRQ_STATUS) & AUDIO_IRQ_OVERRUN, 0u);
    const auto s = b.audio.stats();
    EXPECT_EQ(s.samples_arrived, n);
    EXPECT_EQ(s.samples_delivered, got.size());
    EXPECT_EQ(s.fifo_high_water, depth);
    EXPECT_EQ(s.underrun_reads, 0u);
}

TEST_F(AudioInTest, EndOfFileAfterTheLastSampleIsRead) {
    Bench b(config(wav("eof", ramp(5, -2)), 8, 8));
    b.set(AUDIO_IRQ_EN, AUDIO_IRQ_FILE_DONE | AUDIO_IRQ_EOF);
    EXPECT_EQ(b.reg(AUDIO_STATUS) & (AUDIO_STATUS_FILE_DONE | AUDIO_STATUS_EOF), 0u) << "not started yet";
    EXPECT_EQ(b.reg(AUDIO_LENGTH), 5u);
    b.set(AUDIO_CTRL, AUDIO_CTRL_ENABLE);
    sc_start(kPeriod * 4.5);
    EXPECT_EQ(b.reg(AUDIO_STATUS) & AUDIO_STATUS_FILE_DONE, 0u);
    sc_start(kPeriod * 1.0);
    EXPECT_EQ(b.irq_rec.first(true), kPeriod * 5.0) << "FILE_DONE interrupt with the last sample";
    uint32_t st = b.reg(AUDIO_STATUS);
    EXPECT_TRUE(st & AUDIO_STATUS_FILE_DONE);
    EXPECT_FALSE(st & AUDIO_STATUS_EOF) << "samples still in the FIFO";
    EXPECT_EQ(b.reg(AUDIO_POSITION), 5u);
    b.set(AUDIO_IRQ_STATUS, AUDIO_IRQ_FILE_DONE);
    settle();
    EXPECT_FALSE(b.irq.read());
    for (int k = 0; k < 5; ++k) EXPECT_EQ(b.pop(), k - 2);  // negative samples sign-extend
    settle();
    st = b.reg(AUDIO_STATUS);
    EXPECT_TRUE(st & AUDIO_STATUS_EOF);
    EXPECT_TRUE(st & AUDIO_STATUS_EMPTY);
    EXPECT_TRUE(b.irq.read()) << "EOF interrupt";
    EXPECT_EQ(b.reg(AUDIO_IRQ_STATUS) & (AUDIO_IRQ_EOF | AUDIO_IRQ_FILE_DONE), AUDIO_IRQ_EOF);
    b.set(AUDIO_IRQ_STATUS, AUDIO_IRQ_EOF);
    sc_start(kPeriod * 10.0);
    EXPECT_FALSE(b.irq.read()) << "EOF is flagged once";
    EXPECT_TRUE(b.reg(AUDIO_STATUS) & AUDIO_STATUS_EOF) << "the status bit stays";
    // Reading past the end: 0, counted, flagged.
    EXPECT_EQ(b.reg(AUDIO_DATA), 0u);
    EXPECT_EQ(b.audio.stats().underrun_reads, 1u);
    EXPECT_TRUE(b.reg(AUDIO_IRQ_STATUS) & AUDIO_IRQ_UNDERRUN);
}

TEST_F(AudioInTest, PauseKeepsTheFifoAndResumesWithoutLoss) {
    Bench b(config(wav("pause", ramp(10)), 16, 16));
    b.set(AUDIO_CTRL, AUDIO_CTRL_ENABLE);
    sc_start(kPeriod * 3.5);
    b.set(AUDIO_CTRL, 0);  // pause after 3 samples
    sc_start(kPeriod * 10.0);
    EXPECT_EQ(b.reg(AUDIO_LEVEL), 3u) << "nothing arrives while paused";
    const sc_time resume = sc_time_stamp();
    b.set(AUDIO_CTRL, AUDIO_CTRL_ENABLE);
    EXPECT_EQ(b.reg(AUDIO_LEVEL, kPeriod * 0.99), 3u);
    EXPECT_EQ(b.reg(AUDIO_LEVEL, kPeriod * 1.0), 4u) << "sample 3 one period after the resume at " << resume;
    sc_start(kPeriod * 20.0);
    for (int k = 0; k < 10; ++k) EXPECT_EQ(b.pop(), k);
    EXPECT_TRUE(b.reg(AUDIO_STATUS) & AUDIO_STATUS_EOF);
}

TEST_F(AudioInTest, NoFileIsAtEofWhenEnabled) {
    Bench b(config("", 8, 4));
    b.set(AUDIO_CTRL, AUDIO_CTRL_ENABLE);
    EXPECT_TRUE(b.reg(AUDIO_STATUS) & AUDIO_STATUS_EOF);
    EXPECT_EQ(b.reg(AUDIO_LENGTH), 0u);
}

TEST_F(AudioInTest, StereoMixesOrPicksAChannel) {
    const std::vector<short> lr = {10, 20, -3, -4, 7, 8, 32767, 32767, -32768, -32767};
    {
        AudioInConfig c = config(wav("stereo_mix", lr, 16000, 2));
        c.channel_mode = AudioChannelMode::Mix;
        AudioIn a("mix", c);
        EXPECT_EQ(a.samples(), (std::vector<int16_t>{15, -4, 8, 32767, -32768}))
            << "average, rounded to nearest, ties away from zero";
    }
    AudioInConfig c = config(files_.back());
    c.channel_mode = AudioChannelMode::Pick;
    c.channel = 1;
    AudioIn a("pick", c);
    EXPECT_EQ(a.samples(), (std::vector<int16_t>{20, -4, 8, 32767, -32767}));
}

TEST_F(AudioInTest, StereoIsRejectedByDefault) {
    expect_input_error(config(wav("stereo", ramp(8), 16000, 2)), "2 channels");
}

TEST_F(AudioInTest, PickOfAMissingChannelIsRejected) {
    AudioInConfig c = config(wav("stereo_pick", ramp(8), 16000, 2));
    c.channel_mode = AudioChannelMode::Pick;
    c.channel = 2;
    expect_input_error(c, "channel 2");
}

TEST_F(AudioInTest, OtherSampleRateIsRejected) {
    expect_input_error(config(wav("rate", ramp(8), 44100)), "44100 Hz");
}

TEST_F(AudioInTest, MissingFileIsRejected) {
    expect_input_error(config(temp_path("does_not_exist")), "No such file");
}

TEST_F(AudioInTest, EmptyFileIsRejected) { expect_input_error(config(raw("empty", "")), "empty"); }

TEST_F(AudioInTest, TextFileIsRejected) {
    expect_input_error(config(raw("text", "this is not audio, just some text\n")), "cannot read");
}

TEST_F(AudioInTest, WavWithoutSamplesIsRejected) {
    expect_input_error(config(wav("nosamples", {})), "no samples");
}

TEST_F(AudioInTest, TruncatedFileIsRejected) {
    const std::string path = wav("truncated", ramp(1000));
    ASSERT_EQ(::truncate(path.c_str(), 44 + 2 * 500 + 1), 0);  // header + 500.5 samples of 1000
    expect_input_error(config(path), "truncated");
}

TEST_F(AudioInTest, TruncatedHeaderIsRejected) {
    const std::string path = wav("truncated_header", ramp(1000));
    ASSERT_EQ(::truncate(path.c_str(), 30), 0);
    expect_input_error(config(path), "cannot read");
}

TEST_F(AudioInTest, InvalidRegisterAccessesGetErrorResponses) {
    Bench b(config(wav("regs", ramp(8))));
    EXPECT_EQ(b.init.read(0x30).status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << "unmapped offset";
    EXPECT_EQ(b.init.read(0xffc).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.init.read(AUDIO_LEVEL, 2).status, tlm::TLM_BURST_ERROR_RESPONSE) << "16-bit register read";
    EXPECT_EQ(b.init.write(AUDIO_CTRL, 1, 1).status, tlm::TLM_BURST_ERROR_RESPONSE) << "byte write";
    EXPECT_EQ(b.init.read(AUDIO_DATA, 1).status, tlm::TLM_BURST_ERROR_RESPONSE) << "byte read of DATA";
    EXPECT_EQ(b.init.read(AUDIO_DATA + 2, 2).status, tlm::TLM_BURST_ERROR_RESPONSE) << "upper half of DATA";
    EXPECT_EQ(b.init.read(AUDIO_DATA, 2).status, tlm::TLM_OK_RESPONSE) << "16-bit DATA read";
    EXPECT_EQ(b.init.write(AUDIO_LEVEL, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE) << "read-only";
    EXPECT_EQ(b.init.write(AUDIO_DATA, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE) << "DATA is read-only";
    EXPECT_EQ(b.init.write(AUDIO_THRESHOLD, 0).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(b.init.write(AUDIO_THRESHOLD, 9).status, tlm::TLM_GENERIC_ERROR_RESPONSE) << "above depth 8";
    EXPECT_EQ(b.reg(AUDIO_THRESHOLD), 4u) << "unchanged";
    EXPECT_EQ(b.reg(AUDIO_DEPTH), 8u);
    EXPECT_EQ(b.reg(AUDIO_SAMPLE_RATE), 16000u);
    EXPECT_EQ(b.audio.stats().underrun_reads, 1u) << "the 16-bit DATA read found it empty";
}

TEST_F(AudioInTest, InvalidConfigIsAModelError) {
    AudioInConfig c = config("", 8, 9);
    EXPECT_THROW(AudioIn("audio", c), sc_report);
}
