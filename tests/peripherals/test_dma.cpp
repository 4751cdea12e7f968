// DMA controller on an AHB bus next to a CPU-like master: memory to memory with every width
// and address mode, request handshake (a test-driven line and the real audio input), circular
// half/full interrupts, bus and configuration errors, round robin between channels and
// contention with the CPU.
#include "dma.h"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sndfile.h>

#include "ahb_bus.h"
#include "audio_in.h"
#include "audio_in_regs.h"
#include "dma_regs.h"
#include "memory.h"
#include "memory_map.h"
#include "sc_test_util.h"

using namespace sc_core;
using cimvp::AhbBus;
using cimvp::AhbBusConfig;
using cimvp::AudioIn;
using cimvp::AudioInConfig;
using cimvp::Dma;
using cimvp::DmaConfig;
using cimvp::Memory;
using cimvp::MemoryConfig;
using cimvp::test::EdgeRecorder;
using cimvp::test::RecordingTarget;
using cimvp::test::TestInitiator;

namespace {

constexpr uint32_t kSram = CIMVP_SRAM_BASE;
constexpr uint32_t kErrDev = 0x60000000;  // a target that answers every access with an error
constexpr uint32_t kUnmapped = 0x30000000;
const sc_time kClk(10, SC_NS);
const sc_time kPeriod(62.5, SC_US);

// Lets a register write that went through the bus (and the signals it drives) take effect.
void settle() { sc_start(kClk * 10.0); }

std::string write_ramp_wav(const std::string& tag, unsigned n) {
    const std::string path = ::testing::TempDir() + "cimvp_dma_" + tag + "_" + std::to_string(::getpid()) + ".wav";
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    EXPECT_NE(f, nullptr) << sf_strerror(nullptr);
    std::vector<short> v(n);
    for (unsigned i = 0; i < n; ++i) v[i] = static_cast<short>(1000 + 3 * i);
    sf_writef_short(f, v.data(), n);
    sf_close(f);
    return path;
}

struct Bench {
    AhbBus bus;
    TestInitiator cpu{"cpu"};
    Dma dma;
    Memory sram;
    RecordingTarget errdev{"errdev", 0x100};
    std::unique_ptr<AudioIn> audio;
    sc_signal<bool> irq{"irq"}, req{"req"}, audio_drq{"audio_drq"}, audio_irq{"audio_irq"};
    EdgeRecorder irq_rec{"irq_rec"};

    static AhbBusConfig bus_config() {
        AhbBusConfig c;
        c.clock_period = kClk;
        return c;
    }
    static MemoryConfig sram_config() {
        MemoryConfig c;
        c.size = 0x10000;
        c.clock_period = kClk;
        return c;
    }
    static DmaConfig dma_config(unsigned setup = 1) {
        DmaConfig c;
        c.setup_cycles = setup;
        c.clock_period = kClk;
        return c;
    }

    explicit Bench(const AudioInConfig* audio_cfg = nullptr, unsigned setup = 1)
        : bus("bus", bus_config()), dma("dma", dma_config(setup)), sram("sram", sram_config()) {
        bus.add_master("cpu");
        cpu.socket.bind(bus.target_socket);
        bus.add_master("dma");
        dma.initiator.bind(bus.target_socket);
        bus.add_target("sram", kSram, 0x10000);
        bus.initiator_socket.bind(sram.socket);
        bus.add_target("dma", CIMVP_DMA_BASE, CIMVP_PERIPH_WINDOW);
        bus.initiator_socket.bind(dma.socket);
        bus.add_target("errdev", kErrDev, 0x100);
        bus.initiator_socket.bind(errdev.socket);
        errdev.respond_error = true;
        dma.irq.bind(irq);
        irq_rec.in.bind(irq);
        dma.drq[0].bind(req);
        if (audio_cfg) {
            audio = std::make_unique<AudioIn>("audio", *audio_cfg);
            bus.add_target("audio", CIMVP_AUDIO_BASE, CIMVP_PERIPH_WINDOW);
            bus.initiator_socket.bind(audio->socket);
            audio->drq.bind(audio_drq);
            audio->irq.bind(audio_irq);
            dma.drq[1].bind(audio_drq);
        }  // drq[2], drq[3] stay unbound: the DMA ties them low
        sc_start(SC_ZERO_TIME);
    }

    uint32_t get(uint32_t addr) {
        const auto r = cpu.read(addr);
        EXPECT_TRUE(r.ok()) << "read of 0x" << std::hex << addr << " failed: " << std::dec << r.status;
        return r.value;
    }
    void put(uint32_t addr, uint32_t v) {
        const auto r = cpu.write(addr, v);
        EXPECT_TRUE(r.ok()) << "write of 0x" << std::hex << addr << " failed: " << std::dec << r.status;
    }
    uint32_t ch(unsigned c, uint32_t reg) { return CIMVP_DMA_BASE + DMA_CH_BASE(c) + reg; }
    void program(unsigned c, uint32_t src, uint32_t dst, uint32_t count, uint32_t ctrl) {
        put(ch(c, DMA_CH_SRC), src);
        put(ch(c, DMA_CH_DST), dst);
        put(ch(c, DMA_CH_COUNT), count);
        put(ch(c, DMA_CH_CTRL), ctrl | DMA_CTRL_EN);
    }
    // Register peek without a bus transfer (does not disturb timing).
    uint32_t peek(unsigned c, uint32_t reg) {
        unsigned char b[4] = {};
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(DMA_CH_BASE(c) + reg);
        gp.set_data_ptr(b);
        gp.set_data_length(4);
        gp.set_streaming_width(4);
        EXPECT_EQ(dma.socket.get_base_export()->transport_dbg(gp), 4u);
        uint32_t v;
        std::memcpy(&v, b, 4);
        return v;
    }
    unsigned char* mem(uint32_t addr) { return sram.data() + (addr - kSram); }
    uint32_t word(uint32_t addr) {
        uint32_t v;
        std::memcpy(&v, mem(addr), 4);
        return v;
    }
    // Runs until channel c is no longer enabled (or `limit` passes).
    void run_until_idle(unsigned c, sc_time limit = sc_time(1, SC_MS)) {
        const sc_time end = sc_time_stamp() + limit;
        while ((peek(c, DMA_CH_CTRL) & DMA_CTRL_EN) && sc_time_stamp() < end) sc_start(kClk * 10.0);
    }
};

class DmaTest : public cimvp::test::ScTest {};

void fill(unsigned char* p, unsigned n, unsigned seed) {
    for (unsigned i = 0; i < n; ++i) p[i] = static_cast<unsigned char>(seed + 7 * i);
}

}  // namespace

TEST_F(DmaTest, MemToMemIncrementingAllWidths) {
    Bench b;
    fill(b.mem(kSram), 0x100, 1);
    const struct { unsigned width, size; uint32_t dst; } cases[] = {
        {DMA_WIDTH_32, 4, kSram + 0x1000}, {DMA_WIDTH_16, 2, kSram + 0x2000}, {DMA_WIDTH_8, 1, kSram + 0x3000}};
    for (const auto& c : cases) {
        b.program(0, kSram, c.dst, 16, DMA_CTRL_WIDTH(c.width) | DMA_CTRL_SRC_INC | DMA_CTRL_DST_INC | DMA_CTRL_DONE_IE);
        b.run_until_idle(0);
        EXPECT_EQ(std::memcmp(b.mem(c.dst), b.mem(kSram), 16 * c.size), 0) << "width " << c.size << " bytes";
        EXPECT_EQ(b.mem(c.dst)[16 * c.size], 0) << "wrote past COUNT items at width " << c.size;
        EXPECT_EQ(b.get(b.ch(0, DMA_CH_STATUS)), DMA_STATUS_HALF | DMA_STATUS_DONE);
        EXPECT_EQ(b.get(b.ch(0, DMA_CH_REMAIN)), 0u);
        settle();
        EXPECT_TRUE(b.irq.read()) << "DONE interrupt, width " << c.size;
        b.put(b.ch(0, DMA_CH_STATUS), DMA_STATUS_HALF | DMA_STATUS_DONE);
        settle();
        EXPECT_FALSE(b.irq.read()) << "W1C";
    }
    const auto s = b.dma.channel_stats(0);
    EXPECT_EQ(s.items, 48u);
    EXPECT_EQ(s.bytes, 16u * (4 + 2 + 1));
    EXPECT_EQ(s.passes, 3u);
    EXPECT_EQ(b.bus.master_stats()[1].transfers, 96u) << "one read and one write per item, as the DMA master";
    EXPECT_EQ(b.bus.master_stats()[1].bytes, 2u * 16 * (4 + 2 + 1));
}

TEST_F(DmaTest, FixedSourceFillsAndFixedDestinationKeepsTheLast) {
    Bench b;
    const uint32_t pattern = 0xA5C3E1F0;
    std::memcpy(b.mem(kSram), &pattern, 4);
    fill(b.mem(kSram + 0x100), 64, 3);
    b.program(0, kSram, kSram + 0x200, 8, DMA_CTRL_WIDTH(DMA_WIDTH_32) | DMA_CTRL_DST_INC);
    b.run_until_idle(0);
    for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(b.word(kSram + 0x200 + 4 * i), pattern) << "word " << i;
    b.program(1, kSram + 0x100, kSram + 0x300, 8, DMA_CTRL_WIDTH(DMA_WIDTH_16) | DMA_CTRL_SRC_INC);
    b.run_until_idle(1);
    EXPECT_EQ(std::memcmp(b.mem(kSram + 0x300), b.mem(kSram + 0x100 + 14), 2), 0) << "last halfword wins";
    EXPECT_EQ(b.mem(kSram + 0x302)[0], 0) << "fixed destination: nothing after it";
    EXPECT_EQ(b.dma.channel_stats(1).items, 8u);
}

TEST_F(DmaTest, RequestHandshakeMovesBurstsOnlyWhileRequested) {
    Bench b;
    fill(b.mem(kSram), 64, 9);
    b.program(0, kSram, kSram + 0x800, 12,
              DMA_CTRL_WIDTH(DMA_WIDTH_32) | DMA_CTRL_SRC_INC | DMA_CTRL_DST_INC | DMA_CTRL_MODE_REQ |
                  DMA_CTRL_REQSEL(0) | DMA_CTRL_BURST(4));
    sc_start(sc_time(5, SC_US));
    EXPECT_EQ(b.peek(0, DMA_CH_REMAIN), 12u) << "no request: nothing moves";
    EXPECT_EQ(b.bus.master_stats()[1].transfers, 0u);
    b.req.write(true);
    sc_start(sc_time(5, SC_US));
    EXPECT_EQ(b.peek(0, DMA_CH_REMAIN), 0u) << "request held high: all of it";
    EXPECT_EQ(b.dma.channel_stats(0).requests, 3u) << "12 items in bursts of 4";
    EXPECT_EQ(std::memcmp(b.mem(kSram + 0x800), b.mem(kSram), 48), 0);
    b.req.write(false);
    // Re-arm and pulse the request for less than one burst: exactly one burst moves.
    b.program(0, kSram, kSram + 0xC00, 12,
              DMA_CTRL_WIDTH(DMA_WIDTH_32) | DMA_CTRL_SRC_INC | DMA_CTRL_DST_INC | DMA_CTRL_MODE_REQ |
                  DMA_CTRL_REQSEL(0) | DMA_CTRL_BURST(4));
    settle();
    b.req.write(true);
    sc_start(kClk);
    b.req.write(false);
    sc_start(sc_time(5, SC_US));
    EXPECT_EQ(b.peek(0, DMA_CH_REMAIN), 8u) << "one burst per sampled request";
}

TEST_F(DmaTest, AudioToMemoryThroughTheRequestLine) {
    const unsigned n = 64;
    AudioInConfig ac;
    ac.wav_path = write_ramp_wav("audio", n);
    ac.fifo_depth = 16;
    ac.threshold = 8;
    Bench b(&ac);
    std::remove(ac.wav_path.c_str());
    b.program(2, CIMVP_AUDIO_BASE + AUDIO_DATA, kSram + 0x400, n,
              DMA_CTRL_WIDTH(DMA_WIDTH_16) | DMA_CTRL_DST_INC | DMA_CTRL_MODE_REQ | DMA_CTRL_REQSEL(1) |
                  DMA_CTRL_BURST(8) | DMA_CTRL_DONE_IE);
    b.put(CIMVP_AUDIO_BASE + AUDIO_CTRL, AUDIO_CTRL_ENABLE | AUDIO_CTRL_DMA_EN);
    const sc_time t0 = sc_time_stamp();
    sc_start(kPeriod * (n + 2.0));
    EXPECT_EQ(b.peek(2, DMA_CH_REMAIN), 0u);
    for (unsigned i = 0; i < n; ++i) {
        int16_t v;
        std::memcpy(&v, b.mem(kSram + 0x400 + 2 * i), 2);
        ASSERT_EQ(v, static_cast<int16_t>(1000 + 3 * i)) << "sample " << i;
    }
    const auto as = b.audio->stats();
    EXPECT_EQ(as.overruns, 0u);
    EXPECT_EQ(as.underrun_reads, 0u) << "the DMA never read an empty FIFO";
    EXPECT_EQ(as.samples_delivered, n);
    EXPECT_EQ(b.dma.channel_stats(2).requests, n / 8);
    // The last burst starts when sample 63 arrives and takes a few bus cycles.
    const sc_time done = b.irq_rec.first(true);
    const sc_time last = t0 + kPeriod * static_cast<double>(n);
    EXPECT_GE(done, last);
    EXPECT_LT(done - last, kClk * 100.0) << "DONE " << (done - last) << " after the last sample";
}

TEST_F(DmaTest, CircularBufferRaisesHalfAndFullEachPass) {
    const unsigned n = 96, count = 32;
    AudioInConfig ac;
    ac.wav_path = write_ramp_wav("circ", n);
    ac.fifo_depth = 16;
    ac.threshold = 8;
    Bench b(&ac);
    std::remove(ac.wav_path.c_str());
    b.program(0, CIMVP_AUDIO_BASE + AUDIO_DATA, kSram + 0x400, count,
              DMA_CTRL_WIDTH(DMA_WIDTH_16) | DMA_CTRL_DST_INC | DMA_CTRL_MODE_REQ | DMA_CTRL_REQSEL(1) |
                  DMA_CTRL_BURST(8) | DMA_CTRL_CIRC | DMA_CTRL_HALF_IE | DMA_CTRL_DONE_IE);
    b.put(CIMVP_AUDIO_BASE + AUDIO_CTRL, AUDIO_CTRL_ENABLE | AUDIO_CTRL_DMA_EN);
    const sc_time t0 = sc_time_stamp();
    // An interrupt handler: note the flag and the half of the buffer that is ready, then clear.
    std::vector<std::pair<uint32_t, sc_time>> events;
    while (sc_time_stamp() < t0 + kPeriod * (n + 4.0)) {
        sc_start(kClk * 100.0);
        if (!b.irq.read()) continue;
        const uint32_t st = b.get(b.ch(0, DMA_CH_STATUS)) & DMA_STATUS_FLAGS;
        events.emplace_back(st, sc_time_stamp());
        // The ready half holds the samples of this pass.
        const unsigned pass = static_cast<unsigned>(events.size() - 1) / 2;
        const unsigned first = st == DMA_STATUS_HALF ? 0 : count / 2;
        for (unsigned i = first; i < first + count / 2; ++i) {
            int16_t v;
            std::memcpy(&v, b.mem(kSram + 0x400 + 2 * i), 2);
            EXPECT_EQ(v, static_cast<int16_t>(1000 + 3 * (pass * count + i))) << "pass " << pass << " item " << i;
        }
        b.put(b.ch(0, DMA_CH_STATUS), st);
    }
    ASSERT_EQ(events.size(), 6u) << "HALF and DONE for each of 3 passes";
    for (unsigned k = 0; k < 6; ++k) {
        EXPECT_EQ(events[k].first, k % 2 ? DMA_STATUS_DONE : DMA_STATUS_HALF) << "event " << k;
        // Raised by the burst that follows sample 16(k+1) - 1; seen at the next 1 us poll.
        const sc_time due = t0 + kPeriod * (16.0 * (k + 1));
        EXPECT_GE(events[k].second, due) << "event " << k;
        EXPECT_LE(events[k].second - due, sc_time(2, SC_US)) << "event " << k << " late";
    }
    EXPECT_TRUE(b.peek(0, DMA_CH_CTRL) & DMA_CTRL_EN) << "circular: still running";
    EXPECT_EQ(b.dma.channel_stats(0).passes, 3u);
    EXPECT_EQ(b.audio->stats().overruns, 0u);
}

TEST_F(DmaTest, BusErrorStopsTheChannel) {
    Bench b;
    b.program(0, kSram, kUnmapped + 8, 4, DMA_CTRL_WIDTH(DMA_WIDTH_32) | DMA_CTRL_SRC_INC | DMA_CTRL_DST_INC |
                                              DMA_CTRL_ERR_IE);
    b.program(1, kErrDev + 0x10, kSram + 0x100, 4, DMA_CTRL_WIDTH(DMA_WIDTH_32) | DMA_CTRL_SRC_INC);
    b.run_until_idle(0);
    b.run_until_idle(1);
    settle();
    EXPECT_EQ(b.get(b.ch(0, DMA_CH_STATUS)), DMA_STATUS_BUS_ERR) << "unmapped destination";
    EXPECT_EQ(b.get(b.ch(0, DMA_CH_ERR_ADDR)), kUnmapped + 8);
    EXPECT_EQ(b.get(b.ch(0, DMA_CH_REMAIN)), 4u) << "the failing item is not counted";
    EXPECT_EQ(b.get(b.ch(1, DMA_CH_STATUS)), DMA_STATUS_BUS_ERR) << "error response from a target";
    EXPECT_EQ(b.get(b.ch(1, DMA_CH_ERR_ADDR)), kErrDev + 0x10);
    EXPECT_EQ(b.errdev.transfers, 1u) << "stops at the first error";
    EXPECT_TRUE(b.irq.read()) << "channel 0 has ERR_IE";
    EXPECT_EQ(b.get(CIMVP_DMA_BASE + DMA_IRQ_STATUS), 1u) << "channel 1's error is not enabled";
    EXPECT_EQ(b.get(CIMVP_DMA_BASE + DMA_ACTIVE), 0u);
    EXPECT_EQ(b.dma.channel_stats(0).errors, 1u);
    EXPECT_EQ(b.dma.channel_stats(1).errors, 1u);
    b.put(b.ch(0, DMA_CH_STATUS), DMA_STATUS_BUS_ERR);
    settle();
    EXPECT_FALSE(b.irq.read());
}

TEST_F(DmaTest, BadSetupIsAConfigurationError) {
    Bench b;
    b.program(0, kSram + 2, kSram + 0x100, 4, DMA_CTRL_WIDTH(DMA_WIDTH_32) | DMA_CTRL_ERR_IE);
    EXPECT_EQ(b.get(b.ch(0, DMA_CH_STATUS)), DMA_STATUS_CFG_ERR) << "misaligned source";
    b.put(b.ch(0, DMA_CH_STATUS), DMA_STATUS_CFG_ERR);
    b.program(0, kSram, kSram + 0x100, 4, DMA_CTRL_WIDTH(3));
    EXPECT_EQ(b.get(b.ch(0, DMA_CH_STATUS)), DMA_STATUS_CFG_ERR) << "width code 3";
    b.put(b.ch(0, DMA_CH_STATUS), DMA_STATUS_CFG_ERR);
    b.program(0, kSram, kSram + 0x100, 4, DMA_CTRL_MODE_REQ | DMA_CTRL_REQSEL(5));
    EXPECT_EQ(b.get(b.ch(0, DMA_CH_STATUS)), DMA_STATUS_CFG_ERR) << "request line 5 of 4";
    b.put(b.ch(0, DMA_CH_STATUS), DMA_STATUS_CFG_ERR);
    b.program(0, kSram, kSram + 0x100, 0, DMA_CTRL_CIRC);
    EXPECT_EQ(b.get(b.ch(0, DMA_CH_STATUS)), DMA_STATUS_CFG_ERR) << "circular with COUNT 0";
    b.put(b.ch(0, DMA_CH_STATUS), DMA_STATUS_CFG_ERR);
    b.program(0, kSram, kSram + 0x100, 0, 0);
    EXPECT_EQ(b.get(b.ch(0, DMA_CH_STATUS)), DMA_STATUS_DONE) << "COUNT 0: done at once";
    sc_start(sc_time(1, SC_US));
    EXPECT_EQ(b.bus.master_stats()[1].transfers, 0u);
    EXPECT_EQ(b.dma.channel_stats(0).errors, 4u);
}

TEST_F(DmaTest, InvalidRegisterAccessesGetErrorResponses) {
    Bench b;
    EXPECT_EQ(b.cpu.read(CIMVP_DMA_BASE + 0x00C).status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << "global hole";
    EXPECT_EQ(b.cpu.read(CIMVP_DMA_BASE + DMA_CH_BASE(4)).status, tlm::TLM_ADDRESS_ERROR_RESPONSE)
        << "channel 4 of 4";
    EXPECT_EQ(b.cpu.read(b.ch(0, 0x1C)).status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << "channel hole";
    EXPECT_EQ(b.cpu.read(b.ch(0, DMA_CH_SRC), 2).status, tlm::TLM_BURST_ERROR_RESPONSE) << "16-bit";
    EXPECT_EQ(b.cpu.write(b.ch(0, DMA_CH_CTRL), 1, 1).status, tlm::TLM_BURST_ERROR_RESPONSE) << "byte";
    EXPECT_EQ(b.cpu.write(CIMVP_DMA_BASE + DMA_IRQ_STATUS, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.write(b.ch(0, DMA_CH_REMAIN), 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(b.get(b.ch(0, DMA_CH_CTRL)), 0u) << "the byte write did nothing";
    const uint32_t info = b.get(CIMVP_DMA_BASE + DMA_INFO);
    EXPECT_EQ(DMA_INFO_CHANNELS(info), 4u);
    EXPECT_EQ(DMA_INFO_REQUEST_LINES(info), 4u);
}

TEST_F(DmaTest, RoundRobinSharesTheEngineBetweenChannels) {
    Bench b;
    fill(b.mem(kSram), 0x400, 5);
    const uint32_t ctrl = DMA_CTRL_WIDTH(DMA_WIDTH_32) | DMA_CTRL_SRC_INC | DMA_CTRL_DST_INC;
    b.put(b.ch(0, DMA_CH_SRC), kSram);
    b.put(b.ch(0, DMA_CH_DST), kSram + 0x1000);
    b.put(b.ch(0, DMA_CH_COUNT), 64);
    b.put(b.ch(1, DMA_CH_SRC), kSram + 0x100);
    b.put(b.ch(1, DMA_CH_DST), kSram + 0x2000);
    b.put(b.ch(1, DMA_CH_COUNT), 64);
    b.put(b.ch(1, DMA_CH_CTRL), ctrl | DMA_CTRL_EN | DMA_CTRL_BURST(2));
    b.put(b.ch(0, DMA_CH_CTRL), ctrl | DMA_CTRL_EN | DMA_CTRL_BURST(2));
    unsigned samples = 0;
    while (b.peek(0, DMA_CH_REMAIN) && b.peek(1, DMA_CH_REMAIN)) {
        sc_start(kClk * 7.0);
        const int r0 = static_cast<int>(b.peek(0, DMA_CH_REMAIN)), r1 = static_cast<int>(b.peek(1, DMA_CH_REMAIN));
        EXPECT_LE(std::abs(r0 - r1), 2) << "at " << sc_time_stamp() << ": channel 0 has " << r0
                                        << " left, channel 1 " << r1;
        ++samples;
    }
    EXPECT_GT(samples, 10u);
    b.run_until_idle(0);
    b.run_until_idle(1);
    EXPECT_EQ(std::memcmp(b.mem(kSram + 0x1000), b.mem(kSram), 256), 0);
    EXPECT_EQ(std::memcmp(b.mem(kSram + 0x2000), b.mem(kSram + 0x100), 256), 0);
}

TEST_F(DmaTest, CpuTrafficSlowsTheDmaDownOnTheBus) {
    Bench b;
    fill(b.mem(kSram), 0x400, 11);
    const uint32_t ctrl = DMA_CTRL_WIDTH(DMA_WIDTH_32) | DMA_CTRL_SRC_INC | DMA_CTRL_DST_INC;
    // Alone.
    sc_time t = sc_time_stamp();
    b.program(0, kSram, kSram + 0x1000, 128, ctrl);
    while (b.peek(0, DMA_CH_CTRL) & DMA_CTRL_EN) sc_start(kClk);
    const sc_time alone = sc_time_stamp() - t;
    const auto s_alone = b.dma.channel_stats(0);
    const auto m_alone = b.bus.master_stats()[1];
    // Again, with the CPU reading SRAM every cycle.
    t = sc_time_stamp();
    b.program(1, kSram, kSram + 0x2000, 128, ctrl);
    // The CPU runs ahead of the DMA in simulated time (temporal decoupling, as the core does),
    // reading SRAM back to back: each read is issued when the previous one is done.
    unsigned cpu_reads = 0;
    sc_time cpu_free = sc_time_stamp();
    const sc_time quantum = kClk * 20.0;
    while (b.peek(1, DMA_CH_CTRL) & DMA_CTRL_EN) {
        while (cpu_free < sc_time_stamp() + quantum) {
            const auto r = b.cpu.read(kSram + 0x800 + 4 * (cpu_reads++ % 64), 4, cpu_free - sc_time_stamp());
            EXPECT_TRUE(r.ok());
            cpu_free = sc_time_stamp() + r.delay;
        }
        sc_start(kClk);
    }
    const sc_time shared = sc_time_stamp() - t;
    const auto s_shared = b.dma.channel_stats(1);
    const auto m_shared = b.bus.master_stats()[1];
    const auto cpu = b.bus.master_stats()[0];
    EXPECT_GT(shared, alone * 2.0) << "alone " << alone << ", with the CPU " << shared;
    EXPECT_GT(s_shared.bus_stall_time, s_alone.bus_stall_time)
        << "stall alone " << s_alone.bus_stall_time << ", with the CPU " << s_shared.bus_stall_time;
    EXPECT_EQ(m_alone.wait_cycles, 0u) << "nobody else on the bus";
    EXPECT_GT(m_shared.wait_cycles - m_alone.wait_cycles, 0u) << "the DMA waited for the CPU";
    EXPECT_GT(cpu.wait_cycles, 0u) << "and the CPU for the DMA (" << cpu_reads << " reads)";
    EXPECT_EQ(std::memcmp(b.mem(kSram + 0x2000), b.mem(kSram), 512), 0);
    std::printf("DMA 128 words: alone %s (stall %s), with CPU %s (stall %s); bus waits: DMA %llu, CPU %llu cycles\n",
                alone.to_string().c_str(), s_alone.bus_stall_time.to_string().c_str(), shared.to_string().c_str(),
                s_shared.bus_stall_time.to_string().c_str(),
                static_cast<unsigned long long>(m_shared.wait_cycles - m_alone.wait_cycles),
                static_cast<unsigned long long>(cpu.wait_cycles));
}

TEST_F(DmaTest, InvalidConfigIsAModelError) {
    DmaConfig c;
    c.channels = 9;
    EXPECT_THROW(Dma("dma", c), sc_report);
}
