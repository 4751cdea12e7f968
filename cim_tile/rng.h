// Small, fast, reproducible random numbers for the tile models. We do not use <random>'s
// distributions because their output is not specified across standard libraries: the same seed
// must give the same programmed array on every host.
//   xoshiro256** (Blackman & Vigna) for uniform 64-bit words, seeded through splitmix64;
//   Box-Muller for standard normals (two per pair of uniforms, the second one cached).
#ifndef CIMVP_CIM_RNG_H
#define CIMVP_CIM_RNG_H

#include <cmath>
#include <cstdint>

namespace cimvp::cim {

// splitmix64 step: spreads a seed over the full state so nearby seeds give unrelated streams.
inline uint64_t splitmix64(uint64_t& s) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class Rng {
public:
    // `stream` separates independent uses of one device seed (programming vs. reads).
    explicit Rng(uint64_t seed = 1, uint64_t stream = 0) { reseed(seed, stream); }

    void reseed(uint64_t seed, uint64_t stream = 0) {
        uint64_t s = seed ^ (stream * 0xD1B54A32D192ED03ull);
        for (auto& w : s_) w = splitmix64(s);
        have_spare_ = false;
    }

    uint64_t next_u64() {
        const uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    // Standard normal N(0, 1).
    double normal() {
        if (have_spare_) {
            have_spare_ = false;
            return spare_;
        }
        // u1 in (0, 1] so log() is finite.
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double a = 6.283185307179586 * u2;
        spare_ = r * std::sin(a);
        have_spare_ = true;
        return r * std::cos(a);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t s_[4];
    double spare_ = 0;
    bool have_spare_ = false;
};

}  // namespace cimvp::cim

#endif
