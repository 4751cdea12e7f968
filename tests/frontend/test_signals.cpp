// test_signals.cpp - see test_signals.h. Only a fixed-seed LCG and <cmath>: reproducible.
#include "test_signals.h"

#include <algorithm>
#include <cmath>

namespace fe_test {

namespace {

const double kPi = 3.14159265358979323846;
const double kFs = 16000.0;

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  double uniform() {  // [0, 1)
    s_ = s_ * 6364136223846793005ull + 1442695040888963407ull;
    return double(s_ >> 11) * (1.0 / 9007199254740992.0);
  }
  double gauss() {
    const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
  }

 private:
  uint64_t s_;
};

struct Formant {
  double f, bw;
};

// Magnitude of a two-pole resonance, 1 at DC.
double resonance(double f, const Formant& r) {
  const double a = r.f * r.f - f * f, b = r.bw * f;
  return r.f * r.f / std::sqrt(a * a + b * b);
}

// Voiced sound: harmonics of a time-varying f0 shaped by formants; phase-continuous.
std::vector<double> voiced(size_t n, double f0_start, double f0_end, double vib_hz,
                           double vib_depth, const std::vector<Formant>& formants,
                           double aspiration, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> out(n, 0.0);
  const int max_h = int(kFs / 2 / std::min(f0_start, f0_end));
  std::vector<double> phase(max_h + 1, 0.0);
  for (int h = 1; h <= max_h; ++h) phase[h] = 2 * kPi * rng.uniform();
  for (size_t i = 0; i < n; ++i) {
    const double t = double(i) / kFs, frac = double(i) / double(n);
    const double f0 = (f0_start + (f0_end - f0_start) * frac) *
                      (1.0 + vib_depth * std::sin(2 * kPi * vib_hz * t));
    double v = 0.0;
    for (int h = 1; h <= max_h; ++h) {
      const double fh = h * f0;
      phase[h] += 2 * kPi * fh / kFs;
      if (fh >= kFs / 2 - 100) continue;
      double amp = 1.0 / h;  // -6 dB/oct: glottal source (-12) plus lip radiation (+6)
      for (const auto& r : formants) amp *= resonance(fh, r);
      v += amp * std::sin(phase[h]);
    }
    out[i] = v + aspiration * rng.gauss();
  }
  return out;
}

// Noise through a two-pole band-pass resonator (fricative-like).
std::vector<double> fricative(size_t n, double centre, double bw, uint64_t seed) {
  Rng rng(seed);
  const double r = std::exp(-kPi * bw / kFs), c = 2 * r * std::cos(2 * kPi * centre / kFs);
  std::vector<double> out(n);
  double y1 = 0, y2 = 0;
  for (size_t i = 0; i < n; ++i) {
    const double y = rng.gauss() + c * y1 - r * r * y2;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return out;
}

// Raised-cosine attack and release of `ramp` samples.
void envelope(std::vector<double>& x, size_t ramp) {
  const size_t n = x.size();
  for (size_t i = 0; i < n && i < ramp; ++i) {
    const double g = 0.5 - 0.5 * std::cos(kPi * double(i) / double(ramp));
    x[i] *= g;
    x[n - 1 - i] *= g;
  }
}

void scale_to_peak(std::vector<double>& x, double peak) {
  double m = 0;
  for (double v : x) m = std::max(m, std::fabs(v));
  if (m > 0)
    for (double& v : x) v *= peak / m;
}

std::vector<int16_t> to_int16(const std::vector<double>& x) {
  std::vector<int16_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    out[i] = int16_t(std::lround(std::min(32767.0, std::max(-32768.0, x[i]))));
  return out;
}

void append(std::vector<double>& dst, const std::vector<double>& src) {
  dst.insert(dst.end(), src.begin(), src.end());
}

const std::vector<Formant> kVowelA = {{730, 90}, {1090, 110}, {2440, 170}, {3400, 250}};
const std::vector<Formant> kVowelI = {{270, 60}, {2290, 100}, {3010, 150}, {3500, 250}};

std::vector<double> male_vowel(size_t n, uint64_t seed) {
  auto v = voiced(n, 110, 105, 5.5, 0.02, kVowelA, 0.002, seed);
  envelope(v, 480);
  return v;
}

std::vector<double> word() {
  std::vector<double> w(1600, 0.0);  // 100 ms digital silence
  Rng rng(7);
  for (int i = 0; i < 960; ++i) w.push_back(std::floor(rng.uniform() * 3.0) - 1.0);  // dither
  auto s = fricative(1600, 5500, 2000, 11);
  scale_to_peak(s, 2500);
  envelope(s, 320);
  append(w, s);
  auto a = voiced(3200, 120, 140, 5.0, 0.015, kVowelA, 0.002, 12);
  scale_to_peak(a, 9000);
  envelope(a, 480);
  append(w, a);
  std::vector<double> stop(480, 0.0);  // closure, then a burst
  auto burst = fricative(320, 3000, 3000, 13);
  scale_to_peak(burst, 4000);
  envelope(burst, 40);
  append(stop, burst);
  append(w, stop);
  auto i = voiced(2400, 140, 110, 5.0, 0.015, kVowelI, 0.002, 14);
  scale_to_peak(i, 7000);
  envelope(i, 480);
  append(w, i);
  w.resize(w.size() + 1200, 0.0);
  return w;
}

}  // namespace

std::vector<Signal> speech_like_signals() {
  std::vector<Signal> out;
  {
    auto v = male_vowel(8000, 1);
    scale_to_peak(v, 8000);
    out.push_back({"vowel_male", to_int16(v)});
  }
  {
    auto v = voiced(8000, 230, 180, 6.0, 0.03, kVowelI, 0.003, 2);
    envelope(v, 480);
    scale_to_peak(v, 6000);
    out.push_back({"vowel_female", to_int16(v)});
  }
  {
    std::vector<double> f;
    for (int b = 0; b < 3; ++b) {
      f.resize(f.size() + 960, 0.0);
      auto s = fricative(1600, b == 1 ? 2500 : 5500, b == 1 ? 1200 : 2000, 20 + b);
      scale_to_peak(s, b == 1 ? 3000 : 1500);
      envelope(s, 240);
      append(f, s);
    }
    out.push_back({"fricatives", to_int16(f)});
  }
  out.push_back({"word", to_int16(word())});
  {
    std::vector<double> s(4000, 0.0);
    Rng rng(3);
    for (int i = 0; i < 4000; ++i) s.push_back(std::floor(rng.uniform() * 3.0) - 1.0);
    out.push_back({"silence", to_int16(s)});
  }
  {
    auto v = male_vowel(8000, 4);
    scale_to_peak(v, 33000);  // a few samples clip at the int16 limits
    out.push_back({"full_scale", to_int16(v)});
  }
  {
    auto w = word();
    scale_to_peak(w, 60);
    out.push_back({"quiet", to_int16(w)});
  }
  return out;
}

}  // namespace fe_test
