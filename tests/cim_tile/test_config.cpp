// TileConfig defaults and validation, mapping validation: impossible values are rejected with a
// message naming the field.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>

#include "crossbar.h"
#include "mapping.h"
#include "tile_config.h"

using namespace cimvp::cim;

namespace {

std::string validate_error(const std::function<void(TileConfig&)>& change) {
    TileConfig c;
    change(c);
    try {
        c.validate();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

std::string mapping_error(const MappingOptions& m, int rows, int cols, int bits_per_cell = 8) {
    TileConfig c;
    c.array.bits_per_cell = bits_per_cell;
    try {
        validate_mapping(m, c, rows, cols);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(TileConfig, DefaultsAreTheIdealEflashArray) {
    TileConfig c;
    EXPECT_NO_THROW(c.validate());
    EXPECT_EQ(c.array.rows, 1792);
    EXPECT_EQ(c.array.cols, 896);
    EXPECT_EQ(c.array.bits_per_cell, 8);
    EXPECT_EQ(c.slices(), 1);
    EXPECT_EQ(c.levels_max(), 255);
    EXPECT_EQ(c.conv.inp_res_bits, 8);
    EXPECT_EQ(c.conv.out_res_bits, 32);
    EXPECT_TRUE(c.analog_ideal());
}

TEST(TileConfig, SlicesCoverEightBits) {
    TileConfig c;
    const int want[9] = {0, 8, 4, 3, 2, 2, 2, 2, 1};
    for (int b = 1; b <= 8; ++b) {
        c.array.bits_per_cell = b;
        EXPECT_EQ(c.slices(), want[b]) << "bits_per_cell " << b;
        EXPECT_GE(c.slices() * b, 8);
    }
}

TEST(TileConfig, ValidateNamesTheBadField) {
    struct Case {
        const char* field;
        std::function<void(TileConfig&)> change;
    };
    const double nan = std::nan("");
    const Case cases[] = {
        {"array.rows", [](TileConfig& c) { c.array.rows = 0; }},
        {"array.rows", [](TileConfig& c) { c.array.rows = kMaxRows + 1; }},
        {"array.cols", [](TileConfig& c) { c.array.cols = -3; }},
        {"array.bits_per_cell", [](TileConfig& c) { c.array.bits_per_cell = 0; }},
        {"array.bits_per_cell", [](TileConfig& c) { c.array.bits_per_cell = 9; }},
        {"array.g_max_us", [](TileConfig& c) { c.array.g_max_us = 0; }},
        {"conv.inp_res_bits", [](TileConfig& c) { c.conv.inp_res_bits = 0; }},
        {"conv.inp_res_bits", [](TileConfig& c) { c.conv.inp_res_bits = 9; }},
        {"conv.out_res_bits", [](TileConfig& c) { c.conv.out_res_bits = 0; }},
        {"conv.out_res_bits", [](TileConfig& c) { c.conv.out_res_bits = 33; }},
        {"conv.out_bound", [](TileConfig& c) { c.conv.out_bound = -1; }},
        {"conv.out_noise", [nan](TileConfig& c) { c.conv.out_noise = nan; }},
        {"noise.prog_noise_lsb", [](TileConfig& c) { c.noise.prog_noise_lsb = -0.1; }},
        {"noise.prog_noise_frac", [](TileConfig& c) { c.noise.prog_noise_frac = -1; }},
        {"noise.d2d_variation", [](TileConfig& c) { c.noise.d2d_variation = -1; }},
        {"noise.stuck_at_rate", [](TileConfig& c) { c.noise.stuck_at_rate = 1.5; }},
        {"noise.stuck_at_zero_fraction", [](TileConfig& c) { c.noise.stuck_at_zero_fraction = -0.5; }},
        {"noise.w_noise", [](TileConfig& c) { c.noise.w_noise = -0.01; }},
        {"noise.drift_nu", [](TileConfig& c) { c.noise.drift_nu = -0.05; }},
        {"noise.drift_t0_s", [](TileConfig& c) { c.noise.drift_t0_s = 0; }},
        {"noise.ir_drop", [](TileConfig& c) { c.noise.ir_drop = 2; }},
    };
    for (const Case& k : cases) {
        const std::string err = validate_error(k.change);
        EXPECT_NE(err.find(k.field), std::string::npos) << "expected an error naming " << k.field << ", got '"
                                                         << err << "'";
    }
}

TEST(TileConfig, CrossbarRefusesAnInvalidConfig) {
    TileConfig c;
    c.conv.out_res_bits = 0;
    EXPECT_THROW(Crossbar{c}, std::invalid_argument);
}

TEST(TileConfig, NonIdealFieldsClearAnalogIdeal) {
    TileConfig c;
    c.noise.w_noise = 0.01;
    EXPECT_FALSE(c.analog_ideal());
    c = TileConfig{};
    c.conv.out_noise = 0.1;
    EXPECT_FALSE(c.analog_ideal());
}

TEST(MappingValidation, LayerMustFitTheArray) {
    EXPECT_EQ(mapping_error({}, 1792, 896), "");
    EXPECT_NE(mapping_error({}, 1793, 896).find("rows"), std::string::npos);
    EXPECT_NE(mapping_error({}, 1792, 897).find("cols"), std::string::npos);
    // 4-bit cells: two pair columns per weight.
    EXPECT_EQ(mapping_error({}, 10, 448, 4), "");
    EXPECT_NE(mapping_error({}, 10, 449, 4).find("cols"), std::string::npos);
    MappingOptions rep;
    rep.replication = 2;
    EXPECT_EQ(mapping_error(rep, 896, 10), "");
    EXPECT_NE(mapping_error(rep, 897, 10).find("rows"), std::string::npos);
    MappingOptions off;
    off.row_offset = 1000;
    off.col_offset = 800;
    EXPECT_EQ(mapping_error(off, 792, 96), "");
    EXPECT_NE(mapping_error(off, 793, 96).find("rows"), std::string::npos);
    EXPECT_NE(mapping_error(off, 792, 97).find("cols"), std::string::npos);
}

TEST(MappingValidation, OptionRangesNamed) {
    MappingOptions m;
    m.replication = 0;
    EXPECT_NE(mapping_error(m, 4, 4).find("replication"), std::string::npos);
    m = {};
    m.input_amp_bits = 8;
    EXPECT_NE(mapping_error(m, 4, 4).find("input_amp_bits"), std::string::npos);
    m = {};
    m.weight_amp_bits = -1;
    EXPECT_NE(mapping_error(m, 4, 4).find("weight_amp_bits"), std::string::npos);
    m = {};
    m.col_offset = 896;
    EXPECT_NE(mapping_error(m, 4, 4).find("col_offset"), std::string::npos);
}
