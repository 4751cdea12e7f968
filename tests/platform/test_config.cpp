// Board configuration: defaults, the shared memory map, validation messages, overrides, dump.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config.h"
#include "errors.h"
#include "memory_map.h"

using namespace cimvp;

namespace {

std::string error_of(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
    try {
        parse_config(yaml, "test.yaml", overrides);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Config, DefaultsFollowTheSharedMemoryMap) {
    BoardConfig c;
    EXPECT_EQ(c.flash.base, CIMVP_FLASH_BASE);
    EXPECT_EQ(c.flash.size, CIMVP_FLASH_SIZE);
    EXPECT_EQ(c.sram.base, CIMVP_SRAM_BASE);
    EXPECT_EQ(c.sram.size, CIMVP_SRAM_SIZE);
    EXPECT_EQ(c.uart.base, CIMVP_UART_BASE);
    EXPECT_EQ(c.timer.base, CIMVP_TIMER_BASE);
    EXPECT_EQ(c.intc.base, CIMVP_INTC_BASE);
    EXPECT_EQ(c.simctrl.base, CIMVP_SIMCTRL_BASE);
}

// configs/default.yaml is what users copy; the firmware is built against memory_map.h.
TEST(Config, DefaultYamlAgreesWithFirmwareHeader) {
    const BoardConfig c = load_config(CIMVP_SOURCE_DIR "/configs/default.yaml");
    EXPECT_EQ(c.flash.base, CIMVP_FLASH_BASE) << "flash.base in configs/default.yaml";
    EXPECT_EQ(c.flash.size, CIMVP_FLASH_SIZE) << "flash.size";
    EXPECT_EQ(c.sram.base, CIMVP_SRAM_BASE) << "sram.base";
    EXPECT_EQ(c.sram.size, CIMVP_SRAM_SIZE) << "sram.size";
    EXPECT_EQ(c.uart.base, CIMVP_UART_BASE) << "uart.base";
    EXPECT_EQ(c.timer.base, CIMVP_TIMER_BASE) << "timer.base";
    EXPECT_EQ(c.intc.base, CIMVP_INTC_BASE) << "intc.base";
    EXPECT_EQ(c.simctrl.base, CIMVP_SIMCTRL_BASE) << "simctrl.base";
    // And every other value equals the built-in defaults, so the file documents them truly.
    EXPECT_EQ(dump_config(c), dump_config(BoardConfig()));
}

TEST(Config, ReadsValuesAndHex) {
    const BoardConfig c = parse_config(
        "soc: {clock_hz: 50e6, quantum_ns: 500}\nsram: {base: 0x3000_0000, size: 0x1000, read_wait_states: 2}\n"
        "bus: {arbitration: round_robin}\nuart: {to_stdout: false}\n",
        "t.yaml");
    EXPECT_DOUBLE_EQ(c.soc.clock_hz, 50e6);
    EXPECT_DOUBLE_EQ(c.soc.quantum_ns, 500);
    EXPECT_EQ(c.sram.base, 0x30000000u);
    EXPECT_EQ(c.sram.size, 0x1000u);
    EXPECT_EQ(c.sram.read_wait_states, 2u);
    EXPECT_EQ(c.bus.arbitration, "round_robin");
    EXPECT_FALSE(c.uart.to_stdout);
}

TEST(Config, UnknownKeysAreRejectedByFullPath) {
    EXPECT_NE(error_of("soc: {clock_hz: 1e6, clok: 3}\n").find("key 'soc.clok' is not a known key"), std::string::npos)
        << error_of("soc: {clock_hz: 1e6, clok: 3}\n");
    EXPECT_NE(error_of("nosuchsection: {}\n").find("'nosuchsection'"), std::string::npos);
    EXPECT_NE(error_of("x").find("top level"), std::string::npos);
}

TEST(Config, RangesAndTypesAreChecked) {
    std::string e = error_of("soc: {clock_hz: 0}\n");
    EXPECT_NE(e.find("soc.clock_hz"), std::string::npos) << e;
    EXPECT_NE(e.find("outside"), std::string::npos) << e;
    e = error_of("sram: {read_wait_states: 1.5}\n");
    EXPECT_NE(e.find("whole number"), std::string::npos) << e;
    e = error_of("sram: {size: lots}\n");
    EXPECT_NE(e.find("sram.size"), std::string::npos) << e;
    EXPECT_NE(e.find("must be a number"), std::string::npos) << e;
    e = error_of("uart: {to_stdout: maybe}\n");
    EXPECT_NE(e.find("uart.to_stdout"), std::string::npos) << e;
    e = error_of("bus: {arbitration: lottery}\n");
    EXPECT_NE(e.find("must be one of fixed_priority, round_robin"), std::string::npos) << e;
    e = error_of("soc: 3\n");
    EXPECT_NE(e.find("'soc' must be a mapping"), std::string::npos) << e;
    e = error_of("intc: {num_sources: -1}\n");
    EXPECT_NE(e.find("intc.num_sources"), std::string::npos) << e;
}

TEST(Config, OverlapsAndAlignmentAreRejected) {
    std::string e = error_of("sram: {base: 0x0}\n");
    EXPECT_NE(e.find("'flash' and 'sram' overlap"), std::string::npos) << e;
    e = error_of("sram: {base: 0xfffff000, size: 0x2000}\n");
    EXPECT_NE(e.find("past 0xffffffff"), std::string::npos) << e;
    e = error_of("sram: {base: 0x20000002}\n");
    EXPECT_NE(e.find("multiples of 4"), std::string::npos) << e;
}

TEST(Config, SyntaxErrorsNameTheLine) {
    const std::string e = error_of("soc:\n  clock_hz: [1, 2\n");
    EXPECT_NE(e.find("test.yaml"), std::string::npos) << e;
    EXPECT_NE(e.find("syntax error at line"), std::string::npos) << e;
}

TEST(Config, OverridesApplyOnTopAndAreValidated) {
    BoardConfig c = parse_config("soc: {clock_hz: 50e6}\n", "t.yaml", {"soc.clock_hz=25e6", "sram.read_wait_states=3"});
    EXPECT_DOUBLE_EQ(c.soc.clock_hz, 25e6);
    EXPECT_EQ(c.sram.read_wait_states, 3u);
    EXPECT_NE(error_of("", {"soc.nope=1"}).find("soc.nope"), std::string::npos);
    EXPECT_NE(error_of("", {"novalue"}).find("key.path=value"), std::string::npos);
    EXPECT_NE(error_of("soc: {clock_hz: 5e6}\n", {"soc.clock_hz.x=1"}).find("not a section"), std::string::npos);
}

TEST(Config, DumpRoundTrips) {
    BoardConfig c = parse_config("soc: {clock_hz: 33e6}\nuart: {output_file: /tmp/x.txt, baud: 9600}\n", "t.yaml");
    const std::string text = dump_config(c);
    const BoardConfig d = parse_config(text, "dump");
    EXPECT_EQ(dump_config(d), text);
    EXPECT_DOUBLE_EQ(d.soc.clock_hz, 33e6);
    EXPECT_EQ(d.uart.output_file, "/tmp/x.txt");
}

TEST(Config, RelativePathsAreRelativeToTheConfigFile) {
    const std::string dir = ::testing::TempDir();
    const std::string path = dir + "/board.yaml";
    std::ofstream(path) << "load: {firmware: fw/app.elf}\n";
    const BoardConfig c = load_config(path);
    EXPECT_EQ(c.load.firmware, (std::filesystem::path(dir) / "fw/app.elf").lexically_normal().string());
}

TEST(Config, MissingFileIsAnInputError) {
    try {
        load_config("/nonexistent/board.yaml");
        FAIL() << "no error for a missing file";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/board.yaml"), std::string::npos);
    }
}

TEST(Config, TimesWithUnits) {
    EXPECT_DOUBLE_EQ(parse_time_ns("10ms"), 10e6);
    EXPECT_DOUBLE_EQ(parse_time_ns("2.5 s"), 2.5e9);
    EXPECT_DOUBLE_EQ(parse_time_ns("100us"), 100e3);
    EXPECT_DOUBLE_EQ(parse_time_ns("42"), 42);
    EXPECT_THROW(parse_time_ns("10 parsecs"), InputError);
    EXPECT_THROW(parse_time_ns("soon"), InputError);
    EXPECT_THROW(parse_time_ns("-1ms"), InputError);
}
