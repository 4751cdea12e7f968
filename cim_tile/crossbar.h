// The analog crossbar tile: one layer programmed into (a region of) the differential-pair array,
// then matrix-vector products through DACs, the array, ADCs and the digital post-processing.
//
// Units (tile_config.h): conductances are kept in LEVELS (g / (g_max / Lmax)); a column sum in
// one read is in "read units" = level x DAC code, which for the ideal tile is exactly the
// integer MAC of that slice and input plane. Config values in current units are converted with
// 1 current unit = Lmax * Dmax read units (Dmax = 2^inp_res_bits - 1 parallel, 1 bit-serial).
//
// Per read (one slice s of the weight, one input plane p), for column j, in this fixed order:
//  1 mapping      target levels L+ / L- per cell (mapping.h)
//  2 prog. error  G0 = L * (1 + d2d * N) + (sigma_pair / sqrt2) * N      fixed at program();
//                 each N a function of (seed, physical cell, target level): one error per cell
//                 sigma_pair^2 = prog_noise_lsb^2 + (prog_noise_frac * Lmax)^2   [levels]
//  3 drift        G(t) = G0 * (max(t, t0) / t0)^-nu                       one factor for all cells
//  4 read noise   + (w_noise * Lmax / sqrt2) * N per cell per read. Summed down a column the
//                 terms v_i * n_i are independent Gaussians, so their sum is EXACTLY Gaussian
//                 with variance sum_i v_i^2 sigma^2: we draw one normal per column and side
//                 instead of one per cell (same distribution, 1000x fewer draws).
//  5 stuck-at     cells chosen at program() read exactly 0 or Lmax: no error, drift or noise
//  6 IR drop      per side column: I' = I * (1 - ir_drop * d * I / I_fs), d = (pair column + 1)
//                 / array.cols = distance from the row drivers, I_fs = array.rows full-scale
//                 cells. First order: the wire drop grows with the distance the current travels
//                 and with the current itself; it compresses large, far columns.
//  7 DAC          v_i = DAC code of x_i (converters.h); multiplies everything above
//  8 out noise    + out_noise * N [current units] on the differential column, then clip to
//                 +-out_bound (column clipping)
//  9 ADC          out_res_bits mid-tread quantiser over +-out_bound (converters.h); the digital
//                 side rescales the code to read units and rounds to the integer MAC grid
//                 (ideal gain calibration), weights it by 2^(s*bits) * 2^p * 2^(8-D), adds the
//                 slices and planes, divides by the replication k (round half up), adds the
//                 digital high-bit unit and the bias
// 10 shift        z = shift_round(acc, shift + input_amp_bits + weight_amp_bits) (int_reference.h)
// 11 activation   y = act(z) (activation.h)
// With every noise term 0, a full DAC and out_res_bits = 32, every read is an exact integer and
// the tile is bit-exact with reference_mvm().
//
// Conductances are not clipped to [0, g_max] after programming error or d2d: the model is of
// the pair's effective weight (what the paper's Table I reads back), so a cell programmed to 0
// may carry a small negative error. Stuck cells are exactly 0 or g_max.
// A Crossbar is not thread-safe; use one per thread (the kernel's scratch is thread_local).
//
// Device randomness: which cells are stuck and their d2d gains are a property of the physical
// cell (hashed from seed and the cell's array coordinates), so they stay put when the tile is
// reprogrammed and depend on where the layer is placed. Programming error is fresh for every
// program() call (a sequential stream of the seed). Read and output noise come from a read stream
// reset by program() and reseed_reads(): same seed + same calls = same outputs.
#ifndef CIMVP_CIM_CROSSBAR_H
#define CIMVP_CIM_CROSSBAR_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "activation.h"
#include "mapping.h"
#include "rng.h"
#include "tile_config.h"
#include "weight_matrix.h"

namespace cimvp::cim {

struct ProgramStats {
    uint64_t cells = 0;              // physical cells written (2 per pair, all slices and copies)
    uint64_t stuck_at_zero = 0;
    uint64_t stuck_at_max = 0;
    uint64_t saturated_weights = 0;  // amplified weights clipped to the 8-bit magnitude
    uint64_t digital_weights = 0;    // weights with a nonzero part in the digital high-bit unit
};

struct MvmStats {
    uint64_t mvms = 0;
    uint64_t adc_conversions = 0;       // cols x slices x input planes per MVM
    uint64_t adc_clipped = 0;           // conversions whose column value exceeded out_bound
    uint64_t input_saturations = 0;     // inputs clipped at 255 by input amplification
    uint64_t analog_cell_reads = 0;     // driven physical pairs x slices x planes
    // For array energy models: sum over reads and driven cells of G * (v / v_full_scale)^2 [uS];
    // times V_read^2 and the read time it is the energy the array dissipates. Drift included.
    double driven_conductance_us = 0;
};

class Crossbar {
public:
    // Validates the config (std::invalid_argument naming the field).
    explicit Crossbar(const TileConfig& cfg);

    // Map and write a layer; replaces whatever was programmed. Throws std::invalid_argument if
    // the layer or the options do not fit (validate_mapping).
    void program(const WeightMatrix& w, const MappingOptions& m = {});

    // One MVM: x has rows() entries; bias has cols() entries or is nullptr (= 0); y receives cols()
    // output codes; acc, if given, receives the digital estimate of W*X + b before the shift, in
    // MAC units of the original layer (amplification divided out). t_since_program_s drives drift.
    void mvm(const uint8_t* x, const int32_t* bias, int shift, const Activation& act,
             double t_since_program_s, int32_t* y, double* acc = nullptr);
    std::vector<int32_t> mvm(const std::vector<uint8_t>& x, const std::vector<int32_t>& bias, int shift,
                             const Activation& act, double t_since_program_s = 0.0);

    // What a verify read sees at t0 without read noise, as weights in LSB of the original int8
    // weight: slices recombined, replicas averaged, digital part added, amplification divided out.
    // This is what the eFlash paper's Table I compares with the intended weights.
    std::vector<double> read_back_weights() const;
    // One cell's programmed conductance [fraction of g_max] at t0, stuck cells included.
    double cell_conductance(int row, int col, int slice, bool negative, int copy = 0) const;

    void reseed_reads(uint64_t seed);

    int rows() const { return rows_; }
    int cols() const { return cols_; }
    bool programmed() const { return rows_ > 0; }
    const TileConfig& config() const { return cfg_; }
    const MappingOptions& mapping() const { return map_; }
    const ProgramStats& program_stats() const { return pstats_; }
    const MvmStats& mvm_stats() const { return mstats_; }  // since the last program()

private:
    struct StuckCell {
        int32_t prow;   // physical row within the layer (copy * rows + row)
        int32_t col;    // layer column
        bool negative;  // G- side
        bool at_max;    // stuck at Lmax (else at 0)
    };
    struct DigitalWeight {
        int32_t row, col, value;  // value in amplified-weight units
    };

    size_t cell_index(int prow, int col) const { return static_cast<size_t>(prow) * cols_ + col; }
    void read_slice(int slice, int planes, bool bit_serial, double dmax, double drift);

    TileConfig cfg_;
    MappingOptions map_;
    int rows_ = 0, cols_ = 0, prows_ = 0;      // layer rows, cols, physical rows (rows * k)
    int slices_ = 1, bits_ = 8;
    double lmax_ = 255;

    // Per slice, prows_ x cols_ row-major, in levels; stuck cells hold 0 here.
    std::vector<std::vector<float>> gpos_, gneg_, gdiff_;
    std::vector<std::vector<StuckCell>> stuck_;   // per slice, ascending prow
    std::vector<DigitalWeight> digital_;          // ascending row
    std::vector<double> row_g_, row_g_stuck_;     // per physical row: sum of G+ + G- [levels],
                                                  // drifting cells and stuck cells apart
    Rng read_rng_;
    ActivationUnit act_unit_;

    // Scratch reused across MVMs (no allocation in steady state).
    std::vector<uint8_t> codes_;        // DAC code per physical row
    std::vector<int32_t> xamp_;         // amplified input per layer row
    std::vector<double> colsum_, colsum_neg_, sub_pos_, sub_neg_, stuck_pos_, stuck_neg_;
    std::vector<double> v2_;            // per plane: sum over physical rows of v^2
    std::vector<int64_t> acc_analog_;

    ProgramStats pstats_;
    MvmStats mstats_;
};

}  // namespace cimvp::cim

#endif
