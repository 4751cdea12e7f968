// test_accuracy.cpp - log-Mel and MFCC of the fixed-point path against the double reference,
// for every supported keyword-spotting configuration, on speech-like signals.
//
// Metrics, per configuration and signal, over all frames and filters (coefficients):
//   SNR  = 10 log10(sum ref^2 / sum (got - ref)^2), values in natural-log units
//   max  = max |got - ref| in q8.7 LSB (1/128)
// log-Mel: got = fixed q8.7 output / 128, ref = double log-Mel (same floor).
// MFCC:    got = mfcc_dct (Q15 table) of the fixed log-Mel, ref = orthonormal DCT-II of the
//          double log-Mel; for 10, 13 and 40 coefficients.
// Bar (CMSIS-DSP's for its Q15 MFCC): SNR >= 34 dB and max <= 30 LSB. The tighter design bar
// below catches regressions of this datapath long before the bar is at risk: the log-Mel
// error is the q8.7 output rounding (0.5 LSB) plus < 0.1 LSB, so SNR is bounded by the
// output quantisation (about 55-75 dB depending on the signal's log values).
#include <gtest/gtest.h>

#include <cstdio>

#include "fe_test_util.h"
#include "mfcc_math.h"
#include "test_signals.h"

// gtest prints parameters with this (and the test names use config_name as well).
void PrintTo(const fbank_config_t& c, std::ostream* os) { *os << fe_test::config_name(c); }

namespace fe_test {
namespace {

const double kBarSnrDb = 34.0, kBarMaxLsb = 30.0;
const double kDesignSnrDb = 50.0, kDesignMaxLogMelLsb = 0.6, kDesignMaxMfccLsb = 2.0;

const std::vector<Signal>& signals() {
  static const std::vector<Signal> s = speech_like_signals();
  return s;
}

std::vector<fbank_config_t> matrix() {
  std::vector<fbank_config_t> out;
  struct Frame {
    uint16_t len, shift, fft;
  };
  // 40 ms frames do not fit a 512-point FFT at 16 kHz (rejected: see test_fbank_math).
  const Frame frames[] = {{480, 320, 512}, {480, 320, 1024}, {640, 320, 1024}, {640, 640, 1024}};
  const uint32_t edges[][2] = {{20, 4000}, {125, 7500}};
  for (const auto& fr : frames)
    for (const auto& ed : edges)
      for (uint8_t spec : {uint8_t(FBANK_SPEC_POWER), uint8_t(FBANK_SPEC_MAGNITUDE)})
        for (uint8_t win : {uint8_t(FBANK_WIN_HANN), uint8_t(FBANK_WIN_HAMMING)})
          for (uint16_t pre : {uint16_t(0), uint16_t(31785)}) {  // 0.97 in Q15
            fbank_config_t c;
            fbank_config_default(&c);
            c.frame_len = fr.len;
            c.frame_shift = fr.shift;
            c.fft_size = fr.fft;
            c.f_low_hz = ed[0];
            c.f_high_hz = ed[1];
            c.spectrum = spec;
            c.window = win;
            c.preemph_q15 = pre;
            out.push_back(c);
          }
  // Symmetric and rectangular windows, and int8 output, on a few shapes.
  fbank_config_t c;
  fbank_config_default(&c);
  c.window_symmetric = 1;
  out.push_back(c);
  c.window = FBANK_WIN_HAMMING;
  c.frame_len = 480;
  c.fft_size = 512;
  out.push_back(c);
  fbank_config_default(&c);
  c.window = FBANK_WIN_RECT;
  out.push_back(c);
  fbank_config_default(&c);
  c.out_format = FBANK_OUT_INT8;
  c.out_frac_bits = 2;
  out.push_back(c);
  c.spectrum = FBANK_SPEC_MAGNITUDE;
  c.f_low_hz = 125;
  c.f_high_hz = 7500;
  c.out_frac_bits = 3;
  c.log_offset_q7 = -5 * 128;
  out.push_back(c);
  return out;
}

class Accuracy : public ::testing::TestWithParam<fbank_config_t> {};

void expect_bar(const ErrStats& s, const std::string& what, double design_max_lsb) {
  EXPECT_GE(s.snr_db(), kBarSnrDb) << what << ": SNR " << s.snr_db() << " dB";
  EXPECT_LE(s.max_lsb(), kBarMaxLsb) << what << ": max error " << s.max_lsb()
                                     << " LSB q8.7 (ref " << s.worst_ref << ", got "
                                     << s.worst_got << ", element " << s.worst_index << ")";
  {
    EXPECT_GE(s.snr_db(), kDesignSnrDb) << what << ": SNR " << s.snr_db()
                                        << " dB below the design bar";
    EXPECT_LE(s.max_lsb(), design_max_lsb)
        << what << ": max error " << s.max_lsb() << " LSB q8.7 above the design bar (ref "
        << s.worst_ref << ", got " << s.worst_got << ", element " << s.worst_index << ")";
  }
}

TEST_P(Accuracy, LogMelAndMfcc) {
  const fbank_config_t cfg = GetParam();
  const std::string name = config_name(cfg);
  Fbank fx(cfg);
  ASSERT_EQ(fx.status, FBANK_OK) << name << ": " << fbank_status_str(fx.status);
  const mfcc_ref::Config rc = to_ref(cfg);
  const bool int8 = cfg.out_format == FBANK_OUT_INT8;
  const double step = int8 ? std::ldexp(1.0, -int(cfg.out_frac_bits)) : 1.0 / 128.0;
  const unsigned K = cfg.num_mel;
  const unsigned ceps_list[] = {10, 13, 40};
  std::vector<std::vector<int16_t>> dct(3);
  for (int i = 0; i < 3; ++i) {
    dct[i].resize(MFCC_DCT_TABLE_LEN(K, ceps_list[i]));
    ASSERT_EQ(mfcc_dct_init(dct[i].data(), K, ceps_list[i]), 0);
  }

  ErrStats all_lm, all_cc[3];
  double min_snr_lm = 1e9, min_snr_cc = 1e9;  // worst signal
  for (const auto& sig : signals()) {
    const size_t T = fbank_num_frames(&cfg, sig.samples.size());
    ASSERT_EQ(int(T), mfcc_ref::num_frames(rc, sig.samples.size()));
    std::vector<int16_t> out16(T * K);
    std::vector<int8_t> out8(T * K);
    ASSERT_EQ(fbank_process_signal(&fx.fb, sig.samples.data(), sig.samples.size(), nullptr,
                                   fx.work.data(), int8 ? (void*)out8.data() : (void*)out16.data()),
              T);
    const auto ref = mfcc_ref::log_mel_signal(rc, sig.samples);
    ErrStats lm, cc[3];
    for (size_t t = 0; t < T; ++t) {
      std::vector<int16_t> lm_q7(K);
      for (unsigned m = 0; m < K; ++m) {
        const double got = int8 ? out8[t * K + m] * step : out16[t * K + m] * step;
        // int8 saturates: the reference saturates likewise
        double r = ref[t][m];
        if (int8) r = std::min(127 * step, std::max(-128 * step, r));
        lm.add(r, got);
        all_lm.add(r, got);
        lm_q7[m] = out16.empty() ? 0 : out16[t * K + m];
      }
      if (int8) continue;
      for (int i = 0; i < 3; ++i) {
        const unsigned C = ceps_list[i];
        std::vector<int16_t> c_q7(C);
        mfcc_dct(dct[i].data(), K, C, lm_q7.data(), c_q7.data());
        const auto rc_c = mfcc_ref::dct2_ortho(ref[t], int(C));
        for (unsigned j = 0; j < C; ++j) {
          cc[i].add(rc_c[j], c_q7[j] / 128.0);
          all_cc[i].add(rc_c[j], c_q7[j] / 128.0);
        }
      }
    }
    const std::string where = name + " signal " + sig.name;
    if (int8) {
      EXPECT_LE(lm.max_abs, step * 0.5 + 1.0 / 128.0)
          << where << " int8 log-Mel: max error " << lm.max_abs << " (step " << step << ")";
    } else {
      expect_bar(lm, where + " log-Mel", kDesignMaxLogMelLsb);
      min_snr_lm = std::min(min_snr_lm, lm.snr_db());
      for (int i = 0; i < 3; ++i) {
        expect_bar(cc[i], where + " MFCC" + std::to_string(ceps_list[i]), kDesignMaxMfccLsb);
        min_snr_cc = std::min(min_snr_cc, cc[i].snr_db());
      }
    }
  }
  // all signals pooled / worst signal; max in output steps (q8.7 LSB, or int8 steps)
  std::printf("[accuracy] %-52s log-Mel SNR %5.1f/%5.1f dB max %4.2f", name.c_str(),
              all_lm.snr_db(), int8 ? 0.0 : min_snr_lm, all_lm.max_abs / step);
  if (!int8) {
    for (int i = 0; i < 3; ++i)
      std::printf(" | MFCC%u %5.1f dB %4.2f", ceps_list[i], all_cc[i].snr_db(), all_cc[i].max_lsb());
    std::printf(" | MFCC worst-signal SNR %5.1f dB", min_snr_cc);
  }
  std::printf("\n");
}

INSTANTIATE_TEST_SUITE_P(Kws, Accuracy, ::testing::ValuesIn(matrix()),
                         [](const ::testing::TestParamInfo<fbank_config_t>& info) {
                           return config_name(info.param);
                         });

}  // namespace
}  // namespace fe_test
