// Shared helpers for the cim_tile tests: random layers (std::mt19937_64, independent of the
// tile's own RNG), a first-mismatch description for exact comparisons, plain statistics, and
// the tile-vs-reference error helpers of the noise tests.
#ifndef CIMVP_TESTS_CIM_TILE_UTIL_H
#define CIMVP_TESTS_CIM_TILE_UTIL_H

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crossbar.h"
#include "int_reference.h"
#include "weight_matrix.h"

namespace cimvp::cim::test {

inline WeightMatrix random_weights(int rows, int cols, std::mt19937_64& g, int lo = -128, int hi = 127) {
    WeightMatrix w(rows, cols);
    std::uniform_int_distribution<int> d(lo, hi);
    for (auto& v : w.data) v = static_cast<int8_t>(d(g));
    return w;
}

// Bell-shaped weights as trained layers have (eFlash paper: most in the low 6 bits).
inline WeightMatrix gaussian_weights(int rows, int cols, std::mt19937_64& g, double std_lsb) {
    WeightMatrix w(rows, cols);
    std::normal_distribution<double> d(0.0, std_lsb);
    for (auto& v : w.data) v = static_cast<int8_t>(std::max(-128.0, std::min(127.0, std::round(d(g)))));
    return w;
}

inline std::vector<uint8_t> random_inputs(int n, std::mt19937_64& g, int lo = 0, int hi = 255) {
    std::vector<uint8_t> x(n);
    std::uniform_int_distribution<int> d(lo, hi);
    for (auto& v : x) v = static_cast<uint8_t>(d(g));
    return x;
}

inline std::vector<int32_t> random_bias(int n, std::mt19937_64& g, int32_t mag) {
    std::vector<int32_t> b(n);
    std::uniform_int_distribution<int32_t> d(-mag, mag);
    for (auto& v : b) v = d(g);
    return b;
}

// "" when equal, else where the first difference is and how many entries differ.
template <typename A, typename B>
std::string first_mismatch(const std::vector<A>& got, const std::vector<B>& want, const std::string& what) {
    if (got.size() != want.size())
        return what + ": size " + std::to_string(got.size()) + " != " + std::to_string(want.size());
    size_t n = 0, first = 0;
    for (size_t i = 0; i < got.size(); ++i)
        if (static_cast<double>(got[i]) != static_cast<double>(want[i]) && n++ == 0) first = i;
    if (n == 0) return "";
    std::ostringstream os;
    os.precision(17);
    os << what << ": " << n << " of " << got.size() << " differ; first at column " << first << ": got "
       << static_cast<double>(got[first]) << ", want " << static_cast<double>(want[first]);
    return os.str();
}

struct Moments {
    double mean = 0, std = 0;
    size_t n = 0;
};
inline Moments moments(const std::vector<double>& v) {
    Moments m;
    m.n = v.size();
    for (double x : v) m.mean += x;
    m.mean /= static_cast<double>(v.size());
    double s2 = 0;
    for (double x : v) s2 += (x - m.mean) * (x - m.mean);
    m.std = std::sqrt(s2 / static_cast<double>(v.size() - 1));
    return m;
}

inline double cosine(const std::vector<double>& a, const std::vector<double>& b) {
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += a[i] * b[i];
        aa += a[i] * a[i];
        bb += b[i] * b[i];
    }
    return ab / std::sqrt(aa * bb);
}

// sum_i x_i^2: a pair error of sigma levels gives a column error of sigma * sqrt(sum_sq(x)).
inline double sum_sq(const std::vector<uint8_t>& x) {
    double s = 0;
    for (uint8_t v : x) s += static_cast<double>(v) * v;
    return s;
}

inline std::vector<double> reference_acc(const WeightMatrix& w, const std::vector<uint8_t>& x,
                                         const std::vector<int32_t>& b = {}) {
    std::vector<int64_t> a(w.cols);
    reference_accumulate(w, x.data(), b.empty() ? nullptr : b.data(), a.data());
    return {a.begin(), a.end()};
}

// The tile's pre-shift accumulator (and optionally its outputs y) for one input.
inline std::vector<double> tile_acc(Crossbar& t, const std::vector<uint8_t>& x, const std::vector<int32_t>& b = {},
                                    double t_s = 0.0, std::vector<int32_t>* y = nullptr, int shift = 0,
                                    Activation act = Activation::identity()) {
    std::vector<int32_t> yy(t.cols());
    std::vector<double> acc(t.cols());
    t.mvm(x.data(), b.empty() ? nullptr : b.data(), shift, act, t_s, yy.data(), acc.data());
    if (y) *y = yy;
    return acc;
}

// Relative deviation of a measured std from its prediction, for the 10 % checks.
inline ::testing::AssertionResult std_within(double measured, double predicted, double tol, const std::string& what) {
    const double rel = measured / predicted - 1;
    if (std::fabs(rel) <= tol) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << what << ": measured std " << measured << ", predicted " << predicted
                                         << " (" << 100 * rel << " %, tolerance " << 100 * tol << " %)";
}

// Pooled error of repeated reads: (acc - reference) over `reads` MVMs and all columns.
inline std::vector<double> read_errors(Crossbar& t, const WeightMatrix& w, const std::vector<uint8_t>& x, int reads) {
    const auto ref = reference_acc(w, x);
    std::vector<double> e;
    for (int r = 0; r < reads; ++r) {
        const auto a = tile_acc(t, x);
        for (size_t j = 0; j < a.size(); ++j) e.push_back(a[j] - ref[j]);
    }
    return e;
}

}  // namespace cimvp::cim::test

#endif
