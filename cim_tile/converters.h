// The tile's data converters, in the integer units the digital side sees.
//
// DAC (input side). X is uint8. With inp_res_bits = D < 8 the DAC cannot carry all 8 bits, so X
// is rounded to its top D bits, round-half-up and saturating at the top code:
//     code = min((X + 2^(7-D)) >> (8-D), 2^D - 1),   effective input X' = code << (8-D)
// The << (8-D) is a digital shift after the ADC, so D only changes X, never the scaling.
// Parallel: the row voltage is code / (2^D - 1) of full scale. Bit-serial: D reads, read p drives
// bit p of code (0 or full scale) and its ADC result is weighted by 2^p digitally.
//
// ADC (column side). A symmetric mid-tread converter of B bits: codes -(2^(B-1)-1) .. 2^(B-1)-1
// spanning [-bound, +bound], LSB = bound / (2^(B-1)-1) (aihwkit's out_res = 1/(2^B - 2)).
// The column value is first clipped to +-bound (column clipping), then rounded half-up to a code.
#ifndef CIMVP_CIM_CONVERTERS_H
#define CIMVP_CIM_CONVERTERS_H

#include <cstdint>

namespace cimvp::cim {

// DAC code for input x at `bits` of resolution (1..8); see above.
inline int dac_code(uint8_t x, int bits) {
    if (bits >= 8) return x;
    const int code = (x + (1 << (7 - bits))) >> (8 - bits);
    const int top = (1 << bits) - 1;
    return code > top ? top : code;
}

class Adc {
public:
    // bound: full scale in the caller's units (> 0); bits: 2..32.
    Adc(double bound, int bits);

    // Clip to +-bound and quantise. `clipped` is set when |value| > bound.
    int64_t code(double value, bool* clipped = nullptr) const;
    double lsb() const { return lsb_; }
    double bound() const { return bound_; }
    int64_t code_max() const { return code_max_; }

private:
    double bound_;
    double lsb_;
    int64_t code_max_;
};

}  // namespace cimvp::cim

#endif
