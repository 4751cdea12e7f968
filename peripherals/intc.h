// Interrupt controller for level-sensitive peripheral interrupts, registers per intc_regs.h.
//
// irq_in[n] is source n (1..num_sources; irq_in[0] exists so indices match source numbers, and
// is ignored). irq_out = |(PENDING & ENABLE), re-evaluated whenever a source or ENABLE changes.
//
// Registers (32-bit; common access rules in reg_access.h), any access size:
//   PENDING R   live level of each source (bit n = source n). Writes: command error.
//   ENABLE  RW  mask; bits of non-existent sources (and bit 0) read 0.
//   CLAIM   R   lowest-numbered pending and enabled source, 0 if none. Writes: command error.
#ifndef CIMVP_PERIPHERALS_INTC_H
#define CIMVP_PERIPHERALS_INTC_H

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace cimvp {

struct IntcConfig {
    unsigned num_sources = 31;  // sources 1..num_sources, at most 31
};

class Intc : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Intc> socket{"socket"};
    sc_core::sc_vector<sc_core::sc_in<bool>> irq_in;  // num_sources + 1 ports, index = source number
    sc_core::sc_out<bool> irq_out{"irq_out"};

    Intc(sc_core::sc_module_name name, const IntcConfig& cfg);

    uint32_t pending() const;  // current source levels
    uint32_t enable() const { return enable_; }
    uint32_t claim() const;

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void update();  // SC_METHOD: drives irq_out
    bool peek(uint64_t reg, uint32_t& value) const;

    uint32_t valid_mask_;  // bits 1..num_sources
    uint32_t enable_ = 0;
    sc_core::sc_event enable_changed_;
};

}  // namespace cimvp

#endif
