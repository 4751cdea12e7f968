// UART: console output to stdout and a file, TX FIFO timing, full/dropped, TX-empty interrupt.
#include "uart.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "sc_test_util.h"
#include "uart_regs.h"

using namespace sc_core;
using cimvp::Uart;
using cimvp::UartConfig;
using cimvp::test::EdgeRecorder;
using cimvp::test::Result;
using cimvp::test::TestInitiator;

namespace {

sc_time us(double v) { return sc_time(v, SC_US); }

UartConfig config(double baud = 0, unsigned depth = 4) {
    UartConfig c;
    c.to_stdout = true;
    c.baud = baud;
    c.tx_fifo_depth = depth;
    c.clock_period = sc_time(10, SC_NS);
    return c;
}

struct Bench {
    TestInitiator init{"init"};
    Uart uart;
    sc_signal<bool> irq{"irq"};
    EdgeRecorder rec{"rec"};
    explicit Bench(const UartConfig& cfg) : uart("uart", cfg) {
        init.socket.bind(uart.socket);
        uart.irq.bind(irq);
        rec.in.bind(irq);
        sc_start(SC_ZERO_TIME);
    }
    void put(const std::string& s, sc_time delay = SC_ZERO_TIME) {
        for (char c : s) EXPECT_TRUE(init.write(UART_TXDATA, static_cast<unsigned char>(c), 1, delay).ok());
    }
    uint32_t status(sc_time delay = SC_ZERO_TIME) { return init.read(UART_STATUS, 4, delay).value; }
};

// Captures std::cout for the test's lifetime.
class UartTest : public cimvp::test::ScTest {
protected:
    void SetUp() override {
        ScTest::SetUp();
        saved_ = std::cout.rdbuf(captured_.rdbuf());
    }
    void TearDown() override { std::cout.rdbuf(saved_); }
    std::string out() const { return captured_.str(); }

private:
    std::ostringstream captured_;
    std::streambuf* saved_ = nullptr;
};

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

std::string temp_path(const char* tag) {
    return ::testing::TempDir() + "cimvp_uart_" + tag + "_" + std::to_string(::getpid()) + ".txt";
}

}  // namespace

TEST_F(UartTest, WritesBytesToStdout) {
    Bench b(config());
    b.put("hi\n");
    EXPECT_TRUE(b.init.write(UART_TXDATA, 0x4321, 4).ok()) << "word write sends bits 7:0";
    EXPECT_EQ(out(), "hi\n!");
    EXPECT_EQ(b.uart.stats().tx_bytes, 4u);
    EXPECT_EQ(b.uart.stats().dropped_bytes, 0u);
    EXPECT_EQ(b.status(), UART_STATUS_TX_EMPTY) << "baud 0: always empty, never full";
}

TEST_F(UartTest, WritesToAFileWithoutLosingData) {
    const std::string path = temp_path("file");
    UartConfig c = config();
    c.to_stdout = false;
    c.output_file = path;
    Bench b(c);
    b.put("abc\n");
    EXPECT_EQ(read_file(path), "abc\n") << "flushed at the newline";
    b.put("xyz");
    EXPECT_EQ(out(), "") << "to_stdout false";
    sc_stop();  // end_of_simulation flushes the incomplete line
    EXPECT_EQ(read_file(path), "abc\nxyz");
    std::remove(path.c_str());
}

TEST_F(UartTest, UnopenableFileIsReportedByName) {
    UartConfig c = config();
    c.output_file = "/nonexistent-dir/console.txt";
    try {
        Uart u("uart", c);
        FAIL() << "no error for an unopenable file";
    } catch (const sc_report& r) {
        EXPECT_NE(std::string(r.what()).find("'/nonexistent-dir/console.txt'"), std::string::npos) << r.what();
    }
}

TEST_F(UartTest, FifoFillsAndDropsAtTheBaudRate) {
    Bench b(config(/*baud=*/1e6, /*depth=*/4));
    // 1 Mbit/s from a 100 MHz clock: divider 100, 10 bits per frame.
    EXPECT_EQ(b.uart.byte_time(), us(10)) << "got " << b.uart.byte_time();
    b.put("ABCDE");  // shifter + 4 in the FIFO, all at t = 0
    EXPECT_EQ(b.status(), UART_STATUS_TX_FULL);
    EXPECT_TRUE(b.init.write(UART_TXDATA, 'F', 1).ok()) << "a write while full is not a bus error";
    EXPECT_EQ(b.uart.stats().dropped_bytes, 1u);
    EXPECT_EQ(b.uart.stats().tx_bytes, 5u);
    // After one frame time a slot is free again (seen through the annotated delay).
    EXPECT_EQ(b.status(us(9.99)), UART_STATUS_TX_FULL);
    EXPECT_EQ(b.status(us(10)), 0u) << "neither full nor empty";
    b.put("G", us(10));  // queued behind E: done at 60 us
    EXPECT_EQ(b.status(us(59.99)) & UART_STATUS_TX_EMPTY, 0u);
    EXPECT_EQ(b.status(us(60)), UART_STATUS_TX_EMPTY);
    EXPECT_EQ(out(), "ABCDEG") << "the dropped byte never appears";
}

TEST_F(UartTest, TxEmptyInterruptFollowsTheFifo) {
    Bench b(config(1e6, 4));
    EXPECT_TRUE(b.init.write(UART_CTRL, UART_CTRL_TX_EMPTY_IRQ).ok());
    sc_start(us(1));
    EXPECT_TRUE(b.irq.read()) << "enabled and empty";
    b.put("x", us(2));  // written at 3 us: busy until 13 us
    sc_start(us(20));
    ASSERT_EQ(b.rec.changes.size(), 3u);
    EXPECT_EQ(b.rec.changes[0].first, SC_ZERO_TIME);
    EXPECT_EQ(b.rec.changes[1].first, us(3)) << "drops at the time of the write";
    EXPECT_FALSE(b.rec.changes[1].second);
    EXPECT_EQ(b.rec.changes[2].first, us(13)) << "rises when the frame is out, got " << b.rec.changes[2].first;
    EXPECT_TRUE(b.rec.changes[2].second);
    EXPECT_TRUE(b.init.write(UART_CTRL, 0).ok());
    sc_start(us(1));
    EXPECT_FALSE(b.irq.read()) << "disabled";
}

TEST_F(UartTest, RegisterAccessErrors) {
    Bench b(config());
    EXPECT_EQ(b.init.read(UART_TXDATA).status, tlm::TLM_COMMAND_ERROR_RESPONSE) << "TXDATA is write-only";
    EXPECT_EQ(b.init.write(UART_STATUS, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE) << "STATUS is read-only";
    EXPECT_EQ(b.init.read(0x0c).status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << "no register at 0x0c";
    EXPECT_EQ(b.init.write(UART_TXDATA + 1, 'a', 1).status, tlm::TLM_ADDRESS_ERROR_RESPONSE)
        << "TXDATA takes its byte at offset 0";
    EXPECT_EQ(b.init.read(UART_STATUS + 1, 2).status, tlm::TLM_BURST_ERROR_RESPONSE) << "misaligned halfword";
    unsigned char eight[8] = {};
    EXPECT_EQ(b.init.access(tlm::TLM_READ_COMMAND, UART_STATUS, eight, 8).status, tlm::TLM_BURST_ERROR_RESPONSE);
    const Result byte = b.init.read(UART_STATUS, 1);
    EXPECT_TRUE(byte.ok());
    EXPECT_EQ(byte.value, UART_STATUS_TX_EMPTY);
    EXPECT_TRUE(b.init.write(UART_CTRL, 0xff, 1).ok());
    EXPECT_EQ(b.init.read(UART_CTRL).value, UART_CTRL_TX_EMPTY_IRQ) << "unimplemented CTRL bits read 0";
    EXPECT_EQ(out(), "") << "failed writes send nothing";
}
