// Memory: data path, byte enables, streaming, wait-state latency, read-only flash, DMI, debug.
#include "memory.h"

#include <string>

#include <gtest/gtest.h>

#include "sc_test_util.h"

using namespace sc_core;
using cimvp::Memory;
using cimvp::MemoryConfig;
using cimvp::test::Result;
using cimvp::test::TestInitiator;

namespace {

sc_time ns(double v) { return sc_time(v, SC_NS); }

MemoryConfig config(bool read_only) {
    MemoryConfig c;
    c.size = 0x100;
    c.read_wait_states = 2;
    c.write_wait_states = 3;
    c.read_only = read_only;
    c.clock_period = ns(10);
    return c;
}

struct Bench {
    TestInitiator init{"init"};
    Memory mem;
    explicit Bench(bool read_only = false) : mem("mem", config(read_only)) {
        init.socket.bind(mem.socket);
        sc_start(SC_ZERO_TIME);
    }
};

class MemoryTest : public cimvp::test::ScTest {};

}  // namespace

TEST_F(MemoryTest, ReadWriteWithWaitStateLatency) {
    Bench b;
    const Result w = b.init.write(0x10, 0x11223344, 4, ns(5));
    ASSERT_TRUE(w.ok()) << "status " << w.status;
    EXPECT_EQ(w.delay, ns(5 + 30)) << "3 write wait states added to the incoming delay, got " << w.delay;
    EXPECT_EQ(b.mem.data()[0x10], 0x44);
    EXPECT_EQ(b.mem.data()[0x13], 0x11);
    const Result r = b.init.read(0x10);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value, 0x11223344u);
    EXPECT_EQ(r.delay, ns(20)) << "2 read wait states, got " << r.delay;
    EXPECT_TRUE(b.init.last_dmi_allowed) << "memories hint DMI";
    EXPECT_EQ(b.init.read(0x12, 2).value, 0x1122u) << "unaligned halfword";
}

TEST_F(MemoryTest, ByteEnablesSelectBytes) {
    Bench b;
    std::fill(b.mem.data(), b.mem.data() + 8, 0xaa);
    unsigned char data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const unsigned char be[2] = {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED};  // repeats over the length
    ASSERT_TRUE(b.init.access(tlm::TLM_WRITE_COMMAND, 0, data, 8, SC_ZERO_TIME, be, 2).ok());
    const unsigned char expect[8] = {1, 0xaa, 3, 0xaa, 5, 0xaa, 7, 0xaa};
    for (int i = 0; i < 8; ++i) EXPECT_EQ(b.mem.data()[i], expect[i]) << "byte " << i;

    unsigned char out[4] = {0, 0, 0, 0};
    const unsigned char be_read[4] = {0, TLM_BYTE_ENABLED, 0, TLM_BYTE_ENABLED};
    ASSERT_TRUE(b.init.access(tlm::TLM_READ_COMMAND, 0, out, 4, SC_ZERO_TIME, be_read, 4).ok());
    EXPECT_EQ(out[0], 0) << "disabled bytes are not read";
    EXPECT_EQ(out[1], 0xaa);
    EXPECT_EQ(out[3], 0xaa);
}

TEST_F(MemoryTest, StreamingWidthRepeatsAddresses) {
    Bench b;
    unsigned char data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ASSERT_TRUE(b.init.access(tlm::TLM_WRITE_COMMAND, 0x20, data, 8, SC_ZERO_TIME, nullptr, 0, 4).ok());
    EXPECT_EQ(b.mem.data()[0x20], 5) << "the second beat overwrites the first";
    EXPECT_EQ(b.mem.data()[0x23], 8);
    EXPECT_EQ(b.mem.data()[0x24], 0) << "nothing beyond the streaming width";
    // A streamed access may end at the memory end even if its length would not fit.
    EXPECT_TRUE(b.init.access(tlm::TLM_READ_COMMAND, 0xfc, data, 8, SC_ZERO_TIME, nullptr, 0, 4).ok());
}

TEST_F(MemoryTest, OutOfRangeIsAddressError) {
    Bench b;
    EXPECT_EQ(b.init.read(0xfe, 4).status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << "straddles the end";
    EXPECT_EQ(b.init.read(0x100, 1).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_TRUE(b.init.read(0xfc, 4).ok());
}

TEST_F(MemoryTest, ReadOnlyRefusesBusWritesButNotDebugWrites) {
    Bench b(/*read_only=*/true);
    const Result w = b.init.write(0x40, 0xffffffff);
    EXPECT_EQ(w.status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(b.mem.data()[0x40], 0) << "a refused write changes nothing";
    unsigned char image[4] = {0x13, 0x00, 0x00, 0x00};  // what an ELF loader does
    EXPECT_EQ(b.init.debug(tlm::TLM_WRITE_COMMAND, 0x40, image, 4), 4u);
    const Result r = b.init.read(0x40);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value, 0x13u);
}

TEST_F(MemoryTest, DmiGrantsWholeMemoryWithLatencies) {
    Bench b;
    tlm::tlm_dmi dmi;
    ASSERT_TRUE(b.init.get_dmi(0x80, dmi, true));
    EXPECT_EQ(dmi.get_dmi_ptr(), b.mem.data());
    EXPECT_EQ(dmi.get_start_address(), 0u);
    EXPECT_EQ(dmi.get_end_address(), 0xffu);
    EXPECT_TRUE(dmi.is_read_write_allowed());
    EXPECT_EQ(dmi.get_read_latency(), ns(20));
    EXPECT_EQ(dmi.get_write_latency(), ns(30));
}

TEST_F(MemoryTest, ReadOnlyMemoryGrantsReadOnlyDmi) {
    Bench b(true);
    tlm::tlm_dmi dmi;
    ASSERT_TRUE(b.init.get_dmi(0, dmi, true));
    EXPECT_TRUE(dmi.is_read_allowed());
    EXPECT_FALSE(dmi.is_write_allowed()) << "flash must not be writable through DMI";
}

TEST_F(MemoryTest, DebugTransportIsClippedToTheMemory) {
    Bench b;
    unsigned char buf[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    EXPECT_EQ(b.init.debug(tlm::TLM_WRITE_COMMAND, 0xfe, buf, 8), 2u);
    EXPECT_EQ(b.mem.data()[0xff], 9);
    EXPECT_EQ(b.init.debug(tlm::TLM_READ_COMMAND, 0x100, buf, 4), 0u);
}

TEST_F(MemoryTest, ZeroSizeIsReported) {
    MemoryConfig c = config(false);
    c.size = 0;
    EXPECT_THROW(Memory("empty", c), sc_report);
}
