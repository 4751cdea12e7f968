#include "tile_config.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace cimvp::cim {

namespace {

[[noreturn]] void bad(const std::string& field, const std::string& why) {
    throw std::invalid_argument("cim tile config: " + field + " " + why);
}

void check_int(const char* field, long v, long lo, long hi) {
    if (v < lo || v > hi)
        bad(field, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                       std::to_string(v));
}

// Finite and within [lo, hi]; NaN fails every comparison so it is caught here too.
void check_real(const char* field, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi))
        bad(field, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                       std::to_string(v));
}

}  // namespace

void TileConfig::validate() const {
    check_int("array.rows", array.rows, 1, kMaxRows);
    check_int("array.cols", array.cols, 1, kMaxCols);
    check_int("array.bits_per_cell", array.bits_per_cell, 1, 8);
    if (!(array.g_max_us > 0 && std::isfinite(array.g_max_us)))
        bad("array.g_max_us", "must be > 0, got " + std::to_string(array.g_max_us));

    check_int("conv.inp_res_bits", conv.inp_res_bits, 1, 8);
    check_int("conv.out_res_bits", conv.out_res_bits, 2, 32);
    check_real("conv.out_bound", conv.out_bound, 0.0, 1e12);
    check_real("conv.out_noise", conv.out_noise, 0.0, 1e12);

    check_real("noise.prog_noise_lsb", noise.prog_noise_lsb, 0.0, 1e6);
    check_real("noise.prog_noise_frac", noise.prog_noise_frac, 0.0, 1e3);
    check_real("noise.d2d_variation", noise.d2d_variation, 0.0, 1e3);
    check_real("noise.stuck_at_rate", noise.stuck_at_rate, 0.0, 1.0);
    check_real("noise.stuck_at_zero_fraction", noise.stuck_at_zero_fraction, 0.0, 1.0);
    check_real("noise.w_noise", noise.w_noise, 0.0, 1e3);
    check_real("noise.drift_nu", noise.drift_nu, 0.0, 10.0);
    if (!(noise.drift_t0_s > 0 && std::isfinite(noise.drift_t0_s)))
        bad("noise.drift_t0_s", "must be > 0 [s], got " + std::to_string(noise.drift_t0_s));
    // Above 1 the first-order model would turn a column current negative.
    check_real("noise.ir_drop", noise.ir_drop, 0.0, 1.0);
}

bool TileConfig::analog_ideal() const {
    return noise.prog_noise_lsb == 0 && noise.prog_noise_frac == 0 && noise.d2d_variation == 0 &&
           noise.stuck_at_rate == 0 && noise.w_noise == 0 && noise.drift_nu == 0 &&
           noise.ir_drop == 0 && conv.out_noise == 0;
}

}  // namespace cimvp::cim
