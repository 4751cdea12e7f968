#include "kernels.h"

#include <cstddef>
#include <vector>

// Build the kernel for AVX2+FMA hosts and for baseline x86-64, picked at load time, so the
// library stays portable without -march=native. Every column is summed in the same order on
// both paths (vectors run across columns), so results do not depend on which one runs.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    !defined(CIMVP_NO_KERNEL_CLONES)
#define CIMVP_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CIMVP_CLONES
#endif

namespace cimvp::cim {

namespace {
constexpr int kBlockRows = 64;  // see kernels.h: keeps integer block sums exact in float
constexpr int kMaxPlanes = 8;
}  // namespace

CIMVP_CLONES
void accumulate_columns(const float* g, int nrows, int ncols, const uint8_t* codes, int nplanes,
                        bool bit_serial, double* out) {
    const int planes = bit_serial ? nplanes : 1;
    thread_local std::vector<float> part;
    part.assign(static_cast<size_t>(planes) * ncols, 0.0f);
    bool dirty[kMaxPlanes] = {};

    for (int r0 = 0; r0 < nrows; r0 += kBlockRows) {
        const int r1 = r0 + kBlockRows < nrows ? r0 + kBlockRows : nrows;
        for (int r = r0; r < r1; ++r) {
            const unsigned c = codes[r];
            if (c == 0) continue;
            const float* __restrict gr = g + static_cast<size_t>(r) * ncols;
            if (!bit_serial) {
                float* __restrict acc = part.data();
                const float v = static_cast<float>(c);
                for (int j = 0; j < ncols; ++j) acc[j] += v * gr[j];
                dirty[0] = true;
            } else {
                for (int p = 0; p < planes; ++p) {
                    if (!((c >> p) & 1u)) continue;
                    float* __restrict acc = part.data() + static_cast<size_t>(p) * ncols;
                    for (int j = 0; j < ncols; ++j) acc[j] += gr[j];
                    dirty[p] = true;
                }
            }
        }
        for (int p = 0; p < planes; ++p) {
            if (!dirty[p]) continue;
            float* __restrict acc = part.data() + static_cast<size_t>(p) * ncols;
            double* __restrict o = out + static_cast<size_t>(p) * ncols;
            for (int j = 0; j < ncols; ++j) {
                o[j] += acc[j];
                acc[j] = 0.0f;
            }
            dirty[p] = false;
        }
    }
}

}  // namespace cimvp::cim
