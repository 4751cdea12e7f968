// Activations against float math: identity / ReLU saturate exactly, the sigmoid / tanh LUT is
// within 0.5 output LSB and the 20-segment PWL within 1 LSB of the real function saturated to
// the output range, over the whole input range.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "activation.h"

using namespace cimvp::cim;

namespace {

// The ideal output: the real function in output codes, saturated to the code range (not rounded).
double ideal_code(ActFn fn, int64_t z, int frac) {
    const double v = real_function(fn, std::ldexp(static_cast<double>(z), -frac)) * output_scale(fn);
    return std::min<double>(std::max<double>(v, output_min(fn)), output_max(fn));
}

double max_error(const ActivationUnit& u, int frac, int64_t* worst_z) {
    const ActFn fn = u.spec().fn;
    const int64_t zmax = int64_t{12} << frac;  // beyond both domains
    double worst = 0;
    for (int64_t z = -zmax; z <= zmax; ++z) {
        const double e = std::fabs(u(z) - ideal_code(fn, z, frac));
        if (e > worst) {
            worst = e;
            *worst_z = z;
        }
    }
    return worst;
}

}  // namespace

TEST(Activation, IdentityAndReluSaturateToTheirTypes) {
    const ActivationUnit id(Activation::identity()), relu(Activation::relu());
    for (int64_t z = -100000; z <= 100000; z += 7) {
        ASSERT_EQ(id(z), std::min<int64_t>(std::max<int64_t>(z, -128), 127)) << "identity z=" << z;
        ASSERT_EQ(relu(z), std::min<int64_t>(std::max<int64_t>(z, 0), 255)) << "relu z=" << z;
    }
    EXPECT_EQ(id(int64_t{1} << 40), 127);
    EXPECT_EQ(relu(-(int64_t{1} << 40)), 0);
}

TEST(Activation, LutWithinHalfLsbOfFloatMath) {
    for (ActFn fn : {ActFn::Sigmoid, ActFn::Tanh})
        for (int frac = 0; frac <= 8; ++frac) {
            const ActivationUnit u({fn, NonlinImpl::Lut, frac});
            int64_t z = 0;
            const double e = max_error(u, frac, &z);
            EXPECT_LE(e, 0.5 + 1e-9) << (fn == ActFn::Sigmoid ? "sigmoid" : "tanh") << " LUT frac " << frac
                                     << ": error " << e << " LSB at z=" << z;
        }
}

TEST(Activation, Pwl20WithinDocumentedError) {
    for (ActFn fn : {ActFn::Sigmoid, ActFn::Tanh})
        for (int frac = 0; frac <= 8; ++frac) {
            const ActivationUnit u({fn, NonlinImpl::Pwl20, frac});
            // Coarse input grids (frac < 2) have fewer distinct segment ends than 20.
            if (frac >= 2) {
                EXPECT_EQ(u.segments(), 20) << "frac " << frac;
            }
            EXPECT_LE(u.segments(), 20) << "frac " << frac;
            int64_t z = 0;
            const double e = max_error(u, frac, &z);
            std::printf("  PWL20 %-7s frac %d: max error %.3f LSB\n", fn == ActFn::Sigmoid ? "sigmoid" : "tanh", frac, e);
            EXPECT_LE(e, 1.0) << (fn == ActFn::Sigmoid ? "sigmoid" : "tanh") << " PWL frac " << frac << ": error "
                              << e << " LSB at z=" << z;
        }
}

TEST(Activation, PwlIsMonotonicAndSymmetric) {
    for (ActFn fn : {ActFn::Sigmoid, ActFn::Tanh}) {
        const int frac = 5;
        const ActivationUnit u({fn, NonlinImpl::Pwl20, frac});
        int prev = u(-(int64_t{12} << frac));
        for (int64_t z = -(int64_t{12} << frac); z <= (int64_t{12} << frac); ++z) {
            ASSERT_GE(u(z), prev) << "not monotonic at z=" << z;
            prev = u(z);
        }
        // sigmoid(-x) = 1 - sigmoid(x), tanh(-x) = -tanh(x): within one code after saturation.
        for (int64_t z = 0; z <= (int64_t{8} << frac); ++z) {
            const int mirrored = fn == ActFn::Sigmoid ? 256 - u(-z) : -u(-z);
            ASSERT_LE(std::abs(u(z) - std::min(mirrored, output_max(fn))), 1) << "asymmetric at z=" << z;
        }
    }
}

TEST(Activation, CoarseInputGridStillWorks) {
    // frac 0: sigmoid domain is only 17 input values; segments merge but the error bound holds.
    const ActivationUnit u(Activation::sigmoid(0));
    EXPECT_LE(u.segments(), 20);
    int64_t z = 0;
    EXPECT_LE(max_error(u, 0, &z), 1.0) << "z=" << z;
}

TEST(Activation, BadFractionBitsRejected) {
    EXPECT_THROW(ActivationUnit(Activation::sigmoid(9)), std::invalid_argument);
    EXPECT_THROW(ActivationUnit(Activation::tanh(-1)), std::invalid_argument);
}
