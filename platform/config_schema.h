// The one description of the board's configuration keys: name, field, unit/help and range.
// Both the YAML reader (validation) and the dumper walk this, so they cannot disagree.
#ifndef CIMVP_PLATFORM_CONFIG_SCHEMA_H
#define CIMVP_PLATFORM_CONFIG_SCHEMA_H

#include "config.h"
#include "memory_map.h"

namespace cimvp {

struct Range {
    double min;
    double max;
};

constexpr Range kAnyAddress{0, 4294967295.0};
constexpr Range kRegionSize{4, 4294967296.0};
constexpr Range kWaitStates{0, 1000};

// V must provide: section(name, fn), field(name, T& value, help, Range) for numbers,
// field(name, bool&, help), text(name, std::string&, help), path(name, std::string&, help),
// choice(name, std::string&, help, {choices...}), hex(name, uint64_t&, help, Range).
template <class V>
void visit_region(V& v, RegionSection& r) {
    v.hex("base", r.base, "start address", kAnyAddress);
    v.hex("size", r.size, "bytes", kRegionSize);
}

template <class V>
void visit_memory(V& v, MemorySection& m) {
    visit_region(v, m);
    v.field("read_wait_states", m.read_wait_states, "cycles", kWaitStates);
    v.field("write_wait_states", m.write_wait_states, "cycles", kWaitStates);
}

template <class V>
void visit_board(V& v, BoardConfig& c) {
    v.section("soc", [&] {
        v.field("clock_hz", c.soc.clock_hz, "HCLK, core and AHB clock [Hz]", Range{1e3, 10e9});
        v.field("quantum_ns", c.soc.quantum_ns,
                "temporal-decoupling quantum [ns]; also the interrupt sampling period", Range{1, 1e9});
    });
    v.section("cpu", [&] {
        v.path("trace_file", c.cpu.trace_file, "RVFI retirement trace output; empty = off");
    });
    v.section("bus", [&] {
        v.field("address_phase_cycles", c.bus.address_phase_cycles, "cycles", Range{0, 16});
        v.field("data_phase_cycles", c.bus.data_phase_cycles, "cycles per beat", Range{1, 16});
        v.field("arbitration_cycles", c.bus.arbitration_cycles, "cycles on a change of master", Range{0, 16});
        v.choice("arbitration", c.bus.arbitration, "policy", {"fixed_priority", "round_robin"});
    });
    v.section("flash", [&] { visit_memory(v, c.flash); });
    v.section("sram", [&] { visit_memory(v, c.sram); });
    v.section("uart", [&] {
        visit_region(v, c.uart);
        v.flag("to_stdout", c.uart.to_stdout, "echo the console on stdout");
        v.path("output_file", c.uart.output_file, "also write the console to this file; empty = none");
        v.field("baud", c.uart.baud, "bit/s; 0 = transmit instantly", Range{0, 1e9});
        v.field("tx_fifo_depth", c.uart.tx_fifo_depth, "bytes", Range{1, 4096});
    });
    v.section("timer", [&] {
        visit_region(v, c.timer);
        v.field("frequency_hz", c.timer.frequency_hz, "mtime rate [Hz]", Range{1, 10e9});
    });
    v.section("intc", [&] {
        visit_region(v, c.intc);
        v.field("num_sources", c.intc.num_sources, "interrupt sources 1..n", Range{1, 31});
    });
    v.section("simctrl", [&] { visit_region(v, c.simctrl); });
    v.section("load", [&] {
        v.path("firmware", c.load.firmware, "firmware ELF (relative to this file)");
    });
    v.section("run", [&] {
        v.field("max_time_ns", c.run.max_time_ns, "stop after this simulated time [ns]; 0 = no limit", Range{0, 1e18});
        v.path("stats_file", c.run.stats_file, "JSON statistics output; empty = none");
    });
}

}  // namespace cimvp

#endif
