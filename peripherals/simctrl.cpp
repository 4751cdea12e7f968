#include "simctrl.h"

#include <cmath>

#include "reg_access.h"
#include "simctrl_regs.h"

using namespace sc_core;

namespace cimvp {

SimCtrl::SimCtrl(sc_module_name name, std::function<void(int)> on_exit)
    : sc_module(name), on_exit_(std::move(on_exit)) {
    socket.register_b_transport(this, &SimCtrl::b_transport);
    socket.register_transport_dbg(this, &SimCtrl::transport_dbg);
}

uint64_t SimCtrl::time_ns(uint64_t ticks) const {
    const uint64_t ticks_per_ns = sc_time(1, SC_NS).value();
    if (ticks_per_ns) return ticks / ticks_per_ns;
    // Resolution coarser than 1 ns.
    return static_cast<uint64_t>(std::llround(static_cast<double>(ticks) * sc_get_time_resolution().to_seconds() * 1e9));
}

void SimCtrl::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
    const uint64_t t = sc_time_stamp().value() + delay.value();
    serve_registers(
        gp,
        [&](const RegAccess& a, uint32_t& v) {
            switch (a.reg) {
                case SIMCTRL_TIME_NS_LO: {
                    if (!a.whole()) return tlm::TLM_BURST_ERROR_RESPONSE;
                    const uint64_t ns = time_ns(t);
                    time_hi_latch_ = static_cast<uint32_t>(ns >> 32);
                    v = static_cast<uint32_t>(ns);
                    return tlm::TLM_OK_RESPONSE;
                }
                case SIMCTRL_TIME_NS_HI:
                    if (!a.whole()) return tlm::TLM_BURST_ERROR_RESPONSE;
                    v = time_hi_latch_;
                    return tlm::TLM_OK_RESPONSE;
                case SIMCTRL_EXIT: return tlm::TLM_COMMAND_ERROR_RESPONSE;
                default: return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            }
        },
        [&](const RegAccess& a) {
            switch (a.reg) {
                case SIMCTRL_EXIT: {
                    if (!a.covers_low_byte()) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
                    const int code = static_cast<int>(a.value);
                    exit_code_ = code;
                    if (on_exit_) on_exit_(code);
                    else sc_stop();
                    return tlm::TLM_OK_RESPONSE;
                }
                case SIMCTRL_TIME_NS_LO:
                case SIMCTRL_TIME_NS_HI: return tlm::TLM_COMMAND_ERROR_RESPONSE;
                default: return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            }
        });
}

unsigned SimCtrl::transport_dbg(tlm::tlm_generic_payload& gp) {
    // Side-effect free: TIME_NS_LO does not latch; EXIT reads as the stored code.
    const uint64_t ns = time_ns(sc_time_stamp().value());
    return debug_read_registers(gp, [&](uint64_t reg, uint32_t& v) {
        switch (reg) {
            case SIMCTRL_EXIT: v = static_cast<uint32_t>(exit_code_.value_or(0)); return true;
            case SIMCTRL_TIME_NS_LO: v = static_cast<uint32_t>(ns); return true;
            case SIMCTRL_TIME_NS_HI: v = time_hi_latch_; return true;
            default: return false;
        }
    });
}

}  // namespace cimvp
