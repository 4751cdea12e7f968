#include "ahb_bus.h"

#include <algorithm>
#include <stdexcept>

using namespace sc_core;

namespace cimvp {

AhbBus::AhbBus(sc_module_name name, const AhbBusConfig& cfg)
    : sc_module(name), target_socket("target_socket"), initiator_socket("initiator_socket"), cfg_(cfg) {
    if (cfg_.clock_period <= SC_ZERO_TIME) SC_REPORT_ERROR(this->name(), "bus clock period must be positive");
    period_ticks_ = std::max<uint64_t>(1, cfg_.clock_period.value());
    const auto cycles = [&](unsigned n) { return cfg_.clock_period * static_cast<double>(n); };
    addr_time_ = cycles(cfg_.address_phase_cycles);
    data_time_ = cycles(cfg_.data_phase_cycles_per_beat);
    arb_time_ = cycles(cfg_.arbitration_cycles);
    err_time_ = cycles(cfg_.error_response_cycles);

    target_socket.register_b_transport(this, &AhbBus::b_transport);
    target_socket.register_transport_dbg(this, &AhbBus::transport_dbg);
    target_socket.register_get_direct_mem_ptr(this, &AhbBus::get_direct_mem_ptr);
    initiator_socket.register_invalidate_direct_mem_ptr(this, &AhbBus::invalidate_direct_mem_ptr);
}

unsigned AhbBus::add_master(const std::string& name) {
    master_names_.push_back(name);
    masters_.resize(master_names_.size());
    return static_cast<unsigned>(master_names_.size() - 1);
}

unsigned AhbBus::add_target(const std::string& name, uint64_t base, uint64_t size) {
    const auto index = static_cast<unsigned>(targets_.size());
    try {
        map_.add(name, base, size, index);
    } catch (const std::invalid_argument& e) {
        SC_REPORT_ERROR(this->name(), e.what());
        return index;  // only reached if errors are configured not to throw
    }
    Target t;
    t.name = name;
    t.base = base;
    t.size = size;
    targets_.push_back(t);
    return index;
}

void AhbBus::end_of_elaboration() {
    // Unnamed master ports get a generic name so statistics cover every bound master.
    while (master_names_.size() < target_socket.size()) master_names_.push_back("master" + std::to_string(master_names_.size()));
    masters_.resize(master_names_.size());
    if (initiator_socket.size() != targets_.size())
        SC_REPORT_ERROR(name(), ("add_target() was called " + std::to_string(targets_.size()) + " times but " +
                                 std::to_string(initiator_socket.size()) + " targets are bound")
                                    .c_str());
}

// --- arbitration ---------------------------------------------------------------------------

bool AhbBus::prefers(unsigned a, unsigned b) const {
    if (!cfg_.round_robin || prev_owner_ == kNone) return a < b;
    // Round robin: priority rotates to start just after the master granted before the current one.
    const auto n = static_cast<unsigned>(masters_.size());
    const unsigned first = (prev_owner_ + 1) % n;
    return (a + n - first) % n < (b + n - first) % n;
}

AhbBus::Grant AhbBus::arbitrate(unsigned m, const sc_time& request) const {
    if (owner_ == kNone) return {request, false, true, false};
    if (request >= busy_until_) return {request, false, m != owner_, request == busy_until_};
    if (m == owner_) return {busy_until_, false, false, true};  // its own previous transfer is still on
    // Another master holds the bus at `request`. Would it have been granted before the holder?
    const sc_time earliest = request > prev_end_ ? request : prev_end_;
    const bool before_holder = earliest < last_grant_ || (earliest == last_grant_ && prefers(m, owner_));
    if (before_holder)
        return {earliest, true, m != prev_owner_, prev_owner_ != kNone && earliest == prev_end_};
    return {busy_until_, false, true, true};
}

void AhbBus::book(unsigned m, const Grant& g, const sc_time& end) {
    if (g.overtake) {
        // Slot this transfer in before the last booking, pushing that one back by any overlap.
        if (end > last_grant_) {
            const sc_time push = end - last_grant_;
            last_grant_ += push;
            busy_until_ += push;
        }
        prev_end_ = end;
        prev_owner_ = m;
        return;
    }
    prev_end_ = busy_until_;
    prev_owner_ = owner_;
    owner_ = m;
    last_grant_ = g.at;
    busy_until_ = end;
}

// --- transport -----------------------------------------------------------------------------

void AhbBus::b_transport(int id, tlm::tlm_generic_payload& gp, sc_time& delay) {
    const auto m = static_cast<unsigned>(id);
    const sc_time now = sc_time_stamp();
    const sc_time request = now + delay;
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    const unsigned width = gp.get_streaming_width();
    const uint64_t span = (width && width < len) ? width : len;  // streaming: the same addresses repeat

    const Grant g = arbitrate(m, request);
    sc_time t = g.at;
    if (g.handover) t += arb_time_;
    if (!g.pipelined) t += addr_time_;

    Counters& mc = masters_[m];
    const bool write = gp.is_write();
    sc_time end;
    bool error;
    const auto hit = map_.decode(addr, span);
    if (!hit) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        end = t + err_time_;
        error = true;
        ++decode_errors_;
    } else {
        Target& tg = targets_[hit->target];
        const sc_time offered = t - now;
        sc_time d = offered;
        gp.set_address(hit->offset);
        initiator_socket[static_cast<int>(hit->target)]->b_transport(gp, d);
        gp.set_address(addr);
        const sc_time waits = d > offered ? d - offered : SC_ZERO_TIME;
        const AhbExtension* ext = gp.get_extension<AhbExtension>();
        const unsigned beats = ext ? ext->beats_for(len) : (len > 4 ? (len + 3) / 4 : 1);
        end = t + waits + (beats == 1 ? data_time_ : data_time_ * static_cast<double>(beats));
        error = gp.is_response_error();
        Counters& tc = tg.counters;
        ++tc.transfers;
        ++(write ? tc.writes : tc.reads);
        tc.bytes += len;
        tc.busy_ticks += (end - g.at).value();
        tc.wait_ticks += waits.value();
        tc.errors += error;
    }
    book(m, g, end);

    ++mc.transfers;
    ++(write ? mc.writes : mc.reads);
    mc.bytes += len;
    mc.busy_ticks += (end - g.at).value();
    mc.wait_ticks += (g.at - request).value();
    mc.errors += error;
    delay = end - now;
}

unsigned AhbBus::transport_dbg(int, tlm::tlm_generic_payload& gp) {
    const uint64_t addr = gp.get_address();
    const AddressRegion* r = map_.find(addr);
    if (!r) return 0;
    // A debug access may run past the region end (e.g. a loader segment): do the part that fits.
    const unsigned len = gp.get_data_length();
    const unsigned width = gp.get_streaming_width();
    const uint64_t room = r->last() - addr;  // bytes after addr inside the region
    const unsigned n = (len == 0 || len - 1 <= room) ? len : static_cast<unsigned>(room + 1);
    gp.set_address(addr - r->base);
    gp.set_data_length(n);
    if (width > n) gp.set_streaming_width(n);
    const unsigned done = initiator_socket[static_cast<int>(r->target)]->transport_dbg(gp);
    gp.set_address(addr);
    gp.set_data_length(len);
    gp.set_streaming_width(width);
    return done;
}

// --- DMI -----------------------------------------------------------------------------------

bool AhbBus::get_direct_mem_ptr(int, tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
    const uint64_t addr = gp.get_address();
    const auto hit = map_.decode(addr);
    if (!hit) {
        uint64_t first, last;
        map_.range_around(addr, first, last);
        dmi.set_start_address(first);
        dmi.set_end_address(last);
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
        return false;
    }
    Target& tg = targets_[hit->target];
    gp.set_address(hit->offset);
    const bool ok = initiator_socket[static_cast<int>(hit->target)]->get_direct_mem_ptr(gp, dmi);
    gp.set_address(addr);

    // Clip to the region (the target may offer more than is mapped) and translate to global.
    const uint64_t start = dmi.get_start_address();
    const uint64_t end = std::min<uint64_t>(dmi.get_end_address(), tg.size - 1);
    if (start > end) {  // the target described a range outside the region: deny just this address
        dmi.set_start_address(addr);
        dmi.set_end_address(addr);
        dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
        return false;
    }
    dmi.set_start_address(tg.base + start);
    dmi.set_end_address(tg.base + end);
    if (!ok) return false;
    tg.dmi_read_ticks = dmi.get_read_latency().value();
    tg.dmi_write_ticks = dmi.get_write_latency().value();
    dmi.set_read_latency(dmi.get_read_latency() + dmi_latency());
    dmi.set_write_latency(dmi.get_write_latency() + dmi_latency());
    return true;
}

void AhbBus::invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end) {
    const Target& tg = targets_[static_cast<size_t>(id)];
    if (start > tg.size - 1) return;
    const uint64_t first = tg.base + start;
    const uint64_t last = tg.base + std::min<uint64_t>(end, tg.size - 1);
    for (unsigned i = 0; i < target_socket.size(); ++i)
        target_socket[static_cast<int>(i)]->invalidate_direct_mem_ptr(first, last);
}

// --- statistics ----------------------------------------------------------------------------

void AhbBus::account_dmi(unsigned master, unsigned target, bool write, uint64_t transfers, uint64_t bytes,
                         uint64_t beats) {
    if (master >= masters_.size() || target >= targets_.size()) {
        SC_REPORT_ERROR(name(), ("account_dmi: no master " + std::to_string(master) + " or target " +
                                 std::to_string(target))
                                    .c_str());
        return;
    }
    Target& tg = targets_[target];
    const uint64_t target_waits = transfers * (write ? tg.dmi_write_ticks : tg.dmi_read_ticks);
    const uint64_t busy = (beats ? beats : transfers) * data_time_.value() + target_waits;
    for (Counters* c : {&masters_[master], &tg.counters}) {
        c->transfers += transfers;
        c->dmi_transfers += transfers;
        (write ? c->writes : c->reads) += transfers;
        c->bytes += bytes;
        c->busy_ticks += busy;
    }
    tg.counters.wait_ticks += target_waits;
}

std::vector<AhbPortStats> AhbBus::to_stats(const std::vector<std::string>& names,
                                           const std::vector<Counters>& counters) const {
    std::vector<AhbPortStats> out(counters.size());
    for (size_t i = 0; i < counters.size(); ++i) {
        const Counters& c = counters[i];
        AhbPortStats& s = out[i];
        s.name = i < names.size() ? names[i] : std::string();
        s.transfers = c.transfers;
        s.reads = c.reads;
        s.writes = c.writes;
        s.bytes = c.bytes;
        s.dmi_transfers = c.dmi_transfers;
        s.busy_cycles = c.busy_ticks / period_ticks_;
        s.wait_cycles = c.wait_ticks / period_ticks_;
        s.errors = c.errors;
    }
    return out;
}

std::vector<AhbPortStats> AhbBus::master_stats() const { return to_stats(master_names_, masters_); }

std::vector<AhbPortStats> AhbBus::target_stats() const {
    std::vector<std::string> names;
    std::vector<Counters> counters;
    for (const Target& t : targets_) {
        names.push_back(t.name);
        counters.push_back(t.counters);
    }
    return to_stats(names, counters);
}

}  // namespace cimvp
