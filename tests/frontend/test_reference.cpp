// test_reference.cpp - sanity of the double reference itself (it is the yardstick).
#include <gtest/gtest.h>

#include <cmath>

#include "mfcc_reference.h"

namespace {

const double kPi = 3.14159265358979323846;

TEST(Reference, FftEqualsDirectDft) {
  for (size_t n : {1u, 2u, 8u, 64u, 512u}) {
    std::vector<std::complex<double>> x(n);
    for (size_t i = 0; i < n; ++i) x[i] = {std::sin(0.3 * i * i + 1), std::cos(1.7 * i)};
    const auto a = mfcc_ref::fft(x), b = mfcc_ref::dft(x);
    for (size_t k = 0; k < n; ++k) EXPECT_LT(std::abs(a[k] - b[k]), 1e-9 * n) << n << " " << k;
  }
}

TEST(Reference, MelScaleAndFilterbank) {
  EXPECT_NEAR(mfcc_ref::hz_to_mel(1000.0), 999.9855, 1e-3);  // HTK: 2595 log10(1 + 1000/700)
  EXPECT_NEAR(mfcc_ref::mel_to_hz(mfcc_ref::hz_to_mel(3456.0)), 3456.0, 1e-9);
  mfcc_ref::Config c;
  const auto w = mfcc_ref::mel_filterbank(c);
  ASSERT_EQ(w.size(), 40u);
  // adjacent triangles add to 1 between the first and the last centre
  const double m1 = mfcc_ref::hz_to_mel(c.f_low) + (mfcc_ref::hz_to_mel(c.f_high) - mfcc_ref::hz_to_mel(c.f_low)) / 41;
  const double m40 = mfcc_ref::hz_to_mel(c.f_low) + (mfcc_ref::hz_to_mel(c.f_high) - mfcc_ref::hz_to_mel(c.f_low)) * 40 / 41;
  for (int k = 0; k <= 512; ++k) {
    const double mel = mfcc_ref::hz_to_mel(k * 16000.0 / 1024);
    double s = 0;
    for (const auto& f : w) s += f[k];
    if (mel >= m1 && mel <= m40) EXPECT_NEAR(s, 1.0, 1e-12) << k;
    if (mel > mfcc_ref::hz_to_mel(c.f_high)) EXPECT_EQ(s, 0.0) << k;
  }
}

TEST(Reference, SineSpectrumAndDctOrthonormal) {
  mfcc_ref::Config c;
  c.window = mfcc_ref::Window::Rect;
  c.frame_len = 1024;
  std::vector<int16_t> x(1024);
  for (int i = 0; i < 1024; ++i) x[i] = int16_t(std::lround(16384 * std::cos(2 * kPi * 64 * i / 1024.0)));
  const auto s = mfcc_ref::frame_spectrum(c, x.data(), 0);
  EXPECT_NEAR(s[64], std::pow(0.5 * 1024 / 2, 2), 1.0);  // (A N / 2)^2, A = 0.5
  std::vector<double> v(40);
  for (int i = 0; i < 40; ++i) v[i] = std::sin(i * 0.77) + 0.1 * i;
  const auto d = mfcc_ref::dct2_ortho(v, 40);
  double e1 = 0, e2 = 0;
  for (int i = 0; i < 40; ++i) {
    e1 += v[i] * v[i];
    e2 += d[i] * d[i];
  }
  EXPECT_NEAR(e1, e2, 1e-9);  // orthonormal: energy preserved
}

}  // namespace
