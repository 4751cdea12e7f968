/* UART register map (offsets from CIMVP_UART_BASE). Shared by model and firmware. */
#ifndef CIMVP_UART_REGS_H
#define CIMVP_UART_REGS_H
#define UART_TXDATA      0x00u /* W: byte to transmit (bits 7:0) */
#define UART_STATUS      0x04u /* R: see UART_STATUS_* */
#define UART_CTRL        0x08u /* RW: see UART_CTRL_* */
#define UART_STATUS_TX_FULL  (1u << 0) /* TX FIFO full: a write now is dropped and counted */
#define UART_STATUS_TX_EMPTY (1u << 1) /* TX FIFO empty and shifter idle */
#define UART_CTRL_TX_EMPTY_IRQ (1u << 0) /* raise the UART interrupt while TX is empty */
#endif
