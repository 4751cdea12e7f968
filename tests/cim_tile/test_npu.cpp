// The NPU controller through TLM: a test CPU and the NPU on an AhbBus with the SRAM model.
// Each TEST elaborates its own bench (one SystemC elaboration per process: ctest runs them apart).
#include "npu.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ahb_bus.h"
#include "errors.h"
#include "int_reference.h"
#include "memory.h"
#include "memory_map.h"
#include "npu_regs.h"
#include "sc_test_util.h"
#include "tile_test_util.h"

using namespace sc_core;
using cimvp::AhbBus;
using cimvp::AhbBusConfig;
using cimvp::Memory;
using cimvp::MemoryConfig;
using cimvp::cim::Activation;
using cimvp::cim::WeightMatrix;
using namespace cimvp::npu;
using namespace cimvp::cim::test;

namespace {

constexpr uint32_t kSram = CIMVP_SRAM_BASE;
constexpr uint32_t kNpu = CIMVP_NPU_BASE;
constexpr uint32_t kIbuf = kNpu + NPU_IBUF_OFFSET;
constexpr uint32_t kObuf = kNpu + NPU_OBUF_OFFSET;

MemoryConfig sram_config() {
    MemoryConfig m;
    m.size = CIMVP_SRAM_SIZE;
    return m;
}

struct Bench {
    AhbBus bus;
    Memory sram;
    Npu npu;
    cimvp::test::TestInitiator cpu{"cpu"};
    sc_signal<bool> irq_sig{"irq_sig"};
    cimvp::test::EdgeRecorder rec{"rec"};

    explicit Bench(const NpuConfig& cfg = {}) : bus("bus", AhbBusConfig{}), sram("sram", sram_config()), npu("npu", cfg) {
        bus.add_master("cpu");
        cpu.socket.bind(bus.target_socket);
        bus.add_master("npu");
        npu.initiator_socket.bind(bus.target_socket);
        bus.add_target("sram", CIMVP_SRAM_BASE, CIMVP_SRAM_SIZE);
        bus.initiator_socket.bind(sram.socket);
        bus.add_target("npu", CIMVP_NPU_BASE, CIMVP_NPU_SIZE);
        bus.initiator_socket.bind(npu.socket);
        npu.irq(irq_sig);
        rec.in(irq_sig);
        sc_start(SC_ZERO_TIME);
    }
    uint32_t reg(uint32_t off) {
        const auto r = cpu.read(kNpu + off);
        EXPECT_TRUE(r.ok()) << "read of NPU register 0x" << std::hex << off;
        return r.value;
    }
    void set(uint32_t off, uint32_t v) { EXPECT_TRUE(cpu.write(kNpu + off, v).ok()) << "write 0x" << std::hex << off; }
    // Backdoor: SRAM directly, NPU buffers through the debug path.
    void poke(uint32_t addr, const void* p, size_t n) {
        if (addr >= kSram && addr < kSram + CIMVP_SRAM_SIZE) {
            std::memcpy(sram.data() + (addr - kSram), p, n);
        } else {
            std::vector<unsigned char> tmp(static_cast<const unsigned char*>(p), static_cast<const unsigned char*>(p) + n);
            ASSERT_EQ(cpu.debug(tlm::TLM_WRITE_COMMAND, addr, tmp.data(), static_cast<unsigned>(n)), n);
        }
    }
    std::vector<uint8_t> peek(uint32_t addr, size_t n) {
        std::vector<uint8_t> v(n);
        if (addr >= kSram && addr < kSram + CIMVP_SRAM_SIZE) std::memcpy(v.data(), sram.data() + (addr - kSram), n);
        else EXPECT_EQ(cpu.debug(tlm::TLM_READ_COMMAND, addr, v.data(), static_cast<unsigned>(n)), n);
        return v;
    }
    void put_desc(uint32_t addr, const Descriptor& d) {
        uint8_t raw[NPU_DESC_SIZE];
        encode_descriptor(d, raw);
        poke(addr, raw, sizeof raw);
    }
    // Starts a chain and runs the simulation until the NPU is idle again.
    void run_chain(uint32_t desc_addr, uint32_t count) {
        set(NPU_DESC_ADDR, desc_addr);
        set(NPU_DESC_COUNT, count);
        set(NPU_CTRL, NPU_CTRL_IRQ_EN | NPU_CTRL_START);
        sc_start();
    }
    unsigned rising_edges() const {
        return static_cast<unsigned>(std::count_if(rec.changes.begin(), rec.changes.end(),
                                                   [](const auto& c) { return c.second; }));
    }
};

std::vector<int32_t> reference(const WeightMatrix& full, const Descriptor& d, const std::vector<uint8_t>& x,
                               const std::vector<int32_t>& bias) {
    WeightMatrix w(d.row_cnt, d.col_cnt);
    for (int i = 0; i < d.row_cnt; ++i)
        for (int j = 0; j < d.col_cnt; ++j) w.at(i, j) = full.at(d.row_off + i, d.col_off + j);
    if (d.out_format == NPU_OUT_ACC32) {
        std::vector<int64_t> acc(d.col_cnt);
        cimvp::cim::reference_accumulate(w, x.data(), bias.empty() ? nullptr : bias.data(), acc.data());
        return std::vector<int32_t>(acc.begin(), acc.end());
    }
    return cimvp::cim::reference_mvm(w, x, bias, d.shift, descriptor_activation(d));
}

std::vector<int32_t> decode_out(const Descriptor& d, const std::vector<uint8_t>& raw) {
    std::vector<int32_t> y(d.col_cnt);
    const bool signed8 = d.act == NPU_ACT_IDENTITY || d.act == NPU_ACT_TANH_PWL || d.act == NPU_ACT_TANH_LUT;
    for (int j = 0; j < d.col_cnt; ++j) {
        if (d.out_format == NPU_OUT_ACC32) y[j] = static_cast<int32_t>(get_le32(&raw[4 * j]));
        else y[j] = signed8 ? static_cast<int8_t>(raw[j]) : raw[j];
    }
    return y;
}

void put_bias(Bench& b, uint32_t addr, const std::vector<int32_t>& bias) {
    std::vector<uint8_t> raw(4 * bias.size());
    for (size_t j = 0; j < bias.size(); ++j) put_le32(&raw[4 * j], static_cast<uint32_t>(bias[j]));
    b.poke(addr, raw.data(), raw.size());
}

class NpuTest : public cimvp::test::ScTest {};

}  // namespace

TEST_F(NpuTest, RegistersIdentifyTheArrayAndRejectBadAccesses) {
    Bench b;
    EXPECT_EQ(b.reg(NPU_ID), NPU_ID_VALUE);
    EXPECT_EQ(b.reg(NPU_VERSION), NPU_VERSION_VALUE);
    EXPECT_EQ(b.reg(NPU_ROWS), 1792u);
    EXPECT_EQ(b.reg(NPU_COLS), 896u);
    EXPECT_EQ(b.reg(NPU_CELL_BITS), 8u);
    EXPECT_EQ(b.reg(NPU_IBUF_BYTES), NPU_IBUF_SIZE);
    EXPECT_EQ(b.reg(NPU_OBUF_BYTES), NPU_OBUF_SIZE);
    EXPECT_EQ(b.reg(NPU_STATUS), 0u);
    EXPECT_EQ(b.cpu.write(kNpu + NPU_ROWS, 5).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.read(kNpu + NPU_W_CMD).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.read(kNpu + 0x800).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.read(kNpu + 0x3000).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.cpu.read(kObuf + NPU_OBUF_SIZE - 2, 4).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // Buffers are plain RAM to the CPU, any size.
    ASSERT_TRUE(b.cpu.write(kIbuf + 5, 0xa5, 1).ok());
    ASSERT_TRUE(b.cpu.write(kObuf + 8, 0x12345678).ok());
    EXPECT_EQ(b.cpu.read(kIbuf + 4).value, 0xa500u);
    EXPECT_EQ(b.cpu.read(kObuf + 8).value, 0x12345678u);
    b.set(NPU_DESC_ADDR, 0x20001000);
    EXPECT_EQ(b.reg(NPU_DESC_ADDR), 0x20001000u);
}

TEST_F(NpuTest, IdealArrayIsBitExactWithTheIntegerReference) {
    Bench b;
    std::mt19937_64 g(42);
    const WeightMatrix full = random_weights(1792, 896, g);
    b.npu.set_weights(0, 0, full);
    struct Shape {
        uint16_t ro, rc, co, cc;
        uint8_t act, enc, fmt, shift;
        bool bias;
    };
    const Shape shapes[] = {
        {0, 1792, 0, 896, NPU_ACT_IDENTITY, NPU_ENC_PARALLEL, NPU_OUT_ACC32, 0, true},  // the full array
        {0, 1792, 0, 896, NPU_ACT_RELU, NPU_ENC_PARALLEL, NPU_OUT_ACT8, 14, true},
        {1791, 1, 895, 1, NPU_ACT_IDENTITY, NPU_ENC_PARALLEL, NPU_OUT_ACC32, 0, false},
        {3, 17, 5, 33, NPU_ACT_TANH_PWL, NPU_ENC_BIT_SERIAL, NPU_OUT_ACT8, 9, true},
        {448, 448, 128, 200, NPU_ACT_SIGMOID_LUT, NPU_ENC_PARALLEL, NPU_OUT_ACT8, 11, true},
        {100, 1000, 300, 596, NPU_ACT_RELU, NPU_ENC_BIT_SERIAL, NPU_OUT_ACT8, 12, false},
        {1000, 792, 0, 64, NPU_ACT_SIGMOID_PWL, NPU_ENC_PARALLEL, NPU_OUT_ACT8, 12, true},
        {0, 64, 832, 64, NPU_ACT_TANH_LUT, NPU_ENC_PARALLEL, NPU_OUT_ACC32, 0, true},
    };
    const size_t n = std::size(shapes);
    std::vector<Descriptor> ds;
    std::vector<std::vector<uint8_t>> xs;
    std::vector<std::vector<int32_t>> biases;
    uint32_t data = kSram + 0x1000;
    for (const Shape& s : shapes) {
        Descriptor d;
        d.act = s.act;
        d.encoding = s.enc;
        d.out_format = s.fmt;
        d.shift = s.shift;
        d.row_off = s.ro;
        d.row_cnt = s.rc;
        d.col_off = s.co;
        d.col_cnt = s.cc;
        xs.push_back(random_inputs(s.rc, g));
        biases.push_back(s.bias ? random_bias(s.cc, g, 100000) : std::vector<int32_t>{});
        d.in_addr = data;
        b.poke(data, xs.back().data(), s.rc);
        data += (s.rc + 3) & ~3u;
        if (s.bias) {
            d.flags = NPU_FLAG_BIAS;
            d.bias_addr = data;
            put_bias(b, data, biases.back());
            data += 4 * s.cc;
        }
        d.out_addr = data;
        data += 4 * s.cc;
        ds.push_back(d);
    }
    for (size_t i = 0; i < n; ++i) b.put_desc(kSram + NPU_DESC_SIZE * static_cast<uint32_t>(i), ds[i]);

    const auto t0 = std::chrono::steady_clock::now();
    b.run_chain(kSram, static_cast<uint32_t>(n));
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(b.reg(NPU_STATUS), NPU_STATUS_DONE) << "error code " << b.reg(NPU_ERRCODE);
    EXPECT_EQ(b.reg(NPU_DESC_DONE), n);
    for (size_t i = 0; i < n; ++i) {
        const Descriptor& d = ds[i];
        const auto got = decode_out(d, b.peek(d.out_addr, d.col_cnt * d.out_bytes_per_col()));
        const auto want = reference(full, d, xs[i], biases[i]);
        EXPECT_EQ(first_mismatch(got, want, "descriptor " + std::to_string(i)), "");
    }
    std::cout << "chain of " << n << " descriptors (2 full-array): " << b.reg(NPU_CYCLES) << " NPU cycles, wall "
              << wall << " s (includes programming the cached regions)\n";
}

TEST_F(NpuTest, FullArrayMvmLatencyAndWallTime) {
    Bench b;
    std::mt19937_64 g(7);
    const WeightMatrix full = random_weights(1792, 896, g);
    b.npu.set_weights(0, 0, full);
    const auto x = random_inputs(1792, g);
    const auto bias = random_bias(896, g, 1000);
    Descriptor d;
    d.act = NPU_ACT_RELU;
    d.shift = 14;
    d.flags = NPU_FLAG_BIAS;
    d.row_cnt = 1792;
    d.col_cnt = 896;
    d.in_addr = kSram + 0x1000;
    d.bias_addr = kSram + 0x2000;
    d.out_addr = kSram + 0x3000;
    b.poke(d.in_addr, x.data(), x.size());
    put_bias(b, d.bias_addr, bias);
    b.put_desc(kSram, d);
    b.run_chain(kSram, 1);  // programs the region (not timed)
    const int reps = 20;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) {
        b.set(NPU_STATUS, NPU_STATUS_DONE);
        b.run_chain(kSram, 1);
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / reps;
    EXPECT_EQ(b.reg(NPU_STATUS), NPU_STATUS_DONE);
    EXPECT_EQ(first_mismatch(decode_out(d, b.peek(d.out_addr, 896)), reference(full, d, x, bias), "full"), "");
    const auto& st = b.npu.last_stage_times();
    std::cout << "full-array MVM from SRAM: " << b.reg(NPU_CYCLES) * 10 << " ns (load " << st[0] << ", DAC " << st[1]
              << ", array " << st[2] << ", ADC+post+store " << st[3] << "); wall " << wall * 1e3 << " ms per MVM\n";
    RecordProperty("full_array_latency_ns", std::to_string(b.reg(NPU_CYCLES) * 10));
    RecordProperty("wall_ms_per_mvm", std::to_string(wall * 1e3));
}

TEST_F(NpuTest, ChainOfDependentLayersRaisesOneInterruptAtTheEnd) {
    Bench b;
    std::mt19937_64 g(3);
    const WeightMatrix l0 = random_weights(64, 48, g), l1 = random_weights(48, 32, g), l2 = random_weights(32, 10, g);
    b.npu.set_weights(0, 0, l0);
    b.npu.set_weights(0, 48, l1);
    b.npu.set_weights(64, 0, l2);
    // Layer 0 reads the input buffer, writes SRAM; layer 1 SRAM -> input buffer; layer 2 -> output buffer.
    const auto x = random_inputs(64, g);
    b.poke(kIbuf, x.data(), x.size());
    Descriptor d0, d1, d2;
    d0.act = d1.act = NPU_ACT_RELU;
    d0.shift = d1.shift = 10;
    d0.row_cnt = 64, d0.col_cnt = 48, d0.in_addr = kIbuf, d0.out_addr = kSram + 0x800;
    d1.row_cnt = 48, d1.col_off = 48, d1.col_cnt = 32, d1.in_addr = kSram + 0x800, d1.out_addr = kIbuf + 0x100;
    d2.row_off = 64, d2.row_cnt = 32, d2.col_cnt = 10, d2.out_format = NPU_OUT_ACC32;
    d2.in_addr = kIbuf + 0x100, d2.out_addr = kObuf;
    b.put_desc(kSram, d0);
    b.put_desc(kSram + 32, d1);
    b.put_desc(kSram + 64, d2);
    b.run_chain(kSram, 3);
    EXPECT_EQ(b.rising_edges(), 1u);
    EXPECT_TRUE(b.irq_sig.read());
    EXPECT_EQ(b.reg(NPU_STATUS), NPU_STATUS_DONE);
    EXPECT_EQ(b.reg(NPU_DESC_DONE), 3u);
    // Reference chain.
    const auto y0 = cimvp::cim::reference_mvm(l0, x, {}, 10, Activation::relu());
    const std::vector<uint8_t> x1(y0.begin(), y0.end());
    const auto y1 = cimvp::cim::reference_mvm(l1, x1, {}, 10, Activation::relu());
    const std::vector<uint8_t> x2(y1.begin(), y1.end());
    std::vector<int64_t> acc(10);
    cimvp::cim::reference_accumulate(l2, x2.data(), nullptr, acc.data());
    EXPECT_EQ(first_mismatch(decode_out(d2, b.peek(kObuf, 40)), std::vector<int32_t>(acc.begin(), acc.end()), "y2"), "");
    // The hazard interlock serialises dependent layers: slower than a fully overlapped chain.
    b.set(NPU_STATUS, NPU_STATUS_DONE);  // W1C
    sc_start(sc_time(100, SC_NS));  // the level follows at the write's bus time
    EXPECT_FALSE(b.irq_sig.read());
    EXPECT_EQ(b.reg(NPU_STATUS), 0u);
}

TEST_F(NpuTest, PipelinedChainTimeFollowsTheDocumentedFormula) {
    NpuConfig cfg;
    Bench b(cfg);
    std::mt19937_64 g(5);
    b.npu.set_weights(0, 0, random_weights(900, 100, g));
    const auto x = random_inputs(900, g);
    b.poke(kIbuf, x.data(), x.size());
    Descriptor d;
    d.act = NPU_ACT_RELU;
    d.shift = 12;
    d.row_cnt = 900;
    d.col_cnt = 100;
    d.in_addr = kIbuf;
    d.out_addr = kObuf;
    const unsigned n = 5;
    for (unsigned i = 0; i < n; ++i) b.put_desc(kIbuf + 0x400 + 32 * i, d);  // local: no bus time

    // The formula, written out from the config (npu.h).
    const double T = 10;
    auto cycles = [](double bytes, double per) { return std::ceil(bytes / per); };
    const double d1 = T * (cfg.load_setup_cycles + cycles(32, cfg.local_bytes_per_cycle) + cycles(900, cfg.local_bytes_per_cycle));
    const double d2 = std::ceil(900.0 / cfg.dac_fifo_bytes) * cfg.dac_batch_ns;
    const double d3 = cfg.array_read_ns;
    const double d4 = std::ceil(100.0 / cfg.adc_count) * cfg.adc_conversion_ns +
                      T * cycles(100, cfg.post_outputs_per_cycle) + T * cycles(100, cfg.local_bytes_per_cycle);
    const double one = d1 + d2 + d3 + d4;
    const double chain = one + (n - 1) * std::max({d1, d2, d3, d4});

    b.run_chain(kIbuf + 0x400, 1);
    EXPECT_DOUBLE_EQ(b.reg(NPU_CYCLES) * T, one);
    const sc_time start1 = b.rec.first(true);
    b.set(NPU_STATUS, NPU_STATUS_DONE);
    sc_start();
    const sc_time t_start = sc_time_stamp();
    b.rec.changes.clear();
    b.run_chain(kIbuf + 0x400, n);
    EXPECT_DOUBLE_EQ(b.reg(NPU_CYCLES) * T, chain) << "fill " << one << " + (n-1) x max stage";
    ASSERT_EQ(b.rising_edges(), 1u);
    const double irq_after = (b.rec.first(true) - t_start).to_seconds() * 1e9;
    EXPECT_GE(irq_after, chain);
    EXPECT_LE(irq_after, chain + 50) << "irq within the bus latency of the START write";
    std::cout << "stages d1..d4 = " << d1 << ", " << d2 << ", " << d3 << ", " << d4 << " ns; one " << one
              << " ns, chain of " << n << " = " << chain << " ns (first irq at " << start1 << ")\n";
}

TEST_F(NpuTest, ReadNoiseErrorStdMatchesTheConfiguredSigma) {
    NpuConfig cfg;
    cfg.tile.noise.w_noise = 0.01;
    Bench b(cfg);
    std::mt19937_64 g(11);
    const WeightMatrix w = random_weights(512, 256, g);
    b.npu.set_weights(100, 200, w);
    const auto x = random_inputs(512, g);
    b.poke(kSram + 0x100, x.data(), x.size());
    const unsigned n = 8;
    Descriptor d;
    d.out_format = NPU_OUT_ACC32;
    d.row_off = 100, d.row_cnt = 512, d.col_off = 200, d.col_cnt = 256, d.in_addr = kSram + 0x100;
    for (unsigned i = 0; i < n; ++i) {
        d.out_addr = kSram + 0x1000 + 0x400 * i;
        b.put_desc(kSram + 0x10000 + 32 * i, d);
    }
    b.run_chain(kSram + 0x10000, n);
    ASSERT_EQ(b.reg(NPU_STATUS), NPU_STATUS_DONE);
    std::vector<int64_t> ref(256);
    cimvp::cim::reference_accumulate(w, x.data(), nullptr, ref.data());
    // One pair's read noise is w_noise * 255 levels; a column sums it weighted by the DAC codes.
    double sx2 = 0;
    for (uint8_t v : x) sx2 += static_cast<double>(v) * v;
    const double sigma = cfg.tile.noise.w_noise * 255 * std::sqrt(sx2);
    double se2 = 0, dot = 0, nref = 0, nout = 0;
    for (unsigned i = 0; i < n; ++i) {
        d.out_addr = kSram + 0x1000 + 0x400 * i;
        const auto y = decode_out(d, b.peek(d.out_addr, 1024));
        for (int j = 0; j < 256; ++j) {
            const double e = y[j] - static_cast<double>(ref[j]);
            se2 += e * e;
            dot += double(y[j]) * ref[j];
            nref += double(ref[j]) * ref[j];
            nout += double(y[j]) * y[j];
        }
    }
    const double measured = std::sqrt(se2 / (n * 256));
    const double cosine = dot / std::sqrt(nref * nout);
    EXPECT_NEAR(measured / sigma, 1.0, 0.10) << "measured " << measured << ", predicted " << sigma;
    std::cout << "read noise: error std " << measured << " MAC units, predicted " << sigma << ", cosine similarity "
              << cosine << "\n";
    RecordProperty("cosine_similarity", std::to_string(cosine));
    EXPECT_GT(cosine, 0.9);
}

TEST_F(NpuTest, AdcClipsColumnsBeyondOutBound) {
    NpuConfig cfg;
    cfg.tile.conv.out_bound = 20;  // [current units]: 20 cells at g_max under full-scale input
    Bench b(cfg);
    std::mt19937_64 g(13);
    WeightMatrix w = random_weights(256, 64, g, -10, 10);
    for (int i = 0; i < 256; ++i)
        for (int j = 0; j < 8; ++j) w.at(i, j) = static_cast<int8_t>(j < 4 ? 100 : -100);
    b.npu.set_weights(0, 0, w);
    const std::vector<uint8_t> x(256, 200);
    b.poke(kIbuf, x.data(), x.size());
    Descriptor d;
    d.out_format = NPU_OUT_ACC32;
    d.row_cnt = 256, d.col_cnt = 64, d.in_addr = kIbuf, d.out_addr = kObuf;
    b.put_desc(kSram, d);
    b.run_chain(kSram, 1);
    ASSERT_EQ(b.reg(NPU_STATUS), NPU_STATUS_DONE);
    std::vector<int64_t> ref(64);
    cimvp::cim::reference_accumulate(w, x.data(), nullptr, ref.data());
    const auto y = decode_out(d, b.peek(kObuf, 256));
    const double bound = 20.0 * 255 * 255;  // read units = MAC units for 8-bit cells and DAC
    for (int j = 0; j < 64; ++j) {
        if (j < 8) {
            EXPECT_NEAR(y[j], j < 4 ? bound : -bound, 1.0) << "column " << j << " clips";
            EXPECT_GT(std::abs(double(ref[j])), bound);
        } else {
            EXPECT_EQ(y[j], ref[j]) << "column " << j << " inside the range stays exact";
        }
    }
    EXPECT_EQ(b.npu.stats().adc_clipped, 8u);
}

TEST_F(NpuTest, BadDescriptorsSetErrorCodeAndInterruptWithoutCrashing) {
    Bench b;
    std::mt19937_64 g(17);
    b.npu.set_weights(0, 0, random_weights(64, 64, g));
    const auto x = random_inputs(64, g);
    b.poke(kSram + 0x100, x.data(), x.size());
    Descriptor good;
    good.act = NPU_ACT_RELU;
    good.shift = 8;
    good.row_cnt = 64, good.col_cnt = 64, good.in_addr = kSram + 0x100, good.out_addr = kSram + 0x400;
    struct Case {
        const char* what;
        Descriptor d;
        uint32_t code;
        uint32_t addr;  // expected ERRADDR, ~0 = don't care
    };
    std::vector<Case> cases;
    auto with = [&](auto f) {
        Descriptor d = good;
        f(d);
        return d;
    };
    cases.push_back({"version", with([](Descriptor& d) { d.version = 2; }), NPU_ERR_DESC_VERSION, kSram + 32});
    cases.push_back({"shift", with([](Descriptor& d) { d.shift = 41; }), NPU_ERR_DESC_FIELD, ~0u});
    cases.push_back({"activation", with([](Descriptor& d) { d.act = 9; }), NPU_ERR_DESC_FIELD, ~0u});
    cases.push_back({"reserved", with([](Descriptor& d) { d.reserved1 = 1; }), NPU_ERR_DESC_FIELD, ~0u});
    cases.push_back({"bias align", with([](Descriptor& d) { d.flags = NPU_FLAG_BIAS, d.bias_addr = kSram + 2; }),
                     NPU_ERR_DESC_FIELD, ~0u});
    cases.push_back({"rows", with([](Descriptor& d) { d.row_off = 1700, d.row_cnt = 100; }), NPU_ERR_ARRAY_RANGE, ~0u});
    cases.push_back({"cols", with([](Descriptor& d) { d.col_off = 890, d.col_cnt = 7; }), NPU_ERR_ARRAY_RANGE, ~0u});
    cases.push_back({"zero", with([](Descriptor& d) { d.col_cnt = 0; }), NPU_ERR_ARRAY_RANGE, ~0u});
    cases.push_back({"unmapped input", with([](Descriptor& d) { d.in_addr = 0x30000000; }), NPU_ERR_BUS, 0x30000000});
    cases.push_back({"past SRAM", with([](Descriptor& d) { d.in_addr = kSram + CIMVP_SRAM_SIZE - 10; }), NPU_ERR_BUS,
                     kSram + CIMVP_SRAM_SIZE});  // the second, 1 KiB-aligned, transfer fails
    cases.push_back({"register block", with([](Descriptor& d) { d.out_addr = kNpu + 0x20; }), NPU_ERR_ADDR, kNpu + 0x20});
    cases.push_back({"buffer end", with([](Descriptor& d) { d.in_addr = kIbuf + NPU_IBUF_SIZE - 10; }), NPU_ERR_ADDR, ~0u});
    cases.push_back({"wrap", with([](Descriptor& d) { d.out_addr = 0xfffffff0u; }), NPU_ERR_ADDR, 0xfffffff0u});
    const std::vector<uint8_t> marker(64, 0xee);
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        b.poke(kSram + 0x400, marker.data(), marker.size());
        b.put_desc(kSram, good);
        b.put_desc(kSram + 32, c.d);
        b.rec.changes.clear();
        b.run_chain(kSram, 2);
        EXPECT_EQ(b.reg(NPU_STATUS), NPU_STATUS_ERROR);
        EXPECT_EQ(b.reg(NPU_ERRCODE), c.code);
        EXPECT_EQ(b.reg(NPU_ERRINDEX), 1u);
        EXPECT_EQ(b.reg(NPU_DESC_DONE), 1u);
        if (c.addr != ~0u) EXPECT_EQ(b.reg(NPU_ERRADDR), c.addr);
        EXPECT_EQ(b.rising_edges(), 1u);
        EXPECT_NE(b.peek(kSram + 0x400, 64), marker) << "descriptor 0 ran before the failure";
        b.set(NPU_STATUS, NPU_STATUS_ERROR);
        EXPECT_EQ(b.reg(NPU_ERRCODE), 0u);
    }
    // Chain-level errors.
    b.run_chain(kSram, 0);
    EXPECT_EQ(b.reg(NPU_ERRCODE), NPU_ERR_DESC_COUNT);
    b.run_chain(kSram + 2, 1);
    EXPECT_EQ(b.reg(NPU_ERRCODE), NPU_ERR_DESC_COUNT);
    b.run_chain(0x30000000, 1);
    EXPECT_EQ(b.reg(NPU_ERRCODE), NPU_ERR_BUS);
    // START while busy.
    b.put_desc(kSram, good);
    b.set(NPU_STATUS, NPU_STATUS_ERROR);
    b.set(NPU_DESC_ADDR, kSram);
    b.set(NPU_DESC_COUNT, 1);
    b.set(NPU_CTRL, NPU_CTRL_START);
    sc_start(sc_time(1, SC_US));
    EXPECT_TRUE(b.reg(NPU_STATUS) & NPU_STATUS_BUSY);
    b.set(NPU_CTRL, NPU_CTRL_START);
    EXPECT_EQ(b.reg(NPU_ERRCODE), NPU_ERR_BUSY);
    sc_start();
    EXPECT_EQ(b.reg(NPU_STATUS) & (NPU_STATUS_BUSY | NPU_STATUS_DONE), NPU_STATUS_DONE);
}

TEST_F(NpuTest, WeightRegisterPathWritesVerifiesAndSurvivesSoftReset) {
    NpuConfig cfg;
    Bench b(cfg);
    std::mt19937_64 g(19);
    WeightMatrix w = random_weights(40, 30, g);
    b.npu.set_weights(10, 20, w);
    const auto x = random_inputs(40, g);
    b.poke(kIbuf, x.data(), x.size());
    Descriptor d;
    d.out_format = NPU_OUT_ACC32;
    d.row_off = 10, d.row_cnt = 40, d.col_off = 20, d.col_cnt = 30, d.in_addr = kIbuf, d.out_addr = kObuf;
    b.put_desc(kSram, d);
    b.run_chain(kSram, 1);  // caches the programmed region
    b.set(NPU_STATUS, NPU_STATUS_DONE);

    b.set(NPU_W_ROW, 15);
    b.set(NPU_W_COL, 25);
    b.set(NPU_W_DATA, 0xffffff85);  // -123
    const sc_time t_write = sc_time_stamp();
    b.set(NPU_W_CMD, NPU_W_CMD_WRITE);
    EXPECT_TRUE(b.reg(NPU_STATUS) & NPU_STATUS_WBUSY);
    b.set(NPU_W_CMD, NPU_W_CMD_WRITE);  // while busy
    EXPECT_EQ(b.reg(NPU_ERRCODE), NPU_ERR_BUSY);
    b.set(NPU_STATUS, NPU_STATUS_ERROR);
    const double write_ns = 2.0 * 1 * cfg.write_verify_iterations * cfg.cell_write_ns;
    sc_start(sc_time(write_ns - 100, SC_NS));
    EXPECT_TRUE(b.reg(NPU_STATUS) & NPU_STATUS_WBUSY);
    sc_start(sc_time(200, SC_NS));
    EXPECT_FALSE(b.reg(NPU_STATUS) & NPU_STATUS_WBUSY) << "write took " << write_ns << " ns from " << t_write;
    b.set(NPU_W_DATA, 0);
    b.set(NPU_W_CMD, NPU_W_CMD_READ);
    EXPECT_EQ(b.reg(NPU_W_DATA), 0xffffff85u);
    EXPECT_EQ(b.npu.weight(15, 25), -123);

    // The cached region was invalidated: the next MVM sees the new weight.
    w.at(5, 5) = -123;
    b.run_chain(kSram, 1);
    std::vector<int64_t> ref(30);
    cimvp::cim::reference_accumulate(w, x.data(), nullptr, ref.data());
    EXPECT_EQ(first_mismatch(decode_out(d, b.peek(kObuf, 120)), std::vector<int32_t>(ref.begin(), ref.end()), "y"), "");

    // Out-of-range cell.
    b.set(NPU_W_ROW, 1792);
    b.set(NPU_W_CMD, NPU_W_CMD_READ);
    EXPECT_EQ(b.reg(NPU_ERRCODE), NPU_ERR_WEIGHT_ADDR);

    // Soft reset: registers and buffers cleared, the non-volatile array kept.
    b.set(NPU_CTRL, NPU_CTRL_IRQ_EN);
    b.set(NPU_CTRL, NPU_CTRL_RESET);
    sc_start(sc_time(100, SC_NS));
    EXPECT_EQ(b.reg(NPU_STATUS), 0u);
    EXPECT_EQ(b.reg(NPU_CTRL), 0u);
    EXPECT_EQ(b.reg(NPU_ERRCODE), 0u);
    EXPECT_EQ(b.peek(kIbuf, 4), std::vector<uint8_t>(4, 0));
    EXPECT_FALSE(b.irq_sig.read());
    b.set(NPU_W_ROW, 15);
    b.set(NPU_W_COL, 25);
    b.set(NPU_W_CMD, NPU_W_CMD_READ);
    EXPECT_EQ(b.reg(NPU_W_DATA), 0xffffff85u);
}

TEST_F(NpuTest, SoftResetAbortsARunningChain) {
    Bench b;
    std::mt19937_64 g(23);
    b.npu.set_weights(0, 0, random_weights(64, 64, g));
    Descriptor d;
    d.row_cnt = 64, d.col_cnt = 64, d.in_addr = kIbuf, d.out_addr = kObuf;
    b.put_desc(kSram, d);
    b.set(NPU_DESC_ADDR, kSram);
    b.set(NPU_DESC_COUNT, 1);
    b.set(NPU_CTRL, NPU_CTRL_IRQ_EN | NPU_CTRL_START);
    sc_start(sc_time(500, SC_NS));
    EXPECT_TRUE(b.reg(NPU_STATUS) & NPU_STATUS_BUSY);
    b.set(NPU_CTRL, NPU_CTRL_RESET);
    sc_start();
    EXPECT_EQ(b.reg(NPU_STATUS), 0u);
    EXPECT_EQ(b.rising_edges(), 0u);
    // And it runs again afterwards.
    b.run_chain(kSram, 1);
    EXPECT_EQ(b.reg(NPU_STATUS), NPU_STATUS_DONE);
}

TEST_F(NpuTest, LoadImageChecksGeometryAndNamesTheFile) {
    Bench b;
    NpuImage img;
    img.regions.push_back({0, 2, 3, 2, {1, -2, 3, -4}});
    img.regions.push_back({1790, 2, 894, 2, {5, 6, 7, 8}});
    const std::string path = ::testing::TempDir() + "npu_test_ok.img";
    write_image(img, path);
    b.npu.set_weights(100, 100, WeightMatrix(2, 2, 9));
    b.npu.load_image(path);
    EXPECT_EQ(b.npu.weight(0, 3), 1);
    EXPECT_EQ(b.npu.weight(1, 4), -4);
    EXPECT_EQ(b.npu.weight(1791, 895), 8);
    EXPECT_EQ(b.npu.weight(100, 100), 0) << "cells outside the image's regions are cleared";
    img.rows = 1024;
    img.regions.pop_back();
    const std::string bad = ::testing::TempDir() + "npu_test_geometry.img";
    write_image(img, bad);
    try {
        b.npu.load_image(bad);
        FAIL() << "geometry mismatch accepted";
    } catch (const cimvp::InputError& e) {
        EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("1024x896"), std::string::npos) << e.what();
    }
    EXPECT_EQ(b.npu.weight(0, 3), 1) << "a rejected image leaves the array alone";
    img.rows = 1792;
    img.bits_per_cell = 4;
    write_image(img, bad);
    EXPECT_THROW(b.npu.load_image(bad), cimvp::InputError);
}

TEST_F(NpuTest, EnergyTotalsEqualEventCountsTimesConfiguredEnergies) {
    NpuConfig cfg;
    Bench b(cfg);
    std::mt19937_64 g(29);
    b.npu.set_weights(0, 0, random_weights(300, 120, g));
    const auto x = random_inputs(300, g, 1, 255);  // every row driven
    b.poke(kSram + 0x100, x.data(), x.size());
    Descriptor p, s;
    p.act = NPU_ACT_RELU, p.shift = 10, p.flags = NPU_FLAG_BIAS, p.bias_addr = kSram + 0x800;
    p.row_cnt = 300, p.col_cnt = 120, p.in_addr = kSram + 0x100, p.out_addr = kSram + 0x1000;
    s = p;
    s.encoding = NPU_ENC_BIT_SERIAL;
    s.flags = 0;
    s.out_addr = kObuf;
    put_bias(b, p.bias_addr, random_bias(120, g, 100));
    b.put_desc(kSram, p);
    b.put_desc(kSram + 32, s);
    b.run_chain(kSram, 2);
    ASSERT_EQ(b.reg(NPU_STATUS), NPU_STATUS_DONE);
    const NpuStats st = b.npu.stats();
    const EnergyEvents& e = st.events;
    EXPECT_EQ(e.macs, 2u * 300 * 120);
    EXPECT_EQ(e.dac_conversions, 300u + 300u * 8);
    EXPECT_EQ(e.dac_conversion_bits, 300u * 8 + 300u * 8);
    EXPECT_EQ(e.adc_conversions, 120u + 120u * 8);
    EXPECT_EQ(e.outputs, 240u);
    // Bit-serial drives a cell only in the planes where its input bit is 1.
    uint64_t ones = 0;
    for (uint8_t v : x) ones += static_cast<uint64_t>(__builtin_popcount(v));
    EXPECT_EQ(e.cells_read, 2u * 120 * 300 + 2u * 120 * ones);
    EXPECT_EQ(e.bus_bytes, 2u * 32 + 2u * 300 + 4u * 120 + 120u);
    EXPECT_EQ(e.buffer_bytes, 120u);
    const EnergyConfig& c = cfg.energy;
    const double adc = c.adc_pj_a * 256 + c.adc_pj_b;
    EXPECT_DOUBLE_EQ(st.energy_pj.dac, c.dac_pj_per_bit * e.dac_conversion_bits);
    EXPECT_DOUBLE_EQ(st.energy_pj.adc, adc * e.adc_conversions);
    EXPECT_DOUBLE_EQ(st.energy_pj.array, c.array_pj_per_cell * e.cells_read);
    EXPECT_DOUBLE_EQ(st.energy_pj.post, c.post_pj_per_output * 240);
    EXPECT_DOUBLE_EQ(st.energy_pj.sram, c.sram_pj_per_byte * e.bus_bytes);
    EXPECT_DOUBLE_EQ(st.energy_pj.bus, c.bus_pj_per_byte * e.bus_bytes);
    EXPECT_DOUBLE_EQ(st.energy_pj.buffer, c.buffer_pj_per_byte * 120);
    EXPECT_DOUBLE_EQ(st.energy_pj.cpu, 0.0);
    const double total = st.energy_pj.dac + st.energy_pj.adc + st.energy_pj.array + st.energy_pj.post +
                         st.energy_pj.buffer + st.energy_pj.sram + st.energy_pj.bus + st.energy_pj.write;
    EXPECT_DOUBLE_EQ(st.energy_pj.npu(), total);
    EXPECT_DOUBLE_EQ(st.tops_per_w(), 2.0 * e.macs / total);
    EXPECT_DOUBLE_EQ(st.busy_s, b.reg(NPU_CYCLES) * 10e-9);
    EXPECT_DOUBLE_EQ(st.ops_per_s(), 2.0 * e.macs / st.busy_s);
    std::cout << "energy: " << total << " pJ (dac " << st.energy_pj.dac << ", adc " << st.energy_pj.adc << ", array "
              << st.energy_pj.array << "), " << st.pj_per_mac() << " pJ/MAC, " << st.tops_per_w() << " TOPS/W, "
              << st.ops_per_s() / 1e9 << " GOPS\n";
}

// The eFlash paper's deployment aids from the board config: replication averages k copies
// (exact in the ideal tile), and a layer the replicas do not fit ends with NPU_ERR_MAPPING.
TEST_F(NpuTest, ReplicationMappingIsExactWhenIdealAndRejectsLayersItCannotFit) {
    NpuConfig cfg;
    cfg.mapping.replication = 2;
    Bench b(cfg);
    std::mt19937_64 g(21);
    WeightMatrix w = random_weights(600, 32, g, -128, 127);
    b.npu.set_weights(0, 0, w);
    std::vector<uint8_t> x(600);
    for (auto& v : x) v = static_cast<uint8_t>(g() & 0xff);
    b.poke(kIbuf, x.data(), x.size());
    Descriptor d;
    d.out_format = NPU_OUT_ACC32;
    d.row_cnt = 600, d.col_cnt = 32, d.in_addr = kIbuf, d.out_addr = kObuf;
    b.put_desc(kSram, d);
    b.run_chain(kSram, 1);
    ASSERT_EQ(b.reg(NPU_STATUS), NPU_STATUS_DONE) << "error code " << b.reg(NPU_ERRCODE);
    std::vector<int64_t> ref(32);
    cimvp::cim::reference_accumulate(w, x.data(), nullptr, ref.data());
    const auto y = decode_out(d, b.peek(kObuf, 4 * 32));
    for (int j = 0; j < 32; ++j) EXPECT_EQ(y[j], ref[j]) << "column " << j;

    // 2 x 1000 rows exceed the 1792-row array.
    Descriptor big = d;
    big.row_cnt = 1000;
    b.set(NPU_STATUS, NPU_STATUS_DONE);
    b.put_desc(kSram + 64, big);
    b.run_chain(kSram + 64, 1);
    EXPECT_EQ(b.reg(NPU_STATUS) & NPU_STATUS_ERROR, NPU_STATUS_ERROR);
    EXPECT_EQ(b.reg(NPU_ERRCODE), NPU_ERR_MAPPING);
}
