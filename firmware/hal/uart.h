/* UART transmitter (peripherals/uart_regs.h). Polled output; the TX-empty interrupt is
 * external source CIMVP_IRQ_UART on the interrupt controller. */
#ifndef CIMVP_HAL_UART_H
#define CIMVP_HAL_UART_H

#include <stdint.h>
#include "memory_map.h"
#include "uart_regs.h"
#include "mmio.h"

#define UART_REG(off) MMIO32(CIMVP_UART_BASE + (off))

/* Waits while the TX FIFO is full (a write then would be dropped), then queues c. */
static inline void uart_putc(char c) {
    while (UART_REG(UART_STATUS) & UART_STATUS_TX_FULL) {
    }
    UART_REG(UART_TXDATA) = (uint8_t)c;
}

/* Waits until the FIFO is empty and the last byte has left. */
static inline void uart_flush(void) {
    while (!(UART_REG(UART_STATUS) & UART_STATUS_TX_EMPTY)) {
    }
}

static inline void uart_set_tx_empty_irq(int on) {
    uint32_t c = UART_REG(UART_CTRL);
    UART_REG(UART_CTRL) = on ? (c | UART_CTRL_TX_EMPTY_IRQ) : (c & ~UART_CTRL_TX_EMPTY_IRQ);
}

/* Minimal output that does not go through stdio (usable from trap handlers). */
void uart_puts(const char *s);
void uart_put_hex32(uint32_t v); /* "0x" and 8 hex digits */
void uart_put_dec(uint32_t v);

#endif
