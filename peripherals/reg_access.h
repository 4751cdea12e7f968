// Shared decoding of a bus access to a block of 32-bit registers.
//
// Rules common to every register model here: an access is 1, 2 or 4 bytes, naturally aligned,
// inside one 32-bit register, with no byte enables (or all enabled) and no streaming. Violations
// get TLM_BURST_ERROR_RESPONSE (length/alignment/streaming) or TLM_BYTE_ENABLE_ERROR_RESPONSE.
// Each model then decides per register which sizes and directions it accepts: an unknown
// offset is TLM_ADDRESS_ERROR_RESPONSE, a direction the register does not have (write to a
// read-only register, read of a write-only one) is TLM_COMMAND_ERROR_RESPONSE.
#ifndef CIMVP_PERIPHERALS_REG_ACCESS_H
#define CIMVP_PERIPHERALS_REG_ACCESS_H

#include <cstdint>

#include <tlm>

namespace cimvp {

struct RegAccess {
    uint64_t reg = 0;    // register offset (multiple of 4)
    unsigned lane = 0;   // first byte within the register (0..3)
    unsigned size = 4;   // bytes
    bool write = false;
    uint32_t value = 0;  // write: the written bytes, shifted to their lanes
    uint32_t mask = 0;   // the lanes accessed
    bool whole() const { return size == 4; }
    bool covers_low_byte() const { return lane == 0; }
};

// Decodes gp into `a`; returns TLM_OK_RESPONSE or the error to answer with.
inline tlm::tlm_response_status decode_reg_access(const tlm::tlm_generic_payload& gp, RegAccess& a) {
    const unsigned len = gp.get_data_length();
    if (len != 1 && len != 2 && len != 4) return tlm::TLM_BURST_ERROR_RESPONSE;
    if (gp.get_streaming_width() < len) return tlm::TLM_BURST_ERROR_RESPONSE;
    const uint64_t addr = gp.get_address();
    if (addr & (len - 1)) return tlm::TLM_BURST_ERROR_RESPONSE;
    if (const unsigned char* be = gp.get_byte_enable_ptr(); be && gp.get_byte_enable_length()) {
        const unsigned be_len = gp.get_byte_enable_length();
        for (unsigned i = 0; i < len; ++i)
            if (be[i % be_len] != TLM_BYTE_ENABLED) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    }
    a.reg = addr & ~uint64_t{3};
    a.lane = static_cast<unsigned>(addr & 3);
    a.size = len;
    a.write = gp.is_write();
    a.mask = (len == 4 ? 0xffffffffu : ((1u << (8 * len)) - 1)) << (8 * a.lane);
    a.value = 0;
    if (a.write) {
        const unsigned char* d = gp.get_data_ptr();
        for (unsigned i = 0; i < len; ++i) a.value |= uint32_t{d[i]} << (8 * (a.lane + i));
    }
    return tlm::TLM_OK_RESPONSE;
}

// Puts the accessed lanes of a register value into the payload's data (little endian).
inline void reg_read_result(tlm::tlm_generic_payload& gp, const RegAccess& a, uint32_t value) {
    unsigned char* d = gp.get_data_ptr();
    for (unsigned i = 0; i < a.size; ++i) d[i] = static_cast<unsigned char>(value >> (8 * (a.lane + i)));
}

// Merges a write's lanes into a register value.
inline uint32_t reg_merge(uint32_t old_value, const RegAccess& a) { return (old_value & ~a.mask) | a.value; }

// Serves gp with `read(reg, value&) -> status` / `write(access) -> status` callbacks.
template <class Read, class Write>
void serve_registers(tlm::tlm_generic_payload& gp, Read&& read, Write&& write) {
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    RegAccess a;
    tlm::tlm_response_status st = decode_reg_access(gp, a);
    if (st == tlm::TLM_OK_RESPONSE) {
        if (a.write) {
            st = write(a);
        } else {
            uint32_t v = 0;
            st = read(a, v);
            if (st == tlm::TLM_OK_RESPONSE) reg_read_result(gp, a, v);
        }
    }
    gp.set_response_status(st);
}

// Side-effect-free debug read of a register block: peek(reg, value&) returns false for holes
// (read as 0). Returns the bytes transferred; debug writes are not supported (0).
template <class Peek>
unsigned debug_read_registers(tlm::tlm_generic_payload& gp, Peek&& peek) {
    if (!gp.is_read()) return 0;
    unsigned char* d = gp.get_data_ptr();
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    for (unsigned i = 0; i < len; ++i) {
        const uint64_t a = addr + i;
        uint32_t v = 0;
        if (!peek(a & ~uint64_t{3}, v)) v = 0;
        d[i] = static_cast<unsigned char>(v >> (8 * (a & 3)));
    }
    return len;
}

}  // namespace cimvp

#endif
