// mfcc_check: checks the MFCC firmware's UART output (firmware/apps/mfcc) against the independent
// double-precision reference (tests/frontend/mfcc_reference.cpp) on the WAV the board played.
//
//   mfcc_check WAV UART_LOG [--same OTHER_UART_LOG] [--min-snr DB] [--max-lsb LSB]
//
// The firmware's "MFCC ..." header line gives the front-end parameters, so one checker serves
// every build variant. Checks: the header and summary are there; the summary reports all the
// samples, no overrun, no late frame and eof=1; one "F" line per frame of the WAV in order;
// SNR >= 34 dB and max |error| <= 30 LSB q8.7 over all frames and coefficients (CMSIS-DSP's
// bar for its Q15 MFCC). With --same, OTHER_UART_LOG's frames must be identical (bit exact),
// e.g. the software path's against the accelerator's. Prints the figures; exit 0 = pass.
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "mfcc_reference.h"

namespace {

struct Log {
  std::map<std::string, std::string> header, summary;
  std::vector<std::vector<long>> frames;
  std::string error;  // first problem found while parsing
};

std::map<std::string, std::string> key_values(std::istringstream& in) {
  std::map<std::string, std::string> kv;
  std::string tok;
  while (in >> tok) {
    const auto eq = tok.find('=');
    if (eq != std::string::npos) kv[tok.substr(0, eq)] = tok.substr(eq + 1);
  }
  return kv;
}

Log parse_log(const std::string& path) {
  Log log;
  std::ifstream f(path);
  if (!f) {
    log.error = "cannot open " + path;
    return log;
  }
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    if (tag == "MFCC") {
      log.header = key_values(in);
    } else if (tag == "SUMMARY") {
      log.summary = key_values(in);
    } else if (tag == "F") {
      long t;
      if (!(in >> t) || t != long(log.frames.size())) {
        if (log.error.empty()) log.error = "frame line out of order: " + line;
        continue;
      }
      std::vector<long> v;
      long x;
      while (in >> x) v.push_back(x);
      log.frames.push_back(v);
    }
  }
  if (log.error.empty() && log.header.empty()) log.error = "no MFCC header line in " + path;
  if (log.error.empty() && log.summary.empty()) log.error = "no SUMMARY line in " + path;
  return log;
}

long num(const std::map<std::string, std::string>& kv, const std::string& key) {
  const auto it = kv.find(key);
  if (it == kv.end()) {
    std::fprintf(stderr, "mfcc_check: missing %s= in the firmware output\n", key.c_str());
    std::exit(2);
  }
  return std::strtol(it->second.c_str(), nullptr, 10);
}

bool read_wav(const std::string& path, std::vector<int16_t>& x, int& rate) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (!f) {
    std::fprintf(stderr, "mfcc_check: %s: %s\n", path.c_str(), sf_strerror(nullptr));
    return false;
  }
  if (info.channels != 1) {
    std::fprintf(stderr, "mfcc_check: %s: %d channels, expected mono\n", path.c_str(), info.channels);
    sf_close(f);
    return false;
  }
  x.resize(size_t(info.frames));
  const sf_count_t got = sf_readf_short(f, x.data(), info.frames);
  sf_close(f);
  rate = info.samplerate;
  return got == info.frames;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: mfcc_check WAV UART_LOG [--same OTHER_LOG] [--min-snr DB] [--max-lsb LSB]\n");
    return 2;
  }
  const std::string wav = argv[1], uart = argv[2];
  std::string other;
  double min_snr = 34.0, max_lsb = 30.0;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--same") other = argv[i + 1];
    else if (opt == "--min-snr") min_snr = std::atof(argv[i + 1]);
    else if (opt == "--max-lsb") max_lsb = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "mfcc_check: unknown option %s\n", opt.c_str());
      return 2;
    }
  }

  const Log log = parse_log(uart);
  if (!log.error.empty()) {
    std::fprintf(stderr, "mfcc_check: FAIL: %s\n", log.error.c_str());
    return 1;
  }
  std::vector<int16_t> x;
  int rate = 0;
  if (!read_wav(wav, x, rate)) return 2;

  const auto& h = log.header;
  mfcc_ref::Config cfg;
  cfg.sample_rate = double(num(h, "fs"));
  cfg.frame_len = int(num(h, "frame"));
  cfg.frame_shift = int(num(h, "hop"));
  cfg.fft_size = int(num(h, "fft"));
  cfg.num_mel = int(num(h, "mel"));
  cfg.f_low = double(num(h, "flo"));
  cfg.f_high = double(num(h, "fhi"));
  cfg.magnitude = h.at("spec") == "mag";
  const long win = num(h, "win");  // enum fbank_window
  cfg.window = win == 1 ? mfcc_ref::Window::Hann : win == 2 ? mfcc_ref::Window::Hamming : mfcc_ref::Window::Rect;
  cfg.symmetric = num(h, "sym") != 0;
  cfg.preemph = double(num(h, "pre")) / 32768.0;
  cfg.log_floor = double(num(h, "floor")) / 128.0;
  const int ceps = int(num(h, "ceps"));
  const bool int8 = h.at("out") == "int8";
  const int frac = int(num(h, "frac"));
  const bool norm = num(h, "norm") != 0;
  const std::string path = h.at("path");

  int fails = 0;
  auto fail = [&](const std::string& what) {
    std::printf("mfcc_check: FAIL (%s): %s\n", path.c_str(), what.c_str());
    ++fails;
  };
  if (rate != int(cfg.sample_rate)) fail("WAV rate " + std::to_string(rate) + " Hz, firmware " + h.at("fs"));
  const auto& s = log.summary;
  if (num(s, "samples") != long(x.size()))
    fail("firmware saw " + s.at("samples") + " samples, the WAV has " + std::to_string(x.size()));
  if (num(s, "overruns") != 0) fail("audio FIFO overruns: " + s.at("overruns"));
  if (num(s, "late") != 0) fail("frames processed too late: " + s.at("late"));
  if (num(s, "eof") != 1) fail("end of audio not reached");
  if (num(s, "dma_errors") != 0 || num(s, "fbank_errors") != 0) fail("device errors reported");

  // Reference: double log-Mel, optional per-frame mean removal, orthonormal DCT-II; the int8
  // format's saturation is part of its definition, so the reference is clipped the same way.
  const auto lm = mfcc_ref::log_mel_signal(cfg, x);
  const size_t T = lm.size();
  if (log.frames.size() != T || num(s, "frames") != long(T))
    fail("frames: firmware " + std::to_string(log.frames.size()) + ", reference " + std::to_string(T));
  const double scale = std::ldexp(1.0, frac);
  const double lo = int8 ? -128.0 / scale : -32768.0 / scale, hi = int8 ? 127.0 / scale : 32767.0 / scale;
  double sig2 = 0, err2 = 0, worst = 0;
  size_t worst_t = 0, worst_j = 0, n = 0, clipped = 0;
  for (size_t t = 0; t < std::min(T, log.frames.size()); ++t) {
    std::vector<double> m = lm[t];
    if (norm) {
      double mean = 0;
      for (double v : m) mean += v;
      mean /= double(m.size());
      for (double& v : m) v -= mean;
    }
    const auto c = mfcc_ref::dct2_ortho(m, ceps);
    if (log.frames[t].size() != size_t(ceps)) {
      fail("frame " + std::to_string(t) + " has " + std::to_string(log.frames[t].size()) + " values");
      continue;
    }
    for (int j = 0; j < ceps; ++j) {
      double ref = c[size_t(j)];
      if (ref < lo || ref > hi) ++clipped;
      ref = std::clamp(ref, lo, hi);
      const double got = double(log.frames[t][size_t(j)]) / scale;
      const double e = got - ref;
      sig2 += ref * ref;
      err2 += e * e;
      if (std::fabs(e) > worst) {
        worst = std::fabs(e);
        worst_t = t;
        worst_j = size_t(j);
      }
      ++n;
    }
  }
  const double snr = err2 > 0 ? 10.0 * std::log10(sig2 / err2) : 999.0;
  const double worst_lsb = worst * 128.0;
  std::printf("mfcc_check: %s %s: %zu frames x %d coefficients (%s%s), SNR %.1f dB, max error %.2f LSB q8.7 "
              "(frame %zu c%zu), %zu reference values clipped to the output range\n",
              path.c_str(), wav.c_str(), T, ceps, int8 ? "int8 frac " : "q8.7",
              int8 ? std::to_string(frac).c_str() : "", snr, worst_lsb, worst_t, worst_j, clipped);
  if (n == 0) fail("no values compared");
  if (snr < min_snr) fail("SNR " + std::to_string(snr) + " dB < " + std::to_string(min_snr));
  if (worst_lsb > max_lsb) fail("max error " + std::to_string(worst_lsb) + " LSB > " + std::to_string(max_lsb));

  if (!other.empty()) {
    const Log o = parse_log(other);
    if (!o.error.empty()) {
      fail(o.error);
    } else {
      size_t differ = 0;
      for (size_t t = 0; t < std::min(o.frames.size(), log.frames.size()); ++t)
        if (o.frames[t] != log.frames[t]) ++differ;
      if (o.frames.size() != log.frames.size() || differ)
        fail(std::to_string(differ) + " frames differ from " + other + " (" + std::to_string(o.frames.size()) +
             " vs " + std::to_string(log.frames.size()) + " frames)");
      else
        std::printf("mfcc_check: %s and %s paths agree bit for bit on %zu frames\n", path.c_str(),
                    o.header.count("path") ? o.header.at("path").c_str() : "?", T);
    }
  }
  std::printf("mfcc_check: %s\n", fails ? "FAIL" : "PASS");
  return fails ? 1 : 0;
}
