// Machine timer: mtime from simulated time, exact interrupt time, mtime writes, msip.
#include "timer.h"

#include <gtest/gtest.h>

#include "sc_test_util.h"
#include "timer_regs.h"

using namespace sc_core;
using cimvp::Timer;
using cimvp::TimerConfig;
using cimvp::test::EdgeRecorder;
using cimvp::test::TestInitiator;

namespace {

sc_time us(double v) { return sc_time(v, SC_US); }

struct Bench {
    TestInitiator init{"init"};
    Timer timer;
    sc_signal<bool> irq_timer{"irq_timer"}, irq_soft{"irq_soft"};
    EdgeRecorder timer_edges{"timer_edges"}, soft_edges{"soft_edges"};
    explicit Bench(double hz) : timer("timer", TimerConfig{hz}) {
        init.socket.bind(timer.socket);
        timer.irq_timer.bind(irq_timer);
        timer.irq_soft.bind(irq_soft);
        timer_edges.in.bind(irq_timer);
        soft_edges.in.bind(irq_soft);
        sc_start(SC_ZERO_TIME);
    }
    void set_mtimecmp(uint64_t v, sc_time delay = SC_ZERO_TIME) {
        EXPECT_TRUE(init.write(TIMER_MTIMECMP_HI, 0xffffffff, 4, delay).ok());  // no spurious match meanwhile
        EXPECT_TRUE(init.write(TIMER_MTIMECMP_LO, static_cast<uint32_t>(v), 4, delay).ok());
        EXPECT_TRUE(init.write(TIMER_MTIMECMP_HI, static_cast<uint32_t>(v >> 32), 4, delay).ok());
    }
    uint64_t mtime(sc_time delay = SC_ZERO_TIME) {
        const uint32_t lo = init.read(TIMER_MTIME_LO, 4, delay).value;
        const uint32_t hi = init.read(TIMER_MTIME_HI, 4, delay).value;
        return (uint64_t{hi} << 32) | lo;
    }
};

class TimerTest : public cimvp::test::ScTest {};

}  // namespace

TEST_F(TimerTest, ResetState) {
    Bench b(1e6);
    EXPECT_EQ(b.init.read(TIMER_MTIMECMP_LO).value, 0xffffffffu) << "mtimecmp resets to all ones";
    EXPECT_EQ(b.init.read(TIMER_MTIMECMP_HI).value, 0xffffffffu);
    EXPECT_EQ(b.init.read(TIMER_MSIP).value, 0u);
    sc_start(sc_time(1, SC_SEC));
    EXPECT_FALSE(b.irq_timer.read());
    EXPECT_TRUE(b.timer_edges.changes.empty());
}

TEST_F(TimerTest, MtimeFollowsSimulatedTimeIncludingAnnotatedDelay) {
    Bench b(1e6);
    EXPECT_EQ(b.mtime(us(7.5)), 7u) << "1 MHz: 7 full ticks at 7.5 us";
    sc_start(us(100));
    EXPECT_EQ(b.mtime(), 100u);
    EXPECT_EQ(b.timer.mtime_at(us(123.999)), 123u);
    EXPECT_EQ(b.timer.mtime_at(sc_time(5000, SC_SEC)), 5000000000u) << "past 32 bits";
    EXPECT_EQ(b.init.read(TIMER_MTIME_HI, 4, sc_time(5000, SC_SEC) - us(100)).value, 1u);
}

TEST_F(TimerTest, InterruptAtTheExactTime) {
    Bench b(1e6);
    b.set_mtimecmp(50);
    sc_start(us(49.999));
    EXPECT_FALSE(b.irq_timer.read()) << "mtime is 49";
    sc_start(us(100));
    ASSERT_EQ(b.timer_edges.changes.size(), 1u);
    EXPECT_EQ(b.timer_edges.first(true), us(50)) << "got " << b.timer_edges.first(true);
    // Moving mtimecmp ahead clears the level at the time of the write, then it fires again.
    b.set_mtimecmp(200, us(10));  // now = 149.999 us, write at 159.999 us
    sc_start(us(100));
    ASSERT_EQ(b.timer_edges.changes.size(), 3u);
    EXPECT_EQ(b.timer_edges.changes[1].first, us(159.999)) << "cleared when written";
    EXPECT_EQ(b.timer_edges.changes[2].first, us(200)) << "got " << b.timer_edges.changes[2].first;
}

TEST_F(TimerTest, InterruptAtTheExactTimeForANonIntegerPeriod) {
    Bench b(32768);  // 30517.578125 ns per tick
    b.set_mtimecmp(3);
    sc_start(sc_time(1, SC_MS));
    // First picosecond at which floor(t * 32768 Hz) >= 3: ceil(3e12 / 32768) ps.
    const sc_time expected = sc_time::from_value(91552735);
    EXPECT_EQ(b.timer_edges.first(true), expected) << "got " << b.timer_edges.first(true);
    EXPECT_EQ(b.timer.mtime_at(expected), 3u);
    EXPECT_EQ(b.timer.mtime_at(sc_time::from_value(91552734)), 2u);
}

TEST_F(TimerTest, MtimeWriteSetsAnOffset) {
    Bench b(1e6);
    sc_start(us(10));
    ASSERT_TRUE(b.init.write(TIMER_MTIME_HI, 0).ok());
    ASSERT_TRUE(b.init.write(TIMER_MTIME_LO, 1000).ok());
    EXPECT_EQ(b.timer.mtime_at(us(10)), 1000u);
    EXPECT_EQ(b.timer.mtime_at(us(20)), 1010u) << "keeps counting from the written value";
    b.set_mtimecmp(1005);
    sc_start(us(20));
    EXPECT_EQ(b.timer_edges.first(true), us(15)) << "got " << b.timer_edges.first(true);
    // A byte write merges into the register.
    ASSERT_TRUE(b.init.write(TIMER_MTIME_LO + 1, 0x07, 1).ok());
    EXPECT_EQ(b.mtime() & 0xff00u, 0x0700u);
}

TEST_F(TimerTest, SoftwareInterrupt) {
    Bench b(1e6);
    ASSERT_TRUE(b.init.write(TIMER_MSIP, 0xffffffff, 4, us(2)).ok());
    EXPECT_EQ(b.init.read(TIMER_MSIP).value, 1u) << "only bit 0 exists";
    sc_start(us(5));
    EXPECT_TRUE(b.irq_soft.read());
    EXPECT_EQ(b.soft_edges.first(true), us(2)) << "raised at the time of the write";
    ASSERT_TRUE(b.init.write(TIMER_MSIP, 0).ok());
    sc_start(us(1));
    EXPECT_FALSE(b.irq_soft.read());
    EXPECT_FALSE(b.irq_timer.read()) << "msip does not touch the timer interrupt";
}

TEST_F(TimerTest, RegisterAccessErrors) {
    Bench b(1e6);
    EXPECT_EQ(b.init.read(0x04).status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << "hole between MSIP and MTIMECMP";
    EXPECT_EQ(b.init.write(0x18, 0).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    unsigned char eight[8] = {};
    EXPECT_EQ(b.init.access(tlm::TLM_READ_COMMAND, TIMER_MTIME_LO, eight, 8).status, tlm::TLM_BURST_ERROR_RESPONSE)
        << "64-bit accesses are not supported on this 32-bit bus";
    EXPECT_TRUE(b.init.read(TIMER_MTIMECMP_HI + 2, 2).ok());
}
