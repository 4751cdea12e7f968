/* mtvec in vectored mode (MODE = 1): synchronous exceptions still go to BASE (only interrupts use
 * BASE + 4 * cause, tested in irq_vectored.S). The table's other entries fail the test.
 * Privileged spec, "Machine Trap-Vector Base-Address Register". */
#include "test_macros.h"

/* Arms the vectored table: the catcher at entry 0 resumes at `resume`. */
.macro VEC_ARM resume
    la      TRAP_TMP, \resume
    csrw    mscratch, TRAP_TMP
    la      TRAP_TMP, vec_table + 1
    csrw    mtvec, TRAP_TMP
    li      TRAP_CAUSE, -1
    li      TRAP_EPC, -1
.endm

    TEST_START

    CASE 1
    la      x5, vec_table + 1
    csrw    mtvec, x5
    csrr    x6, mtvec
    EXPECT_SAME x5, x6

    CASE 2
    VEC_ARM 1f
ecall_2:
    ecall
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_ECALL_M
    EXPECT_ADDR TRAP_EPC, ecall_2

    CASE 3
    la      x5, vec_table
    VEC_ARM 1f
load_3:
    lw      x6, 2(x5)                   # misaligned: cause 4, still BASE
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_LOAD_MISALIGNED
    EXPECT_ADDR TRAP_EPC, load_3

    CASE 4
    VEC_ARM 1f
ill_4:
    .word   0x00000000 | 0x0000000b     # custom-0: illegal, cause 2
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_ILLEGAL
    EXPECT_ADDR TRAP_EPC, ill_4

    CASE 5
    VEC_ARM 1f
ebreak_5:
    ebreak
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_BREAKPOINT
    EXPECT_ADDR TRAP_EPC, ebreak_5

    TEST_END

    .p2align 6, 0
vec_table:
    j       vec_catch                   # 0: exceptions
    .rept 31
    j       vec_wrong                   # 1..31: interrupt entries, not expected here
    .endr

vec_catch:
    csrr    TRAP_CAUSE, mcause
    csrr    TRAP_EPC, mepc
    csrr    TRAP_TMP, mscratch
    csrw    mepc, TRAP_TMP
    mret

vec_wrong:
    j       test_fail
