// Read-out non-idealities (read noise, output noise, bit-serial recombination, ADC quantisation
// and clipping, drift, IR drop), each against a prediction derived here from the configured values.
//
// Units: the tile's accumulator (acc) is in MAC units of the integer layer (W LSB x X LSB). For
// 8-bit cells and an 8-bit parallel DAC one read unit (level x DAC code) is one MAC unit, a
// current unit is 255 * 255 read units, and a pair's level error of sigma gives a column error
// of sigma * sqrt(sum x_i^2).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "crossbar.h"
#include "int_reference.h"
#include "tile_test_util.h"

using namespace cimvp::cim;
using namespace cimvp::cim::test;

TEST(CrossbarReadout, ReadNoiseStdMatchesPrediction) {
    std::mt19937_64 g(24);
    TileConfig c;
    c.noise.w_noise = 0.01;
    Crossbar t(c);
    const WeightMatrix w = random_weights(512, 128, g);
    t.program(w);
    const auto x = random_inputs(512, g);
    const Moments m = moments(read_errors(t, w, x, 100));
    // One pair: std w_noise * 255 levels; a column: times sqrt(sum x^2). Plus the 1/12 variance of
    // rounding to the integer MAC grid.
    const double pred = std::sqrt(std::pow(0.01 * 255, 2) * sum_sq(x) + 1.0 / 12);
    EXPECT_TRUE(std_within(m.std, pred, 0.10, "read noise at the column output"));
    EXPECT_NEAR(m.mean, 0.0, 5 * pred / std::sqrt(static_cast<double>(m.n)));
}

TEST(CrossbarReadout, OutputNoiseStdMatchesPredictionAndInputAmplificationDividesIt) {
    std::mt19937_64 g(25);
    TileConfig c;
    c.conv.out_noise = 0.05;  // current units = 0.05 * 255 * 255 read units
    Crossbar t(c);
    const WeightMatrix w = random_weights(256, 128, g);
    t.program(w);
    const auto x = random_inputs(256, g, 0, 63);
    const double pred = 0.05 * 255 * 255;
    EXPECT_TRUE(std_within(moments(read_errors(t, w, x, 100)).std, pred, 0.10, "output noise"));
    // X << 2 puts 4x the signal through the same output noise: error / 4 in layer units.
    MappingOptions m;
    m.input_amp_bits = 2;
    t.program(w, m);
    EXPECT_TRUE(std_within(moments(read_errors(t, w, x, 100)).std, pred / 4, 0.10, "output noise, input_amp_bits 2"));
}

TEST(CrossbarReadout, SlicedBitSerialNoiseRecombinesAsPredicted) {
    // 4-bit cells (Lmax 15, two slices) and 8 bit-serial reads: each (slice s, plane p) read has
    // read noise (w * 15)^2 * n_p (n_p rows with bit p set), output noise (o * 15)^2 and 1/12 of
    // rounding, all weighted by (16^s * 2^p)^2 in the recombined accumulator.
    std::mt19937_64 g(26);
    TileConfig c;
    c.array.bits_per_cell = 4;
    c.conv.encoding = InputEncoding::BitSerial;
    c.noise.w_noise = 0.02;
    c.conv.out_noise = 0.1;
    Crossbar t(c);
    const WeightMatrix w = random_weights(300, 200, g);
    t.program(w);
    const auto x = random_inputs(300, g);
    double var = 0;
    for (int s = 0; s < 2; ++s)
        for (int p = 0; p < 8; ++p) {
            double n_p = 0;
            for (uint8_t v : x) n_p += (v >> p) & 1;
            const double wt = std::ldexp(1.0, 4 * s + p);
            var += wt * wt * (std::pow(0.02 * 15, 2) * n_p + std::pow(0.1 * 15, 2) + 1.0 / 12);
        }
    EXPECT_TRUE(std_within(moments(read_errors(t, w, x, 60)).std, std::sqrt(var), 0.10,
                           "bit-serial, 4-bit slices: recombined noise"));
}

TEST(CrossbarReadout, AdcQuantisationIsUniformWithinHalfLsb) {
    std::mt19937_64 g(29);
    TileConfig c;
    c.conv.out_res_bits = 8;
    c.conv.out_bound = 127000.0 / (255.0 * 255.0);  // LSB = 1000 MAC units
    Crossbar t(c);
    const WeightMatrix w = random_weights(32, 512, g, -15, 15);  // |column| <= 32*255*15 < bound
    t.program(w);
    std::vector<double> e;
    for (int r = 0; r < 50; ++r) {
        const auto x = random_inputs(32, g);
        const auto ref = reference_acc(w, x);
        const auto acc = tile_acc(t, x);
        for (size_t j = 0; j < acc.size(); ++j) {
            ASSERT_LE(std::fabs(acc[j] - ref[j]), 500.0 + 0.5) << "column " << j << " beyond half an ADC LSB";
            e.push_back(acc[j] - ref[j]);
        }
    }
    EXPECT_EQ(t.mvm_stats().adc_clipped, 0u);
    const Moments m = moments(e);
    EXPECT_NEAR(m.mean, 0.0, 5 * 288.7 / std::sqrt(static_cast<double>(m.n)));
    EXPECT_TRUE(std_within(m.std, 1000 / std::sqrt(12.0), 0.05, "ADC quantisation error (uniform, LSB/sqrt 12)"));
}

TEST(CrossbarReadout, ColumnsBeyondOutBoundClip) {
    std::mt19937_64 g(30);
    TileConfig c;
    c.conv.out_bound = 2.0;  // 2 * 65025 = 130050 MAC units
    Crossbar t(c);
    const WeightMatrix w = random_weights(512, 400, g);
    t.program(w);
    const auto x = random_inputs(512, g);
    const auto ref = reference_acc(w, x);
    const auto acc = tile_acc(t, x);
    const double bound = 2.0 * 255 * 255;
    uint64_t beyond = 0;
    for (size_t j = 0; j < acc.size(); ++j) {
        if (std::fabs(ref[j]) > bound) {
            ++beyond;
            EXPECT_EQ(acc[j], std::copysign(bound, ref[j])) << "column " << j << " (ideal " << ref[j] << ") not clipped";
        } else {
            EXPECT_EQ(acc[j], ref[j]) << "column " << j << " inside the bound changed";
        }
    }
    EXPECT_GT(beyond, 50u) << "the test layer should clip";
    EXPECT_EQ(t.mvm_stats().adc_clipped, beyond);
}

TEST(CrossbarReadout, DriftScalesOutputsByPowerLaw) {
    std::mt19937_64 g(31);
    TileConfig c;
    c.noise.drift_nu = 0.05;
    c.noise.drift_t0_s = 20;
    Crossbar t(c);
    const WeightMatrix w = random_weights(1792, 896, g);
    t.program(w);
    const auto x = random_inputs(1792, g);
    const auto b = random_bias(896, g, 100000);
    const auto ref = reference_acc(w, x, b);
    // Before t0 nothing has drifted.
    EXPECT_EQ(first_mismatch(tile_acc(t, x, b, 5.0), ref, "t < t0"), "");
    const double t_s = 1e4, factor = std::pow(t_s / 20, -0.05);
    const auto acc = tile_acc(t, x, b, t_s);
    double num = 0, den = 0;
    for (size_t j = 0; j < acc.size(); ++j) {
        const double analog = ref[j] - b[j], got = acc[j] - b[j];
        // The bias is digital and does not drift; the analog part goes through the 32-bit ADC
        // (LSB 1792 * 255^2 / (2^31 - 1) = 0.054) and is then rounded to an integer.
        ASSERT_NEAR(got, factor * analog, 0.5 + 0.0543 / 2 + 1e-9 * std::fabs(analog)) << "column " << j;
        num += got * analog;
        den += analog * analog;
    }
    EXPECT_NEAR(num / den, factor, 1e-5) << "fitted drift factor";
}

TEST(CrossbarReadout, IrDropFollowsTheFirstOrderFormula) {
    // Every weight of column j is +127 (j even) or -127 (j odd) and every input 255, so each
    // column's one conducting side carries I = 1792 * 255 * 127 read units of a full scale
    // I_fs = 1792 * 255 * 255, and should read I * (1 - ir * (j + 1) / 896 * I / I_fs).
    TileConfig c;
    c.noise.ir_drop = 0.2;
    Crossbar t(c);
    WeightMatrix w(1792, 896);
    for (int i = 0; i < 1792; ++i)
        for (int j = 0; j < 896; ++j) w.at(i, j) = (j % 2) ? -127 : 127;
    t.program(w);
    const auto acc = tile_acc(t, std::vector<uint8_t>(1792, 255));
    const double i_col = 1792.0 * 255 * 127, i_fs = 1792.0 * 255 * 255;
    for (int j = 0; j < 896; ++j) {
        const double want = ((j % 2) ? -1 : 1) * i_col * (1 - 0.2 * (j + 1) / 896.0 * i_col / i_fs);
        ASSERT_NEAR(acc[j], want, 1.0) << "column " << j;
    }
    EXPECT_LT(std::fabs(acc[894]), std::fabs(acc[0])) << "far columns must lose more";
}
