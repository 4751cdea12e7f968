// Interrupt controller: pending levels, masking, claim order, register errors.
#include "intc.h"

#include <gtest/gtest.h>

#include "intc_regs.h"
#include "sc_test_util.h"

using namespace sc_core;
using cimvp::Intc;
using cimvp::IntcConfig;
using cimvp::test::EdgeRecorder;
using cimvp::test::TestInitiator;

namespace {

sc_time ns(double v) { return sc_time(v, SC_NS); }

struct Bench {
    TestInitiator init{"init"};
    Intc intc;
    sc_vector<sc_signal<bool>> lines{"line", 6};
    sc_signal<bool> out{"out"};
    EdgeRecorder edges{"edges"};
    Bench() : intc("intc", IntcConfig{5}) {
        init.socket.bind(intc.socket);
        for (unsigned i = 0; i < intc.irq_in.size(); ++i) intc.irq_in[i].bind(lines[i]);
        intc.irq_out.bind(out);
        edges.in.bind(out);
        sc_start(SC_ZERO_TIME);
    }
    uint32_t reg(uint64_t offset) { return init.read(offset).value; }
    void settle() { sc_start(ns(1)); }
};

class IntcTest : public cimvp::test::ScTest {};

}  // namespace

TEST_F(IntcTest, PendingMaskingAndClaimOrder) {
    Bench b;
    ASSERT_EQ(b.intc.irq_in.size(), 6u) << "index = source number, 0 unused";
    b.lines[3].write(true);
    b.lines[1].write(true);
    b.lines[0].write(true);  // source 0 does not exist
    b.settle();
    EXPECT_EQ(b.reg(INTC_PENDING), 0b1010u);
    EXPECT_FALSE(b.out.read()) << "nothing enabled";
    EXPECT_EQ(b.reg(INTC_CLAIM), 0u);

    ASSERT_TRUE(b.init.write(INTC_ENABLE, 1u << 3).ok());
    b.settle();
    EXPECT_TRUE(b.out.read());
    EXPECT_EQ(b.reg(INTC_CLAIM), 3u);

    ASSERT_TRUE(b.init.write(INTC_ENABLE, (1u << 3) | (1u << 1)).ok());
    EXPECT_EQ(b.reg(INTC_CLAIM), 1u) << "lowest-numbered pending and enabled source first";
    b.lines[1].write(false);
    b.settle();
    EXPECT_EQ(b.reg(INTC_CLAIM), 3u);
    b.lines[3].write(false);
    b.settle();
    EXPECT_FALSE(b.out.read()) << "level-sensitive: follows the sources";
    EXPECT_EQ(b.reg(INTC_CLAIM), 0u);

    b.lines[5].write(true);
    b.settle();
    EXPECT_FALSE(b.out.read()) << "source 5 is masked";
    ASSERT_TRUE(b.init.write(INTC_ENABLE, 1u << 5, 4, ns(10)).ok());
    b.settle();
    EXPECT_FALSE(b.out.read()) << "the enable takes effect at the time of the write";
    sc_start(ns(20));
    EXPECT_TRUE(b.out.read());
    EXPECT_EQ(b.reg(INTC_CLAIM), 5u);
}

TEST_F(IntcTest, EnableKeepsOnlyExistingSources) {
    Bench b;
    ASSERT_TRUE(b.init.write(INTC_ENABLE, 0xffffffff).ok());
    EXPECT_EQ(b.reg(INTC_ENABLE), 0b111110u) << "sources 1..5 only";
    ASSERT_TRUE(b.init.write(INTC_ENABLE, 0x00, 1).ok());
    EXPECT_EQ(b.reg(INTC_ENABLE), 0u) << "byte write merges into lane 0";
}

TEST_F(IntcTest, RegisterAccessErrors) {
    Bench b;
    EXPECT_EQ(b.init.write(INTC_PENDING, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE) << "PENDING is read-only";
    EXPECT_EQ(b.init.write(INTC_CLAIM, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE) << "CLAIM is read-only";
    EXPECT_EQ(b.init.read(0x0c).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(b.init.read(INTC_ENABLE + 2, 4).status, tlm::TLM_BURST_ERROR_RESPONSE) << "misaligned word";
}

TEST_F(IntcTest, TooManySourcesIsReported) {
    EXPECT_THROW(Intc("intc", IntcConfig{32}), sc_report);
}
