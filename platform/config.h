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

#include "energy.h"       // EnergyConfig (plain C++)
#include "mapping.h"      // cim::MappingOptions (plain C++)
#include "tile_config.h"  // cim::TileConfig (plain C++)

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

struct AudioSection : RegionSection {
    double sample_rate_hz = 16000;   // rate the board's audio interface runs at; other files are rejected [Hz]
    std::string channels = "reject"; // multichannel files: reject | mix (average) | pick (audio.channel)
    uint32_t channel = 0;            // channel kept with channels=pick (0-based)
    uint32_t fifo_depth = 64;        // [samples]
    uint32_t threshold = 32;         // [samples] reset value of THRESHOLD (DMA request / interrupt level)
};

struct DmaSection : RegionSection {
    uint32_t channels = 4;
    uint32_t request_lines = 4;      // hardware request inputs; line 0 = audio input
    uint32_t setup_cycles = 1;       // [cycles] engine overhead before each item
};

struct FbankSection : RegionSection {
    uint32_t burst_beats = 16;       // [words] longest read/write burst
    // Datapath latency [cycles per operation] (docs/architecture.md, peripherals/fbank.h).
    uint32_t start_cycles = 8;       // per START
    uint32_t frame_cycles = 4;       // per frame
    uint32_t window_cycles = 1;      // per frame sample: pre-emphasis + window
    uint32_t norm_cycles = 1;        // per sample and pass (2 passes): block-float normalisation
    uint32_t fft_stage_cycles = 4;   // per FFT pass: pipeline fill/drain
    uint32_t butterfly_cycles = 1;   // per radix-2 butterfly
    uint32_t split_cycles = 1;       // per real-FFT split step
    uint32_t bin_cycles = 1;         // per spectrum bin in the Mel band
    uint32_t sqrt_cycles = 4;        // extra per bin for a magnitude spectrum
    uint32_t mel_tap_cycles = 1;     // per Mel filter tap
    uint32_t log_cycles = 4;         // per Mel filter
};

// The analog CIM NPU (cim_tile/npu.h): the tile, the 4-stage pipeline timing, energy per event.
struct NpuSection : RegionSection {
    cim::TileConfig tile;                 // npu.array.*, npu.converters.*, npu.noise.*, npu.seed
    std::string encoding = "parallel";    // parallel | bit_serial (a descriptor may override it)
    // Pipeline: load input -> DAC -> array -> ADC and post-processing.
    uint32_t load_setup_cycles = 8;       // [cycles] descriptor decode, address setup
    uint32_t local_bytes_per_cycle = 4;   // [bytes/cycle] NPU buffer port
    uint32_t dac_fifo_bytes = 448;        // [bytes] DAC FIFO batch (eFlash SoC: 448)
    double dac_batch_ns = 250;            // [ns] load and convert one FIFO batch, per read
    double array_read_ns = 1000;          // [ns] word-line drive and bit-line settling, per read
    uint32_t adc_count = 28;              // ADCs shared by the pair columns
    double adc_conversion_ns = 2000;      // [ns] per conversion
    uint32_t post_outputs_per_cycle = 4;  // [outputs/cycle] shift + activation lanes
    // Slow weight path.
    double cell_write_ns = 10000;         // [ns] one program pulse + verify read of one cell
    uint32_t write_verify_iterations = 4; // iterations per cell
    double weight_age_s = 0;              // [s] array age at simulation start (drift)
    uint32_t max_cached_layers = 16;      // programmed regions kept by the model
    npu::EnergyConfig energy;             // npu.energy.* [pJ per event]
    cim::MappingOptions mapping;          // npu.mapping.*: deployment aids (offsets unused)
};

struct LoadSection {
    std::string firmware;            // ELF; relative paths are relative to the config file
    std::string audio;               // WAV played by the audio input; empty = none
    std::string npu_image;           // weight image preloaded into the NPU array; empty = none
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
    AudioSection audio;
    DmaSection dma;
    FbankSection fbank;
    NpuSection npu;
    LoadSection load;
    RunSection run;

    BoardConfig();  // defaults: memory map from platform/memory_map.h
};

// Reads a YAML board description. Keys absent from the file keep their defaults. Each override
// is "dotted.key=value" (value parsed as YAML) and is applied on top of the file. Throws
// InputError naming the file and key on unknown keys, wrong types and out-of-range values.
BoardConfig load_config(const std::string& path, const std::vector<std::string>& overrides = {});
// Several files in order, each overriding the keys it sets (e.g. a board, then an energy
// table), then the overrides; relative paths in each file are relative to that file.
BoardConfig load_configs(const std::vector<std::string>& paths, const std::vector<std::string>& overrides = {});
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
