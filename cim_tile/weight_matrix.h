// An int8 weight matrix as the toolchain hands it to a tile: rows = inputs (word lines),
// cols = outputs (columns), row-major, so row i holds the weights input i drives.
#ifndef CIMVP_CIM_WEIGHT_MATRIX_H
#define CIMVP_CIM_WEIGHT_MATRIX_H

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace cimvp::cim {

struct WeightMatrix {
    int rows = 0;
    int cols = 0;
    std::vector<int8_t> data;  // data[row * cols + col]

    WeightMatrix() = default;
    WeightMatrix(int r, int c, int8_t fill = 0)
        : rows(r), cols(c), data(static_cast<size_t>(r) * static_cast<size_t>(c), fill) {
        if (r <= 0 || c <= 0) throw std::invalid_argument("WeightMatrix: rows and cols must be > 0");
    }
    int8_t& at(int r, int c) { return data[static_cast<size_t>(r) * cols + c]; }
    int8_t at(int r, int c) const { return data[static_cast<size_t>(r) * cols + c]; }
    const int8_t* row(int r) const { return data.data() + static_cast<size_t>(r) * cols; }
};

}  // namespace cimvp::cim

#endif
