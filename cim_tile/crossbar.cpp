#include "crossbar.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "converters.h"
#include "int_reference.h"
#include "kernels.h"

namespace cimvp::cim {

namespace {

// Counter-based draws for per-cell device properties: a pure function of (seed, cell, what), so a
// physical cell keeps its d2d gain and stuck state whatever is programmed and in which order.
// The programming error is drawn the same way, also keyed by the target level: a cell seen
// through two overlapping regions (or programmed again by a region cache) is one cell with one
// error, while writing it to another level draws a new one.
enum : uint64_t { kSaltD2d = 1, kSaltStuck = 3, kSaltStuckKind = 4, kSaltProg = 0x50524F4700000000ull };

uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
double cell_uniform(uint64_t seed, uint64_t cell, uint64_t salt) {
    const uint64_t h = mix(mix(seed + salt * 0x9E3779B97F4A7C15ull) ^ (cell * 0xD6E8FEB86659FD93ull));
    return static_cast<double>(h >> 11) * 0x1.0p-53;
}
double cell_normal(uint64_t seed, uint64_t cell, uint64_t salt) {
    const double u1 = 1.0 - cell_uniform(seed, cell, salt);  // (0, 1]
    const double u2 = cell_uniform(seed, cell, salt + 1000);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

// floor(a / b) for b > 0.
int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

constexpr uint64_t kStreamRead = 0x52454144;  // "READ"

}  // namespace

Crossbar::Crossbar(const TileConfig& cfg) : cfg_(cfg) {
    cfg_.validate();
    reseed_reads(cfg_.seed);
}

void Crossbar::reseed_reads(uint64_t seed) {
    read_rng_.reseed(seed, kStreamRead ^ (static_cast<uint64_t>(map_.row_offset) << 20) ^
                               (static_cast<uint64_t>(map_.col_offset) << 40));
}

void Crossbar::program(const WeightMatrix& w, const MappingOptions& m) {
    validate_mapping(m, cfg_, w.rows, w.cols);
    if (w.data.size() != static_cast<size_t>(w.rows) * w.cols)
        throw std::invalid_argument("Crossbar::program: weight data size does not match rows x cols");
    map_ = m;
    rows_ = w.rows;
    cols_ = w.cols;
    prows_ = rows_ * m.replication;
    bits_ = cfg_.array.bits_per_cell;
    slices_ = cfg_.slices();
    lmax_ = cfg_.levels_max();
    pstats_ = {};

    CellTargets table[256];
    for (int v = -128; v < 128; ++v)
        table[v + 128] = map_weight(static_cast<int8_t>(v), bits_, m.weight_amp_bits, m.digital_high_bits);

    const size_t n = static_cast<size_t>(prows_) * cols_;
    gpos_.assign(slices_, std::vector<float>(n));
    gneg_.assign(slices_, std::vector<float>(n));
    gdiff_.assign(slices_, std::vector<float>(n));
    stuck_.assign(slices_, {});
    digital_.clear();
    row_g_.assign(prows_, 0.0);
    row_g_stuck_.assign(prows_, 0.0);

    const NoiseConfig& nz = cfg_.noise;
    const double sigma_cell =
        std::sqrt(nz.prog_noise_lsb * nz.prog_noise_lsb + std::pow(nz.prog_noise_frac * lmax_, 2)) /
        std::sqrt(2.0);
    const uint64_t seed = cfg_.seed;
    const uint64_t array_cols = static_cast<uint64_t>(cfg_.array.cols);

    for (int i = 0; i < rows_; ++i)
        for (int j = 0; j < cols_; ++j) {
            const CellTargets& t = table[w.at(i, j) + 128];
            if (t.saturated) ++pstats_.saturated_weights;
            if (t.digital != 0) {
                ++pstats_.digital_weights;
                digital_.push_back({i, j, t.digital});
            }
        }

    for (int pr = 0; pr < prows_; ++pr) {
        const int i = pr % rows_;
        const uint64_t phys_row = static_cast<uint64_t>(m.row_offset + pr);
        for (int j = 0; j < cols_; ++j) {
            const CellTargets& t = table[w.at(i, j) + 128];
            const size_t idx = cell_index(pr, j);
            for (int s = 0; s < slices_; ++s) {
                const uint64_t pair_col = static_cast<uint64_t>(m.col_offset) + static_cast<uint64_t>(j) * slices_ + s;
                for (int side = 0; side < 2; ++side) {
                    const uint64_t cell = (phys_row * array_cols + pair_col) * 2 + side;
                    double g = side ? t.neg[s] : t.pos[s];
                    if (nz.d2d_variation > 0) g *= 1.0 + nz.d2d_variation * cell_normal(seed, cell, kSaltD2d);
                    if (sigma_cell > 0)
                        g += sigma_cell * cell_normal(seed, cell, kSaltProg + static_cast<uint64_t>(std::llround(g * 16.0)));
                    if (nz.stuck_at_rate > 0 && cell_uniform(seed, cell, kSaltStuck) < nz.stuck_at_rate) {
                        const bool at_zero = cell_uniform(seed, cell, kSaltStuckKind) < nz.stuck_at_zero_fraction;
                        stuck_[s].push_back({pr, j, side == 1, !at_zero});
                        ++(at_zero ? pstats_.stuck_at_zero : pstats_.stuck_at_max);
                        g = 0;  // the stuck value is added from the list, after drift and noise
                        if (!at_zero) row_g_stuck_[pr] += lmax_;
                    }
                    row_g_[pr] += g;
                    (side ? gneg_ : gpos_)[s][idx] = static_cast<float>(g);
                }
                gdiff_[s][idx] = gpos_[s][idx] - gneg_[s][idx];
            }
        }
    }
    pstats_.cells = n * slices_ * 2;
    reseed_reads(cfg_.seed);
    mstats_ = {};
}

void Crossbar::mvm(const uint8_t* x, const int32_t* bias, int shift, const Activation& act,
                   double t_since_program_s, int32_t* y, double* acc) {
    if (!programmed()) throw std::logic_error("Crossbar::mvm before program()");
    const int amp = map_.input_amp_bits + map_.weight_amp_bits;
    if (shift < 0 || shift + amp > kMaxShift)
        throw std::invalid_argument("Crossbar::mvm: shift must be in [0, " + std::to_string(kMaxShift - amp) +
                                    "], got " + std::to_string(shift));
    if (!(t_since_program_s >= 0) || !std::isfinite(t_since_program_s))
        throw std::invalid_argument("Crossbar::mvm: t_since_program_s must be finite and >= 0, got " +
                                    std::to_string(t_since_program_s));
    if (!(act == act_unit_.spec())) act_unit_ = ActivationUnit(act);

    const ConverterConfig& cv = cfg_.conv;
    const bool bit_serial = cv.encoding == InputEncoding::BitSerial;
    const int dbits = cv.inp_res_bits;
    const int planes = bit_serial ? dbits : 1;
    const double dmax = bit_serial ? 1.0 : static_cast<double>((1 << dbits) - 1);

    // Input side: amplification (digital, saturating), then the DAC code per physical row.
    xamp_.resize(rows_);
    codes_.resize(prows_);
    for (int i = 0; i < rows_; ++i) {
        int v = static_cast<int>(x[i]) << map_.input_amp_bits;
        if (v > 255) {
            v = 255;
            ++mstats_.input_saturations;
        }
        xamp_[i] = v;
        codes_[i] = static_cast<uint8_t>(dac_code(static_cast<uint8_t>(v), dbits));
    }
    for (int pr = rows_; pr < prows_; ++pr) codes_[pr] = codes_[pr % rows_];

    // Sum of v^2 over the driven physical rows, per plane: the read-noise variance (step 4).
    v2_.assign(planes, 0.0);
    for (int pr = 0; pr < prows_; ++pr) {
        const unsigned c = codes_[pr];
        if (bit_serial) {
            for (int p = 0; p < planes; ++p) v2_[p] += (c >> p) & 1u;
        } else {
            v2_[0] += static_cast<double>(c) * c;
        }
    }
    const NoiseConfig& nz = cfg_.noise;
    const double drift =
        nz.drift_nu > 0 ? std::pow(std::max(t_since_program_s, nz.drift_t0_s) / nz.drift_t0_s, -nz.drift_nu) : 1.0;

    // Energy hooks: driven cells and sum G * (v / full scale)^2 (row sums were kept at program()).
    double g_v2 = 0;
    for (int p = 0; p < planes; ++p) {
        uint64_t driven = 0;
        for (int pr = 0; pr < prows_; ++pr) {
            const double v = bit_serial ? ((codes_[pr] >> p) & 1u) : codes_[pr] / dmax;
            driven += v != 0;
            g_v2 += v * v * (drift * row_g_[pr] + row_g_stuck_[pr]);
        }
        mstats_.analog_cell_reads += driven * static_cast<uint64_t>(cols_) * slices_;
    }
    mstats_.driven_conductance_us += g_v2 * cfg_.array.g_max_us / lmax_;

    acc_analog_.assign(cols_, 0);
    for (int s = 0; s < slices_; ++s) read_slice(s, planes, bit_serial, dmax, drift);

    ++mstats_.mvms;
    const double unamp = std::ldexp(1.0, -amp);
    const int64_t k = map_.replication;
    auto dig = digital_.begin();
    std::vector<int64_t>& total = acc_analog_;
    for (int j = 0; j < cols_; ++j) total[j] = k == 1 ? total[j] : floor_div(2 * total[j] + k, 2 * k);
    for (; dig != digital_.end(); ++dig) total[dig->col] += static_cast<int64_t>(xamp_[dig->row]) * dig->value;
    for (int j = 0; j < cols_; ++j) {
        if (bias) total[j] += static_cast<int64_t>(bias[j]) * (int64_t{1} << amp);
        if (acc) acc[j] = static_cast<double>(total[j]) * unamp;
        y[j] = act_unit_(shift_round(total[j], shift + amp));
    }
}

// Steps 3..9 of crossbar.h for one weight slice and every input plane; adds the rescaled ADC
// results into acc_analog_ (units: amplified W x amplified X).
void Crossbar::read_slice(int s, int planes, bool bit_serial, double dmax, double drift) {
    const NoiseConfig& nz = cfg_.noise;
    const ConverterConfig& cv = cfg_.conv;
    const bool ir = nz.ir_drop > 0;
    const size_t pc = static_cast<size_t>(planes) * cols_;

    colsum_.assign(pc, 0.0);
    if (ir) {
        colsum_neg_.assign(pc, 0.0);
        accumulate_columns(gpos_[s].data(), prows_, cols_, codes_.data(), planes, bit_serial, colsum_.data());
        accumulate_columns(gneg_[s].data(), prows_, cols_, codes_.data(), planes, bit_serial, colsum_neg_.data());
    } else {
        accumulate_columns(gdiff_[s].data(), prows_, cols_, codes_.data(), planes, bit_serial, colsum_.data());
    }

    // Stuck cells: their value (after drift and noise, step 5) and their share of the variance.
    const bool any_stuck = !stuck_[s].empty();
    if (any_stuck) {
        stuck_pos_.assign(pc, 0.0);
        stuck_neg_.assign(pc, 0.0);
        sub_pos_.assign(pc, 0.0);
        sub_neg_.assign(pc, 0.0);
        for (const StuckCell& c : stuck_[s]) {
            const unsigned code = codes_[c.prow];
            if (code == 0) continue;
            for (int p = 0; p < planes; ++p) {
                const double v = bit_serial ? ((code >> p) & 1u) : code;
                if (v == 0) continue;
                const size_t at = static_cast<size_t>(p) * cols_ + c.col;
                (c.negative ? sub_neg_ : sub_pos_)[at] += v * v;
                if (c.at_max) (c.negative ? stuck_neg_ : stuck_pos_)[at] += v * lmax_;
            }
        }
    }

    const double sigma_read = nz.w_noise * lmax_ / std::sqrt(2.0);  // per cell [levels]
    const double sigma_out = cv.out_noise * lmax_ * dmax;            // [read units]
    const double full_scale = cfg_.array.rows * lmax_ * dmax;        // [read units]
    const Adc adc(cv.out_bound > 0 ? cv.out_bound * lmax_ * dmax : full_scale, cv.out_res_bits);
    const double lsb = adc.lsb();
    const int base_shift = s * bits_ + (8 - cfg_.conv.inp_res_bits);

    for (int p = 0; p < planes; ++p) {
        const int64_t weight = int64_t{1} << (base_shift + (bit_serial ? p : 0));
        const double* sum = colsum_.data() + static_cast<size_t>(p) * cols_;
        const double* sum_neg = ir ? colsum_neg_.data() + static_cast<size_t>(p) * cols_ : nullptr;
        for (int j = 0; j < cols_; ++j) {
            const size_t at = static_cast<size_t>(p) * cols_ + j;
            double value;
            if (ir) {
                double ip = drift * sum[j], in = drift * sum_neg[j];
                if (any_stuck) {
                    ip += stuck_pos_[at];
                    in += stuck_neg_[at];
                }
                if (sigma_read > 0) {
                    ip += sigma_read * std::sqrt(std::max(v2_[p] - (any_stuck ? sub_pos_[at] : 0.0), 0.0)) * read_rng_.normal();
                    in += sigma_read * std::sqrt(std::max(v2_[p] - (any_stuck ? sub_neg_[at] : 0.0), 0.0)) * read_rng_.normal();
                }
                const double d = static_cast<double>(map_.col_offset + j * slices_ + s + 1) / cfg_.array.cols;
                ip *= 1.0 - nz.ir_drop * d * ip / full_scale;
                in *= 1.0 - nz.ir_drop * d * in / full_scale;
                value = ip - in;
            } else {
                value = drift * sum[j];
                if (any_stuck) value += stuck_pos_[at] - stuck_neg_[at];
                if (sigma_read > 0) {
                    const double sub = any_stuck ? sub_pos_[at] + sub_neg_[at] : 0.0;
                    value += sigma_read * std::sqrt(std::max(2 * v2_[p] - sub, 0.0)) * read_rng_.normal();
                }
            }
            if (sigma_out > 0) value += sigma_out * read_rng_.normal();
            bool clipped = false;
            const int64_t code = adc.code(value, &clipped);
            mstats_.adc_clipped += clipped;
            const int64_t mac = static_cast<int64_t>(std::floor(static_cast<double>(code) * lsb + 0.5));
            acc_analog_[j] += mac * weight;
        }
    }
    mstats_.adc_conversions += static_cast<uint64_t>(pc);
}

std::vector<int32_t> Crossbar::mvm(const std::vector<uint8_t>& x, const std::vector<int32_t>& bias, int shift,
                                   const Activation& act, double t_since_program_s) {
    if (!programmed()) throw std::logic_error("Crossbar::mvm before program()");
    if (static_cast<int>(x.size()) != rows_)
        throw std::invalid_argument("Crossbar::mvm: x has " + std::to_string(x.size()) + " entries, layer has " +
                                    std::to_string(rows_) + " rows");
    if (!bias.empty() && static_cast<int>(bias.size()) != cols_)
        throw std::invalid_argument("Crossbar::mvm: bias has " + std::to_string(bias.size()) +
                                    " entries, layer has " + std::to_string(cols_) + " cols");
    std::vector<int32_t> y(cols_);
    mvm(x.data(), bias.empty() ? nullptr : bias.data(), shift, act, t_since_program_s, y.data());
    return y;
}

std::vector<double> Crossbar::read_back_weights() const {
    if (!programmed()) throw std::logic_error("Crossbar::read_back_weights before program()");
    std::vector<double> w(static_cast<size_t>(rows_) * cols_, 0.0);
    const double k = map_.replication;
    for (int s = 0; s < slices_; ++s) {
        const double scale = std::ldexp(1.0, s * bits_);
        for (int pr = 0; pr < prows_; ++pr) {
            const size_t out = static_cast<size_t>(pr % rows_) * cols_;
            const float* d = gdiff_[s].data() + cell_index(pr, 0);
            for (int j = 0; j < cols_; ++j) w[out + j] += scale * d[j];
        }
        for (const StuckCell& c : stuck_[s])
            if (c.at_max) w[static_cast<size_t>(c.prow % rows_) * cols_ + c.col] += (c.negative ? -1 : 1) * scale * lmax_;
    }
    for (double& v : w) v /= k;  // once, at the end, so integer read-backs stay exact
    for (const DigitalWeight& d : digital_) w[static_cast<size_t>(d.row) * cols_ + d.col] += d.value;
    const double unamp = std::ldexp(1.0, -map_.weight_amp_bits);
    for (double& v : w) v *= unamp;
    return w;
}

double Crossbar::cell_conductance(int row, int col, int slice, bool negative, int copy) const {
    if (!programmed()) throw std::logic_error("Crossbar::cell_conductance before program()");
    if (row < 0 || row >= rows_ || col < 0 || col >= cols_ || slice < 0 || slice >= slices_ || copy < 0 ||
        copy >= map_.replication)
        throw std::out_of_range("Crossbar::cell_conductance: no such cell");
    const int pr = copy * rows_ + row;
    const auto& list = stuck_[slice];
    auto it = std::lower_bound(list.begin(), list.end(), pr,
                               [](const StuckCell& c, int r) { return c.prow < r; });
    for (; it != list.end() && it->prow == pr; ++it)
        if (it->col == col && it->negative == negative) return it->at_max ? 1.0 : 0.0;
    return (negative ? gneg_ : gpos_)[slice][cell_index(pr, col)] / lmax_;
}

}  // namespace cimvp::cim
