// The run's statistics as JSON: time, core, bus per master and per target, peripherals.
#ifndef CIMVP_PLATFORM_STATS_H
#define CIMVP_PLATFORM_STATS_H

#include <string>

#include "soc.h"

namespace cimvp {

std::string stats_json(const Soc& soc, const RunResult& result);

// One human-readable line for the end of a run (stderr).
std::string run_summary(const Soc& soc, const RunResult& result);

}  // namespace cimvp

#endif
