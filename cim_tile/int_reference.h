// The integer reference of one CIM layer (eFlash SoC, paper 001, Eq. 3): Y = act((W*X + b) / G)
// with int8 W (rows x cols, row = input index), uint8 X, int32 bias per column and G = 2^shift.
//   acc[j] = sum_i W[i][j] * X[i] + b[j]                  exact, int64
//   z[j]   = shift_round(acc[j], shift)                   ROUND-HALF-UP: floor((acc + 2^(s-1)) / 2^s)
//   y[j]   = act(z[j]) saturated to the activation's 8-bit output type (activation.h)
// Round-half-up (not floor) because it keeps the digital error zero-mean; the analog tile's
// post-processing uses the same shift_round, so the ideal tile is bit-exact with this model.
#ifndef CIMVP_CIM_INT_REFERENCE_H
#define CIMVP_CIM_INT_REFERENCE_H

#include <cstdint>
#include <vector>

#include "activation.h"
#include "weight_matrix.h"

namespace cimvp::cim {

inline constexpr int kMaxShift = 40;

// Round-half-up division by 2^shift, shift in [0, kMaxShift].
int64_t shift_round(int64_t acc, int shift);

// acc[j] = sum_i w[i][j] * x[i] + bias[j]; x has w.rows entries, bias w.cols entries or nullptr.
void reference_accumulate(const WeightMatrix& w, const uint8_t* x, const int32_t* bias, int64_t* acc);

// The whole layer. Throws std::invalid_argument on size or shift mismatch. An empty bias means 0.
std::vector<int32_t> reference_mvm(const WeightMatrix& w, const std::vector<uint8_t>& x,
                                   const std::vector<int32_t>& bias, int shift, const Activation& act);

}  // namespace cimvp::cim

#endif
