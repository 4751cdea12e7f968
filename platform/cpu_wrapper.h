// The Verilated RV32IMC core as a TLM-2.0 initiator.
//
// One SC_THREAD clocks the --cc model in batches of cycles under a tlm_quantumkeeper. The core's
// AHB bridges call back into this wrapper (DPI) for every transfer, which becomes a DMI copy or a
// b_transport carrying an AhbExtension, annotated with the CPU's local time; the latency that
// comes back becomes HREADY wait states. wfi with nothing pending sleeps until an interrupt line
// changes instead of ticking idle cycles.
#ifndef CIMVP_PLATFORM_CPU_WRAPPER_H
#define CIMVP_PLATFORM_CPU_WRAPPER_H

#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "ahb_extension.h"

class Vcimvp_top;
class VerilatedContext;

namespace cimvp {

struct CpuWrapperConfig {
    sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);
    sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US);
    std::string trace_file;  // RVFI trace; empty = off
};

class CpuWrapper : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<CpuWrapper> ibus{"ibus"};
    tlm_utils::simple_initiator_socket<CpuWrapper> dbus{"dbus"};
    sc_core::sc_in<bool> irq_timer{"irq_timer"};
    sc_core::sc_in<bool> irq_soft{"irq_soft"};
    sc_core::sc_in<bool> irq_ext{"irq_ext"};

    CpuWrapper(sc_core::sc_module_name name, const CpuWrapperConfig& cfg);
    ~CpuWrapper() override;

    // Releases reset with the given PC once the simulation runs.
    void boot(uint32_t reset_pc);
    // A store to this address ends the run riscv-tests style (1 = pass, odd v = fail code v>>1).
    void set_tohost(uint32_t addr) { tohost_ = addr; }
    // Where the core's time/timeh CSRs come from (the machine timer's mtime at a given time).
    void set_mtime_source(std::function<uint64_t(const sc_core::sc_time&)> f) { mtime_source_ = std::move(f); }
    // Called with the exit code when the firmware ends the run through tohost.
    void set_exit_handler(std::function<void(int)> f) { exit_handler_ = std::move(f); }
    // Finish the current cycle, synchronise and stop the simulation (sc_stop).
    void request_stop();

    // The CPU's current time: SystemC time plus the quantum keeper's local offset.
    sc_core::sc_time local_time_now() const;

    struct DmiCounters {
        uint32_t start = 0;  // global address of the DMI region
        unsigned master = 0;
        uint64_t reads = 0, writes = 0, read_bytes = 0, write_bytes = 0;
    };
    struct Stats {
        uint64_t cycles = 0;          // clocked core cycles
        uint64_t instret = 0;         // minstret
        uint64_t sleep_cycles = 0;    // cycles skipped asleep in wfi
        uint64_t tlm_transfers = 0;   // accesses done by b_transport
        uint64_t dmi_transfers = 0;   // accesses done through DMI
        uint64_t bus_errors = 0;
    };
    Stats stats() const;
    std::vector<DmiCounters> dmi_counters() const;

    // DPI entry points (see docs/core-interface.md). Return wait states, or -1 for an error.
    int bus_read(int master, uint32_t addr, int hsize, int hprot, uint32_t* rdata);
    int bus_write(int master, uint32_t addr, int hsize, int hprot, uint32_t wdata);
    // True if a write there completes with zero wait states and OKAY (writable DMI memory
    // without write latency): the bridge then keeps HREADY high through its data phase.
    bool bus_write_ready(int master, uint32_t addr, int hsize) const;

private:
    struct DmiRegion {
        uint32_t start = 0, last = 0;  // inclusive range, global addresses
        unsigned char* ptr = nullptr;
        bool read = false, write = false;
        int read_waits = 0, write_waits = 0;
        DmiCounters* counters = nullptr;
    };
    struct Port {
        tlm_utils::simple_initiator_socket<CpuWrapper>* socket = nullptr;
        unsigned master = 0;
        std::vector<DmiRegion> dmi;
        tlm::tlm_generic_payload gp;
        AhbExtension ext;
        uint64_t dmi_misses = 0;
    };

    void run();
    template <bool kTrace>
    void run_batch(uint64_t max_cycles);
    void reset_core();
    void sync_inputs();
    void sleep_until_interrupt();
    void trace_retirement();
    int transport(Port& p, bool write, uint32_t addr, unsigned len, unsigned char* data, int hsize, int hprot);
    const DmiRegion* find_dmi(const Port& p, uint32_t addr, unsigned len) const;
    void try_get_dmi(Port& p, uint32_t addr);
    void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
    int latency_to_waits(const sc_core::sc_time& latency) const;
    void handle_tohost(uint32_t value);

    CpuWrapperConfig cfg_;
    std::unique_ptr<VerilatedContext> vctx_;
    std::unique_ptr<Vcimvp_top> top_;
    tlm_utils::tlm_quantumkeeper qk_;
    Port ports_[2];
    std::vector<std::unique_ptr<DmiCounters>> dmi_counters_;
    std::function<uint64_t(const sc_core::sc_time&)> mtime_source_;
    std::function<void(int)> exit_handler_;
    std::optional<uint32_t> tohost_;
    std::unique_ptr<std::ofstream> trace_;
    sc_core::sc_event boot_event_;
    sc_core::sc_event wake_event_;
    uint32_t reset_pc_ = 0;
    bool stop_ = false;
    uint64_t batch_cycles_ = 0;   // cycles run in the current batch (not yet given to the quantum keeper)
    uint64_t quantum_cycles_ = 100;
    Stats stats_;
};

}  // namespace cimvp

#endif
