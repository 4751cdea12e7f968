// The ideal analog tile (no noise, full DAC, 32-bit ADC) must be BIT-EXACT with the integer
// reference for every shape up to the full 1792 x 896 array, every slicing, both input encodings,
// and the mapping options (replication, placement, amplification, hybrid digital unit).
#include <gtest/gtest.h>

#include <random>

#include "crossbar.h"
#include "int_reference.h"
#include "tile_test_util.h"

using namespace cimvp::cim;
using namespace cimvp::cim::test;

namespace {

const Activation kActs[] = {Activation::identity(), Activation::relu(), Activation::sigmoid(6),
                            Activation::tanh(5, NonlinImpl::Lut)};

std::string shape(const WeightMatrix& w) { return std::to_string(w.rows) + "x" + std::to_string(w.cols); }

// Compares y and the pre-shift accumulator of the tile with the reference on one input.
void expect_exact(Crossbar& tile, const WeightMatrix& w, const std::vector<uint8_t>& x,
                  const std::vector<int32_t>& b, int shift, const Activation& act, const std::string& what) {
    std::vector<int32_t> y(w.cols);
    std::vector<double> acc(w.cols);
    tile.mvm(x.data(), b.empty() ? nullptr : b.data(), shift, act, 0.0, y.data(), acc.data());
    std::vector<int64_t> ref_acc(w.cols);
    reference_accumulate(w, x.data(), b.empty() ? nullptr : b.data(), ref_acc.data());
    const std::string where = what + " " + shape(w) + " shift " + std::to_string(shift);
    EXPECT_EQ(first_mismatch(acc, ref_acc, where + " accumulator"), "");
    EXPECT_EQ(first_mismatch(y, reference_mvm(w, x, b, shift, act), where + " outputs"), "");
}

}  // namespace

TEST(CrossbarIdeal, BitExactOnRandomLayersUpToTheFullArray) {
    std::mt19937_64 g(11);
    const int shapes[][2] = {{1, 1},    {1, 896},   {1792, 1},  {7, 13},     {64, 64},   {100, 50},
                             {255, 255}, {513, 257}, {1000, 896}, {1792, 300}, {1792, 896}, {1792, 896}};
    Crossbar tile(TileConfig{});
    int n = 0;
    for (const auto& s : shapes) {
        const WeightMatrix w = random_weights(s[0], s[1], g);
        tile.program(w);
        for (int rep = 0; rep < 2; ++rep, ++n) {
            // Alternate dense inputs with ReLU-like sparse ones, and extreme biases.
            auto x = random_inputs(s[0], g);
            if (rep == 1)
                for (auto& v : x) v = (g() % 3 == 0) ? 0 : v;
            const auto b = random_bias(s[1], g, rep ? (1 << 30) : (1 << 16));
            expect_exact(tile, w, x, b, static_cast<int>(g() % 20), kActs[n % 4], "random");
        }
    }
    // Worst case magnitudes: every weight -128 or 127 with every input 255.
    for (int8_t v : {int8_t{-128}, int8_t{127}}) {
        const WeightMatrix w(1792, 896, v);
        tile.program(w);
        expect_exact(tile, w, std::vector<uint8_t>(1792, 255), {}, 18, Activation::identity(), "extreme");
    }
}

TEST(CrossbarIdeal, BitSlicingIsExact) {
    std::mt19937_64 g(12);
    for (int bits : {1, 2, 3, 4, 5, 8}) {
        TileConfig c;
        c.array.bits_per_cell = bits;
        Crossbar tile(c);
        const int max_cols = c.array.cols / c.slices();
        for (const auto& s : {std::pair<int, int>{1792, max_cols}, {37, 11}, {300, 64}}) {
            const WeightMatrix w = random_weights(s.first, s.second, g);
            tile.program(w);
            const auto x = random_inputs(s.first, g);
            expect_exact(tile, w, x, random_bias(s.second, g, 1 << 20), 9, Activation::relu(),
                         "bits_per_cell " + std::to_string(bits));
        }
    }
}

TEST(CrossbarIdeal, BitSerialInputIsExact) {
    std::mt19937_64 g(13);
    for (int bits : {8, 4, 1}) {
        TileConfig c;
        c.conv.encoding = InputEncoding::BitSerial;
        c.array.bits_per_cell = bits;
        Crossbar tile(c);
        const int cols = c.array.cols / c.slices();
        const WeightMatrix w = random_weights(1792, cols, g);
        tile.program(w);
        for (int rep = 0; rep < 2; ++rep)
            expect_exact(tile, w, random_inputs(1792, g), random_bias(cols, g, 1 << 24), 12, kActs[rep + 1],
                         "bit-serial, bits_per_cell " + std::to_string(bits));
        EXPECT_EQ(tile.mvm_stats().adc_conversions, 2u * cols * c.slices() * 8) << "8 reads per slice";
    }
}

TEST(CrossbarIdeal, ReplicationAndPlacementAreExact) {
    std::mt19937_64 g(14);
    Crossbar tile(TileConfig{});
    for (int k : {2, 3, 7}) {
        MappingOptions m;
        m.replication = k;
        m.row_offset = 5;
        m.col_offset = 100;
        const WeightMatrix w = random_weights((1792 - 5) / k, 796, g);
        tile.program(w, m);
        expect_exact(tile, w, random_inputs(w.rows, g), random_bias(w.cols, g, 1000), 7, Activation::identity(),
                     "replication " + std::to_string(k));
        EXPECT_EQ(tile.program_stats().cells, 2ull * w.rows * k * w.cols);
    }
}

TEST(CrossbarIdeal, AmplificationWithDigitalHighBitsIsExact) {
    std::mt19937_64 g(15);
    TileConfig c;
    Crossbar tile(c);
    for (int wamp = 0; wamp <= 3; ++wamp) {
        MappingOptions m;
        m.weight_amp_bits = wamp;
        m.digital_high_bits = true;
        m.input_amp_bits = 2;
        const WeightMatrix w = random_weights(700, 400, g);
        tile.program(w, m);
        uint64_t high = 0;
        for (int8_t v : w.data) high += ((std::abs(int{v}) << wamp) >> 8) != 0;
        EXPECT_EQ(tile.program_stats().digital_weights, high) << "weights with bits above 8 after amplification";
        EXPECT_EQ(tile.program_stats().saturated_weights, 0u);
        // Inputs below 64 so X << 2 does not saturate.
        expect_exact(tile, w, random_inputs(700, g, 0, 63), random_bias(400, g, 1 << 20), 8, Activation::relu(),
                     "weight_amp " + std::to_string(wamp) + " + input_amp 2 + digital");
        EXPECT_EQ(tile.mvm_stats().input_saturations, 0u);
    }
}

TEST(CrossbarIdeal, WeightAmplificationWithoutDigitalUnitSaturatesOnlyMinus128) {
    std::mt19937_64 g(16);
    Crossbar tile(TileConfig{});
    MappingOptions m;
    m.weight_amp_bits = 1;
    const WeightMatrix w = random_weights(500, 200, g);
    tile.program(w, m);
    uint64_t n128 = 0;
    for (int8_t v : w.data) n128 += v == -128;
    EXPECT_EQ(tile.program_stats().saturated_weights, n128);
    // -128 << 1 = -256 is stored as -255: in original units -127.5.
    const auto x = random_inputs(500, g);
    std::vector<double> want(200, 0.0);
    for (int i = 0; i < 500; ++i)
        for (int j = 0; j < 200; ++j) want[j] += (w.at(i, j) == -128 ? -127.5 : w.at(i, j)) * x[i];
    std::vector<int32_t> y(200);
    std::vector<double> acc(200);
    tile.mvm(x.data(), nullptr, 0, Activation::identity(), 0.0, y.data(), acc.data());
    EXPECT_EQ(first_mismatch(acc, want, "saturated amplified weights"), "");
}

TEST(CrossbarIdeal, ReducedDacResolutionEqualsReferenceOnRoundedInputs) {
    std::mt19937_64 g(17);
    for (auto enc : {InputEncoding::Parallel, InputEncoding::BitSerial})
        for (int bits : {1, 3, 5, 7}) {
            TileConfig c;
            c.conv.encoding = enc;
            c.conv.inp_res_bits = bits;
            Crossbar tile(c);
            const WeightMatrix w = random_weights(900, 300, g);
            tile.program(w);
            const auto x = random_inputs(900, g);
            // X' = nearest multiple of 2^(8-bits), ties up, at most (2^bits - 1) * 2^(8-bits).
            const int step = 1 << (8 - bits);
            std::vector<uint8_t> xr(900);
            for (int i = 0; i < 900; ++i)
                xr[i] = static_cast<uint8_t>(std::min((x[i] + step / 2) / step, (1 << bits) - 1) * step);
            std::vector<int32_t> y(300);
            std::vector<double> acc(300);
            tile.mvm(x.data(), nullptr, 6, Activation::identity(), 0.0, y.data(), acc.data());
            std::vector<int64_t> want(300);
            reference_accumulate(w, xr.data(), nullptr, want.data());
            EXPECT_EQ(first_mismatch(acc, want, std::string(enc == InputEncoding::Parallel ? "parallel" : "bit-serial") +
                                                    " DAC bits " + std::to_string(bits)),
                      "");
        }
}

TEST(CrossbarIdeal, ExplicitWideAdcIsExact) {
    // 30 bits over the column's full scale: LSB = 1792 / (2^29 - 1) current units = 0.22 MAC.
    std::mt19937_64 g(18);
    TileConfig c;
    c.conv.out_res_bits = 30;
    c.conv.out_bound = 1792;
    Crossbar tile(c);
    const WeightMatrix w = random_weights(1792, 896, g);
    tile.program(w);
    expect_exact(tile, w, random_inputs(1792, g), random_bias(896, g, 1 << 20), 10, Activation::relu(), "30-bit ADC");
    EXPECT_EQ(tile.mvm_stats().adc_clipped, 0u);
}

TEST(CrossbarIdeal, ReadBackIsTheWeights) {
    std::mt19937_64 g(19);
    TileConfig c;
    c.array.bits_per_cell = 2;
    Crossbar tile(c);
    MappingOptions m;
    m.replication = 3;
    m.weight_amp_bits = 2;
    m.digital_high_bits = true;
    const WeightMatrix w = random_weights(200, 100, g);
    tile.program(w, m);
    const auto rb = tile.read_back_weights();
    std::vector<double> want(w.data.begin(), w.data.end());
    EXPECT_EQ(first_mismatch(rb, want, "read-back"), "");
    EXPECT_DOUBLE_EQ(tile.cell_conductance(0, 0, 0, w.at(0, 0) < 0, 2),
                     ((std::abs(w.at(0, 0) << 2) & 255) & 3) / 3.0);
}

TEST(CrossbarIdeal, StatsCountConversionsAndDrivenConductance) {
    for (auto enc : {InputEncoding::Parallel, InputEncoding::BitSerial}) {
        TileConfig c;
        c.array.g_max_us = 10;
        c.conv.encoding = enc;
        Crossbar tile(c);
        tile.program(WeightMatrix(100, 50, 100));  // each pair: G+ = 100/255 g_max, G- = 0
        std::vector<uint8_t> x(100, 255);
        x[0] = 0;  // one idle row
        tile.mvm(x, {}, 0, Activation::identity());
        const int reads = enc == InputEncoding::BitSerial ? 8 : 1;
        const MvmStats& s = tile.mvm_stats();
        EXPECT_EQ(s.mvms, 1u);
        EXPECT_EQ(s.adc_conversions, 50u * reads);
        EXPECT_EQ(s.analog_cell_reads, 99u * 50 * reads);
        // Full-scale inputs on 99 rows of 50 cells at 100/255 of 10 uS, once per read.
        EXPECT_NEAR(s.driven_conductance_us, reads * 99 * 50 * 100 / 255.0 * 10, 1e-6);
    }
}

TEST(CrossbarIdeal, ArgumentsAreChecked) {
    Crossbar tile(TileConfig{});
    std::vector<uint8_t> x(4);
    EXPECT_THROW(tile.mvm(x, {}, 0, Activation::identity()), std::logic_error);
    tile.program(WeightMatrix(4, 3));
    EXPECT_THROW(tile.mvm(std::vector<uint8_t>(5), {}, 0, Activation::identity()), std::invalid_argument);
    EXPECT_THROW(tile.mvm(x, std::vector<int32_t>(2), 0, Activation::identity()), std::invalid_argument);
    EXPECT_THROW(tile.mvm(x, {}, -1, Activation::identity()), std::invalid_argument);
    EXPECT_THROW(tile.mvm(x, {}, 0, Activation::identity(), -1.0), std::invalid_argument);
    EXPECT_THROW(tile.program(WeightMatrix(1793, 3)), std::invalid_argument);
    EXPECT_NO_THROW(tile.mvm(x, {}, 3, Activation::identity()));
}
