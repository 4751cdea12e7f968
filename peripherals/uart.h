// Console UART (transmit only), registers per uart_regs.h.
//
// Bytes go to stdout and/or a file as soon as they are accepted. With a baud rate, a TX FIFO of
// tx_fifo_depth bytes in front of the shift register drains one byte per frame (10 bits: start,
// 8 data, stop) in simulated time, computed analytically from the time of each write (no
// per-byte process). A write while the FIFO is full is dropped and counted, as on hardware that
// the firmware failed to poll. With baud 0 transmission is instant and the FIFO never fills.
//
// Registers (32-bit; see reg_access.h for the common access rules):
//   TXDATA  W   1/2/4-byte writes at offset 0; bits 7:0 are sent. Reads: command error.
//   STATUS  R   any size. Writes: command error.
//   CTRL    RW  any size; bit 0 (TX_EMPTY_IRQ), other bits read 0.
// irq is a level: CTRL.TX_EMPTY_IRQ and TX empty (FIFO and shifter idle).
#ifndef CIMVP_PERIPHERALS_UART_H
#define CIMVP_PERIPHERALS_UART_H

#include <cstdint>
#include <fstream>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace cimvp {

struct UartConfig {
    bool to_stdout = true;        // write the console to std::cout (flushed at each newline)
    std::string output_file;      // also write it to this file (truncated at start); empty = none
    double baud = 0;              // [bit/s]; 0 = transmit instantly
    unsigned tx_fifo_depth = 16;  // [bytes] FIFO in front of the shift register (holds depth + 1 in all)
    sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);  // HCLK: the baud divider counts these
};

struct UartStats {
    uint64_t tx_bytes = 0;       // bytes accepted and written out
    uint64_t dropped_bytes = 0;  // writes to TXDATA while the FIFO was full
};

class Uart : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Uart> socket{"socket"};
    sc_core::sc_out<bool> irq{"irq"};

    // Reports an error (SC_REPORT_ERROR) naming the file if output_file cannot be opened.
    Uart(sc_core::sc_module_name name, const UartConfig& cfg);
    ~Uart() override;

    UartStats stats() const { return stats_; }
    // Time to send one frame: 10 bits at the baud rate, rounded to whole HCLK divider steps.
    sc_core::sc_time byte_time() const { return sc_core::sc_time::from_value(byte_ticks_); }
    void flush();

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void end_of_simulation() override;
    void update_irq();                         // SC_METHOD on irq_event_
    uint64_t pending_at(uint64_t ticks) const;  // bytes in the FIFO and shifter at a time
    uint32_t status_at(uint64_t ticks) const;
    void transmit(uint8_t byte, uint64_t ticks);
    bool peek(uint64_t reg, uint32_t& value) const;

    UartConfig cfg_;
    uint64_t byte_ticks_ = 0;     // 0 = instant
    uint64_t tx_done_ = 0;        // when the last accepted byte has been shifted out [ticks]
    uint32_t ctrl_ = 0;
    std::ofstream file_;
    UartStats stats_;
    sc_core::sc_event irq_event_;
};

}  // namespace cimvp

#endif
