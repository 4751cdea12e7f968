// cimvp: runs firmware on the virtual keyword-spotting SoC.
#include "soc.h"  // Verilated headers before SystemC (through cpu_wrapper.h)

#include <cstdlib>
#include <iostream>

#include "cli.h"
#include "errors.h"
#include "json_writer.h"
#include "stats.h"

namespace {
// SystemC prints its banner before sc_main runs, so this has to happen at static initialisation.
// SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=0 in the environment brings the banner back.
[[maybe_unused]] const int kQuietBanner = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
}  // namespace

int sc_main(int argc, char* argv[]) {
    using namespace cimvp;
    // sc_stop() is how every run ends; its info message is noise.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    // Model errors become exceptions that end the run cleanly with a message, never an abort.
    sc_core::sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_DISPLAY | sc_core::SC_THROW);
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    try {
        const CliOptions opts = parse_cli(std::vector<std::string>(argv + 1, argv + argc));
        if (opts.help) {
            std::cout << cli_usage();
            return 0;
        }
        const BoardConfig cfg = effective_config(opts);
        if (opts.dump_config) {
            std::cout << dump_config(cfg);
            return 0;
        }
        if (cfg.load.firmware.empty()) throw InputError("no firmware: give --firmware ELF or set load.firmware");
        const ElfImage image = load_elf(cfg.load.firmware);

        Soc soc("soc", cfg);
        soc.load(image);
        const RunResult result = soc.run();

        std::cout.flush();
        std::cerr << run_summary(soc, result) << std::endl;
        if (!cfg.run.stats_file.empty()) write_file_atomically(cfg.run.stats_file, stats_json(soc, result));
        switch (result.end) {
            case RunEnd::FirmwareExit: return result.exit_code;
            case RunEnd::MaxTime:
                std::cerr << "cimvp: stopped at --max-time " << result.sim_time << " before the firmware ended the run"
                          << std::endl;
                return kExitTimeout;
            case RunEnd::Stalled:
                std::cerr << "cimvp: error: the core sleeps in wfi with no interrupt that can wake it (at "
                          << result.sim_time << ")" << std::endl;
                return kExitSimError;
        }
        return kExitSimError;
    } catch (const InputError& e) {
        std::cout.flush();
        std::cerr << "cimvp: error: " << e.what() << std::endl;
        return kExitBadInput;
    } catch (const sc_core::sc_report& r) {
        std::cout.flush();
        std::cerr << "cimvp: simulation error: " << r.what() << std::endl;
        return kExitSimError;
    } catch (const std::exception& e) {
        std::cout.flush();
        std::cerr << "cimvp: internal error: " << e.what() << std::endl;
        return kExitSimError;
    }
}
