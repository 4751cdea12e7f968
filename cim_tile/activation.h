// The digital activation of the tile's post-processing: y = act(z), where z is the shifted
// accumulator round((W*X + b) / 2^s) (int_reference.h). Output codes are 8-bit:
//   Identity  int8  [-128, 127]   z saturated
//   Relu      uint8 [0, 255]      max(z, 0) saturated (the eFlash SoC's unsigned outputs)
//   Sigmoid   uint8 Q0.8          code = round(256 * sigmoid(z / 2^f)), saturated to [0, 255]
//   Tanh      int8  Q1.7          code = round(128 * tanh(z / 2^f)),    saturated to [-128, 127]
// with f = in_frac_bits. Sigmoid and tanh are evaluated either by a full lookup table (exact
// rounding of the real function) or, as in the RRAM LSTM accelerator of the thesis (paper 003),
// by a 20-segment piecewise-linear unit in fixed point: per segment y = (a*z + c) >> 16 with a, c
// integers. Segment ends equidistribute integral(sqrt|f''|) over the domain (the asymptotically
// minimax placement for linear interpolation) and each segment's line is the chord moved by half
// its peak error. Domains: sigmoid |x| <= 8, tanh |x| <= 4; beyond them the end value holds.
// Documented accuracy vs. the real function (checked by tests/cim_tile/test_activation.cpp):
//   LUT: <= 0.5 output LSB; PWL20: <= 1 output LSB (measured <= 0.85, rounding included)
//   for every in_frac_bits in [0, 8]; the error is against the real function saturated to the
//   output range (code 255 of sigmoid is 0.996: the Q0.8 format cannot say 1.0).
#ifndef CIMVP_CIM_ACTIVATION_H
#define CIMVP_CIM_ACTIVATION_H

#include <cstdint>
#include <vector>

namespace cimvp::cim {

enum class ActFn { Identity, Relu, Sigmoid, Tanh };
enum class NonlinImpl { Pwl20, Lut };

struct Activation {
    ActFn fn = ActFn::Identity;
    NonlinImpl impl = NonlinImpl::Pwl20;  // sigmoid / tanh only
    int in_frac_bits = 4;                 // sigmoid / tanh only: z represents z / 2^in_frac_bits, 0..8

    static Activation identity() { return {}; }
    static Activation relu() { return {ActFn::Relu, NonlinImpl::Pwl20, 4}; }
    static Activation sigmoid(int frac = 4, NonlinImpl impl = NonlinImpl::Pwl20) {
        return {ActFn::Sigmoid, impl, frac};
    }
    static Activation tanh(int frac = 4, NonlinImpl impl = NonlinImpl::Pwl20) {
        return {ActFn::Tanh, impl, frac};
    }
    bool operator==(const Activation& o) const {
        return fn == o.fn && impl == o.impl && in_frac_bits == o.in_frac_bits;
    }
};

int32_t output_min(ActFn fn);   // smallest output code
int32_t output_max(ActFn fn);   // largest output code
double output_scale(ActFn fn);  // codes per unit of the real function: 256 sigmoid, 128 tanh, else 1
double real_function(ActFn fn, double x);  // the float math being approximated (identity/relu unclipped)

// One activation block: tables are built once in the constructor (microseconds), then applying
// it is a few integer operations. Throws std::invalid_argument for in_frac_bits outside 0..8.
class ActivationUnit {
public:
    explicit ActivationUnit(const Activation& spec = {});
    int32_t operator()(int64_t z) const;
    const Activation& spec() const { return spec_; }
    int segments() const { return static_cast<int>(slope_q16_.size()); }  // PWL segments built

private:
    void build_pwl();
    void build_lut();

    Activation spec_;
    int64_t zmax_ = 0;                 // domain end in z units
    std::vector<int64_t> seg_end_;     // PWL: segment k covers (seg_end_[k-1], seg_end_[k]]
    std::vector<int64_t> slope_q16_;   // PWL: codes per z unit, Q16
    std::vector<int64_t> icpt_q16_;    // PWL: codes at z = 0, Q16
    std::vector<int32_t> lut_;         // LUT: code for z = -zmax_ .. zmax_
};

}  // namespace cimvp::cim

#endif
