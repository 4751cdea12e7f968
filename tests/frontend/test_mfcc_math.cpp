// test_mfcc_math.cpp - DCT-II table and transform, normalisation helpers, the log floor, int8
// quantisation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "mfcc_math.h"
#include "mfcc_reference.h"

namespace {

const double kPi = 3.14159265358979323846;

TEST(Dct, TableIsCorrectlyRoundedOrthonormalQ15) {
  for (unsigned K : {2u, 10u, 13u, 23u, 40u, 64u})
    for (unsigned C : {1u, 10u, 13u, 40u, 64u}) {
      if (C > K) continue;
      std::vector<int16_t> t(MFCC_DCT_TABLE_LEN(K, C));
      ASSERT_EQ(mfcc_dct_init(t.data(), K, C), 0);
      for (unsigned j = 0; j < C; ++j)
        for (unsigned m = 0; m < K; ++m) {
          const double v = std::sqrt((j ? 2.0 : 1.0) / K) * std::cos(kPi * j * (m + 0.5) / K) * 32768.0;
          const double frac = std::fabs(v - std::trunc(v));
          if (std::fabs(frac - 0.5) < 1e-6) continue;  // a tie: either neighbour
          ASSERT_EQ(t[j * K + m], int16_t(std::lround(v))) << "K " << K << " j " << j << " m " << m;
        }
    }
  std::vector<int16_t> t(1);
  EXPECT_EQ(mfcc_dct_init(t.data(), 1, 1), 0);
  EXPECT_EQ(t[0], 32767);  // 1.0 saturates
  EXPECT_EQ(mfcc_dct_init(t.data(), 10, 11), -1);
  EXPECT_EQ(mfcc_dct_init(t.data(), 65, 10), -1);
  EXPECT_EQ(mfcc_dct_init(t.data(), 0, 0), -1);
  EXPECT_EQ(mfcc_dct_init(nullptr, 10, 10), -1);
  EXPECT_EQ(mfcc_dct_macs(40, 13), 520u);
}

// mfcc_dct of q8.7 input against the double DCT of the same values: only the table rounding
// (<= 2^-16 per coefficient) and the output rounding (0.5 LSB) differ.
TEST(Dct, TransformMatchesDoubleDct) {
  for (unsigned K : {40u, 64u})
    for (unsigned C : {10u, 13u, 40u}) {
      std::vector<int16_t> t(MFCC_DCT_TABLE_LEN(K, C));
      ASSERT_EQ(mfcc_dct_init(t.data(), K, C), 0);
      uint32_t s = 77;
      double worst = 0;
      for (int trial = 0; trial < 200; ++trial) {
        std::vector<int16_t> in(K);
        std::vector<double> ind(K);
        for (unsigned m = 0; m < K; ++m) {
          s = s * 1664525u + 1013904223u;
          in[m] = trial == 0 ? int16_t(-32768) : trial == 1 ? int16_t(32767) : int16_t(int32_t(s >> 16) % 6000 - 3000);
          ind[m] = in[m] / 128.0;
        }
        std::vector<int16_t> out(C);
        mfcc_dct(t.data(), K, C, in.data(), out.data());
        const auto ref = mfcc_ref::dct2_ortho(ind, int(C));
        for (unsigned j = 0; j < C; ++j) {
          const double r = std::min(32767.0, std::max(-32768.0, ref[j] * 128));
          double bound = 0.5;
          for (unsigned m = 0; m < K; ++m) bound += std::fabs(double(in[m])) / 65536.0;
          EXPECT_LE(std::fabs(out[j] - r), bound) << "K " << K << " C " << C << " trial " << trial << " j " << j;
          if (trial >= 2) worst = std::max(worst, std::fabs(out[j] - r));  // realistic inputs
        }
      }
      EXPECT_LT(worst, 1.5) << "K " << K << " C " << C;
    }
}

TEST(Normalise, FrameMeanSubtraction) {
  std::vector<int16_t> v = {100, -50, 3, 7, 1000, -999, 0};
  double mean = 0;
  for (auto x : v) mean += x;
  mean /= v.size();
  auto w = v;
  mfcc_frame_mean_sub(w.data(), unsigned(w.size()));
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(w[i], std::floor(v[i] - mean + 0.5)) << i;
}

TEST(Normalise, UtteranceCmnAndCmvn) {
  const size_t T = 57;
  const unsigned D = 13;
  std::vector<int16_t> f(T * D);
  uint32_t s = 5;
  for (size_t t = 0; t < T; ++t)
    for (unsigned d = 0; d < D; ++d) {
      s = s * 1664525u + 1013904223u;
      f[t * D + d] = d == 3 ? int16_t(-700) : int16_t(int32_t(s >> 16) % (200 * (d + 1)) - 50 * int(d));
    }
  std::vector<double> mean(D, 0), sd(D, 0);
  for (unsigned d = 0; d < D; ++d) {
    for (size_t t = 0; t < T; ++t) mean[d] += f[t * D + d];
    mean[d] /= T;
    for (size_t t = 0; t < T; ++t) sd[d] += (f[t * D + d] - mean[d]) * (f[t * D + d] - mean[d]);
    sd[d] = std::sqrt(sd[d] / T);
  }
  auto g = f;
  mfcc_cmn(g.data(), T, D);
  for (size_t i = 0; i < f.size(); ++i)
    EXPECT_EQ(g[i], std::floor(f[i] - mean[i % D] + 0.5)) << "element " << i;
  for (unsigned fb : {7u, 12u}) {
    auto h = f;
    ASSERT_EQ(mfcc_cmvn(h.data(), T, D, fb), 0);
    for (size_t i = 0; i < f.size(); ++i) {
      const unsigned d = unsigned(i % D);
      const double want = sd[d] > 0 ? (f[i] - mean[d]) / sd[d] * std::ldexp(1.0, int(fb)) : 0.0;
      EXPECT_NEAR(h[i], std::min(32767.0, std::max(-32768.0, want)), 0.5 + 1e-3 * std::fabs(want) + 0.01)
          << "frac bits " << fb << " element " << i;
    }
  }
  EXPECT_EQ(mfcc_cmvn(f.data(), 70000, D, 7), -1);
  EXPECT_EQ(mfcc_cmvn(f.data(), T, D, 15), -1);
}

// mfcc_cmn computes in 32 bits below 16384 frames and in 64 bits from there: full-scale inputs
// on both sides of the switch, against round_half_up((x T - sum) / T) saturated, in exact int64.
TEST(Normalise, UtteranceCmnFullScaleBothPaths) {
  for (size_t T : {size_t(2), size_t(49), size_t(16383), size_t(16384), size_t(20001)}) {
    const unsigned D = 3;
    std::vector<int16_t> f(T * D);
    for (size_t t = 0; t < T; ++t) {
      f[t * D + 0] = (t % 2) ? int16_t(32767) : int16_t(-32768);  // alternating full scale
      f[t * D + 1] = t == T / 2 ? int16_t(32767) : int16_t(-32768);  // one outlier: saturates
      f[t * D + 2] = int16_t(int(t % 7) * 9000 - 27000);
    }
    auto g = f;
    mfcc_cmn(g.data(), T, D);
    size_t diffs = 0;
    for (unsigned d = 0; d < D; ++d) {
      int64_t sum = 0;
      for (size_t t = 0; t < T; ++t) sum += f[t * D + d];
      for (size_t t = 0; t < T; ++t) {
        const int64_t n = 2 * (int64_t(f[t * D + d]) * int64_t(T) - sum) + int64_t(T), den = 2 * int64_t(T);
        int64_t q = n / den;
        if (n % den != 0 && n < 0) q--;
        const int64_t want = std::min<int64_t>(32767, std::max<int64_t>(-32768, q));
        if (g[t * D + d] != want && diffs++ < 3)
          ADD_FAILURE() << T << " frames, coefficient " << d << ", frame " << t << ": got " << g[t * D + d]
                        << ", want " << want;
      }
    }
    EXPECT_EQ(diffs, 0u) << T << " frames";
  }
}

TEST(LogFloor, ExponentialWithinOneLsbOfStdExp) {
  for (uint32_t d = 0; d < 2000; ++d) {
    const double want = 32768.0 * std::exp(-double(d) / 128.0);
    EXPECT_LE(std::fabs(double(mfcc_exp_neg_q15(d)) - want), 1.0) << "d = " << d << " (q8.7)";
  }
  EXPECT_EQ(mfcc_exp_neg_q15(0), 32768u);
  EXPECT_EQ(mfcc_exp_neg_q15(12 * 128), 0u);  // e^-12 2^15 < 0.5
  EXPECT_EQ(mfcc_exp_neg_q15(65535), 0u);
}

// The paper-free definition: F = ln(mean e^L) + rel, L' = ln(e^L + e^F), in double.
TEST(LogFloor, MatchesTheDoubleFormulaWithinOneLsb) {
  uint32_t x = 12345;
  auto rnd = [&x]() { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x; };
  const int kinds = 4;
  for (int kind = 0; kind < kinds; ++kind) {
    for (int16_t rel : {int16_t(-1536), int16_t(-442), int16_t(0), int16_t(300)}) {
      const size_t n = 49 * 40;
      std::vector<int16_t> v(n);
      for (size_t i = 0; i < n; ++i) {
        const int r = int(rnd() % 2000);
        v[i] = kind == 0 ? int16_t(r - 1000)                             // speech-like spread
             : kind == 1 ? int16_t(i % 3 ? -2311 : 400 + r / 4)          // digital silence and a word
             : kind == 2 ? int16_t(-300 + r / 20)                        // stationary noise
                         : int16_t(32000 + r / 3);                       // near full scale
      }
      double mean = 0;
      for (int16_t l : v) mean += std::exp(l / 128.0);
      mean /= double(n);
      const double F = 128.0 * std::log(mean) + rel;
      auto g = v;
      const int16_t got_f = mfcc_log_floor(g.data(), n, rel);
      EXPECT_LE(std::fabs(got_f - std::min(32767.0, F)), 1.0) << "kind " << kind << " rel " << rel;
      int bad = 0;
      for (size_t i = 0; i < n; ++i) {
        const double want = std::min(32767.0, 128.0 * std::log(std::exp(v[i] / 128.0) + std::exp(F / 128.0)));
        if (std::fabs(g[i] - want) > 1.0 && bad++ < 3)
          ADD_FAILURE() << "kind " << kind << " rel " << rel << " value " << i << ": " << v[i] << " -> " << g[i]
                        << ", want " << want;
      }
      EXPECT_EQ(bad, 0) << "kind " << kind << " rel " << rel;
    }
  }
}

TEST(LogFloor, QuietWindowGetsTheFloorANoisyOneHas) {
  // a word (0 nat) over digital silence (-18 nat) on half the values: the mean power is half the
  // word's, so at rel = -15 dB the silence reads ln(0.5) - 3.45 nat = -4.15 nat (-531 q8.7)
  std::vector<int16_t> v(1960);
  for (size_t i = 0; i < v.size(); ++i) v[i] = i % 2 ? int16_t(0) : int16_t(-18 * 128);
  const int16_t rel = int16_t(std::floor(128.0 * std::log(std::pow(10.0, -1.5)) + 0.5));
  const int16_t f = mfcc_log_floor(v.data(), v.size(), rel);
  EXPECT_NEAR(f, -531, 1);
  EXPECT_NEAR(v[0], -531, 1);                                   // the silence is the floor
  EXPECT_NEAR(v[1], 128.0 * std::log(1.0 + std::exp(-531 / 128.0)), 1);  // the word barely moves
}

TEST(LogFloor, RefusesAnEmptyOrOversizedWindowUnchanged) {
  std::vector<int16_t> v(4, 100);
  EXPECT_EQ(mfcc_log_floor(v.data(), 0, 0), -32768);
  EXPECT_EQ(mfcc_log_floor(v.data(), size_t(MFCC_MAX_FLOOR_VALUES) + 1, 0), -32768);
  for (int16_t l : v) EXPECT_EQ(l, 100);
}

// mfcc_noise_floor in double: the ceil(T/4) frames with the smallest band sum (the earlier on a
// tie), each band's mean over them + rel, then ln(e^L + e^F_b).
static std::vector<double> noise_floor_ref(const std::vector<int16_t>& v, unsigned frames, unsigned bands,
                                           int rel, std::vector<double>* floors) {
  std::vector<long> sum(frames, 0);
  for (unsigned t = 0; t < frames; ++t)
    for (unsigned b = 0; b < bands; ++b) sum[t] += v[t * bands + b];
  std::vector<unsigned> order(frames);
  for (unsigned t = 0; t < frames; ++t) order[t] = t;
  std::stable_sort(order.begin(), order.end(), [&](unsigned a, unsigned b) { return sum[a] < sum[b]; });
  const unsigned nq = (frames + 3) / 4;
  std::vector<double> out(v.size());
  floors->assign(bands, 0.0);
  for (unsigned b = 0; b < bands; ++b) {
    double m = 0;
    for (unsigned k = 0; k < nq; ++k) m += v[order[k] * bands + b];
    const double F = std::floor(m / nq + 0.5) + rel;
    (*floors)[b] = F;
    for (unsigned t = 0; t < frames; ++t) {
      const double l = v[t * bands + b];
      out[t * bands + b] = std::min(32767.0, 128.0 * std::log(std::exp(l / 128.0) + std::exp(F / 128.0)));
    }
  }
  return out;
}

TEST(NoiseFloor, MatchesTheFormulaInDouble) {
  uint32_t x = 777;
  auto rnd = [&x]() { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x; };
  for (int kind = 0; kind < 3; ++kind) {
    for (int16_t rel : {int16_t(-295), int16_t(0), int16_t(88), int16_t(600)}) {
      const unsigned frames = 49, bands = 40;
      std::vector<int16_t> v(frames * bands);
      for (unsigned t = 0; t < frames; ++t)
        for (unsigned b = 0; b < bands; ++b) {
          const int r = int(rnd() % 400);
          const bool word = t >= 15 && t < 35;
          v[t * bands + b] = kind == 0 ? int16_t(-600 + int(b) * 5 + r + (word ? 900 : 0))  // a word in tilted noise
                           : kind == 1 ? int16_t(word ? 300 + r : -2311)                    // a word over digital silence
                                       : int16_t(-1000 + r * 3);                            // noise only
        }
      std::vector<double> want_f;
      const auto want = noise_floor_ref(v, frames, bands, rel, &want_f);
      auto g = v;
      std::vector<int16_t> got_f(bands);
      ASSERT_EQ(mfcc_noise_floor(g.data(), frames, bands, rel, got_f.data()), 0);
      for (unsigned b = 0; b < bands; ++b)
        EXPECT_EQ(got_f[b], want_f[b]) << "kind " << kind << " rel " << rel << " band " << b;
      int bad = 0;
      for (size_t i = 0; i < g.size(); ++i)
        if (std::fabs(g[i] - want[i]) > 1.0 && bad++ < 3)
          ADD_FAILURE() << "kind " << kind << " rel " << rel << " value " << i << ": " << v[i] << " -> " << g[i]
                        << ", want " << want[i];
      EXPECT_EQ(bad, 0) << "kind " << kind << " rel " << rel;
    }
  }
}

TEST(NoiseFloor, QuietWindowKeepsItsWordNoisyOneIsSmoothed) {
  // 8 frames x 2 bands: a word (+2 nat) in frames 2-5, the rest silence (-18 nat, the quietest
  // quarter: frames 0 and 1); rel 0: the floor sits at the silence, the word does not move and
  // the silence rises by ln 2
  std::vector<int16_t> q(16);
  for (unsigned t = 0; t < 8; ++t)
    for (unsigned b = 0; b < 2; ++b) q[t * 2 + b] = int16_t(t >= 2 && t < 6 ? 256 : -18 * 128);
  auto g = q;
  int16_t f[2];
  ASSERT_EQ(mfcc_noise_floor(g.data(), 8, 2, 0, f), 0);
  EXPECT_EQ(f[0], -18 * 128);
  EXPECT_EQ(g[4], 256);                                       // the word
  EXPECT_NEAR(g[0], -18 * 128 + 128.0 * std::log(2.0), 1);    // the silence
  // noise fluctuating +-1 nat around -2 nat in band 0, with the same word: the quietest frames
  // (0 and 1, sums -384 and -128 against 0 and more for the others) give band 0 a floor of
  // -2 nat + 3 dB and band 1 one of 0 nat + 3 dB
  std::vector<int16_t> n = {-384, 0, -128, 0, 256, 256, 256, 256, 256, 256, 256, 256, -128, 128, 0, 0};
  g = n;
  const int16_t rel = 88;
  ASSERT_EQ(mfcc_noise_floor(g.data(), 8, 2, rel, f), 0);
  EXPECT_EQ(f[0], -256 + rel);                                // mean of -384 and -128
  EXPECT_EQ(f[1], 0 + rel);
  // the noise frames' spread shrinks: -384 and -128 now differ by less than the 256 they did
  EXPECT_LT(g[1 * 2] - g[0], 128);
  EXPECT_GT(g[4], 256);                                       // the word rises a little ...
  EXPECT_LT(g[4], 256 + 64);                                  // ... by less than half a nat
}

TEST(NoiseFloor, RefusesBadShapesUnchanged) {
  std::vector<int16_t> v(4, 100);
  EXPECT_EQ(mfcc_noise_floor(v.data(), 0, 4, 0, nullptr), -1);
  EXPECT_EQ(mfcc_noise_floor(v.data(), 4, 0, 0, nullptr), -1);
  EXPECT_EQ(mfcc_noise_floor(v.data(), MFCC_MAX_NOISE_FRAMES + 1, 1, 0, nullptr), -1);
  EXPECT_EQ(mfcc_noise_floor(v.data(), 1, MFCC_MAX_MEL + 1, 0, nullptr), -1);
  for (int16_t l : v) EXPECT_EQ(l, 100);
}

TEST(Quantise, Q7ToInt8PowerOfTwoScale) {
  const int16_t in[] = {0, 1, 63, 64, -64, -65, 1000, -1000, 32767, -32768, 127, -128};
  for (unsigned fb = 0; fb <= 7; ++fb) {
    int8_t out[12];
    mfcc_q7_to_int8(in, out, 12, fb);
    for (int i = 0; i < 12; ++i) {
      const double want = std::min(127.0, std::max(-128.0, std::floor(in[i] * std::ldexp(1.0, int(fb) - 7) + 0.5)));
      EXPECT_EQ(out[i], want) << "frac bits " << fb << " in " << in[i];
    }
  }
}

}  // namespace
