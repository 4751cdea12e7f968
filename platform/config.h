// The board description: typed configuration of every model, with units in the names.
// YAML parsing, validation (unknown keys rejected, ranges checked) and dumping live in
// config.cpp / config_schema.h, and nowhere else. Models get their own typed structs built
// from these by the SoC assembly (soc.cpp); this header has no SystemC dependency.
#ifndef CIMVP_PLATFORM_CONFIG_H
#define CIMVP_PLATFORM_CONFIG_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cimvp {

struct RegionSection {
    uint64_t base = 0;
    uint64_t size = 0;
};

struct MemorySection : RegionSection {
    uint32_t read_wait_states = 0;   // cycles HREADY is low on a read
    uint32_t write_wait_states = 0;  // cycles HREADY is low on a write
};

struct SocSection {
    double clock_hz = 100e6;         // HCLK: core and AHB clock [Hz]
    double quantum_ns = 1000;        // temporal-decoupling quantum [ns]: CPU runs ahead of SystemC by at most this
};

struct CpuSection {
    std::string trace_file;          // RVFI-style retirement trace; empty = off
};

struct BusSection {
    uint32_t address_phase_cycles = 1;
    uint32_t data_phase_cycles = 1;  // per beat
    uint32_t arbitration_cycles = 0; // extra cycles when the bus changes master
    std::string arbitration = "fixed_priority";  // fixed_priority | round_robin
};

struct UartSection : RegionSection {
    bool to_stdout = true;
    std::string output_file;         // also write the console here; empty = none
    double baud = 0;                 // 0 = transmit instantly [bit/s]
    uint32_t tx_fifo_depth = 16;     // bytes
};

struct TimerSection : RegionSection {
    double frequency_hz = 1e6;       // mtime rate [Hz]
};

struct IntcSection : RegionSection {
    uint32_t num_sources = 31;
};

struct SimctrlSection : RegionSection {};

struct LoadSection {
    std::string firmware;            // ELF; relative paths are relative to the config file
};

struct RunSection {
    double max_time_ns = 0;          // 0 = no limit [ns]
    std::string stats_file;          // JSON statistics; empty = none
};

struct BoardConfig {
    SocSection soc;
    CpuSection cpu;
    BusSection bus;
    MemorySection flash;
    MemorySection sram;
    UartSection uart;
    TimerSection timer;
    IntcSection intc;
    SimctrlSection simctrl;
    LoadSection load;
    RunSection run;

    BoardConfig();  // defaults: memory map from platform/memory_map.h
};

// Reads a YAML board description. Keys absent from the file keep their defaults. Each override
// is "dotted.key=value" (value parsed as YAML) and is applied on top of the file. Throws
// InputError naming the file and key on unknown keys, wrong types and out-of-range values.
BoardConfig load_config(const std::string& path, const std::vector<std::string>& overrides = {});
// Same from YAML text (for tests); `origin` names the source in messages.
BoardConfig parse_config(const std::string& yaml_text, const std::string& origin,
                         const std::vector<std::string>& overrides = {},
                         const std::string& base_dir = ".");

// The effective configuration as YAML (every key, with units as comments).
std::string dump_config(const BoardConfig& cfg);

// Parses a time with unit ("10ms", "2.5 s", "100us", "42ns"; bare number = ns) into ns.
double parse_time_ns(const std::string& text);

}  // namespace cimvp

#endif
