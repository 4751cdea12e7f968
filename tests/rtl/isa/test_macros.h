/*
 * cimvp ISA tests: self-checking assembly on the bare core (no runtime, no stack unless a test
 * sets one up). Include this first in every test, then:
 *
 *     TEST_START
 *     CASE 1
 *     ... compute into some register ...
 *     EXPECT a0, 0x1234          # value derived from the ISA specification
 *     CASE 2 ...
 *     TEST_END                   # falls into test_pass
 *
 * Result (riscv-tests convention, read by core_alone and by cimvp): the test stores to the word
 * `tohost` 1 on success and (case << 1) | 1 on the first failed check, so the harness exits with
 * the case number. Case numbers are 1..120 (exit codes 124..126 mean other things).
 *
 * Registers reserved by the harness (tests leave them alone):
 *     x31 (TNUM)  current case number        x30 (TEXP) expected value of a check
 *     x26..x29    trap catcher (see TRAP_ARM): TRAP_CAUSE, TRAP_EPC, TRAP_TVAL, TRAP_TMP
 *
 * Code is assembled without compression (.option norvc) unless a test says `.option rvc`, and
 * without linker relaxation, so every instruction is the one written.
 */
#ifndef CIMVP_ISA_TEST_MACROS_H
#define CIMVP_ISA_TEST_MACROS_H

#include "memory_map.h"
#include "timer_regs.h"
#include "intc_regs.h"
#include "uart_regs.h"

#define TNUM       x31
#define TEXP       x30
#define TRAP_CAUSE x29
#define TRAP_EPC   x28
#define TRAP_TVAL  x27
#define TRAP_TMP   x26

/* 4-byte alignment in code that is never executed through (after a jump): pads with zero
 * bytes. (GAS's plain .balign cannot pad 2 bytes when compression is off and then silently
 * leaves the address unaligned.) In .option rvc code, .balign pads with c.nop. */
#define ALIGN4_CODE .p2align 2, 0

/* No region of the memory map covers this address (between SRAM and the peripherals): any
 * access answers with an AHB ERROR -> access fault. */
#define UNMAPPED_ADDR 0x30000000

/* mcause values */
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_LOAD_MISALIGNED   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_STORE_MISALIGNED  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_M           11
#define CAUSE_IRQ_M_SOFT        0x80000003
#define CAUSE_IRQ_M_TIMER       0x80000007
#define CAUSE_IRQ_M_EXT         0x8000000b

/* Start of the test program at the reset PC: unexpected traps fail the current case. */
.macro TEST_START
    .option norvc
    .option norelax
    .section .text.init, "ax"
    .globl _start
_start:
    li      TNUM, 0
    la      TRAP_TMP, test_trap_unexpected
    csrw    mtvec, TRAP_TMP
    j       test_body
    .text
test_body:
.endm

.macro CASE n
    .if (\n < 1) || (\n > 120)
    .error "CASE: case numbers are 1..120"
    .endif
    li      TNUM, \n
.endm

/* Fails the current case unless register `reg` equals the constant `value`. */
.macro EXPECT reg, value
    li      TEXP, \value
    beq     \reg, TEXP, .Lexpect_ok\@
    j       test_fail
.Lexpect_ok\@:
.endm

/* ... unless `reg` equals the address `label`. */
.macro EXPECT_ADDR reg, label
    la      TEXP, \label
    beq     \reg, TEXP, .Lexpect_ok\@
    j       test_fail
.Lexpect_ok\@:
.endm

/* ... unless two registers are equal. */
.macro EXPECT_SAME reg_a, reg_b
    beq     \reg_a, \reg_b, .Lexpect_ok\@
    j       test_fail
.Lexpect_ok\@:
.endm

/* Unconditional failure of the current case (for paths that must not be reached). */
.macro FAIL_HERE
    j       test_fail
.endm

/* ---- register-register and register-immediate operations
 * T_RR n, op, result, a, b      op rd, rs1, rs2 with rs1 = a, rs2 = b, distinct registers
 * T_RR_D1 / T_RR_D2              rd is also rs1 / rs2 (result overwrites an operand)
 * T_RR_SAME n, op, result, a     rs1 = rs2 = a
 * T_RI n, op, result, a, imm     op rd, rs1, imm
 * T_RI_D n, op, result, a, imm   rd = rs1
 */
.macro T_RR n, op, result, a, b
    CASE    \n
    li      x11, \a
    li      x12, \b
    \op     x13, x11, x12
    EXPECT  x13, \result
.endm

.macro T_RR_D1 n, op, result, a, b
    CASE    \n
    li      x14, \a
    li      x15, \b
    \op     x14, x14, x15
    EXPECT  x14, \result
.endm

.macro T_RR_D2 n, op, result, a, b
    CASE    \n
    li      x16, \a
    li      x17, \b
    \op     x17, x16, x17
    EXPECT  x17, \result
.endm

.macro T_RR_SAME n, op, result, a
    CASE    \n
    li      x18, \a
    \op     x19, x18, x18
    EXPECT  x19, \result
.endm

.macro T_RI n, op, result, a, imm
    CASE    \n
    li      x20, \a
    \op     x21, x20, \imm
    EXPECT  x21, \result
.endm

.macro T_RI_D n, op, result, a, imm
    CASE    \n
    li      x22, \a
    \op     x22, x22, \imm
    EXPECT  x22, \result
.endm

/* ---- traps
 * TRAP_ARM resume: the next trap goes to test_trap_catch, which stores mcause/mepc/mtval in
 * TRAP_CAUSE/TRAP_EPC/TRAP_TVAL and resumes at `resume` (through mscratch). Those registers
 * start at -1, so a missing trap is seen. TRAP_DISARM restores the failing handler.
 */
.macro TRAP_ARM resume
    la      TRAP_TMP, \resume
    csrw    mscratch, TRAP_TMP
    la      TRAP_TMP, test_trap_catch
    csrw    mtvec, TRAP_TMP
    li      TRAP_CAUSE, -1
    li      TRAP_EPC, -1
    li      TRAP_TVAL, -1
.endm

.macro TRAP_DISARM
    la      TRAP_TMP, test_trap_unexpected
    csrw    mtvec, TRAP_TMP
.endm

/* T_TRAP n, cause, tval, instruction...: the instruction must trap with this mcause, with mepc
 * at the instruction and this mtval (a constant). Execution resumes after the instruction. */
.macro T_TRAP n, cause, tval, insn:vararg
    CASE    \n
    TRAP_ARM .Ltrap_resume\@
.Ltrap_at\@:
    \insn
.Ltrap_resume\@:
    TRAP_DISARM
    EXPECT  TRAP_CAUSE, \cause
    EXPECT_ADDR TRAP_EPC, .Ltrap_at\@
    EXPECT  TRAP_TVAL, \tval
.endm

/* Illegal instruction given as its encoding: mtval must be the instruction bits. */
.macro T_ILLEGAL32 n, bits
    T_TRAP  \n, CAUSE_ILLEGAL, \bits, .word \bits
.endm

.macro T_ILLEGAL16 n, bits
    T_TRAP  \n, CAUSE_ILLEGAL, \bits, .hword \bits
.endm

/* T_ILLEGAL n, instruction...: a 32-bit instruction written as assembly must raise an illegal
 * instruction exception whose mtval is its own encoding (read back from instruction memory,
 * halfword by halfword so that any halfword-aligned address works). */
.macro T_ILLEGAL n, insn:vararg
    CASE    \n
    TRAP_ARM .Lill_resume\@
.Lill_at\@:
    \insn
.Lill_resume\@:
    TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_ILLEGAL
    EXPECT_ADDR TRAP_EPC, .Lill_at\@
    la      TRAP_TMP, .Lill_at\@
    lhu     TEXP, 2(TRAP_TMP)
    slli    TEXP, TEXP, 16
    lhu     TRAP_TMP, 0(TRAP_TMP)
    or      TEXP, TEXP, TRAP_TMP
    EXPECT_SAME TRAP_TVAL, TEXP
.endm

/* mtval of a breakpoint is 0 or the address of the ebreak (the privileged spec allows both). */
.macro EXPECT_BREAK_TVAL label
    beqz    TRAP_TVAL, .Lbk_ok\@
    EXPECT_ADDR TRAP_TVAL, \label
.Lbk_ok\@:
.endm

/* ---- interrupts (irq_* tests: they need the SoC's timer and interrupt controller)
 * IRQ_ARM: the next trap goes to test_irq_catch, which stores mcause/mepc in TRAP_CAUSE/
 * TRAP_EPC, clears mie (so that a level-sensitive source stops trapping) and returns to mepc,
 * i.e. to the interrupted instruction. TRAP_CAUSE/TRAP_EPC start at -1.
 * The timer helpers clobber x21..x23.
 */
.macro IRQ_ARM
    la      TRAP_TMP, test_irq_catch
    csrw    mtvec, TRAP_TMP
    li      TRAP_CAUSE, -1
    li      TRAP_EPC, -1
.endm

/* mtimecmp = all ones: the timer interrupt goes away (reset value). */
.macro TIMER_CMP_OFF
    li      x21, CIMVP_TIMER_BASE
    li      x22, -1
    sw      x22, TIMER_MTIMECMP_LO(x21)
    sw      x22, TIMER_MTIMECMP_HI(x21)
.endm

/* mtimecmp = 0: the timer interrupt pends at once (mtime >= 0). */
.macro TIMER_CMP_NOW
    li      x21, CIMVP_TIMER_BASE
    li      x22, -1
    sw      x22, TIMER_MTIMECMP_LO(x21)
    sw      x0, TIMER_MTIMECMP_HI(x21)
    sw      x0, TIMER_MTIMECMP_LO(x21)
.endm

/* mtimecmp = mtime + ticks (ticks < 2048; mtime's high word assumed steady, as it is for the
 * first 71 minutes). */
.macro TIMER_CMP_IN ticks
    li      x21, CIMVP_TIMER_BASE
    li      x22, -1
    sw      x22, TIMER_MTIMECMP_LO(x21)
    lw      x23, TIMER_MTIME_HI(x21)
    sw      x23, TIMER_MTIMECMP_HI(x21)
    lw      x22, TIMER_MTIME_LO(x21)
    addi    x22, x22, \ticks
    sw      x22, TIMER_MTIMECMP_LO(x21)
.endm

/* Machine software interrupt on (1) / off (0). */
.macro MSIP_SET value
    li      x21, CIMVP_TIMER_BASE
    li      x22, \value
    sw      x22, TIMER_MSIP(x21)
.endm

/* Spins until (mip & mask) == value; fails the case after ~100000 iterations. */
.macro WAIT_MIP mask, value
    li      x23, 100000
.Lwait_mip\@:
    csrr    x22, mip
    li      x21, \mask
    and     x22, x22, x21
    li      x21, \value
    beq     x22, x21, .Lwait_done\@
    addi    x23, x23, -1
    bnez    x23, .Lwait_mip\@
    j       test_fail
.Lwait_done\@:
.endm

/* End of the test: success if control gets here, then the shared handlers and tohost. */
.macro TEST_END
    j       test_pass

test_pass:
    li      t0, 1
    la      t1, tohost
    sw      t0, 0(t1)
1:  j       1b

test_fail:
    la      t1, test_failed_case
    sw      TNUM, 0(t1)
    slli    t0, TNUM, 1
    ori     t0, t0, 1
    la      t1, tohost
    sw      t0, 0(t1)
1:  j       1b

    ALIGN4_CODE
test_trap_unexpected:
    la      TRAP_TMP, test_trap_dump
    csrr    TRAP_CAUSE, mcause
    sw      TRAP_CAUSE, 0(TRAP_TMP)
    csrr    TRAP_CAUSE, mepc
    sw      TRAP_CAUSE, 4(TRAP_TMP)
    csrr    TRAP_CAUSE, mtval
    sw      TRAP_CAUSE, 8(TRAP_TMP)
    bnez    TNUM, test_fail
    li      TNUM, 120
    j       test_fail

    ALIGN4_CODE
test_trap_catch:
    csrr    TRAP_CAUSE, mcause
    csrr    TRAP_EPC, mepc
    csrr    TRAP_TVAL, mtval
    csrr    TRAP_TMP, mscratch
    csrw    mepc, TRAP_TMP
    mret

    ALIGN4_CODE
test_irq_catch:
    csrr    TRAP_CAUSE, mcause
    csrr    TRAP_EPC, mepc
    csrw    mie, x0
    mret

    .section .tohost, "aw", @progbits
    .balign 4
    .globl  tohost
tohost:
    .word   0
    .globl  test_failed_case
test_failed_case:
    .word   0
    .globl  test_trap_dump
test_trap_dump:                 /* mcause, mepc, mtval of an unexpected trap */
    .word   0, 0, 0
    .text
.endm

#endif
