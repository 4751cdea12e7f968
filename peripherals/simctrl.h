// Simulation control device, registers per simctrl_regs.h: the firmware ends the run here and
// reads simulated time.
//
// Registers (32-bit; common access rules in reg_access.h):
//   EXIT        W  1/2/4-byte writes at offset 0; the value (zero-extended) is the exit code.
//                  It is stored and passed to the exit handler. Reads: command error.
//   TIME_NS_LO  R  word reads only: simulated time in ns (at sc_time_stamp() + annotated delay),
//                  low word; latches the high word. Writes: command error.
//   TIME_NS_HI  R  word reads only: the high word latched by the last TIME_NS_LO read.
#ifndef CIMVP_PERIPHERALS_SIMCTRL_H
#define CIMVP_PERIPHERALS_SIMCTRL_H

#include <cstdint>
#include <functional>
#include <optional>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace cimvp {

class SimCtrl : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<SimCtrl> socket{"socket"};

    // on_exit is called (from the writing initiator's process) with the exit code; the platform
    // records it and stops the simulation. Without a handler, an EXIT write calls sc_stop().
    SimCtrl(sc_core::sc_module_name name, std::function<void(int)> on_exit = {});

    std::optional<int> exit_code() const { return exit_code_; }  // last code written, if any

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    uint64_t time_ns(uint64_t ticks) const;

    std::function<void(int)> on_exit_;
    std::optional<int> exit_code_;
    uint32_t time_hi_latch_ = 0;
};

}  // namespace cimvp

#endif
