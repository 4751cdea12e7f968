/* Machine timer interrupt through the platform's CLINT-style timer (TIMER_MTIMECMP): mip.MTIP
 * follows mtime >= mtimecmp whatever the enables; with mstatus.MIE = 0 or mie.MTIE = 0 nothing is
 * taken; once both are set the interrupt is taken right after the enabling CSR write (mcause
 * 0x80000007, mepc = the next instruction), with MIE cleared and MPIE set in the handler, and
 * restored by mret; interrupts arriving in the middle of a computation lose and repeat nothing.
 * Privileged spec, "Machine Interrupt Registers" and "Machine Timer Registers". SoC only. */
#include "test_macros.h"

    TEST_START
    csrw    mie, x0
    TIMER_CMP_OFF

    # MTIP pends with everything disabled, and goes away again
    CASE 1
    IRQ_ARM
    TIMER_CMP_NOW
    WAIT_MIP 0x80, 0x80
    TIMER_CMP_OFF
    WAIT_MIP 0x80, 0
    EXPECT  TRAP_CAUSE, -1

    # pending and MTIE set, but MIE = 0: not taken
    CASE 2
    li      x5, 0x80
    csrw    mie, x5
    TIMER_CMP_NOW
    WAIT_MIP 0x80, 0x80
    nop
    nop
    EXPECT  TRAP_CAUSE, -1
    # setting MIE takes it before the next instruction
    CASE 3
    csrsi   mstatus, 0x8
irq_3_next:
    nop
    csrci   mstatus, 0x8
    EXPECT  TRAP_CAUSE, CAUSE_IRQ_M_TIMER
    EXPECT_ADDR TRAP_EPC, irq_3_next
    TIMER_CMP_OFF
    WAIT_MIP 0x80, 0

    # MIE = 1 and pending, but MTIE = 0: not taken until MTIE is set
    CASE 4
    IRQ_ARM
    csrw    mie, x0
    TIMER_CMP_NOW
    WAIT_MIP 0x80, 0x80
    csrsi   mstatus, 0x8
    nop
    EXPECT  TRAP_CAUSE, -1
    li      x5, 0x80
    csrs    mie, x5
irq_4_next:
    nop
    csrci   mstatus, 0x8
    EXPECT  TRAP_CAUSE, CAUSE_IRQ_M_TIMER
    EXPECT_ADDR TRAP_EPC, irq_4_next
    TIMER_CMP_OFF
    WAIT_MIP 0x80, 0

    # mstatus inside the handler: MIE = 0, MPIE = 1; after mret MIE = 1 again
    CASE 5
    la      x5, status_irq_handler
    csrw    mtvec, x5
    li      x20, -1
    li      x5, 0x80
    csrw    mie, x5
    TIMER_CMP_NOW
    WAIT_MIP 0x80, 0x80
    csrsi   mstatus, 0x8
    nop
    csrr    x6, mstatus
    csrci   mstatus, 0x8
    andi    x20, x20, 0x88
    EXPECT  x20, 0x80
    andi    x6, x6, 0x88
    EXPECT  x6, 0x88
    TIMER_CMP_OFF

    # a computation with timer interrupts every couple of ticks: nothing lost or repeated
    CASE 6
    la      x5, rearm_handler
    csrw    mtvec, x5
    li      x20, 0                      # interrupts taken (handler)
    li      x10, 0                      # sum
    li      x11, 0                      # i
    li      x12, 3000
    la      x13, scratch_word
    li      x5, 0x80
    csrw    mie, x5
    TIMER_CMP_IN 2
    csrsi   mstatus, 0x8
1:  addi    x11, x11, 1
    sw      x11, 0(x13)
    lw      x14, 0(x13)
    li      x15, 7
    mul     x16, x14, x15
    divu    x16, x16, x15               # = i
    add     x10, x10, x16
    bne     x11, x12, 1b
    csrci   mstatus, 0x8
    csrw    mie, x0
    TIMER_CMP_OFF
    EXPECT  x10, 4501500                # 3000 * 3001 / 2
    beqz    x20, test_fail              # some interrupts were taken
    EXPECT  x0, 0

    TEST_END

    ALIGN4_CODE
status_irq_handler:
    csrr    x20, mstatus
    TIMER_CMP_OFF
    mret

    ALIGN4_CODE
rearm_handler:                          # count, next interrupt in 2 ticks (x21..x23 unused above)
    addi    x20, x20, 1
    TIMER_CMP_IN 2
    mret

    .data
    .balign 4
scratch_word:
    .word   0
