#include "intc.h"

#include <string>

#include "intc_regs.h"
#include "reg_access.h"

using namespace sc_core;

namespace cimvp {

namespace {

unsigned checked_sources(const char* name, unsigned n) {
    if (n > 31) {
        SC_REPORT_ERROR(name, ("interrupt controller supports at most 31 sources, not " + std::to_string(n)).c_str());
        return 31;
    }
    return n;
}

}  // namespace

Intc::Intc(sc_module_name name, const IntcConfig& cfg)
    : sc_module(name),
      irq_in("irq_in", checked_sources(this->name(), cfg.num_sources) + 1),
      valid_mask_(static_cast<uint32_t>(((uint64_t{1} << (irq_in.size())) - 1) & ~uint64_t{1})) {
    socket.register_b_transport(this, &Intc::b_transport);
    socket.register_transport_dbg(this, &Intc::transport_dbg);
    SC_HAS_PROCESS(Intc);
    SC_METHOD(update);
    for (auto& in : irq_in) sensitive << in;
    sensitive << enable_changed_;
}

uint32_t Intc::pending() const {
    uint32_t p = 0;
    for (unsigned i = 1; i < irq_in.size(); ++i)
        if (irq_in[i].read()) p |= 1u << i;
    return p;
}

uint32_t Intc::claim() const {
    const uint32_t active = pending() & enable_;
    return active ? static_cast<uint32_t>(__builtin_ctz(active)) : 0;
}

void Intc::update() { irq_out.write((pending() & enable_) != 0); }

bool Intc::peek(uint64_t reg, uint32_t& v) const {
    switch (reg) {
        case INTC_PENDING: v = pending(); return true;
        case INTC_ENABLE: v = enable_; return true;
        case INTC_CLAIM: v = claim(); return true;
        default: return false;
    }
}

void Intc::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
    serve_registers(
        gp,
        [&](const RegAccess& a, uint32_t& v) {
            return peek(a.reg, v) ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE;
        },
        [&](const RegAccess& a) {
            switch (a.reg) {
                case INTC_ENABLE:
                    enable_ = reg_merge(enable_, a) & valid_mask_;
                    enable_changed_.notify(delay);  // irq_out follows at the time of the write
                    return tlm::TLM_OK_RESPONSE;
                case INTC_PENDING:
                case INTC_CLAIM: return tlm::TLM_COMMAND_ERROR_RESPONSE;
                default: return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            }
        });
}

unsigned Intc::transport_dbg(tlm::tlm_generic_payload& gp) {
    return debug_read_registers(gp, [this](uint64_t reg, uint32_t& v) { return peek(reg, v); });
}

}  // namespace cimvp
