// mfcc_reference.h - independent double-precision log-Mel / MFCC reference, written from the
// textbook definitions (it never calls the fixed-point code in peripherals/fbank_math.c).
//
//   pre-emphasis  y[n] = x[n] - a x[n-1], x = int16 / 2^15, x[-1] = the sample before the frame
//   window        Hann 0.5 - 0.5 cos(2 pi n / D), Hamming 0.54 - 0.46 cos(2 pi n / D),
//                 D = L (periodic) or L - 1 (symmetric), or rectangular
//   spectrum      X[k] = sum_n w[n] y[n] e^{-j 2 pi k n / N}, k = 0..N/2 (frame zero padded to N);
//                 power |X|^2 or magnitude |X|
//   Mel           HTK: mel(f) = 2595 log10(1 + f / 700); K + 2 points equally spaced in mel from
//                 f_low to f_high; filter m is the triangle over points m, m+1, m+2 in the mel
//                 domain, peak 1
//   log           max(ln E, floor) + offset (natural log)
//   MFCC          orthonormal DCT-II: c_j = s_j sum_m L_m cos(pi j (m + 1/2) / K),
//                 s_0 = sqrt(1/K), s_j = sqrt(2/K)
#pragma once

#include <complex>
#include <cstdint>
#include <vector>

namespace mfcc_ref {

enum class Window { Rect, Hann, Hamming };

struct Config {
  double sample_rate = 16000.0;
  int frame_len = 640;
  int frame_shift = 320;
  int fft_size = 1024;
  Window window = Window::Hann;
  bool symmetric = false;
  double preemph = 0.0;  // a, e.g. 0.97
  int num_mel = 40;
  double f_low = 20.0;
  double f_high = 4000.0;
  bool magnitude = false;  // false: power spectrum
  double log_floor = -20.0;
  double log_offset = 0.0;
};

double hz_to_mel(double hz);
double mel_to_hz(double mel);

std::vector<double> window(const Config& cfg);

// K x (N/2 + 1) triangular weights.
std::vector<std::vector<double>> mel_filterbank(const Config& cfg);

// Radix-2 recursive FFT (size a power of two) and the O(N^2) definition, for cross-checks.
std::vector<std::complex<double>> fft(const std::vector<std::complex<double>>& x);
std::vector<std::complex<double>> dft(const std::vector<std::complex<double>>& x);

// Pre-emphasised, windowed frame of L values (not zero padded).
std::vector<double> frame_input(const Config& cfg, const int16_t* frame, int16_t prev);
// Spectrum bins 0..N/2: power or magnitude per cfg.
std::vector<double> frame_spectrum(const Config& cfg, const int16_t* frame, int16_t prev);
std::vector<double> mel_energies(const Config& cfg, const int16_t* frame, int16_t prev);
std::vector<double> log_mel(const Config& cfg, const int16_t* frame, int16_t prev);
std::vector<double> dct2_ortho(const std::vector<double>& logmel, int num_ceps);

// Frames of a whole signal (frame t starts at t * frame_shift; no padding).
int num_frames(const Config& cfg, size_t n);
std::vector<std::vector<double>> log_mel_signal(const Config& cfg, const std::vector<int16_t>& x);

}  // namespace mfcc_ref
