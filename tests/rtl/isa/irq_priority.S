/* Several interrupts pending at once are taken in the privileged spec's priority order:
 * machine external (11) > machine software (3) > machine timer (7). The handler logs mcause and
 * disables only the interrupt it got, so the next one follows. SoC only. */
#include "test_macros.h"

#define UART_BIT (1 << CIMVP_IRQ_UART)

    TEST_START
    csrw    mie, x0
    li      x8, CIMVP_INTC_BASE
    li      x9, CIMVP_UART_BASE

    CASE 1
    la      x5, log_handler
    csrw    mtvec, x5
    la      x18, irq_log
    mv      x19, x18
    # raise all three with MIE = 0
    TIMER_CMP_NOW
    MSIP_SET 1
    li      x5, UART_BIT
    sw      x5, INTC_ENABLE(x8)
    li      x5, UART_CTRL_TX_EMPTY_IRQ
    sw      x5, UART_CTRL(x9)
    WAIT_MIP 0x888, 0x888
    li      x5, 0x888
    csrw    mie, x5
    csrsi   mstatus, 0x8
    nop
    nop
    nop
    csrci   mstatus, 0x8
    CASE 2
    sub     x5, x19, x18
    EXPECT  x5, 12                      # three interrupts taken
    lw      x6, 0(x18)
    EXPECT  x6, CAUSE_IRQ_M_EXT
    CASE 3
    lw      x6, 4(x18)
    EXPECT  x6, CAUSE_IRQ_M_SOFT
    CASE 4
    lw      x6, 8(x18)
    EXPECT  x6, CAUSE_IRQ_M_TIMER
    # clean up
    sw      x0, UART_CTRL(x9)
    sw      x0, INTC_ENABLE(x8)
    MSIP_SET 0
    TIMER_CMP_OFF
    WAIT_MIP 0x888, 0

    # priority also decides which one wakes first after the others are enabled: software and
    # timer pending, only the timer enabled -> timer; then software enabled -> software
    CASE 5
    mv      x19, x18
    TIMER_CMP_NOW
    MSIP_SET 1
    WAIT_MIP 0x88, 0x88
    csrsi   mstatus, 0x8
    li      x5, 0x80
    csrw    mie, x5
    nop
    csrsi   mie, 0x8
    nop
    csrci   mstatus, 0x8
    sub     x5, x19, x18
    EXPECT  x5, 8
    lw      x6, 0(x18)
    EXPECT  x6, CAUSE_IRQ_M_TIMER
    lw      x6, 4(x18)
    EXPECT  x6, CAUSE_IRQ_M_SOFT
    MSIP_SET 0
    TIMER_CMP_OFF

    TEST_END

    ALIGN4_CODE
log_handler:                            # log mcause, clear its mie bit
    csrr    TRAP_CAUSE, mcause
    sw      TRAP_CAUSE, 0(x19)
    addi    x19, x19, 4
    li      TRAP_TMP, 1
    sll     TRAP_TMP, TRAP_TMP, TRAP_CAUSE   # shift uses the low 5 bits: 1 << code
    csrc    mie, TRAP_TMP
    mret

    .data
    .balign 4
irq_log:
    .space  64
