#include "converters.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace cimvp::cim {

Adc::Adc(double bound, int bits) : bound_(bound) {
    if (!(bound > 0) || !std::isfinite(bound))
        throw std::invalid_argument("Adc: bound must be > 0, got " + std::to_string(bound));
    if (bits < 2 || bits > 32)
        throw std::invalid_argument("Adc: bits must be in [2, 32], got " + std::to_string(bits));
    code_max_ = (int64_t{1} << (bits - 1)) - 1;
    lsb_ = bound / static_cast<double>(code_max_);
}

int64_t Adc::code(double value, bool* clipped) const {
    const bool clip = !(std::fabs(value) <= bound_);  // NaN counts as clipped
    if (clipped) *clipped = clip;
    if (clip) value = value > 0 ? bound_ : -bound_;
    int64_t c = static_cast<int64_t>(std::floor(value / lsb_ + 0.5));
    // value/lsb can exceed code_max by an ulp at the bound.
    if (c > code_max_) c = code_max_;
    if (c < -code_max_) c = -code_max_;
    return c;
}

}  // namespace cimvp::cim
