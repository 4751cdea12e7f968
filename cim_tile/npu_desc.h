// Host-side view of the NPU layer descriptor (npu_regs.h): decode / encode of the 32-byte
// little-endian record independent of the host's endianness and struct layout, and the field
// checks the NPU applies before running a layer. Header-only, no SystemC (used by the host tool).
#ifndef CIMVP_CIM_NPU_DESC_H
#define CIMVP_CIM_NPU_DESC_H

#include <cstdint>

#include "activation.h"
#include "npu_regs.h"
#include "tile_config.h"

namespace cimvp::npu {

struct Descriptor {
    uint8_t version = NPU_DESC_VERSION;
    uint8_t act = NPU_ACT_IDENTITY;
    uint8_t act_frac = 4;
    uint8_t shift = 0;
    uint8_t encoding = NPU_ENC_PARALLEL;
    uint8_t out_format = NPU_OUT_ACT8;
    uint8_t flags = 0;
    uint8_t reserved0 = 0;
    uint32_t in_addr = 0, out_addr = 0, bias_addr = 0;
    uint16_t row_off = 0, row_cnt = 0, col_off = 0, col_cnt = 0;
    uint32_t reserved1 = 0;

    bool has_bias() const { return flags & NPU_FLAG_BIAS; }
    unsigned out_bytes_per_col() const { return out_format == NPU_OUT_ACC32 ? 4u : 1u; }
};

inline uint32_t get_le32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
inline uint16_t get_le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
inline void put_le32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void put_le16(uint8_t* p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v);
    p[1] = static_cast<uint8_t>(v >> 8);
}

inline Descriptor decode_descriptor(const uint8_t* p) {
    Descriptor d;
    d.version = p[0];
    d.act = p[1];
    d.act_frac = p[2];
    d.shift = p[3];
    d.encoding = p[4];
    d.out_format = p[5];
    d.flags = p[6];
    d.reserved0 = p[7];
    d.in_addr = get_le32(p + 8);
    d.out_addr = get_le32(p + 12);
    d.bias_addr = get_le32(p + 16);
    d.row_off = get_le16(p + 20);
    d.row_cnt = get_le16(p + 22);
    d.col_off = get_le16(p + 24);
    d.col_cnt = get_le16(p + 26);
    d.reserved1 = get_le32(p + 28);
    return d;
}

inline void encode_descriptor(const Descriptor& d, uint8_t* p) {
    p[0] = d.version;
    p[1] = d.act;
    p[2] = d.act_frac;
    p[3] = d.shift;
    p[4] = d.encoding;
    p[5] = d.out_format;
    p[6] = d.flags;
    p[7] = d.reserved0;
    put_le32(p + 8, d.in_addr);
    put_le32(p + 12, d.out_addr);
    put_le32(p + 16, d.bias_addr);
    put_le16(p + 20, d.row_off);
    put_le16(p + 22, d.row_cnt);
    put_le16(p + 24, d.col_off);
    put_le16(p + 26, d.col_cnt);
    put_le32(p + 28, d.reserved1);
}

// Field checks that need no bus or array: NPU_ERR_NONE, NPU_ERR_DESC_VERSION or NPU_ERR_DESC_FIELD.
inline uint32_t check_descriptor_fields(const Descriptor& d) {
    if (d.version != NPU_DESC_VERSION) return NPU_ERR_DESC_VERSION;
    if (d.act > NPU_ACT_TANH_LUT || d.encoding > NPU_ENC_BIT_SERIAL || d.out_format > NPU_OUT_ACC32)
        return NPU_ERR_DESC_FIELD;
    if (d.act_frac > 8 || d.shift > 40) return NPU_ERR_DESC_FIELD;
    if ((d.flags & ~NPU_FLAG_BIAS) || d.reserved0 || d.reserved1) return NPU_ERR_DESC_FIELD;
    if (d.has_bias() && (d.bias_addr & 3)) return NPU_ERR_DESC_FIELD;
    return NPU_ERR_NONE;
}

// Row/column region against an array of rows x cols weights: NPU_ERR_NONE or NPU_ERR_ARRAY_RANGE.
inline uint32_t check_descriptor_region(const Descriptor& d, int rows, int cols) {
    if (d.row_cnt == 0 || d.col_cnt == 0) return NPU_ERR_ARRAY_RANGE;
    if (int{d.row_off} + d.row_cnt > rows || int{d.col_off} + d.col_cnt > cols) return NPU_ERR_ARRAY_RANGE;
    return NPU_ERR_NONE;
}

inline cim::Activation descriptor_activation(const Descriptor& d) {
    switch (d.act) {
        case NPU_ACT_RELU: return cim::Activation::relu();
        case NPU_ACT_SIGMOID_PWL: return cim::Activation::sigmoid(d.act_frac, cim::NonlinImpl::Pwl20);
        case NPU_ACT_TANH_PWL: return cim::Activation::tanh(d.act_frac, cim::NonlinImpl::Pwl20);
        case NPU_ACT_SIGMOID_LUT: return cim::Activation::sigmoid(d.act_frac, cim::NonlinImpl::Lut);
        case NPU_ACT_TANH_LUT: return cim::Activation::tanh(d.act_frac, cim::NonlinImpl::Lut);
        default: return cim::Activation::identity();
    }
}

}  // namespace cimvp::npu

#endif
