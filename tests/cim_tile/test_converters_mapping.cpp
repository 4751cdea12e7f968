// DAC rounding, ADC clipping and quantisation, and the weight -> cell-level decomposition,
// each against a direct computation written here.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "converters.h"
#include "mapping.h"
#include "tile_test_util.h"

using namespace cimvp::cim;

TEST(Dac, FullResolutionIsIdentity) {
    for (int x = 0; x < 256; ++x) EXPECT_EQ(dac_code(static_cast<uint8_t>(x), 8), x);
}

TEST(Dac, ReducedResolutionRoundsToNearestTopBits) {
    for (int bits = 1; bits < 8; ++bits) {
        const int step = 1 << (8 - bits), top = (1 << bits) - 1;
        for (int x = 0; x < 256; ++x) {
            const int code = dac_code(static_cast<uint8_t>(x), bits);
            ASSERT_GE(code, 0);
            ASSERT_LE(code, top) << "bits " << bits << " x " << x;
            // Nearest multiple of step (ties up), saturated at the top code.
            const int want = std::min(static_cast<int>(std::floor(x / static_cast<double>(step) + 0.5)), top);
            ASSERT_EQ(code, want) << "bits " << bits << " x " << x;
            if (x < top * step) {
                ASSERT_LE(std::abs(code * step - x), step / 2) << "bits " << bits << " x " << x;
            }
        }
    }
}

TEST(Adc, CodesSpanTheBoundSymmetrically) {
    const Adc adc(100.0, 8);
    EXPECT_EQ(adc.code_max(), 127);
    EXPECT_DOUBLE_EQ(adc.lsb(), 100.0 / 127);
    bool clipped = false;
    EXPECT_EQ(adc.code(100.0, &clipped), 127);
    EXPECT_FALSE(clipped);
    EXPECT_EQ(adc.code(-100.0, &clipped), -127);
    EXPECT_EQ(adc.code(1e9, &clipped), 127);
    EXPECT_TRUE(clipped);
    EXPECT_EQ(adc.code(-100.0001, &clipped), -127);
    EXPECT_TRUE(clipped);
    EXPECT_EQ(adc.code(0.0, &clipped), 0);
    EXPECT_THROW(Adc(0.0, 8), std::invalid_argument);
    EXPECT_THROW(Adc(1.0, 1), std::invalid_argument);
}

TEST(Adc, QuantisationErrorIsUniformWithinHalfLsb) {
    const Adc adc(1000.0, 6);
    std::mt19937_64 g(3);
    std::uniform_real_distribution<double> d(-1000.0, 1000.0);
    std::vector<double> err;
    for (int n = 0; n < 200000; ++n) {
        const double v = d(g);
        const double e = adc.code(v) * adc.lsb() - v;
        ASSERT_LE(std::fabs(e), 0.5 * adc.lsb() * (1 + 1e-12)) << "value " << v;
        err.push_back(e / adc.lsb());
    }
    const auto m = cimvp::cim::test::moments(err);
    EXPECT_NEAR(m.mean, 0.0, 0.01);
    EXPECT_NEAR(m.std, std::sqrt(1.0 / 12), 0.01) << "a uniform error in [-1/2, 1/2] LSB has std 0.2887";
}

TEST(Mapping, SlicesRecombineToTheAmplifiedWeight) {
    for (int bits = 1; bits <= 8; ++bits)
        for (int amp = 0; amp <= 7; ++amp)
            for (int v = -128; v < 128; ++v) {
                const CellTargets t = map_weight(static_cast<int8_t>(v), bits, amp, true);
                int64_t pos = 0, neg = 0;
                for (int s = 0; s * bits < 8; ++s) {
                    ASSERT_LE(t.pos[s], (1 << bits) - 1);
                    ASSERT_LE(t.neg[s], (1 << bits) - 1);
                    ASSERT_TRUE(t.pos[s] == 0 || t.neg[s] == 0) << "both sides conduct";
                    pos += int64_t{t.pos[s]} << (s * bits);
                    neg += int64_t{t.neg[s]} << (s * bits);
                }
                ASSERT_LE(pos, 255);
                ASSERT_LE(neg, 255);
                ASSERT_EQ(pos - neg + t.digital, int64_t{v} * (1 << amp))
                    << "bits " << bits << " amp " << amp << " w " << v;
                ASSERT_FALSE(t.saturated);
            }
}

TEST(Mapping, WithoutDigitalUnitLargeAmplifiedWeightsSaturate) {
    // |w| << 1 > 255 only for w = -128.
    EXPECT_FALSE(map_weight(127, 8, 1, false).saturated);
    const CellTargets t = map_weight(-128, 8, 1, false);
    EXPECT_TRUE(t.saturated);
    EXPECT_EQ(t.neg[0], 255);
    EXPECT_EQ(t.digital, 0);
    // With the digital unit the high bit is exact.
    const CellTargets h = map_weight(-128, 8, 1, true);
    EXPECT_EQ(h.neg[0], 0);
    EXPECT_EQ(h.digital, -256);
}
