/* Synchronous traps and mret: ecall (mcause 11, mtval 0), ebreak (3, mtval 0 or pc), mepc at the
 * trapping instruction, the trap target from mtvec, mstatus stacking on trap entry (MPIE = old
 * MIE, MIE = 0, MPP = M) and on mret (MIE = MPIE, MPIE = 1), mret jumping to mepc (also to a
 * halfword-aligned mepc), registers untouched by the trap, and minstret not counting the
 * trapping instruction. Privileged spec, "Machine Trap Handling" and "Trap-Return
 * Instructions". */
#include "test_macros.h"

    TEST_START

    T_TRAP  1, CAUSE_ECALL_M, 0, ecall
    CASE 2
    TRAP_ARM 1f
ebreak_2:
    ebreak
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_BREAKPOINT
    EXPECT_ADDR TRAP_EPC, ebreak_2
    EXPECT_BREAK_TVAL ebreak_2

    # registers survive the trap
    CASE 3
    li      x5, 0x11111111
    li      x6, 0x22222222
    li      x1, 0x33333333
    T_TRAP  4, CAUSE_ECALL_M, 0, ecall
    CASE 5
    EXPECT  x5, 0x11111111
    EXPECT  x6, 0x22222222
    EXPECT  x1, 0x33333333

    # mstatus on trap entry and in the handler: MIE = 0, MPIE = old MIE (1), MPP = 3
    CASE 6
    csrw    mie, x0                     # no interrupt can be taken
    la      x5, status_handler
    csrw    mtvec, x5
    la      x5, 1f
    csrw    mscratch, x5
    li      x20, -1
    csrsi   mstatus, 0x8                # MIE = 1
    ecall
1:  TRAP_DISARM
    li      x6, 0x1888
    and     x20, x20, x6
    EXPECT  x20, 0x1880                 # in the handler: MPP = 3, MPIE = 1, MIE = 0
    CASE 7                              # after mret: MIE = MPIE = 1
    csrr    x5, mstatus
    andi    x5, x5, 0x88
    EXPECT  x5, 0x88
    # with MIE = 0 at the trap: MPIE = 0 in the handler; after mret MIE = 0, MPIE = 1
    CASE 8
    csrci   mstatus, 0x8
    la      x5, status_handler
    csrw    mtvec, x5
    la      x5, 1f
    csrw    mscratch, x5
    ecall
1:  TRAP_DISARM
    li      x6, 0x1888
    and     x20, x20, x6
    EXPECT  x20, 0x1800
    csrr    x5, mstatus
    andi    x5, x5, 0x88
    EXPECT  x5, 0x80

    # mret: to mepc, MIE = MPIE, MPIE = 1
    CASE 9
    la      x5, 1f
    csrw    mepc, x5
    li      x6, 0x80
    csrc    mstatus, x6                 # MPIE = 0
    csrci   mstatus, 0x8
    li      x13, 0
    mret
    addi    x13, x13, 1
    FAIL_HERE
1:  EXPECT  x13, 0
    csrr    x5, mstatus
    andi    x5, x5, 0x88
    EXPECT  x5, 0x80
    CASE 10
    li      x6, 0x80
    csrs    mstatus, x6                 # MPIE = 1
    la      x5, 1f
    csrw    mepc, x5
    mret
    FAIL_HERE
1:  csrr    x5, mstatus
    andi    x5, x5, 0x88
    EXPECT  x5, 0x88
    csrci   mstatus, 0x8
    # mret to a halfword-aligned address holding a 32-bit instruction
    CASE 11
    la      x5, 2f
    csrw    mepc, x5
    li      x7, 0
    mret
    FAIL_HERE
    ALIGN4_CODE
    .option rvc
    c.nop
2:  addi    x7, x7, 5                   # at pc % 4 = 2
    .option norvc
    EXPECT  x7, 5

    # the trap goes to the mtvec base (direct mode), wherever that is
    CASE 12
    la      x5, other_handler
    csrw    mtvec, x5
    li      x21, 0
    ecall
    TRAP_DISARM
    EXPECT  x21, 0x77

    # minstret: the ecall does not retire; the handler's six instructions do
    CASE 13
    TRAP_ARM 1f
    csrr    x5, minstret
    ecall
1:  csrr    x6, minstret
    TRAP_DISARM
    sub     x7, x6, x5
    EXPECT  x7, 7                       # csrr + 6 handler instructions (test_trap_catch)

    TEST_END

    ALIGN4_CODE
status_handler:
    csrr    x20, mstatus
    csrr    TRAP_TMP, mscratch
    csrw    mepc, TRAP_TMP
    mret

    ALIGN4_CODE
other_handler:                          # returns after the ecall (4 bytes)
    li      x21, 0x77
    csrr    TRAP_TMP, mepc
    addi    TRAP_TMP, TRAP_TMP, 4
    csrw    mepc, TRAP_TMP
    mret
