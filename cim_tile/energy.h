// Event-based energy model of the NPU (and, for whole-system figures, the CPU): every event the
// NPU counts is charged a fixed energy from EnergyConfig. Plain C++, no SystemC.
//
//   E_dac   = dac_pj_per_bit * sum over conversions of the DAC resolution used
//             (parallel: inp_res_bits per row per read; bit-serial: 1 per row per bit plane)
//   E_adc   = adc_conversions * (adc_pj_a * 2^B + adc_pj_b),  B = adc_bits (0: the tile's
//             out_res_bits, capped at 16; the ideal tile's 32-bit ADC is a modelling device)
//   E_array = cells_read * array_pj_per_cell
//             + driven_conductance_us * 1e-6 * array_v_read^2 * array_t_read_ns * 1e-9 * 1e12
//             (the second, physical, term is off while array_v_read = 0; set one of the two to 0)
//   E_post  = outputs * post_pj_per_output          (slice recombination, shift, activation)
//   E_buf   = buffer_bytes * buffer_pj_per_byte      (NPU input/output buffers, both ports)
//   E_sram  = bus_bytes * sram_pj_per_byte           (what the NPU fetches or stores over the bus)
//   E_bus   = bus_bytes * bus_pj_per_byte
//   E_write = cell_write_pulses * cell_write_pj      (write-verify iterations x cells)
//   E_cpu   = cpu_cycles * cpu_pj_per_cycle          (filled in by the platform, 0 in the NPU)
// The defaults are the "murmann" table (configs/energy-murmann.yaml); README.md gives sources.
#ifndef CIMVP_CIM_ENERGY_H
#define CIMVP_CIM_ENERGY_H

#include <cstdint>

namespace cimvp::npu {

struct EnergyConfig {
    double dac_pj_per_bit = 0.05;        // [pJ per conversion per bit of resolution]
    double adc_pj_a = 0.005;             // [pJ] per conversion step: 5 fJ/step (Walden FoM frontier)
    double adc_pj_b = 0.2;               // [pJ] per conversion: fixed overhead (clocking, logic)
    int adc_bits = 8;                    // [bits] resolution charged; 0 = tile's out_res_bits (<= 16)
    double array_pj_per_cell = 0.008;    // [pJ] per driven cell per read (80 nA x 1 V x 100 ns)
    double array_v_read = 0.0;           // [V] read voltage for the conductance term; 0 = off
    double array_t_read_ns = 0.0;        // [ns] integration time for the conductance term
    double post_pj_per_output = 0.5;     // [pJ] per output column
    double buffer_pj_per_byte = 0.3;     // [pJ] per byte of NPU buffer access
    double sram_pj_per_byte = 2.5;       // [pJ] per byte of SRAM access
    double bus_pj_per_byte = 0.5;        // [pJ] per byte moved on the AHB
    double cpu_pj_per_cycle = 15.0;      // [pJ] per CPU clock cycle
    double cell_write_pj = 1000.0;       // [pJ] per cell write-verify iteration (program pulse + verify)

    // Throws std::invalid_argument naming the field (negative or non-finite values, bad adc_bits).
    void validate() const;
};

// What happened, as counts.
struct EnergyEvents {
    uint64_t macs = 0;                   // row_cnt x col_cnt per MVM (layer MACs, not cells)
    uint64_t dac_conversions = 0;        // row x read
    uint64_t dac_conversion_bits = 0;    // sum of the resolution of each conversion
    uint64_t adc_conversions = 0;        // pair column x read
    uint64_t cells_read = 0;             // driven cells (both sides of a pair) x read
    double driven_conductance_us = 0;    // sum of G * (v / v_fs)^2 [uS] (crossbar.h MvmStats)
    uint64_t outputs = 0;                // output columns produced
    uint64_t buffer_bytes = 0;
    uint64_t bus_bytes = 0;
    uint64_t cell_write_pulses = 0;
    uint64_t cpu_cycles = 0;
};

struct EnergyBreakdown {  // [pJ]
    double dac = 0, adc = 0, array = 0, post = 0, buffer = 0, sram = 0, bus = 0, write = 0, cpu = 0;
    double npu() const { return dac + adc + array + post + buffer + sram + bus + write; }
    double total() const { return npu() + cpu; }
};

// Energy of one ADC conversion at `bits` [pJ].
double adc_energy_pj(const EnergyConfig& c, int bits);
// tile_adc_bits: the tile's out_res_bits, used when c.adc_bits == 0.
EnergyBreakdown compute_energy(const EnergyConfig& c, const EnergyEvents& e, int tile_adc_bits);

}  // namespace cimvp::npu

#endif
