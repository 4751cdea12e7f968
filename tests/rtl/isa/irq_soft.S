/* Machine software interrupt through TIMER_MSIP: the register reads back, mip.MSIP follows it,
 * the interrupt is taken with mcause 0x80000003 once mie.MSIE and mstatus.MIE allow, mepc is the
 * next instruction, and clearing MSIP clears mip.MSIP. Privileged spec, "Machine Interrupt
 * Registers"; CLINT msip layout (peripherals/timer_regs.h). SoC only. */
#include "test_macros.h"

    TEST_START
    csrw    mie, x0

    CASE 1
    IRQ_ARM
    MSIP_SET 1
    li      x5, CIMVP_TIMER_BASE
    lw      x6, TIMER_MSIP(x5)
    andi    x6, x6, 1
    EXPECT  x6, 1
    WAIT_MIP 0x8, 0x8
    MSIP_SET 0
    WAIT_MIP 0x8, 0
    lw      x6, TIMER_MSIP(x5)
    andi    x6, x6, 1
    EXPECT  x6, 0
    EXPECT  TRAP_CAUSE, -1

    # taken once MSIE and MIE are set
    CASE 2
    MSIP_SET 1
    WAIT_MIP 0x8, 0x8
    csrsi   mstatus, 0x8
    nop
    EXPECT  TRAP_CAUSE, -1              # MSIE still 0
    csrsi   mie, 0x8
irq_2_next:
    nop
    csrci   mstatus, 0x8
    EXPECT  TRAP_CAUSE, CAUSE_IRQ_M_SOFT
    EXPECT_ADDR TRAP_EPC, irq_2_next
    MSIP_SET 0
    WAIT_MIP 0x8, 0

    # raised while enabled: taken shortly after the store
    CASE 3
    IRQ_ARM
    csrsi   mie, 0x8
    csrsi   mstatus, 0x8
    MSIP_SET 1
    li      x5, 1000
1:  addi    x5, x5, -1
    bnez    x5, 1b
    csrci   mstatus, 0x8
    EXPECT  TRAP_CAUSE, CAUSE_IRQ_M_SOFT
    MSIP_SET 0
    WAIT_MIP 0x8, 0

    TEST_END
