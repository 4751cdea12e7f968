// The event-based energy model (energy.h): formulas and config checks.
#include "energy.h"

#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

using namespace cimvp::npu;

TEST(Energy, AdcEnergyGrowsAsTwoToTheBits) {
    EnergyConfig c;
    c.adc_pj_a = 0.01;
    c.adc_pj_b = 0.3;
    EXPECT_DOUBLE_EQ(adc_energy_pj(c, 8), 0.01 * 256 + 0.3);
    EXPECT_DOUBLE_EQ(adc_energy_pj(c, 4), 0.01 * 16 + 0.3);
    EXPECT_NEAR(adc_energy_pj(c, 9) - c.adc_pj_b, 2 * (adc_energy_pj(c, 8) - c.adc_pj_b), 1e-12);
}

TEST(Energy, TotalsAreEventCountsTimesEnergies) {
    EnergyConfig c;
    EnergyEvents e;
    e.macs = 1000;
    e.dac_conversions = 10;
    e.dac_conversion_bits = 80;
    e.adc_conversions = 7;
    e.cells_read = 2000;
    e.driven_conductance_us = 500;
    e.outputs = 7;
    e.buffer_bytes = 17;
    e.bus_bytes = 100;
    e.cell_write_pulses = 3;
    e.cpu_cycles = 1000;
    c.array_v_read = 0.2;
    c.array_t_read_ns = 100;
    const EnergyBreakdown b = compute_energy(c, e, 32);
    EXPECT_DOUBLE_EQ(b.dac, 80 * c.dac_pj_per_bit);
    EXPECT_DOUBLE_EQ(b.adc, 7 * (c.adc_pj_a * 256 + c.adc_pj_b)) << "charged at adc_bits = 8, not the ideal 32";
    // 500 uS * (0.2 V)^2 * 100 ns = 2e-9 J... per uS*V^2*ns = 1e-3 pJ: 500 * 0.04 * 100 * 1e-3 = 2 pJ.
    EXPECT_DOUBLE_EQ(b.array, 2000 * c.array_pj_per_cell + 2.0);
    EXPECT_DOUBLE_EQ(b.post, 7 * c.post_pj_per_output);
    EXPECT_DOUBLE_EQ(b.buffer, 17 * c.buffer_pj_per_byte);
    EXPECT_DOUBLE_EQ(b.sram, 100 * c.sram_pj_per_byte);
    EXPECT_DOUBLE_EQ(b.bus, 100 * c.bus_pj_per_byte);
    EXPECT_DOUBLE_EQ(b.write, 3 * c.cell_write_pj);
    EXPECT_DOUBLE_EQ(b.cpu, 1000 * c.cpu_pj_per_cycle);
    EXPECT_DOUBLE_EQ(b.total(), b.npu() + b.cpu);
    c.adc_bits = 0;  // the tile's resolution, capped at 16
    EXPECT_DOUBLE_EQ(compute_energy(c, e, 6).adc, 7 * (c.adc_pj_a * 64 + c.adc_pj_b));
    EXPECT_DOUBLE_EQ(compute_energy(c, e, 32).adc, 7 * (c.adc_pj_a * 65536 + c.adc_pj_b));
}

TEST(Energy, DefaultsGiveThePapersEfficiencyRangeForAFullArrayMvm) {
    // 1792 x 896 MVM, parallel 8-bit DAC, 8-bit ADC per column, every cell pair driven, input and
    // output through the NPU buffers: the eFlash SoC reports 26-160 TOPS/W for its NPU.
    EnergyConfig c;
    EnergyEvents e;
    e.macs = 1792ull * 896;
    e.dac_conversions = 1792;
    e.dac_conversion_bits = 1792 * 8;
    e.adc_conversions = 896;
    e.cells_read = 2 * e.macs;
    e.outputs = 896;
    e.buffer_bytes = 1792 + 896;
    const double tops_w = 2.0 * e.macs / compute_energy(c, e, 8).npu();
    EXPECT_GT(tops_w, 26);
    EXPECT_LT(tops_w, 160);
}

TEST(Energy, ValidateNamesTheBadField) {
    EnergyConfig c;
    EXPECT_NO_THROW(c.validate());
    c.sram_pj_per_byte = -1;
    try {
        c.validate();
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("npu.energy.sram_pj_per_byte"), std::string::npos);
    }
    c = {};
    c.adc_bits = 17;
    EXPECT_THROW(c.validate(), std::invalid_argument);
    c = {};
    c.array_v_read = NAN;
    EXPECT_THROW(c.validate(), std::invalid_argument);
}
