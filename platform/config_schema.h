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
    v.section("audio", [&] {
        visit_region(v, c.audio);
        v.field("sample_rate_hz", c.audio.sample_rate_hz, "audio interface rate; files at another rate are rejected [Hz]",
                Range{1000, 192000});
        v.choice("channels", c.audio.channels, "multichannel files", {"reject", "mix", "pick"});
        v.field("channel", c.audio.channel, "channel kept with channels=pick (0-based)", Range{0, 255});
        v.field("fifo_depth", c.audio.fifo_depth, "samples", Range{1, 65536});
        v.field("threshold", c.audio.threshold, "samples: DMA request / interrupt level (1..fifo_depth)",
                Range{1, 65536});
    });
    v.section("dma", [&] {
        visit_region(v, c.dma);
        v.field("channels", c.dma.channels, "channels", Range{1, 8});
        v.field("request_lines", c.dma.request_lines, "hardware request inputs; line 0 = audio input", Range{1, 8});
        v.field("setup_cycles", c.dma.setup_cycles, "cycles before each item", Range{0, 1000});
    });
    v.section("fbank", [&] {
        visit_region(v, c.fbank);
        v.field("burst_beats", c.fbank.burst_beats, "words per burst", Range{1, 256});
        const Range k{0, 100000};
        v.field("start_cycles", c.fbank.start_cycles, "cycles per START", k);
        v.field("frame_cycles", c.fbank.frame_cycles, "cycles per frame", k);
        v.field("window_cycles", c.fbank.window_cycles, "cycles per frame sample (pre-emphasis, window)", k);
        v.field("norm_cycles", c.fbank.norm_cycles, "cycles per sample and pass (block-float normalisation)", k);
        v.field("fft_stage_cycles", c.fbank.fft_stage_cycles, "cycles per FFT pass (pipeline fill)", k);
        v.field("butterfly_cycles", c.fbank.butterfly_cycles, "cycles per radix-2 butterfly", k);
        v.field("split_cycles", c.fbank.split_cycles, "cycles per real-FFT split step", k);
        v.field("bin_cycles", c.fbank.bin_cycles, "cycles per spectrum bin in the Mel band", k);
        v.field("sqrt_cycles", c.fbank.sqrt_cycles, "extra cycles per bin for a magnitude spectrum", k);
        v.field("mel_tap_cycles", c.fbank.mel_tap_cycles, "cycles per Mel filter tap", k);
        v.field("log_cycles", c.fbank.log_cycles, "cycles per Mel filter (log)", k);
    });
    v.section("npu", [&] {
        visit_region(v, c.npu);
        cim::TileConfig& t = c.npu.tile;
        v.section("array", [&] {
            v.field("rows", t.array.rows, "word lines = inputs (eFlash SoC: 1792)", Range{1, cim::kMaxRows});
            v.field("cols", t.array.cols, "differential cell-pair columns (eFlash SoC: 896)", Range{1, cim::kMaxCols});
            v.field("bits_per_cell", t.array.bits_per_cell, "bits per cell; 8-bit weights are sliced over cells",
                    Range{1, 8});
            v.field("g_max_us", t.array.g_max_us, "conductance at the top level [uS]", Range{1e-6, 1e6});
        });
        v.section("converters", [&] {
            v.choice("encoding", c.npu.encoding, "input encoding", {"parallel", "bit_serial"});
            v.field("inp_res_bits", t.conv.inp_res_bits, "DAC resolution [bits]", Range{1, 8});
            v.field("out_res_bits", t.conv.out_res_bits, "ADC resolution [bits]; 32 = exact", Range{2, 32});
            v.field("out_bound", t.conv.out_bound, "ADC full scale [cell currents]; 0 = the column's full scale",
                    Range{0, 1e9});
            v.field("out_noise", t.conv.out_noise, "output noise std per read [cell currents]", Range{0, 1e9});
        });
        v.section("noise", [&] {
            v.field("prog_noise_lsb", t.noise.prog_noise_lsb, "programming error std [levels]", Range{0, 1e3});
            v.field("prog_noise_frac", t.noise.prog_noise_frac, "programming error std [fraction of g_max]",
                    Range{0, 10});
            v.field("d2d_variation", t.noise.d2d_variation, "device-to-device gain std [fraction]", Range{0, 10});
            v.field("stuck_at_rate", t.noise.stuck_at_rate, "fraction of stuck cells", Range{0, 1});
            v.field("stuck_at_zero_fraction", t.noise.stuck_at_zero_fraction, "of the stuck cells, fraction at 0",
                    Range{0, 1});
            v.field("w_noise", t.noise.w_noise, "read noise std per MVM [fraction of g_max]", Range{0, 10});
            v.field("drift_nu", t.noise.drift_nu, "conductance drift exponent", Range{0, 10});
            v.field("drift_t0_s", t.noise.drift_t0_s, "drift reference time [s]", Range{1e-9, 1e12});
            v.field("ir_drop", t.noise.ir_drop, "fractional loss of a fully loaded column", Range{0, 1});
        });
        v.field("seed", t.seed, "device seed: programming errors, faults, read-noise stream", Range{0, 9.0e15});
        v.section("timing", [&] {
            NpuSection& n = c.npu;
            v.field("load_setup_cycles", n.load_setup_cycles, "cycles per descriptor (decode, address setup)",
                    Range{0, 1e6});
            v.field("local_bytes_per_cycle", n.local_bytes_per_cycle, "bytes/cycle of the NPU buffer port",
                    Range{1, 1024});
            v.field("dac_fifo_bytes", n.dac_fifo_bytes, "bytes per DAC batch (eFlash SoC: 448)", Range{1, 65536});
            v.field("dac_batch_ns", n.dac_batch_ns, "ns to load and convert one DAC batch", Range{0, 1e9});
            v.field("array_read_ns", n.array_read_ns, "ns per array read", Range{0, 1e9});
            v.field("adc_count", n.adc_count, "ADCs shared by the columns", Range{1, 65536});
            v.field("adc_conversion_ns", n.adc_conversion_ns, "ns per ADC conversion", Range{0, 1e9});
            v.field("post_outputs_per_cycle", n.post_outputs_per_cycle, "outputs/cycle of post-processing",
                    Range{1, 65536});
            v.field("cell_write_ns", n.cell_write_ns, "ns per cell program-and-verify iteration", Range{0, 1e12});
            v.field("write_verify_iterations", n.write_verify_iterations, "iterations per cell", Range{1, 1000});
            v.field("weight_age_s", n.weight_age_s, "array age at simulation start [s] (drift)", Range{0, 1e12});
            v.field("max_cached_layers", n.max_cached_layers, "programmed regions kept by the model", Range{1, 4096});
        });
        v.section("mapping", [&] {
            cim::MappingOptions& m = c.npu.mapping;
            v.field("replication", m.replication, "copies of each layer stacked along the rows, averaged", Range{1, 64});
            v.field("input_amp_bits", m.input_amp_bits, "inputs shifted left before the DAC (saturating)", Range{0, 7});
            v.field("weight_amp_bits", m.weight_amp_bits, "weights shifted left before programming", Range{0, 7});
            v.flag("digital_high_bits", m.digital_high_bits, "amplified weight bits >= 8 computed by the digital unit");
        });
        v.section("energy", [&] {
            npu::EnergyConfig& e = c.npu.energy;
            const Range pj{0, 1e12};
            v.field("dac_pj_per_bit", e.dac_pj_per_bit, "pJ per DAC conversion per bit", pj);
            v.field("adc_pj_a", e.adc_pj_a, "pJ: ADC energy = a * 2^bits + b", pj);
            v.field("adc_pj_b", e.adc_pj_b, "pJ per ADC conversion (fixed part)", pj);
            v.field("adc_bits", e.adc_bits, "bits charged per conversion; 0 = converters.out_res_bits", Range{0, 16});
            v.field("array_pj_per_cell", e.array_pj_per_cell, "pJ per driven cell per read", pj);
            v.field("array_v_read", e.array_v_read, "V: conductance-based array term; 0 = off", Range{0, 100});
            v.field("array_t_read_ns", e.array_t_read_ns, "ns integration time of that term", Range{0, 1e9});
            v.field("post_pj_per_output", e.post_pj_per_output, "pJ per output (shift, activation)", pj);
            v.field("buffer_pj_per_byte", e.buffer_pj_per_byte, "pJ per byte of NPU buffer access", pj);
            v.field("sram_pj_per_byte", e.sram_pj_per_byte, "pJ per byte of SRAM access", pj);
            v.field("bus_pj_per_byte", e.bus_pj_per_byte, "pJ per byte moved on the AHB", pj);
            v.field("cpu_pj_per_cycle", e.cpu_pj_per_cycle, "pJ per CPU clock cycle", pj);
            v.field("cell_write_pj", e.cell_write_pj, "pJ per cell write-verify iteration", pj);
        });
    });
    v.section("load", [&] {
        v.path("firmware", c.load.firmware, "firmware ELF (relative to this file)");
        v.path("audio", c.load.audio, "WAV file played by the audio input; empty = none");
        v.path("npu_image", c.load.npu_image, "weight image preloaded into the NPU array; empty = none");
    });
    v.section("run", [&] {
        v.field("max_time_ns", c.run.max_time_ns, "stop after this simulated time [ns]; 0 = no limit", Range{0, 1e18});
        v.path("stats_file", c.run.stats_file, "JSON statistics output; empty = none");
    });
}

}  // namespace cimvp

#endif
