// AHB interconnect: routing, address translation, timing, arbitration, DMI, statistics.
#include "ahb_bus.h"

#include <string>

#include <gtest/gtest.h>

#include "ahb_extension.h"
#include "sc_test_util.h"

using namespace sc_core;
using cimvp::AhbBus;
using cimvp::AhbBusConfig;
using cimvp::AhbExtension;
using cimvp::test::RecordingTarget;
using cimvp::test::Result;
using cimvp::test::TestInitiator;

namespace {

sc_time ns(double v) { return sc_time(v, SC_NS); }

constexpr uint64_t kMem = 0x20000000;
constexpr uint64_t kDev = 0x40000000;

AhbBusConfig config(unsigned arbitration_cycles = 0, bool round_robin = false) {
    AhbBusConfig c;
    c.clock_period = ns(10);
    c.address_phase_cycles = 1;
    c.data_phase_cycles_per_beat = 1;
    c.arbitration_cycles = arbitration_cycles;
    c.error_response_cycles = 2;
    c.round_robin = round_robin;
    return c;
}

// Two masters (m0 = port 0 "cpu", m1 = port 1 "dma"); "mem" (2 wait states, 4 KiB mapped of an
// 8 KiB buffer so DMI clipping shows) and "dev".
struct Bench {
    AhbBus bus;
    TestInitiator m0{"m0"}, m1{"m1"};
    RecordingTarget mem{"mem", 0x2000};
    RecordingTarget dev{"dev", 0x100};

    explicit Bench(const AhbBusConfig& cfg) : bus("bus", cfg) {
        EXPECT_EQ(bus.add_master("cpu"), 0u);
        EXPECT_EQ(bus.add_master("dma"), 1u);
        m0.socket.bind(bus.target_socket);
        m1.socket.bind(bus.target_socket);
        EXPECT_EQ(bus.add_target("mem", kMem, 0x1000), 0u);
        bus.initiator_socket.bind(mem.socket);
        EXPECT_EQ(bus.add_target("dev", kDev, 0x100), 1u);
        bus.initiator_socket.bind(dev.socket);
        mem.latency = ns(20);
        mem.dmi_latency = ns(20);
        sc_start(SC_ZERO_TIME);  // elaborate: the multi-sockets resolve their bindings
    }
};

class AhbBusTest : public cimvp::test::ScTest {};

}  // namespace

TEST_F(AhbBusTest, ForwardsWithAddressTranslation) {
    Bench b(config());
    const Result w = b.m0.write(kMem + 0x10, 0xdeadbeef);
    ASSERT_TRUE(w.ok()) << "status " << w.status;
    EXPECT_EQ(b.mem.last_address, 0x10u) << "the target sees its own offset";
    EXPECT_EQ(b.m0.last_address_after, kMem + 0x10) << "the bus restores the global address";
    EXPECT_EQ(b.mem.mem[0x10], 0xef);
    EXPECT_EQ(b.mem.mem[0x13], 0xde);
    const Result r = b.m1.read(kMem + 0x10);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value, 0xdeadbeefu);
    EXPECT_TRUE(b.m1.last_dmi_allowed) << "the target's DMI hint passes through";

    ASSERT_TRUE(b.m0.write(kDev + 0xfc, 0x12345678).ok());
    EXPECT_EQ(b.dev.last_address, 0xfcu);
    EXPECT_EQ(b.mem.transfers, 2u);
    EXPECT_EQ(b.dev.transfers, 1u);
    EXPECT_EQ(b.bus.target_for(kDev + 4), 1u);
    EXPECT_EQ(b.bus.target_for(kMem + 0xfff), 0u);
    EXPECT_FALSE(b.bus.target_for(kMem + 0x1000).has_value());
}

TEST_F(AhbBusTest, DecodeErrorGivesAddressErrorWithAhbErrorTiming) {
    Bench b(config());
    const Result r = b.m0.read(0x30000000);
    EXPECT_EQ(r.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    // Idle bus: address phase (1) + two-cycle ERROR response.
    EXPECT_EQ(r.delay, ns(30)) << "got " << r.delay;
    const Result straddle = b.m0.read(kDev + 0xfe, 4);
    EXPECT_EQ(straddle.status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << "a word straddling the end of dev";
    EXPECT_EQ(b.dev.transfers, 0u) << "nothing reaches a target on a decode error";
    EXPECT_EQ(b.bus.decode_errors(), 2u);
    EXPECT_EQ(b.bus.master_stats()[0].errors, 2u);
    EXPECT_EQ(b.bus.target_stats()[1].errors, 0u);
}

TEST_F(AhbBusTest, TransferTimingPipelinedAndIdle) {
    Bench b(config());
    // Idle bus: address 10 + data 10 + 2 wait states 20.
    const Result first = b.m0.read(kMem);
    EXPECT_EQ(first.delay, ns(40)) << "idle-bus transfer, got " << first.delay;
    EXPECT_EQ(b.mem.last_seen_at, ns(10)) << "the target sees the transfer after the address phase";
    // Issued when the previous one ends: address phase overlapped, data 10 + waits 20.
    const Result second = b.m0.read(kMem + 4, 4, first.delay);
    EXPECT_EQ(second.delay - first.delay, ns(30)) << "pipelined transfer, got " << (second.delay - first.delay);
    // After an idle gap the address phase shows again.
    const Result third = b.m0.read(kMem + 8, 4, ns(100));
    EXPECT_EQ(third.delay, ns(140)) << "got " << third.delay;
    // A target without wait states: pipelined single-cycle transfers.
    const Result dev1 = b.m0.read(kDev, 4, ns(140));
    EXPECT_EQ(dev1.delay, ns(150)) << "got " << dev1.delay;
    const auto s = b.bus.master_stats()[0];
    EXPECT_EQ(s.busy_cycles, 4u + 3u + 4u + 1u);
    EXPECT_EQ(s.wait_cycles, 0u);
    EXPECT_EQ(b.bus.target_stats()[0].wait_cycles, 6u) << "3 transfers x 2 wait states";
}

TEST_F(AhbBusTest, BurstBeatsFromExtensionOrLength) {
    Bench b(config());
    unsigned char buf[32] = {};
    // No extension: 16 bytes = 4 word beats: address 10 + 4 x 10 + waits 20.
    Result r = b.m0.access(tlm::TLM_READ_COMMAND, kMem, buf, 16);
    EXPECT_EQ(r.delay, ns(70)) << "got " << r.delay;
    // Sub-word transfer: one beat, at an idle time.
    r = b.m0.access(tlm::TLM_READ_COMMAND, kMem, buf, 2, ns(1000));
    EXPECT_EQ(r.delay - ns(1000), ns(40)) << "got " << r.delay - ns(1000);
    // INCR8 burst of halfwords from the extension: 8 beats.
    AhbExtension ext;
    ext.hsize = cimvp::kAhbHalf;
    ext.hburst = cimvp::AhbBurst::Incr8;
    b.m0.attach(&ext);
    r = b.m0.access(tlm::TLM_READ_COMMAND, kMem, buf, 16, ns(2000));
    EXPECT_EQ(r.delay - ns(2000), ns(10 + 80 + 20)) << "got " << r.delay - ns(2000);
    // Explicit beat count wins.
    ext.beats = 2;
    r = b.m0.access(tlm::TLM_READ_COMMAND, kMem, buf, 16, ns(3000));
    EXPECT_EQ(r.delay - ns(3000), ns(10 + 20 + 20)) << "got " << r.delay - ns(3000);
    b.m0.attach<AhbExtension>(nullptr);
}

TEST_F(AhbBusTest, ContendingMasterWaitsForTheBus) {
    Bench b(config(/*arbitration_cycles=*/1));
    // m0 at 0: arbitration 10 + address 10 + data 10 + waits 20 = 50: bus busy until 50.
    const Result r0 = b.m0.read(kMem);
    EXPECT_EQ(r0.delay, ns(50)) << "got " << r0.delay;
    // m1 asks at 20, after m0 was granted: waits until 50, then arbitration 10 + data 10 +
    // waits 20 (address phase overlapped with m0's data phase) = 90.
    const Result r1 = b.m1.read(kMem + 4, 4, ns(20));
    EXPECT_EQ(r1.delay, ns(90)) << "got " << r1.delay;
    const auto m = b.bus.master_stats();
    EXPECT_EQ(m[1].wait_cycles, 3u) << "m1 waited 20..50 ns";
    EXPECT_EQ(m[0].wait_cycles, 0u);
    EXPECT_EQ(m[0].busy_cycles, 5u);
    EXPECT_EQ(m[1].busy_cycles, 4u);
    // The same master back-to-back pays no arbitration.
    const Result r2 = b.m1.read(kMem + 8, 4, r1.delay);
    EXPECT_EQ(r2.delay - r1.delay, ns(30)) << "got " << r2.delay - r1.delay;
}

TEST_F(AhbBusTest, FixedPriorityTieGoesToLowerPort) {
    Bench b(config());
    ASSERT_EQ(b.m0.read(kMem).delay, ns(40));  // m0 owns the bus first
    const Result dma = b.m1.read(kMem, 4, ns(100));
    EXPECT_EQ(dma.delay, ns(140)) << "m1 on a free bus, got " << dma.delay;
    // m0 requested at the same time as m1 (the call arrived second): it wins the tie.
    const Result cpu = b.m0.read(kMem, 4, ns(100));
    EXPECT_EQ(cpu.delay, ns(140)) << "m0 is not delayed by the lower-priority m1, got " << cpu.delay;
    EXPECT_EQ(b.bus.master_stats()[0].wait_cycles, 0u);
    // The bus is now booked until 180 (both transfers); m1's next request queues behind that.
    const Result dma2 = b.m1.read(kMem, 4, ns(140));
    EXPECT_EQ(dma2.delay, ns(180 + 30)) << "got " << dma2.delay;
    EXPECT_EQ(b.bus.master_stats()[1].wait_cycles, 4u);
}

TEST_F(AhbBusTest, RoundRobinTieGoesToTheOtherMaster) {
    Bench b(config(0, /*round_robin=*/true));
    ASSERT_EQ(b.m0.read(kMem).delay, ns(40));
    ASSERT_EQ(b.m1.read(kMem, 4, ns(100)).delay, ns(140));
    // Same tie as under fixed priority, but m0 had the previous turn: m1 keeps the bus, m0 waits.
    const Result cpu = b.m0.read(kMem, 4, ns(100));
    EXPECT_EQ(cpu.delay, ns(140 + 30)) << "m0 queues behind m1, got " << cpu.delay;
    EXPECT_EQ(b.bus.master_stats()[0].wait_cycles, 4u);
}

TEST_F(AhbBusTest, LogicallyEarlierRequestIsNotDelayedByALaterBooking) {
    Bench b(config());
    // Temporal decoupling: m0 ran ahead and booked the bus at 1000 ns first.
    ASSERT_EQ(b.m0.read(kMem, 4, ns(1000)).delay, ns(1040));
    // m1's request at 200 ns arrives later in wall-clock order but is earlier in simulated time.
    const Result r = b.m1.read(kMem, 4, ns(200));
    EXPECT_EQ(r.delay, ns(240)) << "got " << r.delay;
    EXPECT_EQ(b.bus.master_stats()[1].wait_cycles, 0u);
}

TEST_F(AhbBusTest, TargetErrorResponseIsCounted) {
    Bench b(config());
    b.dev.respond_error = true;
    const Result r = b.m1.write(kDev, 1);
    EXPECT_EQ(r.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(b.bus.master_stats()[1].errors, 1u);
    EXPECT_EQ(b.bus.target_stats()[1].errors, 1u);
    EXPECT_EQ(b.bus.decode_errors(), 0u);
}

TEST_F(AhbBusTest, DmiIsTranslatedClippedAndSlowedByTheBus) {
    Bench b(config());
    tlm::tlm_dmi dmi;
    ASSERT_TRUE(b.m0.get_dmi(kMem + 0x40, dmi));
    EXPECT_EQ(dmi.get_dmi_ptr(), b.mem.mem.data());
    EXPECT_EQ(dmi.get_start_address(), kMem);
    EXPECT_EQ(dmi.get_end_address(), kMem + 0xfff) << "the 8 KiB buffer is clipped to the 4 KiB region";
    EXPECT_EQ(dmi.get_read_latency(), ns(30)) << "target 20 ns + one bus data phase";
    EXPECT_EQ(dmi.get_write_latency(), ns(30));
    EXPECT_EQ(b.mem.last_address, ~uint64_t{0}) << "get_direct_mem_ptr is not a transfer";

    tlm::tlm_dmi none;
    EXPECT_FALSE(b.m0.get_dmi(0x30000000, none));
    EXPECT_EQ(none.get_start_address(), kMem + 0x1000) << "denied range: the hole around the address";
    EXPECT_EQ(none.get_end_address(), kDev - 1);
}

TEST_F(AhbBusTest, DmiInvalidationReachesAllMastersInGlobalAddresses) {
    Bench b(config());
    b.mem.invalidate(0x10, 0x1f);
    ASSERT_EQ(b.m0.invalidations.size(), 1u);
    ASSERT_EQ(b.m1.invalidations.size(), 1u);
    EXPECT_EQ(b.m0.invalidations[0].first, kMem + 0x10);
    EXPECT_EQ(b.m1.invalidations[0].second, kMem + 0x1f);
    b.mem.invalidate(0, ~uint64_t{0});
    ASSERT_EQ(b.m0.invalidations.size(), 2u);
    EXPECT_EQ(b.m0.invalidations[1].first, kMem);
    EXPECT_EQ(b.m0.invalidations[1].second, kMem + 0xfff) << "clipped to the region";
}

TEST_F(AhbBusTest, DebugTransportDecodesAndClipsToTheRegion) {
    Bench b(config());
    unsigned char data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_EQ(b.m0.debug(tlm::TLM_WRITE_COMMAND, kMem + 0xffc, data, 8), 4u)
        << "only the part inside the region is transferred";
    EXPECT_EQ(b.mem.last_address, 0xffcu);
    EXPECT_EQ(b.mem.mem[0xfff], 4);
    EXPECT_EQ(b.mem.mem[0x1000], 0) << "nothing written past the region";
    unsigned char back[4] = {};
    EXPECT_EQ(b.m1.debug(tlm::TLM_READ_COMMAND, kMem + 0xffc, back, 4), 4u);
    EXPECT_EQ(back[2], 3);
    EXPECT_EQ(b.m0.debug(tlm::TLM_READ_COMMAND, 0x30000000, back, 4), 0u) << "unmapped";
    EXPECT_EQ(b.bus.master_stats()[0].transfers, 0u) << "debug accesses are not counted";
}

TEST_F(AhbBusTest, StatisticsPerMasterAndTarget) {
    Bench b(config());
    unsigned char buf[8] = {};
    b.m0.read(kMem);
    b.m0.write(kMem, 5, 2, ns(100));
    b.m1.access(tlm::TLM_WRITE_COMMAND, kDev, buf, 8, ns(200));
    b.m1.read(0x30000000, 4, ns(300));
    b.bus.account_dmi(0, 0, false, 10, 40);
    b.bus.account_dmi(1, 0, true, 2, 8);

    const auto m = b.bus.master_stats();
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0].name, "cpu");
    EXPECT_EQ(m[1].name, "dma");
    EXPECT_EQ(m[0].transfers, 12u) << "2 transported + 10 DMI";
    EXPECT_EQ(m[0].dmi_transfers, 10u);
    EXPECT_EQ(m[0].reads, 11u);
    EXPECT_EQ(m[0].writes, 1u);
    EXPECT_EQ(m[0].bytes, 4u + 2u + 40u);
    EXPECT_EQ(m[1].transfers, 4u);
    EXPECT_EQ(m[1].errors, 1u);
    EXPECT_EQ(m[1].bytes, 8u + 4u + 8u);

    const auto t = b.bus.target_stats();
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0].name, "mem");
    EXPECT_EQ(t[1].name, "dev");
    EXPECT_EQ(t[0].transfers, 14u);
    EXPECT_EQ(t[1].transfers, 1u);
    EXPECT_EQ(t[1].bytes, 8u);
    // DMI busy cycles use the latency the target granted: none requested yet, so data phases only.
    EXPECT_EQ(t[0].busy_cycles, 4u + 4u + 10u + 2u);
}

TEST_F(AhbBusTest, DmiAccountingUsesTheGrantedTargetLatency) {
    Bench b(config());
    tlm::tlm_dmi dmi;
    ASSERT_TRUE(b.m0.get_dmi(kMem, dmi));
    b.bus.account_dmi(0, 0, false, 3, 12);
    const auto t = b.bus.target_stats()[0];
    EXPECT_EQ(t.busy_cycles, 3u * (1u + 2u)) << "one data phase + 2 wait states per access";
    EXPECT_EQ(t.wait_cycles, 6u);
    EXPECT_EQ(b.bus.master_stats()[0].wait_cycles, 0u);
}

TEST_F(AhbBusTest, OverlappingTargetIsReportedNamingBoth) {
    AhbBus bus("bus", config());
    bus.add_target("sram", kMem, 0x1000);
    try {
        bus.add_target("npu", kMem + 0x800, 0x1000);
        FAIL() << "overlap not reported";
    } catch (const sc_report& r) {
        const std::string msg = r.what();
        EXPECT_NE(msg.find("'npu'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("'sram'"), std::string::npos) << msg;
    }
}
