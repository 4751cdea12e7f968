#include "mapping.h"

#include <stdexcept>
#include <string>

namespace cimvp::cim {

namespace {

[[noreturn]] void bad(const std::string& field, const std::string& why) {
    throw std::invalid_argument("cim tile mapping: " + field + " " + why);
}

void check_range(const char* field, int v, int lo, int hi) {
    if (v < lo || v > hi)
        bad(field, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                       std::to_string(v));
}

}  // namespace

void validate_mapping(const MappingOptions& m, const TileConfig& cfg, int rows, int cols) {
    if (rows <= 0 || cols <= 0)
        bad("layer", "must have rows and cols > 0, got " + std::to_string(rows) + "x" + std::to_string(cols));
    check_range("replication", m.replication, 1, cfg.array.rows);
    check_range("input_amp_bits", m.input_amp_bits, 0, 7);
    check_range("weight_amp_bits", m.weight_amp_bits, 0, 7);
    check_range("row_offset", m.row_offset, 0, cfg.array.rows - 1);
    check_range("col_offset", m.col_offset, 0, cfg.array.cols - 1);
    const long used_rows = static_cast<long>(rows) * m.replication;
    if (m.row_offset + used_rows > cfg.array.rows)
        bad("rows", "of the layer (" + std::to_string(rows) + " x replication " +
                        std::to_string(m.replication) + " from row " + std::to_string(m.row_offset) +
                        ") exceed array.rows " + std::to_string(cfg.array.rows));
    const long used_cols = static_cast<long>(cols) * cfg.slices();
    if (m.col_offset + used_cols > cfg.array.cols)
        bad("cols", "of the layer (" + std::to_string(cols) + " x " + std::to_string(cfg.slices()) +
                        " slices from column " + std::to_string(m.col_offset) +
                        ") exceed array.cols " + std::to_string(cfg.array.cols));
}

CellTargets map_weight(int8_t w, int bits_per_cell, int weight_amp_bits, bool digital_high_bits) {
    CellTargets t;
    const int mag = (w < 0 ? -static_cast<int>(w) : w) << weight_amp_bits;
    int lo = mag;
    if (digital_high_bits) {
        lo = mag & 255;
        t.digital = (mag >> 8) << 8;
        if (w < 0) t.digital = -t.digital;
    } else if (mag > 255) {
        lo = 255;
        t.saturated = true;
    }
    const int lmax = (1 << bits_per_cell) - 1;
    uint8_t* side = w < 0 ? t.neg : t.pos;
    for (int s = 0; s * bits_per_cell < 8; ++s) side[s] = static_cast<uint8_t>((lo >> (s * bits_per_cell)) & lmax);
    return t;
}

}  // namespace cimvp::cim
