// test_golden.cpp - the recorded output hashes of golden_frames.c. The same hashes were
// produced by rv32/fbank_bench.c on the RV32IMC core (core_alone), so host and firmware builds
// of fbank_math/mfcc_math are bit-exact. A change of the datapath's arithmetic changes them:
// that is a change of the accelerator's output contract (update the SystemC model, firmware
// expectations and these values together, and re-run the RV32 bench).
#include <gtest/gtest.h>

#include "golden_frames.h"

namespace {

TEST(Golden, OutputHashesAreTheRecordedOnes) {
  const uint32_t expected[FE_GOLDEN_CONFIGS] = {0x8f9620c7u, 0x34329402u, 0xf8e43c84u};
  for (int c = 0; c < FE_GOLDEN_CONFIGS; ++c)
    EXPECT_EQ(fe_golden_hash(c, nullptr), expected[c])
        << "golden config " << c << ": the Fbank/MFCC output changed (hash 0x" << std::hex
        << fe_golden_hash(c, nullptr) << ")";
}

}  // namespace
