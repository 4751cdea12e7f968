#include "timer.h"

#include <cmath>
#include <limits>

#include "reg_access.h"
#include "timer_regs.h"

using namespace sc_core;

namespace cimvp {

Timer::Timer(sc_module_name name, const TimerConfig& cfg) : sc_module(name) {
    const double f = cfg.frequency_hz;
    if (!(f > 0) || f > 1e15) SC_REPORT_ERROR(this->name(), "timer frequency must be in (0, 1e15] Hz");
    // Exact integer ratio so that edges land on exact ticks: integral rates as is, others in mHz.
    uint64_t num = 1, den = 1;
    if (f == std::floor(f)) {
        num = static_cast<uint64_t>(f);
    } else {
        num = static_cast<uint64_t>(std::llround(f * 1000));
        den = 1000;
    }
    if (num == 0) num = 1;
    const auto ticks_per_second = static_cast<uint64_t>(std::llround(1.0 / sc_get_time_resolution().to_seconds()));
    rate_num_ = num;
    rate_den_ = static_cast<unsigned __int128>(ticks_per_second) * den;
    if (rate_den_ % rate_num_ == 0 && rate_den_ / rate_num_ <= std::numeric_limits<uint64_t>::max())
        ticks_per_count_ = static_cast<uint64_t>(rate_den_ / rate_num_);

    socket.register_b_transport(this, &Timer::b_transport);
    socket.register_transport_dbg(this, &Timer::transport_dbg);
    SC_HAS_PROCESS(Timer);
    SC_METHOD(update);
    sensitive << update_event_;
}

bool Timer::time_of_count(uint64_t count, sc_time& t) const {
    // Smallest tick with floor(tick * num / den) >= count: ceil(count * den / num).
    const unsigned __int128 ticks = (static_cast<unsigned __int128>(count) * rate_den_ + rate_num_ - 1) / rate_num_;
    if (ticks > std::numeric_limits<uint64_t>::max()) return false;
    t = sc_time::from_value(static_cast<uint64_t>(ticks));
    return true;
}

void Timer::update() {
    const sc_time now = sc_time_stamp();
    const bool fire = mtime_at(now) >= mtimecmp_;
    irq_timer.write(fire);
    irq_soft.write(msip_);
    // mtime wraps only after 2^64 counts: if the offset already exceeds mtimecmp it never matches.
    sc_time hit;
    if (!fire && offset_ <= mtimecmp_ && time_of_count(mtimecmp_ - offset_, hit) && hit > now)
        update_event_.notify(hit - now);
}

bool Timer::peek(uint64_t reg, uint64_t ticks, uint32_t& v) const {
    const uint64_t mtime = count_at(ticks) + offset_;
    switch (reg) {
        case TIMER_MSIP: v = msip_; return true;
        case TIMER_MTIMECMP_LO: v = static_cast<uint32_t>(mtimecmp_); return true;
        case TIMER_MTIMECMP_HI: v = static_cast<uint32_t>(mtimecmp_ >> 32); return true;
        case TIMER_MTIME_LO: v = static_cast<uint32_t>(mtime); return true;
        case TIMER_MTIME_HI: v = static_cast<uint32_t>(mtime >> 32); return true;
        default: return false;
    }
}

void Timer::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
    const uint64_t now = sc_time_stamp().value();
    const uint64_t t = now + delay.value();
    bool changed = false;
    serve_registers(
        gp,
        [&](const RegAccess& a, uint32_t& v) {
            return peek(a.reg, t, v) ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE;
        },
        [&](const RegAccess& a) {
            const auto set_half = [&](uint64_t& reg64, bool high) {
                const unsigned shift = high ? 32 : 0;
                const uint32_t merged = reg_merge(static_cast<uint32_t>(reg64 >> shift), a);
                reg64 = (reg64 & ~(uint64_t{0xffffffffu} << shift)) | (uint64_t{merged} << shift);
            };
            switch (a.reg) {
                case TIMER_MSIP: msip_ = reg_merge(msip_, a) & 1; break;
                case TIMER_MTIMECMP_LO: set_half(mtimecmp_, false); break;
                case TIMER_MTIMECMP_HI: set_half(mtimecmp_, true); break;
                case TIMER_MTIME_LO:
                case TIMER_MTIME_HI: {
                    // mtime becomes the written value at time t: keep it as an offset to the count.
                    uint64_t mtime = count_at(t) + offset_;
                    set_half(mtime, a.reg == TIMER_MTIME_HI);
                    offset_ = mtime - count_at(t);
                    break;
                }
                default: return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            }
            changed = true;
            return tlm::TLM_OK_RESPONSE;
        });
    // Re-evaluate the interrupt lines at the time of the write (the earliest pending notification wins).
    if (changed) update_event_.notify(sc_time::from_value(t - now));
}

unsigned Timer::transport_dbg(tlm::tlm_generic_payload& gp) {
    const uint64_t now = sc_time_stamp().value();
    return debug_read_registers(gp, [&](uint64_t reg, uint32_t& v) { return peek(reg, now, v); });
}

}  // namespace cimvp
