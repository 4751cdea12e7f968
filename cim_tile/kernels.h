// The hot loop of the analog tile: column sums of input-weighted conductances.
//
// Layout: conductances are float, row-major (row = physical word line, contiguous over columns),
// so each driven row is one contiguous axpy over the columns and idle rows (input 0) cost nothing.
// Precision: partial sums are kept in float over blocks of 64 rows and flushed into double.
// When the conductances are integer levels (ideal tile) every block sum is an integer below
// 64 * 255 * 255 < 2^24, so float is exact and the whole column sum is exact: that is what makes
// the ideal analog path bit-exact with the integer reference without a separate integer path.
#ifndef CIMVP_CIM_KERNELS_H
#define CIMVP_CIM_KERNELS_H

#include <cstdint>

namespace cimvp::cim {

// out[p * ncols + j] += sum_r v_p(codes[r]) * g[r * ncols + j] for r < nrows, j < ncols where
//   parallel   (bit_serial = false): one plane, v_0(c) = c
//   bit-serial (bit_serial = true):  planes p < nplanes, v_p(c) = (c >> p) & 1
// g is read once whatever the number of planes.
void accumulate_columns(const float* g, int nrows, int ncols, const uint8_t* codes, int nplanes,
                        bool bit_serial, double* out);

}  // namespace cimvp::cim

#endif
