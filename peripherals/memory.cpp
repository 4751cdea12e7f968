#include "memory.h"

#include <cstring>

using namespace sc_core;

namespace cimvp {

Memory::Memory(sc_module_name name, const MemoryConfig& cfg)
    : sc_module(name), cfg_(cfg),
      read_latency_(cfg.clock_period * static_cast<double>(cfg.read_wait_states)),
      write_latency_(cfg.clock_period * static_cast<double>(cfg.write_wait_states)) {
    if (cfg_.size == 0) SC_REPORT_ERROR(this->name(), "memory size must be positive");
    storage_.assign(cfg_.size, 0);
    socket.register_b_transport(this, &Memory::b_transport);
    socket.register_transport_dbg(this, &Memory::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
}

void Memory::copy(tlm::tlm_generic_payload& gp, uint64_t addr, unsigned len) {
    unsigned char* data = gp.get_data_ptr();
    unsigned char* mem = storage_.data() + addr;
    const unsigned width = gp.get_streaming_width();
    const unsigned char* be = gp.get_byte_enable_ptr();
    const unsigned be_len = gp.get_byte_enable_length();
    const bool write = gp.is_write();
    if ((!be || !be_len) && (width == 0 || width >= len)) {  // the common case
        if (write) std::memcpy(mem, data, len);
        else std::memcpy(data, mem, len);
        return;
    }
    for (unsigned i = 0; i < len; ++i) {
        if (be && be_len && be[i % be_len] != TLM_BYTE_ENABLED) continue;
        unsigned char& m = mem[width ? i % width : i];
        if (write) m = data[i];
        else data[i] = m;
    }
}

void Memory::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
    const tlm::tlm_command cmd = gp.get_command();
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    const unsigned width = gp.get_streaming_width();
    const uint64_t span = (width && width < len) ? width : len;
    if (addr >= storage_.size() || span > storage_.size() - addr) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (cmd == tlm::TLM_WRITE_COMMAND) {
        if (cfg_.read_only) {
            gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
            return;
        }
        copy(gp, addr, len);
        delay += write_latency_;
    } else if (cmd == tlm::TLM_READ_COMMAND) {
        copy(gp, addr, len);
        delay += read_latency_;
    }
    gp.set_dmi_allowed(true);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned Memory::transport_dbg(tlm::tlm_generic_payload& gp) {
    // Debug access: no timing, and writes are allowed even to read-only memory (loading).
    const uint64_t addr = gp.get_address();
    if (addr >= storage_.size() || gp.get_command() == tlm::TLM_IGNORE_COMMAND) return 0;
    const uint64_t room = storage_.size() - addr;
    const unsigned len = gp.get_data_length() > room ? static_cast<unsigned>(room) : gp.get_data_length();
    copy(gp, addr, len);
    return len;
}

bool Memory::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    dmi.set_dmi_ptr(storage_.data());
    dmi.set_start_address(0);
    dmi.set_end_address(storage_.size() - 1);
    dmi.set_granted_access(cfg_.read_only ? tlm::tlm_dmi::DMI_ACCESS_READ : tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
    dmi.set_read_latency(read_latency_);
    dmi.set_write_latency(write_latency_);
    return true;
}

}  // namespace cimvp
