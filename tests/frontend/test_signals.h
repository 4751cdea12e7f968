// test_signals.h - deterministic speech-like test signals (16 kHz int16) for the front-end tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fe_test {

struct Signal {
  std::string name;
  std::vector<int16_t> samples;
};

// Each ~0.5 s at 16 kHz:
//   vowel_male      /a/, f0 110 Hz with 5.5 Hz vibrato, 4 formants, -6 dB/oct tilt, aspiration
//   vowel_female    /i/, f0 gliding 230 -> 180 Hz with vibrato, 4 formants
//   fricatives      /s/- and /sh/-like noise bursts separated by digital silence
//   word            silence, dither, fricative, vowel, stop burst, vowel, silence
//   silence         digital zero, then +-1 LSB dither
//   full_scale      the male vowel at a 32000 peak, a few samples clipped
//   quiet           the word at a 60 LSB peak (about -55 dBFS)
std::vector<Signal> speech_like_signals();

}  // namespace fe_test
