// Test-bench pieces for TLM models: an initiator driven from the test body, a memory-like
// target with DMI, and a recorder of signal edges. Tests elaborate, then alternate sc_start()
// with direct transport calls (blocking targets here never wait(), so no process is needed).
#ifndef CIMVP_TESTS_SC_TEST_UTIL_H
#define CIMVP_TESTS_SC_TEST_UTIL_H

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace cimvp::test {

// SystemC elaborates once per process: a second SystemC test in the same process is skipped.
class ScTest : public ::testing::Test {
protected:
    void SetUp() override {
        static int tests_in_process = 0;
        if (tests_in_process++)
            GTEST_SKIP() << "SystemC can elaborate once per process: run this test alone "
                            "(ctest, or --gtest_filter)";
    }
};

struct Result {
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
    sc_core::sc_time delay;  // annotated delay on return
    uint32_t value = 0;      // read data (little endian)
    bool ok() const { return status == tlm::TLM_OK_RESPONSE; }
};

class TestInitiator : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<TestInitiator> socket{"socket"};
    std::vector<std::pair<uint64_t, uint64_t>> invalidations;  // DMI invalidations received

    // Attaches `ext` to every following transfer (nullptr: none).
    template <class Ext>
    void attach(Ext* ext) {
        extension_id_ = Ext::ID;
        extension_ = ext;
    }

    explicit TestInitiator(sc_core::sc_module_name name) : sc_module(name) {
        socket.register_invalidate_direct_mem_ptr(this, &TestInitiator::invalidate);
    }

    Result access(tlm::tlm_command cmd, uint64_t addr, unsigned char* data, unsigned len,
                  sc_core::sc_time delay = sc_core::SC_ZERO_TIME, const unsigned char* be = nullptr,
                  unsigned be_len = 0, unsigned width = 0) {
        tlm::tlm_generic_payload gp;
        gp.set_command(cmd);
        gp.set_address(addr);
        gp.set_data_ptr(data);
        gp.set_data_length(len);
        gp.set_streaming_width(width ? width : len);
        gp.set_byte_enable_ptr(const_cast<unsigned char*>(be));
        gp.set_byte_enable_length(be_len);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        if (extension_) gp.set_extension(extension_id_, extension_);
        socket->b_transport(gp, delay);
        if (extension_) gp.set_extension(extension_id_, nullptr);
        last_dmi_allowed = gp.is_dmi_allowed();
        last_address_after = gp.get_address();
        Result r;
        r.status = gp.get_response_status();
        r.delay = delay;
        return r;
    }
    Result read(uint64_t addr, unsigned len = 4, sc_core::sc_time delay = sc_core::SC_ZERO_TIME) {
        unsigned char buf[8] = {};
        Result r = access(tlm::TLM_READ_COMMAND, addr, buf, len, delay);
        std::memcpy(&r.value, buf, len > 4 ? 4 : len);
        return r;
    }
    Result write(uint64_t addr, uint32_t value, unsigned len = 4, sc_core::sc_time delay = sc_core::SC_ZERO_TIME) {
        unsigned char buf[4];
        std::memcpy(buf, &value, 4);
        return access(tlm::TLM_WRITE_COMMAND, addr, buf, len, delay);
    }
    unsigned debug(tlm::tlm_command cmd, uint64_t addr, unsigned char* data, unsigned len) {
        tlm::tlm_generic_payload gp;
        gp.set_command(cmd);
        gp.set_address(addr);
        gp.set_data_ptr(data);
        gp.set_data_length(len);
        gp.set_streaming_width(len);
        return socket->transport_dbg(gp);
    }
    bool get_dmi(uint64_t addr, tlm::tlm_dmi& dmi, bool write = false) {
        tlm::tlm_generic_payload gp;
        gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(addr);
        return socket->get_direct_mem_ptr(gp, dmi);
    }

    bool last_dmi_allowed = false;
    uint64_t last_address_after = 0;  // the payload's address when b_transport returned

private:
    void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { invalidations.emplace_back(start, end); }
    unsigned extension_id_ = 0;
    tlm::tlm_extension_base* extension_ = nullptr;
};

// A target that records what reached it, adds a fixed latency and offers DMI into its buffer.
class RecordingTarget : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<RecordingTarget> socket{"socket"};
    std::vector<unsigned char> mem;
    sc_core::sc_time latency;          // added to every b_transport
    sc_core::sc_time dmi_latency;      // DMI read and write latency
    bool grant_dmi = true;
    uint64_t dmi_end = ~uint64_t{0};   // end of the DMI range offered (default: whole buffer)
    uint64_t last_address = ~uint64_t{0};
    sc_core::sc_time last_seen_at;     // sc_time_stamp() + delay when the transfer arrived
    unsigned transfers = 0;
    bool respond_error = false;

    RecordingTarget(sc_core::sc_module_name name, size_t size) : sc_module(name), mem(size, 0) {
        socket.register_b_transport(this, &RecordingTarget::b_transport);
        socket.register_transport_dbg(this, &RecordingTarget::transport_dbg);
        socket.register_get_direct_mem_ptr(this, &RecordingTarget::get_dmi);
    }
    void invalidate(uint64_t start, uint64_t end) { socket->invalidate_direct_mem_ptr(start, end); }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
        ++transfers;
        last_address = gp.get_address();
        last_seen_at = sc_core::sc_time_stamp() + delay;
        if (respond_error) {
            gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        copy(gp);
        delay += latency;
        gp.set_dmi_allowed(grant_dmi);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    unsigned transport_dbg(tlm::tlm_generic_payload& gp) {
        last_address = gp.get_address();
        return copy(gp);
    }
    unsigned copy(tlm::tlm_generic_payload& gp) {
        const uint64_t a = gp.get_address();
        unsigned len = gp.get_data_length();
        if (a >= mem.size()) return 0;
        if (len > mem.size() - a) len = static_cast<unsigned>(mem.size() - a);
        if (gp.is_write()) std::memcpy(&mem[a], gp.get_data_ptr(), len);
        else std::memcpy(gp.get_data_ptr(), &mem[a], len);
        return len;
    }
    bool get_dmi(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
        if (!grant_dmi) return false;
        dmi.set_dmi_ptr(mem.data());
        dmi.set_start_address(0);
        dmi.set_end_address(dmi_end == ~uint64_t{0} ? mem.size() - 1 : dmi_end);
        dmi.allow_read_write();
        dmi.set_read_latency(dmi_latency);
        dmi.set_write_latency(dmi_latency);
        return true;
    }
};

// Records the value changes of a bool signal with their simulated times.
class EdgeRecorder : public sc_core::sc_module {
public:
    sc_core::sc_in<bool> in{"in"};
    std::vector<std::pair<sc_core::sc_time, bool>> changes;

    explicit EdgeRecorder(sc_core::sc_module_name name) : sc_module(name) {
        SC_HAS_PROCESS(EdgeRecorder);
        SC_METHOD(record);
        sensitive << in;
        dont_initialize();
    }
    // Time of the first change to `level`, or SC_ZERO_TIME if none.
    sc_core::sc_time first(bool level) const {
        for (const auto& c : changes)
            if (c.second == level) return c.first;
        return sc_core::SC_ZERO_TIME;
    }

private:
    void record() { changes.emplace_back(sc_core::sc_time_stamp(), in.read()); }
};

}  // namespace cimvp::test

#endif
