/* wfi: with mstatus.MIE = 0 an enabled pending interrupt ends the wait and execution continues
 * after the wfi without a trap; with MIE = 1 the interrupt is taken with mepc = the instruction
 * after the wfi; an interrupt already pending makes wfi return at once.
 * Privileged spec, "Wait for Interrupt". SoC only. */
#include "test_macros.h"

    TEST_START
    csrw    mie, x0
    TIMER_CMP_OFF

    # MIE = 0: wakes, no trap, MTIP pending afterwards
    CASE 1
    IRQ_ARM
    li      x5, 0x80
    csrw    mie, x5
    TIMER_CMP_IN 3
    wfi
    csrr    x6, mip
    andi    x6, x6, 0x80
    EXPECT  x6, 0x80
    EXPECT  TRAP_CAUSE, -1
    TIMER_CMP_OFF
    WAIT_MIP 0x80, 0

    # MIE = 1: the trap is taken and returns after the wfi
    CASE 2
    IRQ_ARM
    li      x5, 0x80
    csrw    mie, x5
    TIMER_CMP_IN 3
    csrsi   mstatus, 0x8
    wfi
irq_2_after:
    csrci   mstatus, 0x8
    EXPECT  TRAP_CAUSE, CAUSE_IRQ_M_TIMER
    EXPECT_ADDR TRAP_EPC, irq_2_after
    TIMER_CMP_OFF
    WAIT_MIP 0x80, 0

    # already pending (software interrupt) with MIE = 0: wfi does not wait
    CASE 3
    IRQ_ARM
    MSIP_SET 1
    WAIT_MIP 0x8, 0x8
    csrsi   mie, 0x8
    wfi
    wfi
    EXPECT  TRAP_CAUSE, -1
    csrw    mie, x0
    MSIP_SET 0
    WAIT_MIP 0x8, 0

    # several sleeps in a row, each ended by the next timer deadline
    CASE 4
    IRQ_ARM
    li      x10, 5
1:  li      x5, 0x80
    csrw    mie, x5
    TIMER_CMP_IN 2
    wfi
    TIMER_CMP_OFF
    addi    x10, x10, -1
    bnez    x10, 1b
    EXPECT  TRAP_CAUSE, -1
    csrw    mie, x0

    TEST_END
