// Single-layer AHB interconnect as a TLM-2.0 LT router with a timing and contention model.
//
// Masters bind to target_socket (socket index = master port index, also its priority: lower
// wins under fixed priority); targets bind to initiator_socket in add_target() order. The bus
// routes b_transport, transport_dbg and DMI by address, translating global addresses to target
// offsets and back. It knows nothing about what sits behind a region.
//
// Timing of one b_transport (all in HCLK cycles from config):
//   grant    = max(request time, bus free time)          request = sc_time_stamp() + delay
//   target   = grant + [arbitration, on a change of master] + [address phase, unless pipelined]
//   end      = target + beats * data_phase_cycles_per_beat + target wait states
// where "pipelined" means the bus was busy right up to the grant, so this transfer's address
// phase overlapped the previous data phase (AHB pipelining, whichever master drove it); after an
// idle bus the address phase is exposed. The target sees the transfer at `target` (its delay
// argument) and its added delay is the wait states (HREADY low). A decode error costs the
// default slave's ERROR response (error_response_cycles) instead of data phases. The returned
// delay is `end` - sc_time_stamp(). Wait states hold the bus, so the bus is busy until `end`.
//
// Arbitration, LT approximation: transfers are booked on a single "busy until" timeline in the
// order the calls arrive. With temporal decoupling, calls do not arrive in time order, so the bus
// also remembers the booking before the last one: a request from another master that is
// logically earlier than the last grant (it would have found the bus free first) or that ties
// with it and wins the policy (fixed priority: lower port index; round robin: the master next
// after the previous owner) is granted at its own time, ahead of the last booking, and the
// timeline is pushed back by any overlap. The overtaken transfer keeps the timing it already
// returned (it cannot be revised), so contention is attributed within one transfer; otherwise
// a request that finds the bus held by another master waits until it is free (wait cycles).
// DMI accesses bypass the bus entirely: they are not on the timeline and are added to the
// statistics only through account_dmi().
#ifndef CIMVP_PLATFORM_AHB_BUS_H
#define CIMVP_PLATFORM_AHB_BUS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "address_map.h"
#include "ahb_extension.h"

namespace cimvp {

struct AhbBusConfig {
    sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);  // HCLK period, > 0
    unsigned address_phase_cycles = 1;        // [cycles] hidden when pipelined
    unsigned data_phase_cycles_per_beat = 1;  // [cycles] per beat, zero-wait
    unsigned arbitration_cycles = 0;          // [cycles] added when the bus changes master
    unsigned error_response_cycles = 2;       // [cycles] AHB two-cycle ERROR response on a decode error
    bool round_robin = false;                 // arbitration policy; false = fixed priority (lower port wins)
};

// Counters of one master port or one target. Cycles are HCLK cycles.
struct AhbPortStats {
    std::string name;
    uint64_t transfers = 0;      // b_transport calls plus DMI accesses reported by account_dmi()
    uint64_t reads = 0;
    uint64_t writes = 0;
    uint64_t bytes = 0;
    uint64_t dmi_transfers = 0;  // the part of `transfers` done through DMI
    uint64_t busy_cycles = 0;    // bus cycles occupied by these transfers (arbitration to last data phase)
    uint64_t wait_cycles = 0;    // master: cycles waiting for another master; target: wait states inserted
    uint64_t errors = 0;         // error responses (decode errors count for the master only)
};

class AhbBus : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<AhbBus> target_socket;        // masters bind here
    tlm_utils::multi_passthrough_initiator_socket<AhbBus> initiator_socket;  // targets bind here

    AhbBus(sc_core::sc_module_name name, const AhbBusConfig& cfg);

    // Names the next master port (call in binding order); returns its port index.
    unsigned add_master(const std::string& name);
    // Maps [base, base + size) to the next target bound to initiator_socket; returns its index.
    // Overlaps, zero sizes and overflow are reported (SC_REPORT_ERROR) naming both regions.
    unsigned add_target(const std::string& name, uint64_t base, uint64_t size);

    // Target index for a global address (e.g. to attribute DMI accesses), nullopt if unmapped.
    std::optional<unsigned> target_for(uint64_t addr) const {
        if (const auto d = map_.decode(addr)) return d->target;
        return std::nullopt;
    }
    const AddressMap& address_map() const { return map_; }

    // Adds accesses done through DMI to the statistics (they never reach the bus). `beats` = total
    // data beats, 0 = one per transfer. Busy cycles use the DMI latencies the target granted.
    void account_dmi(unsigned master, unsigned target, bool write, uint64_t transfers, uint64_t bytes,
                     uint64_t beats = 0);

    std::vector<AhbPortStats> master_stats() const;  // by port index
    std::vector<AhbPortStats> target_stats() const;  // by target index
    uint64_t decode_errors() const { return decode_errors_; }
    // What the bus adds to a DMI grant's latencies: one pipelined data phase.
    sc_core::sc_time dmi_latency() const { return data_time_; }
    const AhbBusConfig& config() const { return cfg_; }

private:
    static constexpr unsigned kNone = ~0u;

    struct Counters {
        uint64_t transfers = 0, reads = 0, writes = 0, bytes = 0, dmi_transfers = 0;
        uint64_t busy_ticks = 0, wait_ticks = 0, errors = 0;
    };
    struct Target {
        std::string name;
        uint64_t base = 0, size = 0;
        uint64_t dmi_read_ticks = 0, dmi_write_ticks = 0;  // the target's own DMI latencies
        Counters counters;
    };
    struct Grant {
        sc_core::sc_time at;
        bool overtake;    // booked ahead of the last booking
        bool handover;    // the bus changes master: arbitration cycles
        bool pipelined;   // address phase overlapped the previous data phase
    };

    void b_transport(int id, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(int id, tlm::tlm_generic_payload& gp);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    void invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end);
    void end_of_elaboration() override;

    Grant arbitrate(unsigned master, const sc_core::sc_time& request) const;
    void book(unsigned master, const Grant& g, const sc_core::sc_time& end);
    bool prefers(unsigned a, unsigned b) const;
    std::vector<AhbPortStats> to_stats(const std::vector<std::string>& names,
                                       const std::vector<Counters>& counters) const;

    // Time arithmetic stays in sc_time (inline operators) on the hot path.
    AhbBusConfig cfg_;
    uint64_t period_ticks_;
    sc_core::sc_time addr_time_, data_time_, arb_time_, err_time_;
    AddressMap map_;
    std::vector<Target> targets_;
    std::vector<std::string> master_names_;
    std::vector<Counters> masters_;
    uint64_t decode_errors_ = 0;

    // Timeline: the last booking and the one before it.
    sc_core::sc_time busy_until_;  // end of the last booking
    sc_core::sc_time last_grant_;  // its grant time
    unsigned owner_ = kNone;       // its master
    sc_core::sc_time prev_end_;    // end of the booking before it
    unsigned prev_owner_ = kNone;
};

}  // namespace cimvp

#endif
