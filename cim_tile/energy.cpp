#include "energy.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cimvp::npu {

void EnergyConfig::validate() const {
    const std::pair<const char*, double> fields[] = {
        {"dac_pj_per_bit", dac_pj_per_bit},       {"adc_pj_a", adc_pj_a},
        {"adc_pj_b", adc_pj_b},                   {"array_pj_per_cell", array_pj_per_cell},
        {"array_v_read", array_v_read},           {"array_t_read_ns", array_t_read_ns},
        {"post_pj_per_output", post_pj_per_output}, {"buffer_pj_per_byte", buffer_pj_per_byte},
        {"sram_pj_per_byte", sram_pj_per_byte},   {"bus_pj_per_byte", bus_pj_per_byte},
        {"cpu_pj_per_cycle", cpu_pj_per_cycle},   {"cell_write_pj", cell_write_pj},
    };
    for (const auto& [name, v] : fields)
        if (!(v >= 0) || !std::isfinite(v))
            throw std::invalid_argument(std::string("npu.energy.") + name + " must be finite and >= 0, got " +
                                        std::to_string(v));
    if (adc_bits < 0 || adc_bits > 16)
        throw std::invalid_argument("npu.energy.adc_bits must be in 0..16, got " + std::to_string(adc_bits));
}

double adc_energy_pj(const EnergyConfig& c, int bits) { return c.adc_pj_a * std::ldexp(1.0, bits) + c.adc_pj_b; }

EnergyBreakdown compute_energy(const EnergyConfig& c, const EnergyEvents& e, int tile_adc_bits) {
    const int bits = c.adc_bits > 0 ? c.adc_bits : std::min(tile_adc_bits, 16);
    EnergyBreakdown b;
    b.dac = c.dac_pj_per_bit * static_cast<double>(e.dac_conversion_bits);
    b.adc = adc_energy_pj(c, bits) * static_cast<double>(e.adc_conversions);
    // uS * V^2 * ns = 1e-6 * 1e-9 J = 1e-3 pJ
    b.array = c.array_pj_per_cell * static_cast<double>(e.cells_read) +
              e.driven_conductance_us * c.array_v_read * c.array_v_read * c.array_t_read_ns * 1e-3;
    b.post = c.post_pj_per_output * static_cast<double>(e.outputs);
    b.buffer = c.buffer_pj_per_byte * static_cast<double>(e.buffer_bytes);
    b.sram = c.sram_pj_per_byte * static_cast<double>(e.bus_bytes);
    b.bus = c.bus_pj_per_byte * static_cast<double>(e.bus_bytes);
    b.write = c.cell_write_pj * static_cast<double>(e.cell_write_pulses);
    b.cpu = c.cpu_pj_per_cycle * static_cast<double>(e.cpu_cycles);
    return b;
}

}  // namespace cimvp::npu
