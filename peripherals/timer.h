// CLINT-style machine timer, registers per timer_regs.h.
//
// mtime is a pure function of simulated time: floor(t * frequency) + offset, where writes to
// mtime change the offset. No process ticks; the timer interrupt is scheduled for the exact
// simulated time at which mtime reaches mtimecmp (the first time tick t with mtime(t) >= mtimecmp).
//
// Registers (32-bit; common access rules in reg_access.h): MSIP, MTIMECMP_LO/HI and
// MTIME_LO/HI are read/write with any access size (sub-word writes merge into the register);
// MSIP keeps bit 0 only. Reads see the time of the access (sc_time_stamp() + annotated delay).
// irq_timer = (mtime >= mtimecmp) as a level, irq_soft = MSIP; both change at the access time.
#ifndef CIMVP_PERIPHERALS_TIMER_H
#define CIMVP_PERIPHERALS_TIMER_H

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace cimvp {

struct TimerConfig {
    double frequency_hz = 1e6;  // [Hz] mtime rate, > 0; non-integer rates are kept to 1 mHz
};

class Timer : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Timer> socket{"socket"};
    sc_core::sc_out<bool> irq_timer{"irq_timer"};
    sc_core::sc_out<bool> irq_soft{"irq_soft"};

    Timer(sc_core::sc_module_name name, const TimerConfig& cfg);

    // mtime at simulated time t (for the core's time CSR; t may be ahead of sc_time_stamp()).
    uint64_t mtime_at(const sc_core::sc_time& t) const { return count_at(t.value()) + offset_; }
    // Earliest time at which the free-running count (without offset) reaches `count`, if representable.
    bool time_of_count(uint64_t count, sc_core::sc_time& t) const;
    uint64_t mtimecmp() const { return mtimecmp_; }
    bool msip() const { return msip_; }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void update();  // SC_METHOD on update_event_: drives the interrupt lines, schedules the next edge
    uint64_t count_at(uint64_t ticks) const {
        if (ticks_per_count_) return ticks / ticks_per_count_;  // the usual case: a whole number of ticks
        return static_cast<uint64_t>(static_cast<unsigned __int128>(ticks) * rate_num_ / rate_den_);
    }
    bool peek(uint64_t reg, uint64_t ticks, uint32_t& value) const;

    // mtime counts rate_num_ per rate_den_ time ticks: frequency * den / (ticks per second * den).
    unsigned __int128 rate_num_ = 1;
    unsigned __int128 rate_den_ = 1;
    uint64_t ticks_per_count_ = 0;  // rate_den_ / rate_num_ when that is a whole number (fast path), else 0
    uint64_t offset_ = 0;
    uint64_t mtimecmp_ = ~uint64_t{0};
    bool msip_ = false;
    sc_core::sc_event update_event_;
};

}  // namespace cimvp

#endif
