// Typed configuration of one analog CIM tile (a crossbar of differential cell pairs with its
// DACs and ADCs). Plain C++, no SystemC: the NPU model builds one of these from the board YAML.
//
// Units used throughout cim_tile/:
//   level      one conductance step of a cell, g_max / Lmax with Lmax = 2^bits_per_cell - 1.
//   current    "normalised column current": 1.0 = the current of ONE cell at g_max driven by a
//              full-scale input (aihwkit's convention, so out_bound / out_noise read the same).
//              A column of R rows can therefore carry at most R.
//   MAC unit   one unit of the integer reference's W*X (int8 weight LSB x uint8 input LSB).
// The defaults are the IDEAL tile: no noise, full-resolution DAC, an ADC wide enough that the
// analog path is bit-exact with the integer reference (int_reference.h).
#ifndef CIMVP_CIM_TILE_CONFIG_H
#define CIMVP_CIM_TILE_CONFIG_H

#include <cstdint>

namespace cimvp::cim {

// Model limits (not silicon limits): 8192 rows keeps every column sum inside int32 and every
// 64-row float partial sum exact (see kernels.h).
inline constexpr int kMaxRows = 8192;
inline constexpr int kMaxCols = 8192;

// How the 8-bit unsigned inputs reach the word lines.
enum class InputEncoding {
    Parallel,   // one read: an inp_res_bits-bit amplitude DAC per row
    BitSerial,  // inp_res_bits reads of 1-bit inputs (MSB..LSB), ADC per read, shift-and-add after
};

struct ArrayConfig {
    int rows = 1792;            // word lines = inputs (eFlash SoC: 1792)
    int cols = 896;             // differential cell-pair columns; a weight uses ceil(8/bits_per_cell)
                                // of them (eFlash SoC: 896 8-bit weights per row)
    int bits_per_cell = 8;      // 1..8; levels per cell = 2^bits; the 8-bit magnitude of each side
                                // is sliced over ceil(8/bits) pairs and recombined with shifts
    double g_max_us = 1.0;      // conductance of a cell at its top level [uS]; only scales the
                                // reported conductance (MvmStats), every noise figure is relative
};

struct ConverterConfig {
    InputEncoding encoding = InputEncoding::Parallel;
    int inp_res_bits = 8;       // DAC resolution [bits], 1..8. Parallel: the DAC has 2^bits-1 steps;
                                // bit-serial: the number of input bit planes read. X is rounded to
                                // the top inp_res_bits bits (converters.h).
    int out_res_bits = 32;      // ADC resolution [bits], 2..32; symmetric mid-tread codes
                                // +-(2^(bits-1)-1) spanning +-out_bound. 32 = ideal (exact).
    double out_bound = 0.0;     // ADC full scale / column clip [current units]; 0 = the column's
                                // physical full scale (array rows), i.e. nothing can clip ideally
    double out_noise = 0.0;     // additive Gaussian std at the column output per read [current units]
};

struct NoiseConfig {
    // Programming (write-verify) error, fixed at program(): Gaussian std of one differential
    // pair's G+ - G-, each cell gets std/sqrt(2). Both terms add in quadrature.
    double prog_noise_lsb = 0.0;   // [levels] = weight LSB for 8-bit cells (paper Table I: ~2)
    double prog_noise_frac = 0.0;  // [fraction of g_max]
    double d2d_variation = 0.0;    // device-to-device gain: G = G_target * (1 + d2d * N(0,1)), per cell
    double stuck_at_rate = 0.0;    // fraction of cells stuck (chosen at program(), independent per cell)
    double stuck_at_zero_fraction = 0.5;  // of the stuck cells, fraction stuck at 0; rest at g_max
    double w_noise = 0.0;          // read noise per MVM: std of a pair's G+ - G- [fraction of g_max]
    double drift_nu = 0.0;         // conductance drift exponent: G(t) = G0 * (t / t0)^-nu
    double drift_t0_s = 20.0;      // drift reference time [s]; t < t0 is treated as t0
    double ir_drop = 0.0;          // first-order IR drop: fractional loss of a fully loaded column
                                   // at the far end from the row drivers (crossbar.h)
};

struct TileConfig {
    ArrayConfig array;
    ConverterConfig conv;
    NoiseConfig noise;
    uint64_t seed = 1;  // device seed: which array gets programmed, and the read-noise stream

    // Throws std::invalid_argument naming the first bad field ("noise.w_noise must be >= 0 ...").
    void validate() const;

    int slices() const { return (8 + array.bits_per_cell - 1) / array.bits_per_cell; }
    int levels_max() const { return (1 << array.bits_per_cell) - 1; }  // Lmax
    // True when no analog effect can move a column sum off its integer value.
    bool analog_ideal() const;
};

}  // namespace cimvp::cim

#endif
