// fe_test_util.h - shared helpers of the front-end tests.
#pragma once

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "fbank_math.h"
#include "mfcc_reference.h"

namespace fe_test {

// A ready fbank_t with its own table storage.
struct Fbank {
  fbank_t fb{};
  std::vector<uint32_t> tables;
  std::vector<int32_t> work;
  fbank_status_t status = FBANK_ERR_NULL;
  explicit Fbank(const fbank_config_t& cfg)
      : tables(fbank_table_words(&cfg) + 1), work(fbank_work_words(&cfg)) {
    status = fbank_init(&fb, &cfg, tables.data(), tables.size());
  }
};

inline mfcc_ref::Config to_ref(const fbank_config_t& c) {
  mfcc_ref::Config r;
  r.sample_rate = c.sample_rate_hz;
  r.frame_len = c.frame_len;
  r.frame_shift = c.frame_shift;
  r.fft_size = c.fft_size;
  r.window = c.window == FBANK_WIN_HANN      ? mfcc_ref::Window::Hann
             : c.window == FBANK_WIN_HAMMING ? mfcc_ref::Window::Hamming
                                             : mfcc_ref::Window::Rect;
  r.symmetric = c.window_symmetric != 0;
  r.preemph = c.preemph_q15 / 32768.0;
  r.num_mel = c.num_mel;
  r.f_low = c.f_low_hz;
  r.f_high = c.f_high_hz;
  r.magnitude = c.spectrum == FBANK_SPEC_MAGNITUDE;
  r.log_floor = c.log_floor_q7 / 128.0;
  r.log_offset = c.log_offset_q7 / 128.0;
  return r;
}

// e.g. "L640_H320_N1024_mel40_20_4000_power_hann_pre0"
inline std::string config_name(const fbank_config_t& c) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "L%u_H%u_N%u_mel%u_%u_%u_%s_%s%s_pre%u%s", unsigned(c.frame_len),
                unsigned(c.frame_shift), unsigned(c.fft_size), unsigned(c.num_mel),
                unsigned(c.f_low_hz), unsigned(c.f_high_hz),
                c.spectrum == FBANK_SPEC_POWER ? "power" : "mag",
                c.window == FBANK_WIN_HANN ? "hann" : c.window == FBANK_WIN_HAMMING ? "hamming" : "rect",
                c.window_symmetric ? "sym" : "", unsigned(c.preemph_q15),
                c.out_format == FBANK_OUT_INT8 ? ("_int8f" + std::to_string(c.out_frac_bits)).c_str() : "");
  return buf;
}

// Error statistics of values in natural-log units, reported in q8.7 LSB (1/128).
struct ErrStats {
  double sig2 = 0, err2 = 0, max_abs = 0;
  size_t n = 0, worst_index = 0;
  double worst_ref = 0, worst_got = 0;
  void add(double ref, double got) {
    const double e = got - ref;
    sig2 += ref * ref;
    err2 += e * e;
    if (std::fabs(e) > max_abs) {
      max_abs = std::fabs(e);
      worst_index = n;
      worst_ref = ref;
      worst_got = got;
    }
    ++n;
  }
  double snr_db() const {
    return err2 > 0 ? 10.0 * std::log10(sig2 / err2) : std::numeric_limits<double>::infinity();
  }
  double max_lsb() const { return max_abs * 128.0; }
};

}  // namespace fe_test
