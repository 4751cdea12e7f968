// Command-line options of the cimvp program.
#ifndef CIMVP_PLATFORM_CLI_H
#define CIMVP_PLATFORM_CLI_H

#include <optional>
#include <string>
#include <vector>

#include "config.h"

namespace cimvp {

struct CliOptions {
    std::vector<std::string> configs;        // --config FILE (repeatable: later files override earlier)
    std::optional<std::string> firmware;     // --firmware ELF
    std::optional<std::string> audio;        // --audio FILE.wav
    std::optional<std::string> npu_image;    // --npu-image FILE
    std::optional<double> max_time_ns;       // --max-time T
    std::optional<std::string> stats_file;   // --stats FILE.json
    std::optional<std::string> trace_file;   // --trace FILE
    std::vector<std::string> overrides;      // --set key=value (repeatable)
    bool dump_config = false;                // --dump-config
    bool help = false;                       // --help
};

// Throws InputError naming the option on anything it does not understand.
CliOptions parse_cli(const std::vector<std::string>& args);

// Loads the config file (or the defaults) and applies the options on top of it.
BoardConfig effective_config(const CliOptions& opts);

const char* cli_usage();

}  // namespace cimvp

#endif
