// mfcc_reference.cpp - see mfcc_reference.h.
#include "mfcc_reference.h"

#include <algorithm>
#include <cmath>

namespace mfcc_ref {

namespace {
const double kPi = 3.14159265358979323846264338327950288;
}

double hz_to_mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

std::vector<double> window(const Config& cfg) {
  const int L = cfg.frame_len;
  const double D = cfg.symmetric ? L - 1 : L;
  std::vector<double> w(L, 1.0);
  for (int n = 0; n < L; ++n) {
    const double c = std::cos(2.0 * kPi * n / D);
    if (cfg.window == Window::Hann) w[n] = 0.5 - 0.5 * c;
    if (cfg.window == Window::Hamming) w[n] = 0.54 - 0.46 * c;
  }
  return w;
}

std::vector<std::vector<double>> mel_filterbank(const Config& cfg) {
  const int K = cfg.num_mel, bins = cfg.fft_size / 2 + 1;
  const double m_lo = hz_to_mel(cfg.f_low), m_hi = hz_to_mel(cfg.f_high);
  std::vector<double> pts(K + 2);
  for (int i = 0; i < K + 2; ++i) pts[i] = m_lo + (m_hi - m_lo) * i / (K + 1);
  std::vector<std::vector<double>> w(K, std::vector<double>(bins, 0.0));
  for (int k = 0; k < bins; ++k) {
    const double mel = hz_to_mel(k * cfg.sample_rate / cfg.fft_size);
    for (int m = 0; m < K; ++m) {
      const double a = pts[m], b = pts[m + 1], c = pts[m + 2];
      if (mel >= a && mel <= b) w[m][k] = (mel - a) / (b - a);
      else if (mel > b && mel < c) w[m][k] = (c - mel) / (c - b);
    }
  }
  return w;
}

std::vector<std::complex<double>> fft(const std::vector<std::complex<double>>& x) {
  const size_t n = x.size();
  if (n == 1) return x;
  std::vector<std::complex<double>> even(n / 2), odd(n / 2);
  for (size_t i = 0; i < n / 2; ++i) {
    even[i] = x[2 * i];
    odd[i] = x[2 * i + 1];
  }
  const auto E = fft(even), O = fft(odd);
  std::vector<std::complex<double>> X(n);
  for (size_t k = 0; k < n / 2; ++k) {
    const std::complex<double> t = std::polar(1.0, -2.0 * kPi * double(k) / double(n)) * O[k];
    X[k] = E[k] + t;
    X[k + n / 2] = E[k] - t;
  }
  return X;
}

std::vector<std::complex<double>> dft(const std::vector<std::complex<double>>& x) {
  const size_t n = x.size();
  std::vector<std::complex<double>> X(n);
  for (size_t k = 0; k < n; ++k) {
    std::complex<double> s = 0;
    for (size_t i = 0; i < n; ++i)
      s += x[i] * std::polar(1.0, -2.0 * kPi * double((k * i) % n) / double(n));
    X[k] = s;
  }
  return X;
}

std::vector<double> frame_input(const Config& cfg, const int16_t* frame, int16_t prev) {
  const auto w = window(cfg);
  std::vector<double> y(cfg.frame_len);
  double last = prev / 32768.0;
  for (int n = 0; n < cfg.frame_len; ++n) {
    const double x = frame[n] / 32768.0;
    y[n] = (x - cfg.preemph * last) * w[n];
    last = x;
  }
  return y;
}

std::vector<double> frame_spectrum(const Config& cfg, const int16_t* frame, int16_t prev) {
  const auto y = frame_input(cfg, frame, prev);
  std::vector<std::complex<double>> buf(cfg.fft_size, 0.0);
  for (int n = 0; n < cfg.frame_len; ++n) buf[n] = y[n];
  const auto X = fft(buf);
  std::vector<double> s(cfg.fft_size / 2 + 1);
  for (size_t k = 0; k < s.size(); ++k)
    s[k] = cfg.magnitude ? std::abs(X[k]) : std::norm(X[k]);
  return s;
}

std::vector<double> mel_energies(const Config& cfg, const int16_t* frame, int16_t prev) {
  const auto s = frame_spectrum(cfg, frame, prev);
  const auto w = mel_filterbank(cfg);
  std::vector<double> e(cfg.num_mel, 0.0);
  for (int m = 0; m < cfg.num_mel; ++m)
    for (size_t k = 0; k < s.size(); ++k) e[m] += w[m][k] * s[k];
  return e;
}

std::vector<double> log_mel(const Config& cfg, const int16_t* frame, int16_t prev) {
  auto e = mel_energies(cfg, frame, prev);
  for (double& v : e) v = (v > 0 ? std::max(std::log(v), cfg.log_floor) : cfg.log_floor) + cfg.log_offset;
  return e;
}

std::vector<double> dct2_ortho(const std::vector<double>& logmel, int num_ceps) {
  const int K = int(logmel.size());
  std::vector<double> c(num_ceps, 0.0);
  for (int j = 0; j < num_ceps; ++j) {
    double s = 0;
    for (int m = 0; m < K; ++m) s += logmel[m] * std::cos(kPi * j * (m + 0.5) / K);
    c[j] = s * std::sqrt((j == 0 ? 1.0 : 2.0) / K);
  }
  return c;
}

int num_frames(const Config& cfg, size_t n) {
  if (n < size_t(cfg.frame_len)) return 0;
  return 1 + int((n - cfg.frame_len) / cfg.frame_shift);
}

std::vector<std::vector<double>> log_mel_signal(const Config& cfg, const std::vector<int16_t>& x) {
  // Same as log_mel() per frame, with the window, filterbank and FFT input shared.
  const int T = num_frames(cfg, x.size());
  const auto w = mel_filterbank(cfg);
  std::vector<std::vector<double>> out;
  for (int t = 0; t < T; ++t) {
    const size_t start = size_t(t) * cfg.frame_shift;
    const auto s = frame_spectrum(cfg, x.data() + start, start ? x[start - 1] : 0);
    std::vector<double> e(cfg.num_mel, 0.0);
    for (int m = 0; m < cfg.num_mel; ++m) {
      for (size_t k = 0; k < s.size(); ++k) e[m] += w[m][k] * s[k];
      e[m] = (e[m] > 0 ? std::max(std::log(e[m]), cfg.log_floor) : cfg.log_floor) + cfg.log_offset;
    }
    out.push_back(e);
  }
  return out;
}

}  // namespace mfcc_ref
