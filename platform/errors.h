// Error type for bad user input (config, ELF, options) and the simulator's exit codes.
#ifndef CIMVP_PLATFORM_ERRORS_H
#define CIMVP_PLATFORM_ERRORS_H

#include <stdexcept>
#include <string>

namespace cimvp {

// Thrown for anything the user gave us that is wrong; the message names the file, key or address.
struct InputError : std::runtime_error {
    explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

// Exit codes of the cimvp program. Firmware exit codes are 0..123 and pass through unchanged.
enum ExitCode : int {
    kExitTimeout = 124,     // --max-time reached before the firmware ended the run
    kExitBadInput = 125,    // config, ELF, option or other input error
    kExitSimError = 126,    // a model reported an error during simulation
};

}  // namespace cimvp

#endif
