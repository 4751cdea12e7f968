// Command-line parsing of the cimvp program.
#include <gtest/gtest.h>

#include "cli.h"
#include "errors.h"

using namespace cimvp;

TEST(Cli, ParsesOptions) {
    const CliOptions o = parse_cli({"--config", "b.yaml", "--firmware", "fw.elf", "--max-time", "5ms", "--stats",
                                    "s.json", "--set", "soc.clock_hz=1e6", "--set", "sram.read_wait_states=1",
                                    "--dump-config"});
    ASSERT_EQ(o.configs.size(), 1u);
    EXPECT_EQ(o.configs[0], "b.yaml");
    EXPECT_EQ(*o.firmware, "fw.elf");
    EXPECT_DOUBLE_EQ(*o.max_time_ns, 5e6);
    EXPECT_EQ(*o.stats_file, "s.json");
    ASSERT_EQ(o.overrides.size(), 2u);
    EXPECT_TRUE(o.dump_config);
}

TEST(Cli, RejectsUnknownAndIncompleteOptions) {
    try {
        parse_cli({"--frimware", "x"});
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("--frimware"), std::string::npos);
    }
    try {
        parse_cli({"--stats"});
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("--stats needs a value"), std::string::npos);
    }
    EXPECT_THROW(parse_cli({"--max-time", "fortnight"}), InputError);
}

TEST(Cli, CommandLineOverridesConfig) {
    CliOptions o = parse_cli({"--firmware", "fw.elf", "--max-time", "1ms", "--set", "soc.clock_hz=2e6"});
    const BoardConfig c = effective_config(o);
    EXPECT_EQ(c.load.firmware, "fw.elf");
    EXPECT_DOUBLE_EQ(c.run.max_time_ns, 1e6);
    EXPECT_DOUBLE_EQ(c.soc.clock_hz, 2e6);
}
