/* Vectored interrupts (mtvec MODE = 1): machine software -> BASE + 4*3, timer -> BASE + 4*7,
 * external -> BASE + 4*11, with the usual mcause; exceptions still go to BASE.
 * Privileged spec, "Machine Trap-Vector Base-Address Register". SoC only. */
#include "test_macros.h"

#define UART_BIT (1 << CIMVP_IRQ_UART)

/* Enable one interrupt (mie bits), run until it is taken, expect table entry `entry`. */
.macro T_VEC n, mie_bits, entry, cause
    CASE    \n
    li      x20, -1
    li      TRAP_CAUSE, -1
    li      x5, \mie_bits
    csrw    mie, x5
    csrsi   mstatus, 0x8
    nop
    nop
    csrci   mstatus, 0x8
    EXPECT  x20, \entry
    EXPECT  TRAP_CAUSE, \cause
.endm

    TEST_START
    csrw    mie, x0
    la      x5, vec_table + 1
    csrw    mtvec, x5
    li      x8, CIMVP_INTC_BASE
    li      x9, CIMVP_UART_BASE

    MSIP_SET 1
    WAIT_MIP 0x8, 0x8
    T_VEC   1, 0x8, 3, CAUSE_IRQ_M_SOFT
    MSIP_SET 0

    TIMER_CMP_NOW
    WAIT_MIP 0x80, 0x80
    T_VEC   2, 0x80, 7, CAUSE_IRQ_M_TIMER
    TIMER_CMP_OFF

    li      x5, UART_BIT
    sw      x5, INTC_ENABLE(x8)
    li      x5, UART_CTRL_TX_EMPTY_IRQ
    sw      x5, UART_CTRL(x9)
    WAIT_MIP 0x800, 0x800
    T_VEC   3, 0x800, 11, CAUSE_IRQ_M_EXT
    sw      x0, UART_CTRL(x9)
    sw      x0, INTC_ENABLE(x8)

    CASE 4                              # an exception in vectored mode: BASE
    li      x20, -1
    ecall
    EXPECT  x20, 0

    TEST_END

/* Each entry records its number in x20; interrupts clear mie, the exception skips the ecall. */
.macro VEC_ENTRY k
    j       vec_\k
.endm
.macro VEC_STUB k
vec_\k:
    li      x20, \k
    csrr    TRAP_CAUSE, mcause
    .if \k == 0
    csrr    TRAP_TMP, mepc
    addi    TRAP_TMP, TRAP_TMP, 4
    csrw    mepc, TRAP_TMP
    .else
    csrw    mie, x0
    .endif
    mret
.endm

    .p2align 6, 0
vec_table:
    .irp k, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    VEC_ENTRY \k
    .endr
    .irp k, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    VEC_STUB \k
    .endr
