#include "activation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cimvp::cim {

namespace {

constexpr int kPwlSegments = 20;  // as the thesis' LSTM accelerator (paper 003)
constexpr int kQ = 16;            // fraction bits of the PWL slope and intercept

double domain_end(ActFn fn) { return fn == ActFn::Sigmoid ? 8.0 : 4.0; }

double second_derivative(ActFn fn, double x) {
    if (fn == ActFn::Sigmoid) {
        const double s = 1.0 / (1.0 + std::exp(-x));
        return s * (1 - s) * (1 - 2 * s);
    }
    const double t = std::tanh(x);
    return -2 * t * (1 - t * t);
}

int64_t clamp_code(ActFn fn, int64_t v) {
    return std::min<int64_t>(std::max<int64_t>(v, output_min(fn)), output_max(fn));
}

// floor(v / 2^q) for either sign (>> on negative values is only defined from C++20).
int64_t floor_shift(int64_t v, int q) { return v >= 0 ? v >> q : -((-v - 1) >> q) - 1; }

}  // namespace

int32_t output_min(ActFn fn) { return (fn == ActFn::Relu || fn == ActFn::Sigmoid) ? 0 : -128; }
int32_t output_max(ActFn fn) { return (fn == ActFn::Relu || fn == ActFn::Sigmoid) ? 255 : 127; }
double output_scale(ActFn fn) {
    return fn == ActFn::Sigmoid ? 256.0 : fn == ActFn::Tanh ? 128.0 : 1.0;
}

double real_function(ActFn fn, double x) {
    switch (fn) {
        case ActFn::Identity: return x;
        case ActFn::Relu: return x > 0 ? x : 0;
        case ActFn::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
        case ActFn::Tanh: return std::tanh(x);
    }
    return x;
}

ActivationUnit::ActivationUnit(const Activation& spec) : spec_(spec) {
    if (spec_.fn != ActFn::Sigmoid && spec_.fn != ActFn::Tanh) return;
    if (spec_.in_frac_bits < 0 || spec_.in_frac_bits > 8)
        throw std::invalid_argument("activation in_frac_bits must be in [0, 8], got " +
                                    std::to_string(spec_.in_frac_bits));
    zmax_ = static_cast<int64_t>(domain_end(spec_.fn)) << spec_.in_frac_bits;
    if (spec_.impl == NonlinImpl::Lut)
        build_lut();
    else
        build_pwl();
}

void ActivationUnit::build_lut() {
    const double step = std::ldexp(1.0, -spec_.in_frac_bits);
    const double scale = output_scale(spec_.fn);
    lut_.resize(static_cast<size_t>(2 * zmax_ + 1));
    for (int64_t z = -zmax_; z <= zmax_; ++z)
        lut_[static_cast<size_t>(z + zmax_)] = static_cast<int32_t>(clamp_code(
            spec_.fn, static_cast<int64_t>(std::floor(real_function(spec_.fn, z * step) * scale + 0.5))));
}

void ActivationUnit::build_pwl() {
    const double step = std::ldexp(1.0, -spec_.in_frac_bits);
    const double scale = output_scale(spec_.fn);
    const double xmax = domain_end(spec_.fn);
    auto code = [&](int64_t z) { return real_function(spec_.fn, z * step) * scale; };

    // Cumulative integral of sqrt|f''| on a fine grid; a small floor keeps segments finite where
    // f'' vanishes (x = 0, the flat tails).
    constexpr int kGrid = 4096;
    std::vector<double> cum(kGrid + 1, 0.0);
    double peak = 0;
    for (int i = 0; i <= kGrid; ++i)
        peak = std::max(peak, std::sqrt(std::fabs(second_derivative(spec_.fn, -xmax + 2 * xmax * i / kGrid))));
    auto density = [&](int i) {
        return std::sqrt(std::fabs(second_derivative(spec_.fn, -xmax + 2 * xmax * i / kGrid))) + 0.05 * peak;
    };
    for (int i = 1; i <= kGrid; ++i) cum[i] = cum[i - 1] + 0.5 * (density(i - 1) + density(i));

    std::vector<int64_t> ends;  // segment end points in z units, ascending, from -zmax_ to zmax_
    ends.push_back(-zmax_);
    for (int k = 1; k < kPwlSegments; ++k) {
        const double target = cum[kGrid] * k / kPwlSegments;
        const int i = static_cast<int>(std::lower_bound(cum.begin(), cum.end(), target) - cum.begin());
        const double x = -xmax + 2 * xmax * i / kGrid;
        const int64_t z = std::llround(x / step);
        if (z > ends.back() && z < zmax_) ends.push_back(z);  // coarse z grids merge segments
    }
    ends.push_back(zmax_);

    for (size_t k = 0; k + 1 < ends.size(); ++k) {
        const int64_t z0 = ends[k], z1 = ends[k + 1];
        const double a = (code(z1) - code(z0)) / static_cast<double>(z1 - z0);
        double c = code(z0) - a * z0;
        // Move the chord by half its peak error so the error is balanced (minimax for a
        // function that is convex or concave on the segment).
        double emin = 0, emax = 0;
        for (int64_t z = z0; z <= z1; ++z) {
            const double e = code(z) - (a * z + c);
            emin = std::min(emin, e);
            emax = std::max(emax, e);
        }
        c += 0.5 * (emin + emax);
        seg_end_.push_back(z1);
        slope_q16_.push_back(std::llround(std::ldexp(a, kQ)));
        icpt_q16_.push_back(std::llround(std::ldexp(c, kQ)));
    }
}

int32_t ActivationUnit::operator()(int64_t z) const {
    const ActFn fn = spec_.fn;
    if (fn == ActFn::Identity || fn == ActFn::Relu) return static_cast<int32_t>(clamp_code(fn, z));
    z = std::min(std::max(z, -zmax_), zmax_);
    if (spec_.impl == NonlinImpl::Lut) return lut_[static_cast<size_t>(z + zmax_)];
    size_t k = 0;
    while (z > seg_end_[k]) ++k;  // <= 20 segments: a scan is as fast as a search
    const int64_t y = floor_shift(slope_q16_[k] * z + icpt_q16_[k] + (int64_t{1} << (kQ - 1)), kQ);
    return static_cast<int32_t>(clamp_code(fn, y));
}

}  // namespace cimvp::cim
