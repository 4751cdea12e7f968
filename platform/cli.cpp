#include "cli.h"

#include "errors.h"

namespace cimvp {

const char* cli_usage() {
    return "usage: cimvp [--config FILE.yaml] [--firmware ELF] [--audio FILE.wav] [--npu-image FILE]\n"
           "             [--max-time T] [--stats FILE.json] [--trace FILE] [--set key.path=value]...\n"
           "             [--dump-config] [--help]\n"
           "\n"
           "  --config FILE     board description (YAML); without it, the built-in defaults. Repeat it to\n"
           "                    layer files: later ones override the keys they set (e.g. an energy table)\n"
           "  --firmware ELF    program to run (overrides load.firmware)\n"
           "  --audio FILE      WAV file played by the audio input (overrides load.audio)\n"
           "  --npu-image FILE  weights preloaded into the NPU's array (overrides load.npu_image)\n"
           "  --max-time T      stop after T of simulated time (e.g. 10ms, 2s; overrides run.max_time_ns)\n"
           "  --stats FILE      write statistics as JSON (overrides run.stats_file)\n"
           "  --trace FILE      write the retirement trace (overrides cpu.trace_file)\n"
           "  --set KEY=VALUE   override any config key, e.g. --set soc.clock_hz=50e6\n"
           "  --dump-config     print the effective configuration and exit\n"
           "\n"
           "Exit code: the firmware's (0..123); 124 = --max-time reached; 125 = bad input;\n"
           "126 = a model reported an error during the simulation.\n";
}

CliOptions parse_cli(const std::vector<std::string>& args) {
    CliOptions o;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* opt) -> std::string {
            if (i + 1 >= args.size()) throw InputError(std::string("option ") + opt + " needs a value");
            return args[++i];
        };
        if (a == "--config") o.configs.push_back(value("--config"));
        else if (a == "--firmware") o.firmware = value("--firmware");
        else if (a == "--audio") o.audio = value("--audio");
        else if (a == "--npu-image") o.npu_image = value("--npu-image");
        else if (a == "--max-time") o.max_time_ns = parse_time_ns(value("--max-time"));
        else if (a == "--stats") o.stats_file = value("--stats");
        else if (a == "--trace") o.trace_file = value("--trace");
        else if (a == "--set") o.overrides.push_back(value("--set"));
        else if (a == "--dump-config") o.dump_config = true;
        else if (a == "--help" || a == "-h") o.help = true;
        else throw InputError("unknown option '" + a + "' (see --help)");
    }
    return o;
}

BoardConfig effective_config(const CliOptions& o) {
    BoardConfig cfg = load_configs(o.configs, o.overrides);
    // Paths given on the command line are relative to the working directory.
    if (o.firmware) cfg.load.firmware = *o.firmware;
    if (o.audio) cfg.load.audio = *o.audio;
    if (o.npu_image) cfg.load.npu_image = *o.npu_image;
    if (o.max_time_ns) cfg.run.max_time_ns = *o.max_time_ns;
    if (o.stats_file) cfg.run.stats_file = *o.stats_file;
    if (o.trace_file) cfg.cpu.trace_file = *o.trace_file;
    return cfg;
}

}  // namespace cimvp
