// Simulation control: exit handler and code, simulated time in ns with the high-word latch.
#include "simctrl.h"

#include <vector>

#include <gtest/gtest.h>

#include "sc_test_util.h"
#include "simctrl_regs.h"

using namespace sc_core;
using cimvp::SimCtrl;
using cimvp::test::Result;
using cimvp::test::TestInitiator;

namespace {

sc_time ns(double v) { return sc_time(v, SC_NS); }

// Firmware-like initiator: runs in a thread and ends the run through EXIT at 5 us.
class ExitingCore : public sc_module {
public:
    TestInitiator init{"init"};
    explicit ExitingCore(sc_module_name name) : sc_module(name) {
        SC_HAS_PROCESS(ExitingCore);
        SC_THREAD(run);
    }

private:
    void run() {
        wait(sc_time(5, SC_US));
        init.write(SIMCTRL_EXIT, 3);
        wait(sc_time(1, SC_US));
        ADD_FAILURE() << "simulation went on after EXIT";
    }
};

class SimCtrlTest : public cimvp::test::ScTest {};

}  // namespace

TEST_F(SimCtrlTest, ExitCallsTheHandlerWithTheCode) {
    std::vector<int> codes;
    TestInitiator init("init");
    SimCtrl sim("simctrl", [&](int code) { codes.push_back(code); });
    init.socket.bind(sim.socket);
    sc_start(SC_ZERO_TIME);
    EXPECT_FALSE(sim.exit_code().has_value());
    ASSERT_TRUE(init.write(SIMCTRL_EXIT, 42).ok());
    ASSERT_EQ(codes.size(), 1u);
    EXPECT_EQ(codes[0], 42);
    EXPECT_EQ(sim.exit_code().value_or(-1), 42);
    ASSERT_TRUE(init.write(SIMCTRL_EXIT, 7, 1).ok()) << "byte write";
    EXPECT_EQ(sim.exit_code().value_or(-1), 7);
}

TEST_F(SimCtrlTest, ExitWithoutHandlerStopsTheSimulation) {
    ExitingCore core("core");
    SimCtrl sim("simctrl");
    core.init.socket.bind(sim.socket);
    sc_start();
    EXPECT_EQ(sc_time_stamp(), sc_time(5, SC_US)) << "stopped at the EXIT write";
    EXPECT_EQ(sim.exit_code().value_or(-1), 3);
}

TEST_F(SimCtrlTest, TimeInNanosecondsWithLatchedHighWord) {
    TestInitiator init("init");
    SimCtrl sim("simctrl");
    init.socket.bind(sim.socket);
    sc_start(ns(1234));
    Result lo = init.read(SIMCTRL_TIME_NS_LO, 4, ns(66));
    ASSERT_TRUE(lo.ok());
    EXPECT_EQ(lo.value, 1300u) << "sc_time_stamp() + annotated delay";
    EXPECT_EQ(init.read(SIMCTRL_TIME_NS_HI).value, 0u);

    sc_start(sc_time(5, SC_SEC) - ns(1234));  // 5e9 ns = 0x1_2A05_F200
    lo = init.read(SIMCTRL_TIME_NS_LO);
    EXPECT_EQ(lo.value, 0x2A05F200u);
    sc_start(sc_time(10, SC_SEC));  // the high word changes, the latch does not
    EXPECT_EQ(init.read(SIMCTRL_TIME_NS_HI).value, 1u) << "high word latched by the last LO read";
    init.read(SIMCTRL_TIME_NS_LO);
    EXPECT_EQ(init.read(SIMCTRL_TIME_NS_HI).value, 3u) << "15e9 ns after a new LO read";
}

TEST_F(SimCtrlTest, RegisterAccessErrors) {
    TestInitiator init("init");
    SimCtrl sim("simctrl", [](int) {});
    init.socket.bind(sim.socket);
    sc_start(SC_ZERO_TIME);
    EXPECT_EQ(init.read(SIMCTRL_EXIT).status, tlm::TLM_COMMAND_ERROR_RESPONSE) << "EXIT is write-only";
    EXPECT_EQ(init.write(SIMCTRL_TIME_NS_LO, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(init.read(SIMCTRL_TIME_NS_LO, 1).status, tlm::TLM_BURST_ERROR_RESPONSE) << "word reads only";
    EXPECT_EQ(init.read(0x04).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_FALSE(sim.exit_code().has_value()) << "no exit on failed accesses";
}
