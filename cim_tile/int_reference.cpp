#include "int_reference.h"

#include <stdexcept>
#include <string>

namespace cimvp::cim {

int64_t shift_round(int64_t acc, int shift) {
    if (shift < 0 || shift > kMaxShift)
        throw std::invalid_argument("shift must be in [0, " + std::to_string(kMaxShift) + "], got " +
                                    std::to_string(shift));
    if (shift == 0) return acc;
    const int64_t v = acc + (int64_t{1} << (shift - 1));
    // floor(v / 2^shift) spelled out: >> of a negative value is only defined from C++20.
    return v >= 0 ? v >> shift : -((-v - 1) >> shift) - 1;
}

void reference_accumulate(const WeightMatrix& w, const uint8_t* x, const int32_t* bias, int64_t* acc) {
    // The plain definition in exact int64; kept free of the tile's data layout and arithmetic
    // on purpose so the tests compare two independent computations.
    for (int j = 0; j < w.cols; ++j) acc[j] = bias ? bias[j] : 0;
    for (int i = 0; i < w.rows; ++i) {
        const int64_t xi = x[i];
        const int8_t* wr = w.row(i);
        for (int j = 0; j < w.cols; ++j) acc[j] += wr[j] * xi;
    }
}

std::vector<int32_t> reference_mvm(const WeightMatrix& w, const std::vector<uint8_t>& x,
                                   const std::vector<int32_t>& bias, int shift, const Activation& act) {
    if (static_cast<int>(x.size()) != w.rows)
        throw std::invalid_argument("reference_mvm: x has " + std::to_string(x.size()) +
                                    " entries, weights have " + std::to_string(w.rows) + " rows");
    if (!bias.empty() && static_cast<int>(bias.size()) != w.cols)
        throw std::invalid_argument("reference_mvm: bias has " + std::to_string(bias.size()) +
                                    " entries, weights have " + std::to_string(w.cols) + " cols");
    std::vector<int64_t> acc(static_cast<size_t>(w.cols));
    reference_accumulate(w, x.data(), bias.empty() ? nullptr : bias.data(), acc.data());
    const ActivationUnit unit(act);
    std::vector<int32_t> y(acc.size());
    for (size_t j = 0; j < acc.size(); ++j) y[j] = unit(shift_round(acc[j], shift));
    return y;
}

}  // namespace cimvp::cim
