// How one layer's int8 weights become cell levels: the mapping options a toolchain chooses per
// layer (eFlash SoC, paper 001, section III-B) and the per-weight decomposition.
//
// Per weight w (sign-magnitude, because a differential pair stores the sign by which side
// conducts):
//   m  = |w| << weight_amp_bits                      amplification of W ("magnify by 2^n")
//   digital_high_bits: hi = m >> 8 goes to the digital sparse unit (exact), lo = m & 255
//   otherwise:         lo = min(m, 255) (saturation; counted), hi = 0
//   lo is split into slices of bits_per_cell bits: level[s] = (lo >> (s * bits)) & (2^bits - 1)
//   the levels go on the G+ side for w > 0, on the G- side for w < 0; the other side is 0.
// So sign(w) * (sum_s level[s] << (s * bits) + hi << 8) = w << weight_amp_bits when nothing
// saturates. Each side holds an 8-bit magnitude, which is why ceil(8 / bits) slices are used.
#ifndef CIMVP_CIM_MAPPING_H
#define CIMVP_CIM_MAPPING_H

#include <cstdint>

#include "tile_config.h"

namespace cimvp::cim {

struct MappingOptions {
    int row_offset = 0;         // first word line of the layer in the array [rows]
    int col_offset = 0;         // first pair column of the layer in the array [pair columns]
    int replication = 1;        // k >= 1 copies stacked along the rows, all driven by the same x:
                                // the bit line sums them, the digital side divides by k (averages)
    int input_amp_bits = 0;     // 0..7: X << k before the DAC (saturating at 255), undone by the shift
    int weight_amp_bits = 0;    // 0..7: W << n before programming, undone by the shift
    bool digital_high_bits = false;  // hybrid analog/digital: magnitude bits >= 8 of the amplified
                                     // weight are computed exactly by the digital sparse unit
};

// Throws std::invalid_argument naming the field when the options are impossible for a layer of
// rows x cols on this tile (out of range, or the placed layer does not fit the array).
void validate_mapping(const MappingOptions& m, const TileConfig& cfg, int rows, int cols);

struct CellTargets {
    uint8_t pos[8] = {};   // G+ level per slice (slice 0 = least significant)
    uint8_t neg[8] = {};   // G- level per slice
    int32_t digital = 0;   // signed weight handled by the digital unit, already in units of the
                           // amplified weight (hi << 8 with the sign)
    bool saturated = false;
};

CellTargets map_weight(int8_t w, int bits_per_cell, int weight_amp_bits, bool digital_high_bits);

}  // namespace cimvp::cim

#endif
