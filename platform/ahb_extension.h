// AHB attributes of a transfer, carried next to the generic payload.
//
// The generic payload already says what is read or written; this extension adds what an AHB
// slave or the interconnect may care about: who drives the bus (HMASTER), the transfer size and
// burst type (for timing) and HPROT. It is optional: the bus derives sensible defaults when a
// payload has none. Initiators on the hot path keep one instance per port and attach it once
// (no allocation per transfer).
#ifndef CIMVP_PLATFORM_AHB_EXTENSION_H
#define CIMVP_PLATFORM_AHB_EXTENSION_H

#include <cstdint>

#include <tlm>

namespace cimvp {

// HBURST encodings of AMBA AHB.
enum class AhbBurst : uint8_t {
    Single = 0,
    Incr = 1,    // undefined length: the beat count comes from AhbExtension::beats or the length
    Wrap4 = 2,
    Incr4 = 3,
    Wrap8 = 4,
    Incr8 = 5,
    Wrap16 = 6,
    Incr16 = 7,
};

// HSIZE encodings used by a 32-bit bus (bytes per beat = 1 << hsize).
enum AhbSize : unsigned { kAhbByte = 0, kAhbHalf = 1, kAhbWord = 2 };

// HPROT bits.
enum AhbProt : unsigned { kAhbProtData = 1u << 0, kAhbProtPrivileged = 1u << 1 };

// Beats of a burst type: 1 for SINGLE, 4/8/16 for the fixed-length bursts, 0 for INCR (undefined).
constexpr unsigned ahb_burst_beats(AhbBurst b) {
    switch (b) {
        case AhbBurst::Single: return 1;
        case AhbBurst::Wrap4:
        case AhbBurst::Incr4: return 4;
        case AhbBurst::Wrap8:
        case AhbBurst::Incr8: return 8;
        case AhbBurst::Wrap16:
        case AhbBurst::Incr16: return 16;
        case AhbBurst::Incr: return 0;
    }
    return 0;
}

struct AhbExtension : tlm::tlm_extension<AhbExtension> {
    unsigned master = 0;                   // HMASTER: CIMVP_MASTER_* in memory_map.h
    unsigned hsize = kAhbWord;             // bytes per beat = 1 << hsize
    AhbBurst hburst = AhbBurst::Single;
    unsigned hprot = kAhbProtData | kAhbProtPrivileged;
    unsigned beats = 0;                    // data beats; 0 = derive from hburst, else length / beat size

    tlm::tlm_extension_base* clone() const override { return new AhbExtension(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override {
        *this = static_cast<const AhbExtension&>(other);
    }

    // Data beats of a transfer of `length` bytes carrying this extension.
    unsigned beats_for(unsigned length) const {
        if (beats) return beats;
        if (const unsigned fixed = ahb_burst_beats(hburst); fixed > 1) return fixed;
        const unsigned bytes_per_beat = 1u << (hsize > 5 ? 5 : hsize);
        const unsigned n = (length + bytes_per_beat - 1) / bytes_per_beat;
        return n ? n : 1;
    }
};

// Prepares a payload for one transfer of a bus master: a plain contiguous access with no byte
// enables and DMI not yet granted. Every master resets the same fields before each reuse.
inline void prepare_transfer(tlm::tlm_generic_payload& gp, bool write, uint64_t addr, unsigned char* data,
                             unsigned len) {
    gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(addr);
    gp.set_data_ptr(data);
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_byte_enable_length(0);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

}  // namespace cimvp

#endif
