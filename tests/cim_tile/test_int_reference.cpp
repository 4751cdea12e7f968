// The integer reference: exact accumulation, round-half-up shift, saturation per output type.
// Checked against a naive column-major loop and long-double arithmetic written here.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "int_reference.h"
#include "tile_test_util.h"

using namespace cimvp::cim;
using namespace cimvp::cim::test;

TEST(IntReference, ShiftRoundIsRoundHalfUp) {
    // floor(acc / 2^s + 1/2) in long double, ties (x.5) go up for both signs.
    EXPECT_EQ(shift_round(3, 1), 2);    // 1.5 -> 2
    EXPECT_EQ(shift_round(-3, 1), -1);  // -1.5 -> -1
    EXPECT_EQ(shift_round(-5, 1), -2);  // -2.5 -> -2
    EXPECT_EQ(shift_round(5, 2), 1);    // 1.25 -> 1
    EXPECT_EQ(shift_round(-7, 0), -7);
    std::mt19937_64 g(1);
    std::uniform_int_distribution<int64_t> d(-(int64_t{1} << 40), int64_t{1} << 40);
    for (int n = 0; n < 20000; ++n) {
        const int64_t a = d(g);
        const int s = n % 24;
        const long double want = std::floor(static_cast<long double>(a) / std::ldexp(1.0L, s) + 0.5L);
        ASSERT_EQ(shift_round(a, s), static_cast<int64_t>(want)) << "acc " << a << " shift " << s;
    }
    EXPECT_THROW(shift_round(1, -1), std::invalid_argument);
    EXPECT_THROW(shift_round(1, kMaxShift + 1), std::invalid_argument);
}

TEST(IntReference, AccumulateMatchesNaiveLoop) {
    std::mt19937_64 g(2);
    for (int trial = 0; trial < 20; ++trial) {
        const int rows = 1 + static_cast<int>(g() % 300), cols = 1 + static_cast<int>(g() % 200);
        const WeightMatrix w = random_weights(rows, cols, g);
        const auto x = random_inputs(rows, g);
        const auto b = random_bias(cols, g, 1 << 30);
        std::vector<int64_t> got(cols), want(cols);
        reference_accumulate(w, x.data(), b.data(), got.data());
        for (int j = 0; j < cols; ++j) {
            int64_t s = 0;
            for (int i = 0; i < rows; ++i) s += w.data[static_cast<size_t>(i) * cols + j] * static_cast<int64_t>(x[i]);
            want[j] = s + b[j];
        }
        ASSERT_EQ(first_mismatch(got, want, "accumulate " + std::to_string(rows) + "x" + std::to_string(cols)), "");
    }
}

TEST(IntReference, ExtremesDoNotOverflow) {
    // Full array of -128 weights and 255 inputs plus the most negative bias: beyond int32.
    WeightMatrix w(1792, 3, -128);
    std::vector<uint8_t> x(1792, 255);
    std::vector<int32_t> b(3, INT32_MIN);
    std::vector<int64_t> acc(3);
    reference_accumulate(w, x.data(), b.data(), acc.data());
    EXPECT_EQ(acc[0], int64_t{-128} * 255 * 1792 + INT32_MIN);
}

TEST(IntReference, HandComputedLayer) {
    // W = [[1, -2], [3, 4]], x = [10, 20], b = [5, -5]: acc = [75, 55]
    WeightMatrix w(2, 2);
    w.at(0, 0) = 1;
    w.at(0, 1) = -2;
    w.at(1, 0) = 3;
    w.at(1, 1) = 4;
    const std::vector<uint8_t> x = {10, 20};
    const std::vector<int32_t> b = {5, -5};
    EXPECT_EQ(reference_mvm(w, x, b, 0, Activation::identity()), (std::vector<int32_t>{75, 55}));
    EXPECT_EQ(reference_mvm(w, x, b, 1, Activation::identity()), (std::vector<int32_t>{38, 28}));  // 37.5, 27.5 up
    EXPECT_EQ(reference_mvm(w, x, b, 3, Activation::identity()), (std::vector<int32_t>{9, 7}));    // 9.375, 6.875
    const std::vector<int32_t> neg = {-500, -500};
    EXPECT_EQ(reference_mvm(w, x, neg, 0, Activation::identity()), (std::vector<int32_t>{-128, -128}));
    EXPECT_EQ(reference_mvm(w, x, neg, 0, Activation::relu()), (std::vector<int32_t>{0, 0}));
    const std::vector<int32_t> pos = {500, 100};
    EXPECT_EQ(reference_mvm(w, x, pos, 0, Activation::identity()), (std::vector<int32_t>{127, 127}));
    EXPECT_EQ(reference_mvm(w, x, pos, 0, Activation::relu()), (std::vector<int32_t>{255, 160}));
}

TEST(IntReference, SizeMismatchesAreRejected) {
    WeightMatrix w(3, 2);
    EXPECT_THROW(reference_mvm(w, std::vector<uint8_t>(2), {}, 0, Activation::identity()), std::invalid_argument);
    EXPECT_THROW(reference_mvm(w, std::vector<uint8_t>(3), std::vector<int32_t>(3), 0, Activation::identity()),
                 std::invalid_argument);
    EXPECT_NO_THROW(reference_mvm(w, std::vector<uint8_t>(3), {}, 0, Activation::identity()));
}
