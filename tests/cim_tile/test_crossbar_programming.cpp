// Programming-time non-idealities (write-verify error, slicing, replication, amplification with
// the digital unit, stuck-at, d2d), device reproducibility, and a Table-I-style report (eFlash
// paper), each against a prediction derived here from the configured values.
//
// Units: the tile's accumulator (acc) is in MAC units of the integer layer (W LSB x X LSB). For
// 8-bit cells and an 8-bit parallel DAC one read unit (level x DAC code) is one MAC unit, a
// current unit is 255 * 255 read units, and a pair's level error of sigma gives a column error
// of sigma * sqrt(sum x_i^2).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <set>

#include "crossbar.h"
#include "int_reference.h"
#include "tile_test_util.h"

using namespace cimvp::cim;
using namespace cimvp::cim::test;

TEST(CrossbarProgramming, ProgrammingErrorInLsbMatchesConfig) {
    std::mt19937_64 g(21);
    const WeightMatrix w = gaussian_weights(1792, 896, g, 24);
    for (double lsb : {0.5, 2.0}) {
        TileConfig c;
        c.noise.prog_noise_lsb = lsb;
        Crossbar t(c);
        t.program(w);
        const auto rb = t.read_back_weights();
        std::vector<double> e(rb.size());
        for (size_t i = 0; i < rb.size(); ++i) e[i] = rb[i] - w.data[i];
        const Moments m = moments(e);
        EXPECT_TRUE(std_within(m.std, lsb, 0.02, "read-back weight error [LSB]"));
        EXPECT_NEAR(m.mean, 0.0, 5 * lsb / std::sqrt(static_cast<double>(e.size()))) << "programming error is biased";
    }
    // The same through the fraction-of-range knob: 0.01 of g_max = 2.55 levels of an 8-bit cell.
    TileConfig c;
    c.noise.prog_noise_frac = 0.01;
    Crossbar t(c);
    t.program(w);
    const auto rb = t.read_back_weights();
    std::vector<double> e(rb.size());
    for (size_t i = 0; i < rb.size(); ++i) e[i] = rb[i] - w.data[i];
    EXPECT_TRUE(std_within(moments(e).std, 2.55, 0.02, "prog_noise_frac 0.01 read-back error [LSB]"));
}

TEST(CrossbarProgramming, SlicedProgrammingErrorScalesWithSliceWeight) {
    // 4-bit cells: weight = L0 + 16 * L1, each pair with error sigma levels, so the weight error
    // std is sigma * sqrt(1 + 16^2).
    std::mt19937_64 g(22);
    TileConfig c;
    c.array.bits_per_cell = 4;
    c.noise.prog_noise_lsb = 0.5;
    Crossbar t(c);
    const WeightMatrix w = random_weights(1000, 448, g);
    t.program(w);
    const auto rb = t.read_back_weights();
    std::vector<double> e(rb.size());
    for (size_t i = 0; i < rb.size(); ++i) e[i] = rb[i] - w.data[i];
    EXPECT_TRUE(std_within(moments(e).std, 0.5 * std::sqrt(257.0), 0.02, "4-bit sliced read-back error"));
}

TEST(CrossbarProgramming, ProgrammingErrorGivesPredictedOutputErrorAndCosine) {
    std::mt19937_64 g(23);
    const WeightMatrix w = gaussian_weights(1792, 896, g, 24);
    const auto x = random_inputs(1792, g);
    TileConfig c;
    c.noise.prog_noise_lsb = 2.0;
    Crossbar t(c);
    t.program(w);
    const auto ref = reference_acc(w, x);
    const auto acc = tile_acc(t, x);
    std::vector<double> e(ref.size());
    for (size_t j = 0; j < e.size(); ++j) e[j] = acc[j] - ref[j];
    // Each column is an independent draw of the programming error: std = 2 * sqrt(sum x^2).
    EXPECT_TRUE(std_within(moments(e).std, 2.0 * std::sqrt(sum_sq(x)), 0.10, "column error from 2 LSB programming"));
    const double cos = cosine(acc, ref);
    std::printf("  2 LSB programming error: output cosine similarity %.5f\n", cos);
    ::testing::Test::RecordProperty("output_cosine_2lsb", std::to_string(cos));
    EXPECT_GT(cos, 0.99);
}

TEST(CrossbarProgramming, ReplicationAveragesProgrammingError) {
    std::mt19937_64 g(27);
    TileConfig c;
    c.noise.prog_noise_lsb = 2.0;
    Crossbar t(c);
    const WeightMatrix w = random_weights(448, 896, g);
    const auto x = random_inputs(448, g);
    MappingOptions m;
    m.replication = 4;
    t.program(w, m);
    const auto ref = reference_acc(w, x);
    const auto acc = tile_acc(t, x);
    std::vector<double> e(ref.size());
    for (size_t j = 0; j < e.size(); ++j) e[j] = acc[j] - ref[j];
    // Four independent copies summed then divided by 4: std / 2.
    EXPECT_TRUE(std_within(moments(e).std, 2.0 * std::sqrt(sum_sq(x)) / 2, 0.10, "replication x4"));
}

TEST(CrossbarProgramming, WeightAmplificationWithDigitalHighBitsDividesError) {
    std::mt19937_64 g(28);
    TileConfig c;
    c.noise.prog_noise_lsb = 2.0;
    Crossbar t(c);
    const WeightMatrix w = random_weights(1792, 896, g);
    const auto x = random_inputs(1792, g);
    MappingOptions m;
    m.weight_amp_bits = 2;
    m.digital_high_bits = true;
    t.program(w, m);
    const auto ref = reference_acc(w, x);
    const auto acc = tile_acc(t, x);
    std::vector<double> e(ref.size());
    for (size_t j = 0; j < e.size(); ++j) e[j] = acc[j] - ref[j];
    // The 2-level error now sits under a weight 4x larger; the high bits are exact.
    EXPECT_TRUE(std_within(moments(e).std, 2.0 * std::sqrt(sum_sq(x)) / 4, 0.10, "W << 2 + digital high bits"));
}

TEST(CrossbarProgramming, StuckAtRateWithinBinomialTolerance) {
    TileConfig c;
    c.noise.stuck_at_rate = 0.02;
    c.noise.stuck_at_zero_fraction = 0.3;
    Crossbar t(c);
    const int rows = 1000, cols = 500;
    t.program(WeightMatrix(rows, cols, 100));  // G+ = 100/255, G- = 0
    uint64_t pos_zero = 0, pos_max = 0, neg_max = 0;
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) {
            const double gp = t.cell_conductance(i, j, 0, false), gn = t.cell_conductance(i, j, 0, true);
            pos_zero += gp == 0.0;
            pos_max += gp == 1.0;
            neg_max += gn == 1.0;
        }
    const double n = static_cast<double>(rows) * cols;
    auto check = [&](uint64_t got, double p, const char* what) {
        const double mean = n * p, sd = std::sqrt(n * p * (1 - p));
        EXPECT_NEAR(static_cast<double>(got), mean, 5 * sd) << what << ": " << got << " cells, expected " << mean
                                                            << " +- " << 5 * sd << " (5 sigma binomial)";
    };
    check(pos_zero, 0.02 * 0.3, "G+ stuck at 0");
    check(pos_max, 0.02 * 0.7, "G+ stuck at g_max");
    check(neg_max, 0.02 * 0.7, "G- stuck at g_max");
    const ProgramStats& s = t.program_stats();
    check(s.stuck_at_zero + s.stuck_at_max, 0.02 * 2, "all stuck cells / pairs (2 cells per pair)");
    EXPECT_EQ(s.cells, static_cast<uint64_t>(2 * n));
}

TEST(CrossbarProgramming, StuckCellsEnterTheMvmAsTheirStuckValue) {
    std::mt19937_64 g(32);
    TileConfig c;
    c.noise.stuck_at_rate = 0.05;
    Crossbar t(c);
    const WeightMatrix w = random_weights(600, 300, g);
    t.program(w);
    const auto x = random_inputs(600, g);
    // Expected from the read-back cells: sum x * 255 * (G+ - G-), every level an integer.
    std::vector<double> want(300, 0.0);
    for (int i = 0; i < 600; ++i)
        for (int j = 0; j < 300; ++j)
            want[j] += x[i] * std::round(255 * (t.cell_conductance(i, j, 0, false) - t.cell_conductance(i, j, 0, true)));
    EXPECT_EQ(first_mismatch(tile_acc(t, x), want, "stuck cells"), "");
    // And the read-back weights show them too.
    const auto rb = t.read_back_weights();
    uint64_t changed = 0;
    for (size_t i = 0; i < rb.size(); ++i) changed += rb[i] != w.data[i];
    EXPECT_GT(changed, 0u);
}

TEST(CrossbarProgramming, StuckCellsBelongToTheDeviceNotTheProgramming) {
    auto stuck_set = [](Crossbar& t) {
        std::set<std::pair<int, int>> s;
        for (int i = 0; i < 200; ++i)
            for (int j = 0; j < 200; ++j) {
                const double gp = t.cell_conductance(i, j, 0, false);
                if (gp == 0.0 || gp == 1.0) s.insert({i, j});
            }
        return s;
    };
    TileConfig c;
    c.noise.stuck_at_rate = 0.05;
    Crossbar a(c);
    a.program(WeightMatrix(200, 200, 100));
    const auto first = stuck_set(a);
    a.program(WeightMatrix(200, 200, 50));
    EXPECT_EQ(stuck_set(a), first) << "reprogramming the same device moved its stuck cells";
    c.seed = 2;
    Crossbar b(c);
    b.program(WeightMatrix(200, 200, 100));
    const auto other = stuck_set(b);
    size_t common = 0;
    for (const auto& p : other) common += first.count(p);
    EXPECT_LT(common, first.size() / 5) << "another device seed should have other stuck cells";
}

TEST(CrossbarProgramming, D2dVariationIsMultiplicative) {
    TileConfig c;
    c.noise.d2d_variation = 0.05;
    Crossbar t(c);
    t.program(WeightMatrix(1000, 500, 100));
    const auto rb = t.read_back_weights();
    std::vector<double> rel(rb.size());
    for (size_t i = 0; i < rb.size(); ++i) rel[i] = rb[i] / 100 - 1;
    const Moments m = moments(rel);
    EXPECT_TRUE(std_within(m.std, 0.05, 0.02, "relative d2d gain spread"));
    EXPECT_NEAR(m.mean, 0.0, 5 * 0.05 / std::sqrt(static_cast<double>(m.n)));
}

TEST(CrossbarProgramming, ReproducibleBySeedAndDifferentAcrossSeeds) {
    std::mt19937_64 g(33);
    TileConfig c;
    c.noise.prog_noise_lsb = 1.5;
    c.noise.w_noise = 0.01;
    c.noise.stuck_at_rate = 0.01;
    c.noise.d2d_variation = 0.02;
    c.noise.ir_drop = 0.05;
    c.conv.out_noise = 0.02;
    c.conv.out_res_bits = 12;
    c.conv.out_bound = 40;
    const WeightMatrix w = random_weights(400, 300, g);
    const auto x = random_inputs(400, g);
    Crossbar a(c), b(c);
    a.program(w);
    b.program(w);
    EXPECT_EQ(first_mismatch(a.read_back_weights(), b.read_back_weights(), "same seed read-back"), "");
    std::vector<std::vector<double>> seq;
    for (int r = 0; r < 3; ++r) {
        const auto ya = tile_acc(a, x), yb = tile_acc(b, x);
        EXPECT_EQ(first_mismatch(ya, yb, "same seed MVM " + std::to_string(r)), "");
        seq.push_back(ya);
    }
    EXPECT_NE(seq[0], seq[1]) << "read noise must differ between reads";
    a.reseed_reads(c.seed);
    EXPECT_EQ(first_mismatch(tile_acc(a, x), seq[0], "after reseed_reads"), "");

    c.seed = 99;
    Crossbar d(c);
    d.program(w);
    const auto ra = a.read_back_weights(), rd = d.read_back_weights();
    size_t differ = 0;
    for (size_t i = 0; i < ra.size(); ++i) differ += ra[i] != rd[i];
    EXPECT_GT(differ, ra.size() * 99 / 100) << "another seed must be another programmed array";
    // The error belongs to the cell and its target level: programming the same weights again
    // (a region cache refilling) gives the same array, other weights draw new errors.
    const auto before = a.read_back_weights();
    a.program(w);
    EXPECT_EQ(first_mismatch(a.read_back_weights(), before, "same weights programmed again"), "");
    WeightMatrix w2 = w;
    for (auto& v : w2.data) v = static_cast<int8_t>(v == 127 ? 126 : v + 1);
    a.program(w2);
    const auto after = a.read_back_weights();
    size_t same_err = 0;
    for (size_t i = 0; i < after.size(); ++i) same_err += std::abs((after[i] - before[i]) - 1.0) < 1e-9;
    EXPECT_LT(same_err, after.size() / 100) << "cells written to another level must get a new error";
}

// A physical cell has one programming error whichever region descriptor reaches it: a sub-block
// programmed on its own (with its array offsets) reads back exactly as in the whole layer. The
// firmware's offset calibration measures a layer through one region and runs it through others.
TEST(CrossbarProgramming, OverlappingRegionsSeeTheSameCells) {
    std::mt19937_64 g(8);
    TileConfig c;
    c.noise.prog_noise_lsb = 2.0;
    const WeightMatrix w = random_weights(60, 40, g);
    Crossbar whole(c), part(c);
    MappingOptions mw;
    mw.row_offset = 100;
    mw.col_offset = 10 * c.slices();
    whole.program(w, mw);
    const int r0 = 5, c0 = 12, nr = 30, nc = 20;
    WeightMatrix sub(nr, nc);
    for (int i = 0; i < nr; ++i)
        for (int j = 0; j < nc; ++j) sub.data[static_cast<size_t>(i) * nc + j] = w.at(r0 + i, c0 + j);
    MappingOptions ms;
    ms.row_offset = mw.row_offset + r0;
    ms.col_offset = mw.col_offset + c0 * c.slices();
    part.program(sub, ms);
    const auto rw = whole.read_back_weights(), rp = part.read_back_weights();
    for (int i = 0; i < nr; ++i)
        for (int j = 0; j < nc; ++j)
            ASSERT_EQ(rp[static_cast<size_t>(i) * nc + j], rw[static_cast<size_t>(r0 + i) * w.cols + c0 + j])
                << "cell (" << r0 + i << ", " << c0 + j << ") of the layer differs between the two regions";
}

TEST(CrossbarProgramming, EflashLikeTileReport) {
    // Table I of the eFlash paper, for a tile with ~2 LSB programming error and mild read-out
    // non-idealities: per-column error std, mean error, fitted slope and cosine similarity of
    // the read-back weights, and the cosine similarity of the layer outputs.
    std::mt19937_64 g(34);
    TileConfig c;
    c.noise.prog_noise_lsb = 2.0;
    c.noise.w_noise = 0.002;
    c.noise.ir_drop = 0.02;
    c.conv.out_noise = 0.02;
    c.conv.out_res_bits = 12;
    c.conv.out_bound = 150;
    Crossbar t(c);
    const WeightMatrix w = gaussian_weights(1792, 896, g, 24);
    t.program(w);
    const auto rb = t.read_back_weights();
    std::vector<double> wd(w.data.begin(), w.data.end());
    double col_std = 0, mean_err = 0, sxy = 0, sxx = 0;
    for (int j = 0; j < 896; ++j) {
        std::vector<double> e(1792);
        for (int i = 0; i < 1792; ++i) e[i] = rb[static_cast<size_t>(i) * 896 + j] - w.at(i, j);
        const Moments m = moments(e);
        col_std += m.std / 896;
        mean_err += m.mean / 896;
    }
    for (size_t i = 0; i < rb.size(); ++i) {
        sxy += rb[i] * wd[i];
        sxx += wd[i] * wd[i];
    }
    const double w_cos = cosine(rb, wd);
    const auto x = random_inputs(1792, g);
    const auto b = random_bias(896, g, 1 << 14);
    std::vector<int32_t> y;
    const auto acc = tile_acc(t, x, b, 60.0, &y, 12, Activation::identity());
    const auto ref = reference_acc(w, x, b);
    const auto yref = reference_mvm(w, x, b, 12, Activation::identity());
    const double acc_cos = cosine(acc, ref), y_cos = cosine(std::vector<double>(y.begin(), y.end()),
                                                             std::vector<double>(yref.begin(), yref.end()));
    std::printf("  Table I style: mean(std(err)) %.2f LSB, mean(err) %.3f, slope %.4f, weight cosine %.4f\n", col_std,
                mean_err, sxy / sxx, w_cos);
    std::printf("  outputs: accumulator cosine %.5f, int8 output cosine %.5f\n", acc_cos, y_cos);
    RecordProperty("weight_cosine", std::to_string(w_cos));
    RecordProperty("output_cosine", std::to_string(y_cos));
    EXPECT_NEAR(col_std, 2.0, 0.05);
    EXPECT_GT(w_cos, 0.99);
    EXPECT_NEAR(sxy / sxx, 1.0, 0.01);
    EXPECT_GT(acc_cos, 0.99);
    EXPECT_GT(y_cos, 0.99);
}
