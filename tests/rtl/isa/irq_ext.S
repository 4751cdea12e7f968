/* External interrupt through the interrupt controller: the UART's TX-empty interrupt
 * (UART_CTRL_TX_EMPTY_IRQ, source CIMVP_IRQ_UART) shows in INTC_PENDING whatever the mask;
 * INTC_ENABLE gates it to mip.MEIP; INTC_CLAIM names it; the core takes mcause 0x8000000b once
 * mie.MEIE and mstatus.MIE allow; clearing the source at the UART clears everything.
 * Privileged spec, "Machine Interrupt Registers"; peripherals/intc_regs.h, uart_regs.h. SoC only. */
#include "test_macros.h"

#define UART_BIT (1 << CIMVP_IRQ_UART)

    TEST_START
    csrw    mie, x0
    li      x8, CIMVP_INTC_BASE
    li      x9, CIMVP_UART_BASE
    sw      x0, INTC_ENABLE(x8)
    sw      x0, UART_CTRL(x9)

    # source pending, masked at the controller: no MEIP, claim 0
    CASE 1
    IRQ_ARM
    li      x5, UART_CTRL_TX_EMPTY_IRQ
    sw      x5, UART_CTRL(x9)
    li      x7, 100000
1:  lw      x6, INTC_PENDING(x8)        # the UART is idle: TX empty at once
    andi    x6, x6, UART_BIT
    bnez    x6, 2f
    addi    x7, x7, -1
    bnez    x7, 1b
    FAIL_HERE
2:  lw      x6, INTC_CLAIM(x8)
    EXPECT  x6, 0
    csrr    x6, mip
    EXPECT  x6, 0
    # enabled at the controller: MEIP, claim = the UART's number
    CASE 2
    li      x5, UART_BIT
    sw      x5, INTC_ENABLE(x8)
    lw      x6, INTC_ENABLE(x8)
    EXPECT  x6, UART_BIT
    WAIT_MIP 0x800, 0x800
    lw      x6, INTC_CLAIM(x8)
    EXPECT  x6, CIMVP_IRQ_UART
    EXPECT  TRAP_CAUSE, -1
    # taken once MEIE and MIE are set
    CASE 3
    li      x5, 0x800
    csrw    mie, x5
    csrsi   mstatus, 0x8
irq_3_next:
    nop
    csrci   mstatus, 0x8
    EXPECT  TRAP_CAUSE, CAUSE_IRQ_M_EXT
    EXPECT_ADDR TRAP_EPC, irq_3_next
    # cleared at the source: pending, claim and MEIP go away
    CASE 4
    sw      x0, UART_CTRL(x9)
    WAIT_MIP 0x800, 0
    lw      x6, INTC_CLAIM(x8)
    EXPECT  x6, 0
    lw      x6, INTC_PENDING(x8)
    andi    x6, x6, UART_BIT
    EXPECT  x6, 0
    # masked at the controller again: the source alone does not raise MEIP
    CASE 5
    sw      x0, INTC_ENABLE(x8)
    li      x5, UART_CTRL_TX_EMPTY_IRQ
    sw      x5, UART_CTRL(x9)
    li      x5, 200
1:  addi    x5, x5, -1
    bnez    x5, 1b
    csrr    x6, mip
    EXPECT  x6, 0
    sw      x0, UART_CTRL(x9)

    TEST_END
