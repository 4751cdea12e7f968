#include "stats.h"

#include <cstdio>

#include "json_writer.h"

namespace cimvp {

namespace {

const char* end_name(RunEnd e) {
    switch (e) {
        case RunEnd::FirmwareExit: return "firmware_exit";
        case RunEnd::MaxTime: return "max_time";
        case RunEnd::Stalled: return "stalled";
    }
    return "unknown";
}

void port_stats(JsonWriter& j, const AhbPortStats& s) {
    j.begin_object(s.name)
        .value("transfers", s.transfers)
        .value("reads", s.reads)
        .value("writes", s.writes)
        .value("bytes", s.bytes)
        .value("dmi_transfers", s.dmi_transfers)
        .value("busy_cycles", s.busy_cycles)
        .value("wait_cycles", s.wait_cycles)
        .value("errors", s.errors)
        .end_object();
}

double mips(const CpuWrapper::Stats& c, const RunResult& r) {
    return r.wall_seconds > 0 ? static_cast<double>(c.instret) / r.wall_seconds / 1e6 : 0.0;
}

}  // namespace

std::string stats_json(const Soc& soc, const RunResult& result) {
    const CpuWrapper::Stats c = soc.cpu().stats();
    JsonWriter j;
    j.begin_object();
    j.value("end", end_name(result.end));
    j.value("exit_code", result.exit_code);
    j.value("simulated_time_ns", result.sim_time.to_seconds() * 1e9);
    j.value("wall_time_s", result.wall_seconds);
    j.value("clock_hz", soc.config().soc.clock_hz);

    j.begin_object("cpu")
        .value("cycles", c.cycles)
        .value("instret", c.instret)
        .value("sleep_cycles", c.sleep_cycles)
        .value("ipc", c.cycles > 0 ? static_cast<double>(c.instret) / static_cast<double>(c.cycles) : 0.0)
        .value("mips", mips(c, result))
        .value("tlm_transfers", c.tlm_transfers)
        .value("dmi_transfers", c.dmi_transfers)
        .value("bus_errors", c.bus_errors)
        .end_object();

    j.begin_object("bus");
    j.value("decode_errors", soc.bus().decode_errors());
    j.begin_object("masters");
    for (const AhbPortStats& s : soc.bus().master_stats()) port_stats(j, s);
    j.end_object();
    j.begin_object("targets");
    for (const AhbPortStats& s : soc.bus().target_stats()) port_stats(j, s);
    j.end_object();
    j.end_object();

    const UartStats u = soc.uart().stats();
    j.begin_object("uart").value("tx_bytes", u.tx_bytes).value("dropped_bytes", u.dropped_bytes).end_object();
    j.end_object();
    return j.str() + "\n";
}

std::string run_summary(const Soc& soc, const RunResult& result) {
    const CpuWrapper::Stats c = soc.cpu().stats();
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "cimvp: %s (exit %d) after %.3f ms simulated, %llu instructions, %llu cycles, %.2f s wall, %.1f MIPS",
                  end_name(result.end), result.exit_code, result.sim_time.to_seconds() * 1e3,
                  static_cast<unsigned long long>(c.instret), static_cast<unsigned long long>(c.cycles),
                  result.wall_seconds, mips(c, result));
    return buf;
}

}  // namespace cimvp
