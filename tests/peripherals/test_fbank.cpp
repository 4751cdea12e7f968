// Fbank accelerator model: output bit exact with fbank_math.c (and close to the double
// reference), circular source, latency formula, bus traffic, error codes, interrupt.
//
// Bench: CPU stand-in (TestInitiator, port 0), the Fbank's master socket (port 1) and an
// optional bus hog (port 2) on an AhbBus; SRAM (Memory, 256 KiB mapped of the 320 KiB window
// the Fbank is told about, so the top 64 KiB is a bus-error hole) and the Fbank registers.
#include "fbank.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ahb_bus.h"
#include "fbank_regs.h"
#include "fe_test_util.h"
#include "memory.h"
#include "memory_map.h"
#include "sc_test_util.h"
#include "test_signals.h"

using namespace sc_core;
using cimvp::AhbBus;
using cimvp::AhbBusConfig;
using cimvp::Fbank;
using cimvp::FbankConfig;
using cimvp::test::EdgeRecorder;
using cimvp::test::TestInitiator;

namespace {

constexpr uint64_t kSram = CIMVP_SRAM_BASE;
constexpr uint64_t kMapped = 256 * 1024;         // SRAM actually on the bus
constexpr uint64_t kHole = kSram + kMapped;      // inside the Fbank's SRAM window, unmapped
constexpr uint64_t kRegs = CIMVP_FBANK_BASE;
constexpr uint64_t kRing = kSram + 0x1000;       // 1 KiB aligned
constexpr uint64_t kOut = kSram + 0x20000;
const sc_time kPeriod(10, SC_NS);

constexpr unsigned kMemReadWs = 1, kMemWriteWs = 1, kArbCycles = 1;

AhbBusConfig bus_config() {
    AhbBusConfig c;
    c.clock_period = kPeriod;
    c.address_phase_cycles = 1;
    c.data_phase_cycles_per_beat = 1;
    c.arbitration_cycles = kArbCycles;
    return c;
}

cimvp::MemoryConfig sram_config() {
    cimvp::MemoryConfig m;
    m.size = kMapped;
    m.read_wait_states = kMemReadWs;
    m.write_wait_states = kMemWriteWs;
    m.clock_period = kPeriod;
    return m;
}

// A second master that keeps the bus busy with INCR16 reads while enabled (contention).
class BusHog : public sc_module {
public:
    tlm_utils::simple_initiator_socket<BusHog> socket{"socket"};
    uint64_t transfers = 0;
    explicit BusHog(sc_module_name name) : sc_module(name) {
        SC_HAS_PROCESS(BusHog);
        SC_THREAD(loop);
    }
    void run_until(const sc_time& t) {
        until_ = t;
        go_.notify(SC_ZERO_TIME);
    }

private:
    void loop() {
        unsigned char buf[64];
        cimvp::AhbExtension ext;
        ext.master = 2;
        ext.hburst = cimvp::AhbBurst::Incr16;
        ext.beats = 16;
        for (;;) {
            wait(go_);
            while (sc_time_stamp() < until_) {
                tlm::tlm_generic_payload gp;
                gp.set_command(tlm::TLM_READ_COMMAND);
                gp.set_address(kSram + 0x30000);
                gp.set_data_ptr(buf);
                gp.set_data_length(64);
                gp.set_streaming_width(64);
                gp.set_extension(&ext);
                sc_time d = SC_ZERO_TIME;
                socket->b_transport(gp, d);
                gp.clear_extension(&ext);
                ++transfers;
                wait(d + kPeriod);  // one idle cycle between bursts: the Fbank can get in
            }
        }
    }
    sc_time until_;
    sc_event go_;
};

struct Bench {
    AhbBus bus;
    TestInitiator cpu{"cpu"};
    BusHog hog{"hog"};
    cimvp::Memory sram;
    Fbank fbank;
    sc_signal<bool> irq{"irq"};
    EdgeRecorder rec{"rec"};

    explicit Bench(const FbankConfig& fc = FbankConfig())
        : bus("bus", bus_config()), sram("sram", sram_config()), fbank("fbank", fc) {
        bus.add_master("cpu");
        cpu.socket.bind(bus.target_socket);
        bus.add_master("fbank");
        fbank.master_socket.bind(bus.target_socket);
        bus.add_master("hog");
        hog.socket.bind(bus.target_socket);
        bus.add_target("sram", kSram, kMapped);
        bus.initiator_socket.bind(sram.socket);
        bus.add_target("fbank", kRegs, CIMVP_PERIPH_WINDOW);
        bus.initiator_socket.bind(fbank.socket);
        fbank.irq.bind(irq);
        rec.in.bind(irq);
        sc_start(SC_ZERO_TIME);
    }

    void wr(uint32_t off, uint32_t v) {
        const auto r = cpu.write(kRegs + off, v);
        ASSERT_TRUE(r.ok()) << "register write 0x" << std::hex << off << " status " << r.status;
    }
    uint32_t rd(uint32_t off) {
        const auto r = cpu.read(kRegs + off);
        EXPECT_TRUE(r.ok()) << "register read 0x" << std::hex << off << " status " << r.status;
        return r.value;
    }
    // The firmware HAL's fbank_configure, through the bus.
    void configure(const fbank_config_t& c) {
        wr(FBANK_SAMPLE_RATE, c.sample_rate_hz);
        wr(FBANK_FRAME_LEN, c.frame_len);
        wr(FBANK_HOP, c.frame_shift);
        wr(FBANK_FFT_SIZE, c.fft_size);
        wr(FBANK_WINDOW, uint32_t(c.window) | (c.window_symmetric ? FBANK_WINDOW_SYMMETRIC : 0u));
        wr(FBANK_PREEMPH, c.preemph_q15);
        wr(FBANK_NUM_MEL, c.num_mel);
        wr(FBANK_F_LOW, c.f_low_hz);
        wr(FBANK_F_HIGH, c.f_high_hz);
        wr(FBANK_SPECTRUM, c.spectrum);
        wr(FBANK_OUT_FMT, c.out_format == FBANK_OUT_INT8 ? FBANK_OUT_FMT_INT8_FRAC(c.out_frac_bits)
                                                         : FBANK_OUT_FMT_Q7_INT16);
        wr(FBANK_LOG_FLOOR, uint16_t(c.log_floor_q7));
        wr(FBANK_LOG_OFFSET, uint16_t(c.log_offset_q7));
        wr(FBANK_DITHER, c.dither);
    }
    void source(uint64_t base, uint32_t len, uint32_t start) {
        wr(FBANK_SRC_BASE, uint32_t(base));
        wr(FBANK_SRC_LEN, len);
        wr(FBANK_SRC_START, start);
    }
    void dest(uint64_t addr, uint32_t frames) {
        wr(FBANK_DST_ADDR, uint32_t(addr));
        wr(FBANK_FRAME_COUNT, frames);
    }
    // START and run until the accelerator is idle again; returns STATUS.
    uint32_t run(uint32_t flags) {
        wr(FBANK_CTRL, flags | FBANK_CTRL_START);
        sc_start();  // the Fbank's thread is the only activity: returns when the run ended
        return rd(FBANK_STATUS);
    }
    void clear() { wr(FBANK_STATUS, FBANK_STATUS_DONE | FBANK_STATUS_ERROR); }
    // Lets register writes take effect: the test body's accesses queue on the bus at one time
    // stamp, so the last one reaches the Fbank some cycles later.
    void settle() { sc_start(sc_time(1, SC_US)); }

    void put_samples(uint64_t addr, const int16_t* x, size_t n) {
        for (size_t i = 0; i < n; ++i) put_sample(addr + 2 * i, x[i]);
    }
    void put_sample(uint64_t addr, int16_t v) {
        unsigned char* p = sram.data() + (addr - kSram);
        p[0] = uint8_t(uint16_t(v));
        p[1] = uint8_t(uint16_t(v) >> 8);
    }
    int16_t out16(uint64_t addr) const {
        const unsigned char* p = sram.data() + (addr - kSram);
        return int16_t(uint16_t(p[0] | (p[1] << 8)));
    }
    int8_t out8(uint64_t addr) const { return int8_t(sram.data()[addr - kSram]); }
    unsigned fbank_port() const { return 1; }
};

class FbankTest : public cimvp::test::ScTest {};

fbank_config_t kws(uint16_t len, uint16_t hop, uint16_t fft, uint32_t lo, uint32_t hi, uint8_t spectrum) {
    fbank_config_t c;
    fbank_config_default(&c);
    c.frame_len = len;
    c.frame_shift = hop;
    c.fft_size = fft;
    c.f_low_hz = lo;
    c.f_high_hz = hi;
    c.spectrum = spectrum;
    return c;
}

const std::vector<fe_test::Signal>& signals() {
    static const std::vector<fe_test::Signal> s = fe_test::speech_like_signals();
    return s;
}

// Reference: fbank_process_signal on the whole signal (frame 0 with x[-1] = 0).
struct Reference {
    std::vector<int16_t> q7;
    std::vector<int8_t> i8;
    size_t frames = 0;
    uint32_t dither_end = FBANK_DITHER_SEED_RESET;  // the dither state after the last frame
    Reference(const fbank_config_t& c, const std::vector<int16_t>& x) {
        fe_test::Fbank fx(c);
        EXPECT_EQ(fx.status, FBANK_OK) << fe_test::config_name(c);
        frames = fbank_num_frames(&c, x.size());
        q7.assign(frames * c.num_mel, 0);
        i8.assign(frames * c.num_mel, 0);
        void* out = c.out_format == FBANK_OUT_INT8 ? static_cast<void*>(i8.data()) : static_cast<void*>(q7.data());
        fbank_process_signal(&fx.fb, x.data(), x.size(), &dither_end, fx.work.data(), out);
    }
    int value(const fbank_config_t& c, size_t i) const { return c.out_format == FBANK_OUT_INT8 ? i8[i] : q7[i]; }
};

// Compares frames [first, first + n) of the model's output at `dst` with the reference; names
// the first difference and counts them all.
void expect_frames_equal(Bench& b, const fbank_config_t& c, const Reference& ref, uint64_t dst, size_t first,
                         size_t n, const std::string& what) {
    const unsigned K = c.num_mel, elem = fbank_out_elem_bytes(&c);
    size_t diffs = 0;
    for (size_t t = 0; t < n; ++t)
        for (unsigned m = 0; m < K; ++m) {
            const uint64_t a = dst + (t * K + m) * elem;
            const int got = elem == 1 ? b.out8(a) : b.out16(a);
            const int want = ref.value(c, (first + t) * K + m);
            if (got != want && diffs++ == 0)
                ADD_FAILURE() << what << ": frame " << first + t << " filter " << m << ": model " << got
                              << ", fbank_math " << want << " (differs by " << got - want << " LSB)";
        }
    EXPECT_EQ(diffs, 0u) << what << ": " << diffs << " of " << n * K << " outputs differ";
}

// Runs every frame of every speech-like signal through the model in one START each and checks
// them against fbank_process_signal.
void check_bit_exact(Bench& b, const std::vector<fbank_config_t>& configs) {
    for (const auto& c : configs) {
        b.configure(c);
        for (const auto& sig : signals()) {
            const std::string what = fe_test::config_name(c) + " signal " + sig.name;
            const Reference ref(c, sig.samples);
            ASSERT_GT(ref.frames, 0u) << what;
            b.put_samples(kRing, sig.samples.data(), sig.samples.size());
            b.source(kRing, uint32_t(sig.samples.size()), 0);
            b.dest(kOut, uint32_t(ref.frames));
            const uint32_t st = b.run(FBANK_CTRL_NO_PREV);
            ASSERT_EQ(st, FBANK_STATUS_DONE) << what << ": STATUS 0x" << std::hex << st << " ERR_CODE "
                                             << std::dec << b.rd(FBANK_ERR_CODE);
            EXPECT_EQ(b.rd(FBANK_FRAMES_DONE), ref.frames) << what;
            expect_frames_equal(b, c, ref, kOut, 0, ref.frames, what);
            b.clear();
        }
    }
}

}  // namespace

TEST_F(FbankTest, BitExact30msFramesFft512) {
    Bench b;
    std::vector<fbank_config_t> cs;
    for (uint32_t lo : {20u, 125u})
        for (uint8_t spec : {uint8_t(FBANK_SPEC_POWER), uint8_t(FBANK_SPEC_MAGNITUDE)})
            cs.push_back(kws(480, 320, 512, lo, lo == 20 ? 4000 : 7500, spec));
    check_bit_exact(b, cs);
}

TEST_F(FbankTest, BitExact40msFramesFft1024Hop20And40) {
    Bench b;
    std::vector<fbank_config_t> cs;
    for (uint16_t hop : {uint16_t(320), uint16_t(640)})
        for (uint32_t lo : {20u, 125u})
            for (uint8_t spec : {uint8_t(FBANK_SPEC_POWER), uint8_t(FBANK_SPEC_MAGNITUDE)})
                cs.push_back(kws(640, hop, 1024, lo, lo == 20 ? 4000 : 7500, spec));
    check_bit_exact(b, cs);
}

TEST_F(FbankTest, BitExactWindowsPreemphasisInt8AndFft1024For30ms) {
    Bench b;
    std::vector<fbank_config_t> cs;
    fbank_config_t c = kws(480, 320, 1024, 20, 4000, FBANK_SPEC_POWER);
    cs.push_back(c);
    c = kws(480, 160, 512, 125, 7500, FBANK_SPEC_MAGNITUDE);
    c.window = FBANK_WIN_HAMMING;
    c.window_symmetric = 1;
    c.preemph_q15 = 31785;  // 0.97
    cs.push_back(c);
    c = kws(640, 320, 1024, 20, 4000, FBANK_SPEC_POWER);
    c.window = FBANK_WIN_RECT;
    c.num_mel = 64;
    c.log_offset_q7 = -5 * 128;
    cs.push_back(c);
    c = kws(640, 320, 1024, 20, 4000, FBANK_SPEC_POWER);
    c.out_format = FBANK_OUT_INT8;
    c.out_frac_bits = 2;
    c.num_mel = 13;  // odd element count: sub-word write at the end
    cs.push_back(c);
    c.out_frac_bits = 4;
    c.num_mel = 40;
    c.preemph_q15 = 31785;
    c.sample_rate_hz = 8000;  // FFT 256 for 32 ms at 8 kHz
    c.frame_len = 256;
    c.frame_shift = 80;
    c.fft_size = 256;
    c.f_high_hz = 4000;
    c.num_mel = 23;
    cs.push_back(c);
    check_bit_exact(b, cs);
}

// The model's log-Mel against the double-precision textbook reference (mfcc_reference).
TEST_F(FbankTest, CloseToDoublePrecisionReference) {
    Bench b;
    const double kMaxLsb = 0.6, kMinSnrDb = 50.0;  // test_accuracy's design bar for log-Mel
    for (const auto& c : {kws(480, 320, 512, 20, 4000, FBANK_SPEC_POWER), kws(640, 320, 1024, 125, 7500, FBANK_SPEC_MAGNITUDE)}) {
        b.configure(c);
        const mfcc_ref::Config rc = fe_test::to_ref(c);
        for (const auto& sig : signals()) {
            const std::string what = fe_test::config_name(c) + " signal " + sig.name;
            const size_t T = fbank_num_frames(&c, sig.samples.size());
            b.put_samples(kRing, sig.samples.data(), sig.samples.size());
            b.source(kRing, uint32_t(sig.samples.size()), 0);
            b.dest(kOut, uint32_t(T));
            ASSERT_EQ(b.run(FBANK_CTRL_NO_PREV), FBANK_STATUS_DONE) << what;
            b.clear();
            const auto ref = mfcc_ref::log_mel_signal(rc, sig.samples);
            ASSERT_EQ(ref.size(), T) << what;
            fe_test::ErrStats s;
            for (size_t t = 0; t < T; ++t)
                for (unsigned m = 0; m < c.num_mel; ++m) s.add(ref[t][m], b.out16(kOut + 2 * (t * c.num_mel + m)) / 128.0);
            EXPECT_LE(s.max_lsb(), kMaxLsb) << what << ": max error " << s.max_lsb() << " LSB q8.7 (reference "
                                            << s.worst_ref << ", model " << s.worst_got << ", element "
                                            << s.worst_index << ")";
            EXPECT_GE(s.snr_db(), kMinSnrDb) << what << ": SNR " << s.snr_db() << " dB";
        }
    }
}

// Streaming from a ring buffer smaller than the signal: frames wrap around its end, SRC_START
// advances by itself (CTRL.ADVANCE), x[-1] comes from the ring; runs of 1 and 2 frames.
TEST_F(FbankTest, CircularSourceWrapsAndAdvances) {
    Bench b;
    fbank_config_t c = kws(480, 320, 512, 20, 4000, FBANK_SPEC_POWER);
    c.preemph_q15 = 31785;    // 0.97, with a window that is not 0 at n = 0: x[-1] matters
    c.window = FBANK_WIN_HAMMING;
    const auto& x = signals()[3].samples;  // "word"
    ASSERT_EQ(signals()[3].name, "word");
    const Reference ref(c, x);
    const uint32_t R = 1000;                 // not a multiple of the hop: every wrap offset differs
    const uint64_t ring = kSram + 0x4002;    // not word aligned: halfword ends
    b.configure(c);
    b.source(ring, R, 0);
    size_t t = 0, wraps = 0;
    while (t < ref.frames) {
        const size_t n = (t < ref.frames / 2 || t + 2 > ref.frames) ? 1 : 2;
        // "Audio DMA": samples x[t*hop - 1 .. (t+n-1)*hop + L - 1] into ring[i mod R].
        const size_t from = t ? t * c.frame_shift - 1 : 0, to = (t + n - 1) * c.frame_shift + c.frame_len;
        for (size_t i = from; i < to; ++i) b.put_sample(ring + 2 * (i % R), x[i]);
        if ((t * c.frame_shift) % R + c.frame_len > R) ++wraps;
        EXPECT_EQ(b.rd(FBANK_SRC_START), (t * c.frame_shift) % R) << "frame " << t;
        b.dest(kOut + t * c.num_mel * 2, uint32_t(n));
        const uint32_t st = b.run(FBANK_CTRL_ADVANCE | (t == 0 ? FBANK_CTRL_NO_PREV : 0u));
        ASSERT_EQ(st, FBANK_STATUS_DONE) << "frame " << t << " ERR_CODE " << b.rd(FBANK_ERR_CODE);
        b.clear();
        t += n;
    }
    EXPECT_EQ(b.rd(FBANK_SRC_START), (t * c.frame_shift) % R);
    EXPECT_GE(wraps, 3u) << "the test should exercise frames that wrap";
    expect_frames_equal(b, c, ref, kOut, 0, ref.frames, "ring of 1000 samples");
}

// Dither: digital silence and speech, in runs of 1 and 3 frames, against fbank_process_signal
// with the generator started from the reset seed; the state carries from run to run and reads
// back as the reference's final state; writing DITHER_SEED restarts the sequence.
TEST_F(FbankTest, DitherMatchesFbankMathAcrossRuns) {
    Bench b;
    fbank_config_t c = kws(640, 320, 1024, 300, 4000, FBANK_SPEC_POWER);
    c.dither = 1;
    std::vector<int16_t> x(8000, 0);  // 0.25 s of exact zeros, then a word
    const auto& word = signals()[3].samples;
    x.insert(x.end(), word.begin(), word.begin() + std::min<size_t>(word.size(), 8000));
    x.push_back(32767);               // the saturation at full scale is in the reference too
    const Reference ref(c, x);
    c.dither = 0;
    const Reference plain(c, x);
    c.dither = 1;
    ASSERT_GT(ref.frames, 40u);
    // Dithered silence is not the floor: some output of the first frame differs from plain.
    int silent_diff = 0;
    for (unsigned m = 0; m < c.num_mel; ++m) silent_diff += ref.q7[m] != plain.q7[m];
    EXPECT_EQ(silent_diff, int(c.num_mel)) << "every band of a dithered zero frame should leave the floor";
    EXPECT_EQ(plain.q7[0], c.log_floor_q7) << "undithered digital silence reads the floor";

    b.configure(c);
    b.put_samples(kRing, x.data(), x.size());
    b.source(kRing, uint32_t(x.size()), 0);
    b.wr(FBANK_DITHER_SEED, 0);  // 0 restarts at the reset value
    b.settle();
    EXPECT_EQ(b.rd(FBANK_DITHER_SEED), FBANK_DITHER_SEED_RESET);
    size_t t = 0;
    while (t < ref.frames) {
        const uint32_t n = uint32_t(std::min<size_t>(t % 2 ? 3 : 1, ref.frames - t));
        b.dest(kOut + t * c.num_mel * 2, n);
        const uint32_t st = b.run(FBANK_CTRL_ADVANCE | (t == 0 ? FBANK_CTRL_NO_PREV : 0u));
        ASSERT_EQ(st, FBANK_STATUS_DONE) << "frame " << t << " ERR_CODE " << b.rd(FBANK_ERR_CODE);
        b.clear();
        t += n;
    }
    expect_frames_equal(b, c, ref, kOut, 0, ref.frames, "dither 1, runs of 1 and 3 frames");
    EXPECT_EQ(b.rd(FBANK_DITHER_SEED), ref.dither_end) << "the state after every frame's samples";
    // A restarted sequence gives the first frame again.
    b.wr(FBANK_DITHER_SEED, FBANK_DITHER_SEED_RESET);
    b.source(kRing, uint32_t(x.size()), 0);
    b.dest(kOut, 1);
    ASSERT_EQ(b.run(FBANK_CTRL_NO_PREV), FBANK_STATUS_DONE);
    expect_frames_equal(b, c, ref, kOut, 0, 1, "frame 0 after DITHER_SEED was rewritten");
    // DITHER = 0: no dither, and the state stays where it is.
    b.clear();
    const uint32_t state = b.rd(FBANK_DITHER_SEED);
    b.wr(FBANK_DITHER, 0);
    b.dest(kOut, 1);
    ASSERT_EQ(b.run(FBANK_CTRL_NO_PREV), FBANK_STATUS_DONE);
    c.dither = 0;
    expect_frames_equal(b, c, plain, kOut, 0, 1, "frame 0 without dither");
    EXPECT_EQ(b.rd(FBANK_DITHER_SEED), state);
}

// One frame on an idle bus: every cycle accounted for by hand.
TEST_F(FbankTest, LatencyMatchesFormula) {
    Bench b;
    FbankConfig fc;  // the defaults
    fbank_config_t c;
    fbank_config_default(&c);  // 40 ms / 20 ms, FFT 1024, 40 Mel 20-4000 Hz, power, q8.7
    fbank_ops_t ops;
    ASSERT_EQ(fbank_op_counts(&c, &ops), FBANK_OK);
    const uint64_t L = c.frame_len, M = c.fft_size / 2, stages = 9;
    const uint64_t compute = fc.frame_cycles + fc.window_cycles * L + fc.norm_cycles * 2 * L +
                             fc.fft_stage_cycles * (stages + 1) + fc.butterfly_cycles * (M / 2) * stages +
                             fc.split_cycles * (M / 2 + 1) + fc.bin_cycles * ops.bins + fc.mel_tap_cycles * ops.mel_macs +
                             fc.log_cycles * c.num_mel;
    EXPECT_EQ(Fbank::frame_compute_cycles(fc, c), compute);
    // Reads: 1280 bytes from a 1 KiB-aligned ring = 20 INCR16 bursts (16 up to the boundary, 4
    // after); the bus changes master (arbitration) and was idle (address phase), then pipelined.
    const uint64_t read = kArbCycles + 1 + 20 * (16 + kMemReadWs);
    // Writes: 40 x int16 = 20 words: INCR16 + INCR4 after the idle compute time (same master).
    const uint64_t write = 1 + (16 + kMemWriteWs) + (4 + kMemWriteWs);
    const uint64_t expected = fc.start_cycles + read + compute + write;

    std::vector<int16_t> x(c.frame_len);
    for (size_t i = 0; i < x.size(); ++i) x[i] = int16_t(8000 * std::sin(0.05 * double(i)) + (i % 7) * 100);
    b.put_samples(kRing, x.data(), x.size());
    b.source(kRing, c.frame_len, 0);
    b.dest(kOut, 1);
    b.wr(FBANK_CTRL, FBANK_CTRL_IRQ_EN);
    sc_start(sc_time(1, SC_US));  // the register writes above have left the bus: START alone
    const sc_time t0 = sc_time_stamp();
    ASSERT_EQ(b.run(FBANK_CTRL_IRQ_EN | FBANK_CTRL_NO_PREV), FBANK_STATUS_DONE);
    const auto s = b.fbank.stats();
    EXPECT_EQ(s.busy_cycles, expected) << "busy " << s.busy_cycles << " cycles, formula " << expected
                                       << " (start " << fc.start_cycles << " + read " << read << " + compute "
                                       << compute << " + write " << write << "), differs by "
                                       << int64_t(s.busy_cycles) - int64_t(expected);
    EXPECT_EQ(s.compute_cycles, compute);
    EXPECT_EQ(s.bus_cycles, read + write);
    // The interrupt rises when the run ends: START reached the Fbank after the bus's address phase.
    const sc_time rise = b.rec.first(true);
    EXPECT_EQ(rise - t0, kPeriod * double(expected + 1)) << "irq rose at " << rise;
    std::printf("[fbank] default config, one 20 ms hop: %llu cycles (compute %llu, bus %llu, start %u) = %s\n",
                (unsigned long long)expected, (unsigned long long)compute, (unsigned long long)(read + write),
                fc.start_cycles, (kPeriod * double(expected)).to_string().c_str());
}

// Several frames, unaligned x[-1] reads, magnitude spectrum, a silent frame: the run time is
// start + the formula per frame + the bus time the AhbBus books for the Fbank's port.
TEST_F(FbankTest, MultiFrameLatencyAndBusStatistics) {
    FbankConfig fc;
    fc.butterfly_cycles = 2;  // non-default costs, to see they are used
    fc.sqrt_cycles = 7;
    fc.mel_tap_cycles = 3;
    Bench b(fc);
    const fbank_config_t c = kws(480, 320, 512, 125, 7500, FBANK_SPEC_MAGNITUDE);
    std::vector<int16_t> x(480 + 4 * 320, 0);  // 5 frames; frame 4 is all zero
    for (size_t i = 0; i < 1000; ++i) x[i] = int16_t((i * 7919) % 4001 - 2000);
    const size_t T = fbank_num_frames(&c, x.size());
    ASSERT_EQ(T, 5u);
    b.configure(c);
    b.put_samples(kRing, x.data(), x.size());
    b.source(kRing, uint32_t(x.size()), 0);
    b.dest(kOut, uint32_t(T));
    ASSERT_EQ(b.run(FBANK_CTRL_NO_PREV), FBANK_STATUS_DONE);
    const Reference ref(c, x);
    expect_frames_equal(b, c, ref, kOut, 0, T, "5 frames");

    uint64_t compute = 0;
    for (size_t t = 0; t < T; ++t) compute += Fbank::frame_compute_cycles(fc, c, t == 4);
    EXPECT_LT(Fbank::frame_compute_cycles(fc, c, true), Fbank::frame_compute_cycles(fc, c, false) / 4);
    const auto s = b.fbank.stats();
    const auto bus = b.bus.master_stats()[b.fbank_port()];
    EXPECT_EQ(s.compute_cycles, compute);
    EXPECT_EQ(bus.wait_cycles, 0u) << "nobody else on the bus";
    EXPECT_EQ(s.bus_cycles, bus.busy_cycles) << "the Fbank waits exactly what the bus books";
    EXPECT_EQ(s.busy_cycles, fc.start_cycles + compute + bus.busy_cycles)
        << "differs by " << int64_t(s.busy_cycles) - int64_t(fc.start_cycles + compute + bus.busy_cycles);
    // Traffic: frame 0 reads L samples, the others L + 1 (x[-1]); each writes K int16.
    const uint64_t rd_bytes = 2 * (480 + (T - 1) * 481), wr_bytes = T * c.num_mel * 2;
    EXPECT_EQ(s.bytes_read, rd_bytes);
    EXPECT_EQ(s.bytes_written, wr_bytes);
    EXPECT_EQ(bus.bytes, rd_bytes + wr_bytes);
    EXPECT_EQ(bus.transfers, s.bus_transfers);
    EXPECT_EQ(bus.errors, 0u);
    EXPECT_EQ(s.frames, T);
    EXPECT_EQ(s.runs, 1u);
    // Frames 1..4 start at odd halfwords (x[-1] at 2*(320t - 1)): a halfword head, then words.
    // 481 samples = 962 bytes: 2 + 240 words + 0; per frame bursts: ceil(240 / 16) (+1 if the
    // 1 KiB boundary splits one) + 1 halfword. Count is what the bus saw; just bound it.
    EXPECT_GE(bus.transfers, T * (480 * 2 / 64) + T);
    EXPECT_LE(bus.transfers, T * (481 * 2 / 64 + 4) + T * 3);
}

// Another master hammering the bus makes the run longer; the wait shows in the bus statistics.
TEST_F(FbankTest, BusContentionLengthensTheRun) {
    Bench b;
    fbank_config_t c;
    fbank_config_default(&c);
    std::vector<int16_t> x(c.frame_len + 9 * c.frame_shift);
    for (size_t i = 0; i < x.size(); ++i) x[i] = int16_t((i * 31337) % 20001 - 10000);
    b.put_samples(kRing, x.data(), x.size());
    b.source(kRing, uint32_t(x.size()), 0);
    b.dest(kOut, 10);
    ASSERT_EQ(b.run(FBANK_CTRL_NO_PREV), FBANK_STATUS_DONE);
    const uint64_t alone = b.fbank.stats().busy_cycles;
    EXPECT_EQ(b.bus.master_stats()[b.fbank_port()].wait_cycles, 0u);
    b.clear();

    b.hog.run_until(sc_time_stamp() + kPeriod * double(4 * alone));
    ASSERT_EQ(b.run(FBANK_CTRL_NO_PREV), FBANK_STATUS_DONE);
    const uint64_t contended = b.fbank.stats().busy_cycles - alone;
    const auto bus = b.bus.master_stats()[b.fbank_port()];
    EXPECT_GT(b.hog.transfers, 100u);
    EXPECT_GT(bus.wait_cycles, 0u) << "the Fbank never waited for the bus";
    EXPECT_GT(contended, alone + bus.wait_cycles / 2) << "alone " << alone << " cycles, contended " << contended;
    // Same output as without contention.
    const Reference ref(c, x);
    expect_frames_equal(b, c, ref, kOut, 0, 10, "contended");
}

TEST_F(FbankTest, EveryErrorCodeSetsErrorAndInterrupt) {
    Bench b;
    fbank_config_t good;
    fbank_config_default(&good);
    struct Case {
        const char* what;
        uint32_t reg, value;  // the one register written over a good programming
        uint32_t code;
    };
    const uint64_t top = kSram + CIMVP_SRAM_SIZE;
    const Case cases[] = {
        {"sample rate 999", FBANK_SAMPLE_RATE, 999, FBANK_ERRC_SAMPLE_RATE},
        {"sample rate 96001", FBANK_SAMPLE_RATE, 96001, FBANK_ERRC_SAMPLE_RATE},
        {"FFT 1000 (not a power of two)", FBANK_FFT_SIZE, 1000, FBANK_ERRC_FFT_SIZE},
        {"FFT 2048 (too large)", FBANK_FFT_SIZE, 2048, FBANK_ERRC_FFT_SIZE},
        {"FFT 8 (too small)", FBANK_FFT_SIZE, 8, FBANK_ERRC_FFT_SIZE},
        {"FFT 0x10400 (above 16 bits)", FBANK_FFT_SIZE, 0x10400, FBANK_ERRC_FFT_SIZE},
        {"FFT 512 < frame 640", FBANK_FFT_SIZE, 512, FBANK_ERRC_FRAME_LEN},
        {"frame length 1", FBANK_FRAME_LEN, 1, FBANK_ERRC_FRAME_LEN},
        {"frame length 0x10280", FBANK_FRAME_LEN, 0x10280, FBANK_ERRC_FRAME_LEN},
        {"hop 0", FBANK_HOP, 0, FBANK_ERRC_HOP},
        {"hop > frame", FBANK_HOP, 641, FBANK_ERRC_HOP},
        {"window type 3", FBANK_WINDOW, 3, FBANK_ERRC_WINDOW},
        {"window stray bit", FBANK_WINDOW, FBANK_WINDOW_HANN | 0x10, FBANK_ERRC_WINDOW},
        {"pre-emphasis 32768", FBANK_PREEMPH, 32768, FBANK_ERRC_PREEMPH},
        {"0 filters", FBANK_NUM_MEL, 0, FBANK_ERRC_NUM_MEL},
        {"65 filters", FBANK_NUM_MEL, 65, FBANK_ERRC_NUM_MEL},
        {"0x128 filters", FBANK_NUM_MEL, 0x128, FBANK_ERRC_NUM_MEL},
        {"f_low = f_high", FBANK_F_LOW, 4000, FBANK_ERRC_FREQ_RANGE},
        {"f_high above fs/2", FBANK_F_HIGH, 8001, FBANK_ERRC_F_HIGH},
        {"40 filters in 20-100 Hz", FBANK_F_HIGH, 100, FBANK_ERRC_EMPTY_FILTER},
        {"spectrum 2", FBANK_SPECTRUM, 2, FBANK_ERRC_SPECTRUM},
        {"output type 2", FBANK_OUT_FMT, 2, FBANK_ERRC_OUTPUT},
        {"output stray bit", FBANK_OUT_FMT, 1u << 16, FBANK_ERRC_OUTPUT},
        {"dither level 9", FBANK_DITHER, 9, FBANK_ERRC_DITHER},
        {"frame count 0", FBANK_FRAME_COUNT, 0, FBANK_ERRC_FRAME_COUNT},
        {"ring shorter than a frame", FBANK_SRC_LEN, 639, FBANK_ERRC_SRC_LEN},
        {"start index = ring length", FBANK_SRC_START, 4000, FBANK_ERRC_SRC_START},
        {"odd ring base", FBANK_SRC_BASE, uint32_t(kRing + 1), FBANK_ERRC_SRC_ALIGN},
        {"ring in flash", FBANK_SRC_BASE, 0x1000, FBANK_ERRC_SRC_RANGE},
        {"ring past the SRAM end", FBANK_SRC_BASE, uint32_t(top - 4000), FBANK_ERRC_SRC_RANGE},
        {"odd int16 destination", FBANK_DST_ADDR, uint32_t(kOut + 1), FBANK_ERRC_DST_ALIGN},
        {"destination below SRAM", FBANK_DST_ADDR, uint32_t(kSram - 0x100), FBANK_ERRC_DST_RANGE},
        {"outputs past the SRAM end", FBANK_DST_ADDR, uint32_t(top - 80 * 4 + 2), FBANK_ERRC_DST_RANGE},
    };
    b.configure(good);
    std::vector<int16_t> x(4000, 1000);
    b.put_samples(kRing, x.data(), x.size());
    b.wr(FBANK_CTRL, FBANK_CTRL_IRQ_EN);
    std::vector<uint32_t> seen;
    for (const Case& k : cases) {
        b.configure(good);
        b.source(kRing, 4000, 0);
        b.dest(kOut, 5);
        b.wr(k.reg, k.value);
        const uint64_t read_before = b.fbank.stats().bytes_read, busy_before = b.fbank.stats().busy_cycles;
        const uint32_t st = b.run(FBANK_CTRL_IRQ_EN);
        EXPECT_EQ(st, FBANK_STATUS_ERROR) << k.what << ": STATUS 0x" << std::hex << st;
        EXPECT_EQ(b.rd(FBANK_ERR_CODE), k.code) << k.what;
        EXPECT_TRUE(b.irq.read()) << k.what << ": interrupt not raised";
        EXPECT_EQ(b.fbank.stats().bytes_read, read_before) << k.what << ": read memory despite the error";
        EXPECT_EQ(b.fbank.stats().busy_cycles - busy_before, FbankConfig().start_cycles) << k.what;
        b.clear();
        b.settle();
        EXPECT_FALSE(b.irq.read()) << k.what << ": interrupt still raised after the W1C";
        seen.push_back(k.code);
    }
    {  // 10 filters on a 16-point FFT's 9 bins
        b.configure(good);
        b.wr(FBANK_FFT_SIZE, 16);
        b.wr(FBANK_FRAME_LEN, 16);
        b.wr(FBANK_HOP, 16);
        b.wr(FBANK_NUM_MEL, 10);
        EXPECT_EQ(b.run(FBANK_CTRL_IRQ_EN), FBANK_STATUS_ERROR);
        EXPECT_EQ(b.rd(FBANK_ERR_CODE), FBANK_ERRC_TOO_MANY_FILTERS);
        seen.push_back(b.rd(FBANK_ERR_CODE));
        b.clear();
    }
    {  // ring in the unmapped top of the SRAM window: bus error on the first read
        b.configure(good);
        b.source(kHole + 0x100, 4000, 0);
        b.dest(kOut, 5);
        EXPECT_EQ(b.run(FBANK_CTRL_IRQ_EN | FBANK_CTRL_NO_PREV), FBANK_STATUS_ERROR);
        EXPECT_EQ(b.rd(FBANK_ERR_CODE), FBANK_ERRC_BUS_READ);
        EXPECT_EQ(b.rd(FBANK_ERR_ADDR), kHole + 0x100);
        EXPECT_EQ(b.rd(FBANK_FRAMES_DONE), 0u);
        EXPECT_TRUE(b.irq.read());
        seen.push_back(b.rd(FBANK_ERR_CODE));
        b.clear();
    }
    {  // outputs running into the hole: frames 0 and 1 fit (160 bytes), frame 2 fails
        b.configure(good);
        b.source(kRing, 4000, 0);
        b.dest(kHole - 160, 5);
        const uint64_t errors_before = b.bus.master_stats()[b.fbank_port()].errors;
        EXPECT_EQ(b.run(FBANK_CTRL_IRQ_EN), FBANK_STATUS_ERROR);
        EXPECT_EQ(b.rd(FBANK_ERR_CODE), FBANK_ERRC_BUS_WRITE);
        EXPECT_EQ(b.rd(FBANK_ERR_ADDR), kHole);
        EXPECT_EQ(b.rd(FBANK_FRAMES_DONE), 2u);
        EXPECT_EQ(b.bus.master_stats()[b.fbank_port()].errors, errors_before + 1);
        seen.push_back(b.rd(FBANK_ERR_CODE));
        b.clear();
    }
    // Every code of fbank_regs.h came up (1 and 15 are fbank_math's internal ones).
    for (uint32_t code = 2; code <= FBANK_ERRC_BUS_WRITE; ++code) {
        if (code > FBANK_ERRC_OUTPUT && code < FBANK_ERRC_SRC_LEN) continue;
        EXPECT_NE(std::find(seen.begin(), seen.end(), code), seen.end()) << "error code " << code << " not tested";
    }
    EXPECT_EQ(b.fbank.stats().errors, seen.size());
    // After all that, a good programming works again, and an int8 output at an odd address too.
    b.configure(good);
    b.wr(FBANK_OUT_FMT, FBANK_OUT_FMT_INT8_FRAC(3));
    b.source(kRing, 4000, 0);
    b.dest(kOut + 1, 2);
    EXPECT_EQ(b.run(FBANK_CTRL_IRQ_EN | FBANK_CTRL_NO_PREV), FBANK_STATUS_DONE);
    EXPECT_EQ(b.rd(FBANK_ERR_CODE), 0u);
    fbank_config_t c8 = good;
    c8.out_format = FBANK_OUT_INT8;
    c8.out_frac_bits = 3;
    const Reference ref(c8, x);
    expect_frames_equal(b, c8, ref, kOut + 1, 0, 2, "int8 at an odd address");
}

TEST_F(FbankTest, InterruptLevelFollowsDoneErrorAndEnable) {
    Bench b;
    fbank_config_t c;
    fbank_config_default(&c);
    std::vector<int16_t> x(c.frame_len, 500);
    b.put_samples(kRing, x.data(), x.size());
    b.source(kRing, c.frame_len, 0);
    b.dest(kOut, 1);
    // Disabled: DONE without an interrupt.
    EXPECT_EQ(b.run(0), FBANK_STATUS_DONE);
    EXPECT_FALSE(b.irq.read());
    // Enabling while DONE raises it (a level).
    b.wr(FBANK_CTRL, FBANK_CTRL_IRQ_EN);
    b.settle();
    EXPECT_TRUE(b.irq.read()) << "level while DONE and enabled";
    EXPECT_EQ(b.rd(FBANK_CTRL), FBANK_CTRL_IRQ_EN) << "START and NO_PREV read 0";
    // Disabling lowers it; DONE stays.
    b.wr(FBANK_CTRL, 0);
    b.settle();
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.rd(FBANK_STATUS), FBANK_STATUS_DONE);
    b.wr(FBANK_CTRL, FBANK_CTRL_IRQ_EN);
    b.settle();
    EXPECT_TRUE(b.irq.read());
    // W1C of a bit that is not set changes nothing; clearing DONE drops the line.
    b.wr(FBANK_STATUS, FBANK_STATUS_ERROR);
    b.settle();
    EXPECT_TRUE(b.irq.read());
    b.wr(FBANK_STATUS, FBANK_STATUS_DONE);
    b.settle();
    EXPECT_FALSE(b.irq.read());
    EXPECT_EQ(b.rd(FBANK_STATUS), 0u);

    // A START clears a pending DONE; while the run is busy the line is low and a second START
    // is ignored; at the end it rises exactly once.
    EXPECT_EQ(b.run(FBANK_CTRL_IRQ_EN), FBANK_STATUS_DONE);
    b.wr(FBANK_CTRL, FBANK_CTRL_IRQ_EN | FBANK_CTRL_START);
    sc_start(kPeriod * 20.0);
    EXPECT_EQ(b.rd(FBANK_STATUS), FBANK_STATUS_BUSY) << "START clears DONE";
    EXPECT_FALSE(b.irq.read());
    b.wr(FBANK_CTRL, FBANK_CTRL_IRQ_EN | FBANK_CTRL_START);
    const size_t edges_before = b.rec.changes.size();
    sc_start();
    EXPECT_EQ(b.rd(FBANK_STATUS), FBANK_STATUS_DONE);
    EXPECT_TRUE(b.irq.read());
    EXPECT_EQ(b.rec.changes.size(), edges_before + 1) << "one rising edge at the end of the run";
    EXPECT_EQ(b.fbank.stats().ignored_starts, 1u);
    EXPECT_EQ(b.fbank.stats().runs, 3u);
    EXPECT_EQ(b.fbank.stats().frames, 3u);
}

TEST_F(FbankTest, RegisterAccessRules) {
    Bench b;
    EXPECT_EQ(b.rd(FBANK_ID), FBANK_ID_VALUE);
    // Reset values: the fbank_math default configuration.
    EXPECT_EQ(b.rd(FBANK_FRAME_LEN), 640u);
    EXPECT_EQ(b.rd(FBANK_HOP), 320u);
    EXPECT_EQ(b.rd(FBANK_FFT_SIZE), 1024u);
    EXPECT_EQ(b.rd(FBANK_WINDOW), FBANK_WINDOW_HANN);
    EXPECT_EQ(b.rd(FBANK_NUM_MEL), 40u);
    EXPECT_EQ(b.rd(FBANK_F_LOW), 20u);
    EXPECT_EQ(b.rd(FBANK_F_HIGH), 4000u);
    EXPECT_EQ(b.rd(FBANK_SAMPLE_RATE), 16000u);
    EXPECT_EQ(b.rd(FBANK_FRAME_COUNT), 1u);
    EXPECT_EQ(int32_t(b.rd(FBANK_LOG_FLOOR)), -20 * 128) << "sign-extended q8.7";
    EXPECT_EQ(b.rd(FBANK_OUT_BYTES), 80u);
    EXPECT_EQ(b.rd(FBANK_DITHER), 0u);
    EXPECT_EQ(b.rd(FBANK_DITHER_SEED), FBANK_DITHER_SEED_RESET);
    b.wr(FBANK_OUT_FMT, FBANK_OUT_FMT_INT8_FRAC(2));
    EXPECT_EQ(b.rd(FBANK_OUT_BYTES), 40u);
    b.wr(FBANK_LOG_OFFSET, 0xFF80u);  // -1.0
    EXPECT_EQ(int32_t(b.rd(FBANK_LOG_OFFSET)), -128);
    // Byte write merges into the register.
    ASSERT_TRUE(b.cpu.write(kRegs + FBANK_SRC_LEN + 1, 0x12, 1).ok());
    EXPECT_EQ(b.rd(FBANK_SRC_LEN), 0x1200u);
    // Read-only registers refuse writes; holes are address errors; no crash.
    EXPECT_EQ(b.cpu.write(kRegs + FBANK_ERR_CODE, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.write(kRegs + FBANK_ID, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.read(kRegs + 0x100).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.write(kRegs + 0x100, 1).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.read(kRegs + FBANK_CTRL + 1, 2).status, tlm::TLM_BURST_ERROR_RESPONSE);
    // Debug reads have no side effects.
    uint32_t id = 0;
    EXPECT_EQ(b.cpu.debug(tlm::TLM_READ_COMMAND, kRegs + FBANK_ID, reinterpret_cast<unsigned char*>(&id), 4), 4u);
    EXPECT_EQ(id, FBANK_ID_VALUE);
}
