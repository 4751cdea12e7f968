// On-chip memory: SRAM or flash/ROM, as an LT target with DMI.
//
// Storage is a flat byte array addressed by offset (the bus translates). Bus writes to a
// read-only memory are refused with TLM_COMMAND_ERROR_RESPONSE (firmware sees an access fault);
// the debug path writes anything, which is how the ELF loader fills flash. Read-only memories
// grant read-only DMI. Latency is the configured wait states, once per transfer (first beat).
#ifndef CIMVP_PERIPHERALS_MEMORY_H
#define CIMVP_PERIPHERALS_MEMORY_H

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace cimvp {

struct MemoryConfig {
    uint64_t size = 0;                 // [bytes] > 0
    unsigned read_wait_states = 0;     // [cycles] added to every read
    unsigned write_wait_states = 0;    // [cycles] added to every write
    bool read_only = false;            // flash/ROM: bus writes are errors, DMI is read-only
    sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);  // HCLK period
};

class Memory : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Memory> socket{"socket"};

    Memory(sc_core::sc_module_name name, const MemoryConfig& cfg);

    // Raw storage (for tests and tools); size() bytes.
    unsigned char* data() { return storage_.data(); }
    const unsigned char* data() const { return storage_.data(); }
    uint64_t size() const { return storage_.size(); }
    const MemoryConfig& config() const { return cfg_; }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    // Copies between gp and storage honouring streaming width and byte enables.
    void copy(tlm::tlm_generic_payload& gp, uint64_t addr, unsigned len);

    MemoryConfig cfg_;
    sc_core::sc_time read_latency_, write_latency_;
    std::vector<unsigned char> storage_;
};

}  // namespace cimvp

#endif
