// test_fbank_math.cpp - the Fbank datapath stage by stage against exact integer expectations
// and the double reference; configuration checks; operation counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>

#include "fe_test_util.h"
#include "test_signals.h"

namespace fe_test {
namespace {

const double kPi = 3.14159265358979323846;

fbank_config_t default_config() {
  fbank_config_t c;
  fbank_config_default(&c);
  return c;
}

// Deterministic int16 noise.
std::vector<int16_t> noise(size_t n, uint32_t seed, int amp) {
  std::vector<int16_t> x(n);
  uint32_t s = seed;
  for (auto& v : x) {
    s = s * 1664525u + 1013904223u;
    v = int16_t(int32_t(s >> 16) % (2 * amp + 1) - amp);
  }
  return x;
}

// --- configuration ----------------------------------------------------------------------------

TEST(Config, DefaultIsValid) {
  const fbank_config_t c = default_config();
  EXPECT_EQ(fbank_validate(&c), FBANK_OK);
  EXPECT_EQ(c.sample_rate_hz, 16000u);
  EXPECT_EQ(c.frame_len, 640u);
  EXPECT_EQ(c.frame_shift, 320u);
  EXPECT_EQ(c.fft_size, 1024u);
  EXPECT_EQ(c.num_mel, 40u);
}

TEST(Config, SupportedFftSizes) {
  for (unsigned n = 16; n <= 1024; n *= 2) {
    fbank_config_t c = default_config();
    c.fft_size = uint16_t(n);
    c.frame_len = uint16_t(n);
    c.frame_shift = uint16_t(n / 2);
    c.num_mel = 4;
    c.f_low_hz = 300;
    EXPECT_EQ(fbank_validate(&c), FBANK_OK) << "fft_size " << n;
  }
}

struct BadCase {
  const char* what;
  void (*mutate)(fbank_config_t&);
  fbank_status_t expect;
};

TEST(Config, InvalidConfigsRejectedWithTheRightCode) {
  const BadCase cases[] = {
      {"sample rate 500 Hz", [](fbank_config_t& c) { c.sample_rate_hz = 500; }, FBANK_ERR_SAMPLE_RATE},
      {"sample rate 200 kHz", [](fbank_config_t& c) { c.sample_rate_hz = 200000; }, FBANK_ERR_SAMPLE_RATE},
      {"fft_size 1000 (not a power of two)", [](fbank_config_t& c) { c.fft_size = 1000; }, FBANK_ERR_FFT_SIZE},
      {"fft_size 2048 (too big)", [](fbank_config_t& c) { c.fft_size = 2048; }, FBANK_ERR_FFT_SIZE},
      {"fft_size 8 (too small)", [](fbank_config_t& c) { c.fft_size = 8; c.frame_len = 8; c.frame_shift = 4; }, FBANK_ERR_FFT_SIZE},
      {"fft_size 0", [](fbank_config_t& c) { c.fft_size = 0; }, FBANK_ERR_FFT_SIZE},
      {"40 ms frame with a 512-point FFT", [](fbank_config_t& c) { c.fft_size = 512; }, FBANK_ERR_FRAME_LEN},
      {"frame_len 1", [](fbank_config_t& c) { c.frame_len = 1; c.frame_shift = 1; }, FBANK_ERR_FRAME_LEN},
      {"frame_shift 0", [](fbank_config_t& c) { c.frame_shift = 0; }, FBANK_ERR_FRAME_SHIFT},
      {"frame_shift > frame_len", [](fbank_config_t& c) { c.frame_shift = 641; }, FBANK_ERR_FRAME_SHIFT},
      {"window 3", [](fbank_config_t& c) { c.window = 3; }, FBANK_ERR_WINDOW},
      {"window_symmetric 2", [](fbank_config_t& c) { c.window_symmetric = 2; }, FBANK_ERR_WINDOW},
      {"pre-emphasis 1.0 (32768)", [](fbank_config_t& c) { c.preemph_q15 = 32768; }, FBANK_ERR_PREEMPH},
      {"num_mel 0", [](fbank_config_t& c) { c.num_mel = 0; }, FBANK_ERR_NUM_MEL},
      {"num_mel 65", [](fbank_config_t& c) { c.num_mel = 65; }, FBANK_ERR_NUM_MEL},
      {"64 filters on 33 bins", [](fbank_config_t& c) { c.fft_size = 64; c.frame_len = 64; c.frame_shift = 32; c.num_mel = 64; }, FBANK_ERR_TOO_MANY_FILTERS},
      {"f_low == f_high", [](fbank_config_t& c) { c.f_low_hz = 4000; }, FBANK_ERR_FREQ_RANGE},
      {"f_low > f_high", [](fbank_config_t& c) { c.f_low_hz = 5000; }, FBANK_ERR_FREQ_RANGE},
      {"f_high above fs/2", [](fbank_config_t& c) { c.f_high_hz = 8001; }, FBANK_ERR_F_HIGH},
      {"32 filters, 250 Hz bins (narrow low filters empty)", [](fbank_config_t& c) { c.fft_size = 64; c.frame_len = 64; c.frame_shift = 32; c.num_mel = 32; }, FBANK_ERR_EMPTY_FILTER},
      {"40 filters in 20-100 Hz", [](fbank_config_t& c) { c.f_high_hz = 100; }, FBANK_ERR_EMPTY_FILTER},
      {"spectrum 2", [](fbank_config_t& c) { c.spectrum = 2; }, FBANK_ERR_SPECTRUM},
      {"out_format 2", [](fbank_config_t& c) { c.out_format = 2; }, FBANK_ERR_OUTPUT},
      {"int8 with 8 fraction bits", [](fbank_config_t& c) { c.out_format = FBANK_OUT_INT8; c.out_frac_bits = 8; }, FBANK_ERR_OUTPUT},
      {"dither level 9", [](fbank_config_t& c) { c.dither = 9; }, FBANK_ERR_DITHER},
  };
  for (const auto& bc : cases) {
    fbank_config_t c = default_config();
    bc.mutate(c);
    EXPECT_EQ(fbank_validate(&c), bc.expect)
        << bc.what << ": got '" << fbank_status_str(fbank_validate(&c)) << "', want '"
        << fbank_status_str(bc.expect) << "'";
    std::vector<uint32_t> mem(FBANK_TABLE_WORDS_MAX + 4096);
    fbank_t fb;
    EXPECT_EQ(fbank_init(&fb, &c, mem.data(), mem.size()), bc.expect) << bc.what << " (init)";
  }
  EXPECT_EQ(fbank_validate(nullptr), FBANK_ERR_NULL);
  fbank_config_t c = default_config();
  std::vector<uint32_t> mem(fbank_table_words(&c));
  fbank_t fb;
  EXPECT_EQ(fbank_init(&fb, &c, mem.data(), mem.size() - 1), FBANK_ERR_BUFFER);
  EXPECT_EQ(fbank_init(&fb, &c, mem.data(), mem.size()), FBANK_OK);
  EXPECT_EQ(fbank_init(nullptr, &c, mem.data(), mem.size()), FBANK_ERR_NULL);
  EXPECT_EQ(fbank_init(&fb, &c, nullptr, mem.size()), FBANK_ERR_NULL);
  fbank_config_t ok = default_config();  // the smallest edge cases that are fine
  ok.preemph_q15 = 32767;
  ok.f_high_hz = 8000;
  ok.frame_shift = ok.frame_len;
  ok.dither = FBANK_MAX_DITHER;
  EXPECT_EQ(fbank_validate(&ok), FBANK_OK);
}

TEST(Config, StatusStrings) {
  for (int s = 0; s <= FBANK_ERR_DITHER; ++s)
    EXPECT_STRNE(fbank_status_str(fbank_status_t(s)), "unknown status") << s;
}

// --- tables -----------------------------------------------------------------------------------

// Correctly rounded = equal to round(scale * exact), unless the exact value is within
// 1e-6 LSB of a rounding tie (then either neighbour is accepted).
::testing::AssertionResult correctly_rounded(int64_t got, double exact_scaled) {
  const double r = std::floor(exact_scaled + 0.5);
  if (double(got) == r) return ::testing::AssertionSuccess();
  const double frac = exact_scaled - std::floor(exact_scaled);
  if (std::fabs(frac - 0.5) < 1e-6 && std::fabs(double(got) - exact_scaled) < 0.5 + 1e-6)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got " << got << ", exact " << exact_scaled
                                       << " rounds to " << r;
}

TEST(Tables, WindowIsCorrectlyRoundedQ31) {
  for (unsigned L : {400u, 480u, 512u, 640u, 1024u})
    for (uint8_t win : {uint8_t(FBANK_WIN_RECT), uint8_t(FBANK_WIN_HANN), uint8_t(FBANK_WIN_HAMMING)})
      for (uint8_t sym : {uint8_t(0), uint8_t(1)}) {
        fbank_config_t c = default_config();
        c.frame_len = uint16_t(L);
        c.window = win;
        c.window_symmetric = sym;
        Fbank fx(c);
        ASSERT_EQ(fx.status, FBANK_OK);
        const auto w = mfcc_ref::window(to_ref(c));
        int bad = 0;
        for (unsigned n = 0; n < L; ++n) {
          auto ok = correctly_rounded(fx.fb.window[n], std::ldexp(w[n], 31));
          if (!ok && ++bad <= 3) ADD_FAILURE() << config_name(c) << " window[" << n << "]: " << ok.message();
        }
        EXPECT_EQ(bad, 0) << config_name(c);
      }
}

TEST(Tables, TwiddlesAreCorrectlyRoundedQ30) {
  for (unsigned n = 16; n <= 1024; n *= 2) {
    fbank_config_t c = default_config();
    c.fft_size = uint16_t(n);
    c.frame_len = uint16_t(n);
    c.frame_shift = uint16_t(n);
    c.num_mel = 4;
    c.f_low_hz = 300;
    Fbank fx(c);
    ASSERT_EQ(fx.status, FBANK_OK);
    for (unsigned t = 0; t <= n / 4; ++t)
      EXPECT_TRUE(correctly_rounded(fx.fb.twiddle[t], std::ldexp(std::sin(2 * kPi * t / n), 30)))
          << "N " << n << " t " << t;
  }
}

TEST(Tables, CosSinQ62) {
  double worst = 0;
  for (uint32_t den : {3u, 7u, 480u, 639u, 640u, 1024u, 256u})
    for (uint32_t num = 0; num < den; num += (den > 64 ? 7 : 1)) {
      int64_t c, s;
      fbank_cos_sin_q62(num, den, &c, &s);
      const long double a = 2.0L * 3.14159265358979323846264338327950288L * num / den;
      worst = std::max(worst, double(std::fabs(std::ldexp((long double)c, -62) - std::cos(a))));
      worst = std::max(worst, double(std::fabs(std::ldexp((long double)s, -62) - std::sin(a))));
    }
  EXPECT_LT(worst, 1e-17) << "cos/sin Q62 error";
}

TEST(Tables, Log2Q52AndIsqrt) {
  for (uint32_t x : {1u, 2u, 3u, 700u, 716800u, 12345678u, 4294967295u}) {
    const long double l = std::log2((long double)x);
    EXPECT_NEAR(double(std::ldexp((long double)fbank_log2_q52(x), -52) - l), 0.0, 1e-14) << x;
  }
  for (uint64_t x : {0ull, 1ull, 2ull, 3ull, 4ull, 99ull, 1ull << 40, (1ull << 63) + 12345ull, ~0ull}) {
    const uint64_t r = fbank_isqrt64(x);
    EXPECT_LE(r * r, x) << x;
    EXPECT_TRUE((r + 1) * (r + 1) > x || r == 0xFFFFFFFFull) << x;
  }
}

// Fixed Mel weights against the reference filterbank: every (filter, bin) weight is the
// correctly rounded Q15 value; bins outside [f_low, f_high) have no weight.
TEST(Tables, MelWeightsMatchReference) {
  struct Geo {
    uint16_t fft;
    uint32_t lo, hi, fs;
    uint8_t K;
  };
  const Geo geos[] = {{512, 20, 4000, 16000, 40},  {1024, 20, 4000, 16000, 40},
                      {512, 125, 7500, 16000, 40}, {1024, 125, 7500, 16000, 40},
                      {256, 0, 8000, 16000, 23},   {1024, 300, 3400, 8000, 64},
                      {512, 100, 8000, 16000, 1}};
  for (const auto& g : geos) {
    fbank_config_t c = default_config();
    c.fft_size = g.fft;
    c.frame_len = g.fft;
    c.frame_shift = g.fft;
    c.f_low_hz = g.lo;
    c.f_high_hz = g.hi;
    c.sample_rate_hz = g.fs;
    c.num_mel = g.K;
    Fbank fx(c);
    ASSERT_EQ(fx.status, FBANK_OK) << config_name(c);
    const auto W = mfcc_ref::mel_filterbank(to_ref(c));
    const unsigned nb = g.fft / 2 + 1;
    // fixed weight matrix from the tables
    std::vector<std::vector<double>> F(g.K, std::vector<double>(nb, 0.0));
    for (unsigned i = 0; i <= g.K; ++i)
      for (uint32_t k = fx.fb.mel_edge[i]; k < fx.fb.mel_edge[i + 1]; ++k) {
        const double u = fx.fb.mel_weight[k] / 32768.0;
        if (i < g.K) F[i][k] += u;
        if (i >= 1) F[i - 1][k] += 1.0 - u;
      }
    int bad = 0;
    for (unsigned m = 0; m < g.K; ++m)
      for (unsigned k = 0; k < nb; ++k) {
        const double ref = W[m][k];
        const bool ok = std::fabs(F[m][k] - ref) <= 0.5 / 32768 + 1e-9;
        if (!ok && ++bad <= 5)
          ADD_FAILURE() << config_name(c) << " fs " << g.fs << ": filter " << m << " bin " << k
                        << " weight " << F[m][k] << ", reference " << ref << " (diff "
                        << (F[m][k] - ref) * 32768 << " LSB Q15)";
      }
    EXPECT_EQ(bad, 0);
  }
}

// --- stages -----------------------------------------------------------------------------------

int64_t round_half_up_shift(__int128 p, int s) {
  if (s <= 0) return int64_t(p * (__int128(1) << -s));
  const __int128 d = __int128(1) << s;
  __int128 q = (p + d / 2) / d;  // truncating: fix to floor
  if ((p + d / 2) % d != 0 && (p + d / 2) < 0) q -= 1;
  return int64_t(q);
}

TEST(FrontEnd, PreEmphasisWindowAndNormalisationAreExact) {
  for (uint16_t a : {uint16_t(0), uint16_t(31785), uint16_t(32767)})
    for (int amp : {1, 300, 32767}) {
      fbank_config_t c = default_config();
      c.preemph_q15 = a;
      c.window = FBANK_WIN_HAMMING;
      Fbank fx(c);
      ASSERT_EQ(fx.status, FBANK_OK);
      auto x = noise(c.frame_len + 1, 99 + a + amp, amp);
      if (amp == 32767) {
        x[5] = -32768;
        x[4] = 32767;
      }
      std::vector<int32_t> buf(c.fft_size + 2, 12345);
      const int32_t e0 = fbank_front_end(&fx.fb, x.data() + 1, x[0], nullptr, buf.data());
      // independent expectation: e = x*2^15 - a*prev exactly, p = e*w, s from max |p|
      std::vector<__int128> p(c.frame_len);
      __int128 maxp = 0;
      for (unsigned n = 0; n < c.frame_len; ++n) {
        const int64_t e = int64_t(x[n + 1]) * 32768 - int64_t(a) * x[n];
        p[n] = __int128(e) * fx.fb.window[n];
        maxp = std::max(maxp, p[n] < 0 ? -p[n] : p[n]);
      }
      ASSERT_GT(maxp, 0);
      int msb = 0;
      while ((maxp >> (msb + 1)) != 0) ++msb;
      const int s = msb - 28;
      EXPECT_EQ(e0, s - 61) << "a " << a << " amp " << amp;
      for (unsigned n = 0; n < c.frame_len; ++n)
        ASSERT_EQ(buf[n], round_half_up_shift(p[n], s)) << "a " << a << " amp " << amp << " n " << n;
      for (unsigned n = c.frame_len; n < c.fft_size; ++n) ASSERT_EQ(buf[n], 0);
      int32_t mx = 0;
      for (unsigned n = 0; n < c.frame_len; ++n) mx = std::max(mx, std::abs(buf[n]));
      EXPECT_GE(mx, 1 << 28);
      EXPECT_LE(mx, 1 << 29);
    }
}

TEST(FrontEnd, ZeroFrame) {
  const fbank_config_t c = default_config();
  Fbank fx(c);
  std::vector<int16_t> x(c.frame_len, 0);
  std::vector<int32_t> buf(c.fft_size + 2, 7);
  EXPECT_EQ(fbank_front_end(&fx.fb, x.data(), 0, nullptr, buf.data()), FBANK_EXP_ZERO);
  for (unsigned n = 0; n < c.fft_size; ++n) EXPECT_EQ(buf[n], 0);
  std::vector<int16_t> out(c.num_mel);
  fbank_process_frame(&fx.fb, x.data(), 0, nullptr, fx.work.data(), out.data());
  for (auto v : out) EXPECT_EQ(v, c.log_floor_q7);
  // pre-emphasis of a frame of zeros after a non-zero sample is not zero
  fbank_config_t cp = c;
  cp.preemph_q15 = 31785;
  cp.window = FBANK_WIN_HAMMING;  // Hann's w[0] = 0 would hide it
  Fbank fp(cp);
  EXPECT_NE(fbank_front_end(&fp.fb, x.data(), 1000, nullptr, buf.data()), FBANK_EXP_ZERO);
  EXPECT_EQ(fbank_front_end(&fp.fb, x.data(), 0, nullptr, buf.data()), FBANK_EXP_ZERO);
  EXPECT_EQ(fbank_front_end(&fx.fb, x.data(), 1000, nullptr, buf.data()), FBANK_EXP_ZERO);  // a = 0
}

// Real FFT against the double DFT of the same integers, per size and input kind.
TEST(Fft, SnrPerSizeAgainstDoubleDft) {
  for (unsigned n = 16; n <= 1024; n *= 2) {
    fbank_config_t c = default_config();
    c.fft_size = uint16_t(n);
    c.frame_len = uint16_t(n);
    c.frame_shift = uint16_t(n);
    c.num_mel = 4;
    c.f_low_hz = 300;
    Fbank fx(c);
    ASSERT_EQ(fx.status, FBANK_OK);
    for (int kind = 0; kind < 4; ++kind) {
      std::vector<int32_t> buf(n + 2);
      uint32_t s = 1234 + n + kind;
      for (unsigned i = 0; i < n; ++i) {
        s = s * 1664525u + 1013904223u;
        const double noise_v = double(int32_t(s)) / 2147483648.0;  // [-1, 1)
        double v = 0;
        switch (kind) {
          case 0: v = noise_v * (1 << 29); break;                                // white, full
          case 1: v = (std::sin(2 * kPi * 3.3 * i / n) + 0.001 * std::sin(2 * kPi * 0.37 * i)) * (1 << 28); break;
          case 2: v = (i == 0) ? (1 << 29) : 0; break;                           // impulse
          case 3: v = noise_v * 2147483000.0; break;                             // beyond 2^29
        }
        buf[i] = int32_t(std::lround(v));
      }
      std::vector<std::complex<double>> x(n);
      for (unsigned i = 0; i < n; ++i) x[i] = double(buf[i]);
      const auto X = mfcc_ref::dft(x);
      const int32_t e = fbank_rfft(&fx.fb, buf.data(), 0);
      double sig = 0, err = 0, worst = 0;
      for (unsigned k = 0; k <= n / 2; ++k) {
        const std::complex<double> got(std::ldexp(double(buf[2 * k]), e), std::ldexp(double(buf[2 * k + 1]), e));
        sig += std::norm(X[k]);
        err += std::norm(got - X[k]);
        worst = std::max(worst, std::abs(got - X[k]));
      }
      const double snr = 10 * std::log10(sig / std::max(err, 1e-300));
      EXPECT_GE(snr, 140.0) << "N " << n << " input kind " << kind << ": SNR " << snr
                            << " dB, worst bin error " << worst;
      if (kind == 0) std::printf("[fft] N %4u white-noise SNR %.1f dB\n", n, snr);
    }
  }
}

TEST(Fft, ZeroInputKeepsZeroExponent) {
  const fbank_config_t c = default_config();
  Fbank fx(c);
  std::vector<int32_t> buf(c.fft_size + 2, 0);
  EXPECT_EQ(fbank_rfft(&fx.fb, buf.data(), FBANK_EXP_ZERO), FBANK_EXP_ZERO);
}

// Mel energies against the reference weights applied to the same (fixed) spectrum: the only
// differences allowed are the Q15 weight rounding (<= 2^-16 per bin) and the 32-bit mantissa.
TEST(Mel, EnergiesMatchReferenceOnTheSameSpectrum) {
  for (uint8_t spec : {uint8_t(FBANK_SPEC_POWER), uint8_t(FBANK_SPEC_MAGNITUDE)}) {
    fbank_config_t c = default_config();
    c.spectrum = spec;
    c.f_low_hz = 125;
    c.f_high_hz = 7500;
    Fbank fx(c);
    const auto W = mfcc_ref::mel_filterbank(to_ref(c));
    for (const auto& sig : speech_like_signals()) {
      for (size_t start = 0; start + c.frame_len <= sig.samples.size(); start += 2000) {
        std::vector<int32_t> buf(c.fft_size + 2);
        int32_t e = fbank_front_end(&fx.fb, sig.samples.data() + start, 0, nullptr, buf.data());
        e = fbank_rfft(&fx.fb, buf.data(), e);
        std::vector<uint32_t> mant(c.num_mel);
        std::vector<int32_t> ex(c.num_mel);
        fbank_mel(&fx.fb, buf.data(), e, mant.data(), ex.data());
        if (e == FBANK_EXP_ZERO) {
          for (auto m : mant) EXPECT_EQ(m, 0u);
          continue;
        }
        for (unsigned m = 0; m < c.num_mel; ++m) {
          double ref = 0, bound = 0;
          for (unsigned k = 0; k <= c.fft_size / 2u; ++k) {
            const double xr = buf[2 * k], xi = buf[2 * k + 1];
            const double p2 = xr * xr + xi * xi;
            double v = spec == FBANK_SPEC_POWER ? std::ldexp(p2, 2 * e) : std::ldexp(std::sqrt(p2), e);
            if (W[m][k] > 0) {
              ref += W[m][k] * v;
              bound += v * (0.5 / 32768.0) + (spec == FBANK_SPEC_POWER ? 0 : std::ldexp(0.5, e));
            }
          }
          const double got = std::ldexp(double(mant[m]), ex[m]);
          EXPECT_LE(std::fabs(got - ref), bound * 1.0001 + ref * 1e-9)
              << sig.name << " @" << start << " filter " << m << ": got " << got << " ref " << ref;
        }
      }
    }
  }
}

TEST(Log, TableLogIsAccurate) {
  double worst = 0;
  uint32_t s = 1;
  for (int i = 0; i < 200000; ++i) {
    s = s * 1664525u + 1013904223u;
    const uint32_t mant = s | 1u;
    const int32_t ex = int32_t(i % 301) - 150;
    const double ref = std::log(double(mant)) + ex * std::log(2.0);
    worst = std::max(worst, std::fabs(std::ldexp(double(fbank_ln_q51(mant, ex)), -51) - ref));
  }
  EXPECT_LT(worst, 5e-5) << "ln error (nats)";
  EXPECT_EQ(fbank_ln_q51(1u << 31, -31), 0);
}

TEST(Log, OutputRoundingFloorOffsetAndSaturation) {
  for (uint8_t fmt : {uint8_t(FBANK_OUT_Q7_INT16), uint8_t(FBANK_OUT_INT8)}) {
    fbank_config_t c = default_config();
    c.num_mel = 8;
    c.out_format = fmt;
    c.out_frac_bits = 3;
    c.log_floor_q7 = -10 * 128;
    c.log_offset_q7 = 64;  // +0.5
    Fbank fx(c);
    ASSERT_EQ(fx.status, FBANK_OK);
    // energies: 0, 1.0, e^-12 (below floor), e^3.3, 2^200, 2^-200, 1.5, e^20
    const double vals[8] = {0, 1.0, std::exp(-12.0), std::exp(3.3), std::ldexp(1.0, 200),
                            std::ldexp(1.0, -200), 1.5, std::exp(20.0)};
    std::vector<uint32_t> mant(8);
    std::vector<int32_t> ex(8);
    for (int i = 0; i < 8; ++i) {
      int e2 = 0;
      const double f = std::frexp(vals[i], &e2);  // [0.5, 1)
      mant[i] = vals[i] > 0 ? uint32_t(std::ldexp(f, 32)) : 0;
      ex[i] = e2 - 32;
    }
    std::vector<int16_t> o16(8);
    std::vector<int8_t> o8(8);
    fbank_log_mel(&fx.fb, mant.data(), ex.data(), fmt == FBANK_OUT_INT8 ? (void*)o8.data() : (void*)o16.data());
    const double scale = fmt == FBANK_OUT_INT8 ? 8.0 : 128.0;
    const double lo = fmt == FBANK_OUT_INT8 ? -128 : -32768, hi = fmt == FBANK_OUT_INT8 ? 127 : 32767;
    for (int i = 0; i < 8; ++i) {
      const double y = (vals[i] > 0 ? std::max(std::log(vals[i]), -10.0) : -10.0) + 0.5;
      const double want = std::min(hi, std::max(lo, std::floor(y * scale + 0.5)));
      const double got = fmt == FBANK_OUT_INT8 ? o8[i] : o16[i];
      EXPECT_EQ(got, want) << "format " << int(fmt) << " element " << i << " y " << y;
    }
  }
}

// --- whole frames -----------------------------------------------------------------------------

TEST(Frame, SignalEqualsFrameByFrameWithPreviousSample) {
  fbank_config_t c = default_config();
  c.preemph_q15 = 31785;
  c.frame_shift = 160;
  Fbank fx(c);
  const auto x = speech_like_signals()[3].samples;
  const size_t T = fbank_num_frames(&c, x.size());
  ASSERT_GT(T, 10u);
  std::vector<int16_t> all(T * c.num_mel), one(c.num_mel);
  EXPECT_EQ(fbank_process_signal(&fx.fb, x.data(), x.size(), nullptr, fx.work.data(), all.data()), T);
  for (size_t t = 0; t < T; ++t) {
    const size_t st = t * c.frame_shift;
    fbank_process_frame(&fx.fb, x.data() + st, st ? x[st - 1] : 0, nullptr, fx.work.data(), one.data());
    for (unsigned m = 0; m < c.num_mel; ++m) ASSERT_EQ(all[t * c.num_mel + m], one[m]) << t << " " << m;
  }
  EXPECT_EQ(fbank_num_frames(&c, c.frame_len - 1), 0u);
  EXPECT_EQ(fbank_num_frames(&c, c.frame_len), 1u);
  EXPECT_EQ(fbank_num_frames(&c, c.frame_len + 159), 1u);
  EXPECT_EQ(fbank_num_frames(&c, c.frame_len + 160), 2u);
}

// Step 0 against its definition written out here: xorshift32 (Marsaglia's 13/17/5) from the
// state, d = (bit 31 - bit 30) 2^(k-1), x + d saturated, one step per sample; the dithered
// frame must give what the undithered datapath gives on the dithered samples (with the
// pre-emphasis reading the dithered predecessor), and the state must advance L steps.
TEST(Dither, EqualsTheUnditheredDatapathOnDitheredSamples) {
  for (unsigned k : {1u, 3u, 8u})
    for (uint16_t a : {uint16_t(0), uint16_t(31785)}) {
      fbank_config_t c = default_config();
      c.preemph_q15 = a;
      c.f_low_hz = 300;
      Fbank plain(c);
      c.dither = uint8_t(k);
      Fbank fx(c);
      std::vector<int16_t> x(c.frame_len, 0);  // digital silence, then a burst at full scale
      for (size_t i = c.frame_len / 2; i < x.size(); ++i) x[i] = (i & 1) ? 32767 : -32768;
      uint32_t s = 0x12345678u, state = s;
      std::vector<int16_t> xd(x.size());
      for (size_t i = 0; i < x.size(); ++i) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        const int d = (int(s >> 31) - int((s >> 30) & 1u)) * (1 << (k - 1));
        xd[i] = int16_t(std::min(32767, std::max(-32768, x[i] + d)));
      }
      std::vector<int16_t> want(c.num_mel), got(c.num_mel);
      fbank_process_frame(&plain.fb, xd.data(), 77, nullptr, plain.work.data(), want.data());
      fbank_process_frame(&fx.fb, x.data(), 77, &state, fx.work.data(), got.data());
      for (unsigned m = 0; m < c.num_mel; ++m)
        ASSERT_EQ(got[m], want[m]) << "level " << k << " pre-emphasis " << a << " filter " << m;
      EXPECT_EQ(state, s) << "level " << k << ": the state advances one step per sample";
      // NULL state: no dither, whatever the level.
      fbank_process_frame(&fx.fb, x.data(), 77, nullptr, fx.work.data(), got.data());
      fbank_process_frame(&plain.fb, x.data(), 77, nullptr, plain.work.data(), want.data());
      EXPECT_EQ(got, want) << "level " << k << " without a state";
    }
}

// Triangular: -1, 0, +1 (times 2^(k-1)) with probability 1/4, 1/2, 1/4; the sequence from the
// reset seed does not repeat within a minute of 16 kHz audio.
TEST(Dither, TriangularDistributionAndLongPeriod) {
  uint32_t s = FBANK_DITHER_SEED_RESET;
  int count[3] = {0, 0, 0};
  const int n = 16000 * 60;
  for (int i = 0; i < n; ++i) {
    s = fbank_dither_step(s);
    ASSERT_NE(s, FBANK_DITHER_SEED_RESET) << "period " << i + 1;
    const int d = fbank_dither_value(s, 2);
    ASSERT_TRUE(d == -2 || d == 0 || d == 2) << d;
    ++count[d / 2 + 1];
  }
  EXPECT_NEAR(count[0] / double(n), 0.25, 0.002);
  EXPECT_NEAR(count[1] / double(n), 0.50, 0.002);
  EXPECT_NEAR(count[2] / double(n), 0.25, 0.002);
}

TEST(Frame, ScaleInvariance) {
  // Block floating point: a signal 2^k times smaller gives log-Mel lower by k ln 4 (power),
  // within rounding, down to a few LSB of input.
  fbank_config_t c = default_config();
  Fbank fx(c);
  const auto base = noise(c.frame_len, 5, 16384);
  std::vector<int16_t> ref(c.num_mel), out(c.num_mel);
  fbank_process_frame(&fx.fb, base.data(), 0, nullptr, fx.work.data(), ref.data());
  for (int k = 1; k <= 8; ++k) {
    // b2 = base with the low k bits cleared, s2 = b2 / 2^k exactly
    std::vector<int16_t> b2(base.size()), s2(base.size());
    for (size_t i = 0; i < base.size(); ++i) {
      b2[i] = int16_t((base[i] >> k) * (1 << k));
      s2[i] = int16_t(base[i] >> k);
    }
    std::vector<int16_t> rb(c.num_mel);
    fbank_process_frame(&fx.fb, b2.data(), 0, nullptr, fx.work.data(), rb.data());
    fbank_process_frame(&fx.fb, s2.data(), 0, nullptr, fx.work.data(), out.data());
    for (unsigned m = 0; m < c.num_mel; ++m)
      EXPECT_NEAR(rb[m] - out[m], 2 * k * std::log(2.0) * 128, 1.0) << "shift " << k << " filter " << m;
  }
}

// Extreme inputs on every FFT size: no overflow anywhere (the tests also run clean under
// -fsanitize=undefined), and the log-Mel within rounding of the reference for every band
// within 150 dB (power) of the frame's strongest spectrum bin. Further down lies the datapath's
// rounding-noise floor (~165 dB below the strongest bin); only synthetic, noise-free int16
// input (here an exact +-32768 Nyquist tone through a Hann window) gets there: such bands
// must still read at least 150 dB down.
TEST(Frame, ExtremeInputsAllSizes) {
  double worst = 0;
  std::string worst_where;
  for (unsigned n = 16; n <= 1024; n *= 2)
    for (uint8_t win : {uint8_t(FBANK_WIN_RECT), uint8_t(FBANK_WIN_HANN)})
      for (uint16_t a : {uint16_t(0), uint16_t(32767)})
        for (uint8_t spec : {uint8_t(FBANK_SPEC_POWER), uint8_t(FBANK_SPEC_MAGNITUDE)}) {
          fbank_config_t c = default_config();
          c.fft_size = uint16_t(n);
          c.frame_len = uint16_t(n);
          c.frame_shift = uint16_t(n);
          c.window = win;
          c.preemph_q15 = a;
          c.spectrum = spec;
          c.f_low_hz = 125;
          c.f_high_hz = 7500;
          for (uint8_t K : {uint8_t(40), uint8_t(23), uint8_t(10), uint8_t(4)}) {
            c.num_mel = K;
            if (fbank_validate(&c) == FBANK_OK) break;
          }
          Fbank fx(c);
          ASSERT_EQ(fx.status, FBANK_OK) << config_name(c);
          const auto rc = to_ref(c);
          for (int kind = 0; kind < 6; ++kind) {
            std::vector<int16_t> x(n);
            for (unsigned i = 0; i < n; ++i) {
              switch (kind) {
                case 0: x[i] = (i & 1) ? 32767 : -32768; break;                   // Nyquist
                case 1: x[i] = -32768; break;                                      // DC
                case 2: x[i] = i == n / 3 ? -32768 : 0; break;                     // impulse
                case 3: x[i] = ((i / 7) & 1) ? 32767 : -32768; break;              // square
                case 4: x[i] = int16_t(std::lround(32767 * std::sin(kPi * 0.45 * i * i / n))); break;  // chirp
                default: x[i] = noise(n, 3 + i, 32767)[i]; break;                  // noise
              }
            }
            if (kind == 5) x = noise(n, 17 + n, 32767);
            const int16_t prev = kind == 1 ? 32767 : -32768;
            std::vector<int16_t> out(c.num_mel);
            fbank_process_frame(&fx.fb, x.data(), prev, nullptr, fx.work.data(), out.data());
            const auto ref = mfcc_ref::log_mel(rc, x.data(), prev);
            const double range = 15.0 * std::log(10.0) / (spec == FBANK_SPEC_POWER ? 1 : 2);
            const auto spectrum = mfcc_ref::frame_spectrum(rc, x.data(), prev);
            const double top = std::log(*std::max_element(spectrum.begin(), spectrum.end()));
            for (unsigned m = 0; m < c.num_mel; ++m) {
              if (ref[m] < top - range) {
                EXPECT_LE(out[m] / 128.0, top - range + 0.01) << config_name(c) << " input " << kind;
                continue;
              }
              const double e = std::fabs(out[m] - ref[m] * 128);
              if (e > worst) {
                worst = e;
                worst_where = config_name(c) + " input " + std::to_string(kind) + " filter " +
                              std::to_string(m) + ": got " + std::to_string(out[m] / 128.0) +
                              ", reference " + std::to_string(ref[m]);
              }
            }
          }
        }
  EXPECT_LE(worst, 1.0) << "max error " << worst << " LSB q8.7 at " << worst_where;
  std::printf("[extreme] max error %.3f LSB q8.7 (%s)\n", worst, worst_where.c_str());
}

// --- operation counts -------------------------------------------------------------------------

TEST(OpCounts, DefaultConfigAndAgainstReferenceFilterbank) {
  for (uint16_t n : {uint16_t(512), uint16_t(1024)})
    for (uint32_t lo : {20u, 125u}) {
      fbank_config_t c = default_config();
      c.fft_size = n;
      c.frame_len = 480;
      c.f_low_hz = lo;
      c.f_high_hz = lo == 20 ? 4000 : 7500;
      c.spectrum = FBANK_SPEC_MAGNITUDE;
      c.preemph_q15 = 31785;
      fbank_ops_t ops;
      ASSERT_EQ(fbank_op_counts(&c, &ops), FBANK_OK);
      const unsigned m = n / 2, stages = unsigned(std::log2(m) + 0.5);
      EXPECT_EQ(ops.preemph_macs, 480u);
      EXPECT_EQ(ops.window_mults, 480u);
      EXPECT_EQ(ops.fft_points, m);
      EXPECT_EQ(ops.fft_stages, stages);
      EXPECT_EQ(ops.butterflies, m / 2 * stages);
      EXPECT_EQ(ops.trivial_butterflies, m - 1);
      EXPECT_EQ(ops.split_ops, m / 2 + 1);
      EXPECT_EQ(ops.logs, 40u);
      EXPECT_EQ(ops.sqrts, ops.bins);
      // from the reference mel points: bins in [mel_0, mel_K+1), taps = filters whose
      // half-open support [mel_m, mel_m+2) contains the bin
      const auto rc = to_ref(c);
      const double a = mfcc_ref::hz_to_mel(rc.f_low), b = mfcc_ref::hz_to_mel(rc.f_high);
      unsigned bins = 0, taps = 0;
      for (unsigned k = 0; k <= m; ++k) {
        const double mel = mfcc_ref::hz_to_mel(k * rc.sample_rate / n);
        if (mel < a || mel >= b) continue;
        ++bins;
        for (int f = 0; f < rc.num_mel; ++f) {
          const double p0 = a + (b - a) * f / (rc.num_mel + 1), p2 = a + (b - a) * (f + 2) / (rc.num_mel + 1);
          if (mel >= p0 && mel < p2) ++taps;
        }
      }
      EXPECT_EQ(ops.bins, bins) << config_name(c);
      EXPECT_EQ(ops.mel_macs, taps) << config_name(c);
      std::printf("[ops] %-48s butterflies %u (trivial %u) split %u bins %u mel_macs %u\n",
                  config_name(c).c_str(), ops.butterflies, ops.trivial_butterflies, ops.split_ops,
                  ops.bins, ops.mel_macs);
    }
  fbank_config_t bad = default_config();
  bad.fft_size = 100;
  fbank_ops_t ops;
  EXPECT_EQ(fbank_op_counts(&bad, &ops), FBANK_ERR_FFT_SIZE);
  EXPECT_EQ(ops.butterflies, 0u);
}

}  // namespace
}  // namespace fe_test
