// Multi-channel DMA controller: a second AHB master next to the CPU.
//
// One engine (an SC_THREAD) serves the active channels round robin, BURST items per turn. Each
// item costs setup_cycles HCLK cycles, then a read of SRC and a write of DST through
// `initiator` (b_transport with the engine's local time as annotated delay; the returned
// latency is kept, so waiting for the CPU on the bus, arbitration and wait states all show).
// The engine synchronises (wait) after each turn, and within a turn after an item that sets a
// flag so the interrupt rises at the end of that item; after a turn it lets signals settle for one delta cycle before
// sampling the request lines again (a peripheral that just dropped its request has updated it).
//
// Request channels (CTRL.MODE_REQ) run a turn while their request line is high; a turn is
// min(BURST, items left) items. A failed bus access stops the channel with STATUS.BUS_ERR and
// ERR_ADDR. Registers per dma_regs.h, 32-bit accesses only (else TLM_BURST_ERROR_RESPONSE);
// unknown offsets TLM_ADDRESS_ERROR_RESPONSE, writes to read-only registers
// TLM_COMMAND_ERROR_RESPONSE. irq is a level: OR over channels of STATUS flags whose
// interrupt is enabled in CTRL. Unbound request lines are tied low.
#ifndef CIMVP_PERIPHERALS_DMA_H
#define CIMVP_PERIPHERALS_DMA_H

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "ahb_extension.h"
#include "memory_map.h"

namespace cimvp {

struct DmaConfig {
    unsigned channels = 4;       // 1..8
    unsigned request_lines = 4;  // hardware request inputs (drq), 1..8
    unsigned setup_cycles = 1;   // [HCLK cycles] engine overhead before each item's read
    unsigned master_id = CIMVP_MASTER_DMA;  // HMASTER on the bus
    sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);  // HCLK period, > 0
};

struct DmaChannelStats {
    uint64_t items = 0;              // items moved (one read + one write each)
    uint64_t bytes = 0;              // bytes moved
    uint64_t requests = 0;           // turns run (request channels: request handshakes served)
    uint64_t passes = 0;             // completed passes (DONE events)
    uint64_t errors = 0;             // bus errors and configuration errors
    sc_core::sc_time bus_time;       // total latency of this channel's bus transfers
    // The part of bus_time beyond one HCLK per data beat: address phases, arbitration, waiting
    // for other masters and target wait states. Grows with bus contention.
    sc_core::sc_time bus_stall_time;
};

class Dma : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Dma> socket{"socket"};           // registers (bus slave)
    tlm_utils::simple_initiator_socket<Dma> initiator{"initiator"};  // bind to AhbBus::target_socket
    sc_core::sc_out<bool> irq{"irq"};                                // CIMVP_IRQ_DMA
    sc_core::sc_vector<sc_core::sc_in<bool>> drq;                    // request lines, active high

    // Reports SC_REPORT_ERROR for an invalid configuration.
    Dma(sc_core::sc_module_name name, const DmaConfig& cfg);

    DmaChannelStats channel_stats(unsigned ch) const { return channels_.at(ch).stats; }
    unsigned channels() const { return static_cast<unsigned>(channels_.size()); }
    const DmaConfig& config() const { return cfg_; }

private:
    struct Channel {
        uint32_t src = 0, dst = 0, count = 0, ctrl = 0, status = 0, err_addr = 0;  // registers
        uint32_t cur_src = 0, cur_dst = 0, remain = 0, pass_count = 0;            // working state
        bool half_seen = false;
        DmaChannelStats stats;
    };

    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void before_end_of_elaboration() override;
    void engine();      // SC_THREAD
    void update_irq();  // SC_METHOD on irq_event_

    bool read_reg(uint64_t reg, uint32_t& v) const;
    tlm::tlm_response_status write_reg(uint64_t reg, uint32_t v, const sc_core::sc_time& at);
    void start(Channel& c);
    bool runnable(const Channel& c) const;
    void turn(unsigned ch);  // runs one turn (up to BURST items) of channel ch
    void flag_now();
    bool bus_access(Channel& c, tlm::tlm_command cmd, uint32_t addr, unsigned char* data, unsigned len);
    uint32_t irq_status() const;

    DmaConfig cfg_;
    std::vector<Channel> channels_;
    unsigned rr_next_ = 0;  // round robin: the channel considered first
    sc_core::sc_time local_;  // the engine's time ahead of sc_time_stamp() (temporal decoupling)
    sc_core::sc_event kick_, irq_event_;
    AhbExtension ext_;
    sc_core::sc_vector<sc_core::sc_signal<bool>> drq_tie_;  // for request lines left unbound
};

}  // namespace cimvp

#endif
