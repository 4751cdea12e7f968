#include "uart.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <iostream>

#include "reg_access.h"
#include "uart_regs.h"

using namespace sc_core;

namespace cimvp {

Uart::Uart(sc_module_name name, const UartConfig& cfg) : sc_module(name), cfg_(cfg) {
    if (!(cfg_.baud >= 0)) SC_REPORT_ERROR(this->name(), "UART baud rate must be >= 0");
    if (cfg_.baud > 0) {
        // A real UART divides HCLK by an integer to get the bit clock; model that rounding.
        const double period_s = cfg_.clock_period.to_seconds();
        double bit_s = 1.0 / cfg_.baud;
        if (period_s > 0) bit_s = std::max(1.0, std::round(bit_s / period_s)) * period_s;
        byte_ticks_ = static_cast<uint64_t>(std::llround(10 * bit_s / sc_get_time_resolution().to_seconds()));
        if (byte_ticks_ == 0) SC_REPORT_ERROR(this->name(), "UART baud rate too high for the time resolution");
    }
    if (!cfg_.output_file.empty()) {
        file_.open(cfg_.output_file, std::ios::binary | std::ios::trunc);
        if (!file_)
            SC_REPORT_ERROR(this->name(), ("cannot open UART output file '" + cfg_.output_file +
                                           "': " + std::strerror(errno))
                                              .c_str());
    }
    socket.register_b_transport(this, &Uart::b_transport);
    socket.register_transport_dbg(this, &Uart::transport_dbg);
    SC_HAS_PROCESS(Uart);
    SC_METHOD(update_irq);
    sensitive << irq_event_;
}

Uart::~Uart() { flush(); }

void Uart::flush() {
    if (cfg_.to_stdout) std::cout.flush();
    if (file_.is_open()) file_.flush();
}

void Uart::end_of_simulation() { flush(); }

uint64_t Uart::pending_at(uint64_t t) const {
    if (!byte_ticks_ || tx_done_ <= t) return 0;
    return (tx_done_ - t + byte_ticks_ - 1) / byte_ticks_;
}

uint32_t Uart::status_at(uint64_t t) const {
    const uint64_t pending = pending_at(t);
    uint32_t s = 0;
    if (pending > cfg_.tx_fifo_depth) s |= UART_STATUS_TX_FULL;  // FIFO full behind the shifter
    if (pending == 0) s |= UART_STATUS_TX_EMPTY;
    return s;
}

void Uart::transmit(uint8_t byte, uint64_t t) {
    if (status_at(t) & UART_STATUS_TX_FULL) {
        ++stats_.dropped_bytes;
        return;
    }
    if (byte_ticks_) tx_done_ = std::max(t, tx_done_) + byte_ticks_;
    ++stats_.tx_bytes;
    const char c = static_cast<char>(byte);
    if (cfg_.to_stdout) {
        std::cout.put(c);
        if (c == '\n') std::cout.flush();
    }
    if (file_.is_open()) {
        file_.put(c);
        if (c == '\n') file_.flush();
    }
}

void Uart::update_irq() {
    const uint64_t now = sc_time_stamp().value();
    const bool empty = pending_at(now) == 0;
    irq.write((ctrl_ & UART_CTRL_TX_EMPTY_IRQ) && empty);
    if (!empty) irq_event_.notify(sc_time::from_value(tx_done_ - now));  // when TX drains
}

bool Uart::peek(uint64_t reg, uint32_t& value) const {
    switch (reg) {
        case UART_STATUS: value = status_at(sc_time_stamp().value()); return true;
        case UART_CTRL: value = ctrl_; return true;
        case UART_TXDATA: value = 0; return true;
        default: return false;
    }
}

void Uart::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
    const uint64_t now = sc_time_stamp().value();
    const uint64_t t = now + delay.value();
    bool irq_may_change = false;
    serve_registers(
        gp,
        [&](const RegAccess& a, uint32_t& v) {
            switch (a.reg) {
                case UART_STATUS: v = status_at(t); return tlm::TLM_OK_RESPONSE;
                case UART_CTRL: v = ctrl_; return tlm::TLM_OK_RESPONSE;
                case UART_TXDATA: return tlm::TLM_COMMAND_ERROR_RESPONSE;
                default: return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            }
        },
        [&](const RegAccess& a) {
            switch (a.reg) {
                case UART_TXDATA:
                    if (!a.covers_low_byte()) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
                    transmit(static_cast<uint8_t>(a.value), t);
                    irq_may_change = true;
                    return tlm::TLM_OK_RESPONSE;
                case UART_CTRL:
                    ctrl_ = reg_merge(ctrl_, a) & UART_CTRL_TX_EMPTY_IRQ;
                    irq_may_change = true;
                    return tlm::TLM_OK_RESPONSE;
                case UART_STATUS: return tlm::TLM_COMMAND_ERROR_RESPONSE;
                default: return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            }
        });
    // The interrupt level follows at the time of the write (the earliest pending notification wins).
    if (irq_may_change) irq_event_.notify(sc_time::from_value(t - now));
}

unsigned Uart::transport_dbg(tlm::tlm_generic_payload& gp) {
    return debug_read_registers(gp, [this](uint64_t reg, uint32_t& v) { return peek(reg, v); });
}

}  // namespace cimvp
