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
        // Share of the simulated time the core was clocked rather than asleep in wfi.
        .value("load", result.sim_time > sc_core::SC_ZERO_TIME
                           ? static_cast<double>(c.cycles) * soc.cpu_clock_period().to_seconds() /
                                 result.sim_time.to_seconds()
                           : 0.0)
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

    const AudioInStats a = soc.audio().stats();
    j.begin_object("audio")
        .value("samples_arrived", a.samples_arrived)
        .value("samples_delivered", a.samples_delivered)
        .value("overruns", a.overruns)
        .value("underrun_reads", a.underrun_reads)
        .value("fifo_high_water", a.fifo_high_water)
        .end_object();

    j.begin_object("dma");
    for (unsigned ch = 0; ch < soc.dma().channels(); ++ch) {
        const DmaChannelStats d = soc.dma().channel_stats(ch);
        j.begin_object("ch" + std::to_string(ch))
            .value("items", d.items)
            .value("bytes", d.bytes)
            .value("requests", d.requests)
            .value("passes", d.passes)
            .value("errors", d.errors)
            .value("bus_time_ns", d.bus_time.to_seconds() * 1e9)
            .value("bus_stall_time_ns", d.bus_stall_time.to_seconds() * 1e9)
            .end_object();
    }
    j.end_object();

    const FbankStats f = soc.fbank().stats();
    j.begin_object("fbank")
        .value("runs", f.runs)
        .value("frames", f.frames)
        .value("busy_cycles", f.busy_cycles)
        .value("compute_cycles", f.compute_cycles)
        .value("bus_cycles", f.bus_cycles)
        .value("bytes_read", f.bytes_read)
        .value("bytes_written", f.bytes_written)
        .value("errors", f.errors)
        .value("ignored_starts", f.ignored_starts)
        .end_object();

    // NPU: events, energy by component, throughput. CPU energy comes from the core's cycles.
    const npu::NpuStats n = soc.npu().stats();
    npu::EnergyEvents ev = n.events;
    ev.cpu_cycles = c.cycles;
    const npu::EnergyBreakdown e =
        npu::compute_energy(soc.config().npu.energy, ev, soc.config().npu.tile.conv.out_res_bits);
    j.begin_object("npu")
        .value("chains", n.chains)
        .value("descriptors", n.descriptors)
        .value("errors", n.errors)
        .value("macs", n.events.macs)
        .value("adc_conversions", n.events.adc_conversions)
        .value("adc_clipped", n.adc_clipped)
        .value("dac_conversions", n.events.dac_conversions)
        .value("bus_bytes_read", n.bus_bytes_read)
        .value("bus_bytes_written", n.bus_bytes_written)
        .value("weight_writes", n.weight_writes)
        .value("busy_time_ns", n.busy_s * 1e9)
        .value("ops_per_s", n.ops_per_s())
        .value("tops_per_w", n.tops_per_w())
        .value("pj_per_mac", n.pj_per_mac())
        .end_object();
    j.begin_object("energy_pj")
        .value("dac", e.dac)
        .value("adc", e.adc)
        .value("array", e.array)
        .value("post", e.post)
        .value("buffer", e.buffer)
        .value("sram", e.sram)
        .value("bus", e.bus)
        .value("write", e.write)
        .value("npu", e.npu())
        .value("cpu", e.cpu)
        .value("total", e.total())
        .end_object();
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
