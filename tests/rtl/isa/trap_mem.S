/* Data-access exceptions, mtval = the effective address, mepc at the access, rd not written and
 * memory not modified:
 *  - misaligned loads (mcause 4): lh/lhu at odd addresses, lw at +1/+2/+3;
 *  - misaligned stores (6): sh at odd addresses, sw at +1/+2/+3;
 *  - load / store access faults (5 / 7) at an unmapped address (UNMAPPED_ADDR), every width;
 *  - a store to the read-only boot flash (7);
 *  - a faulting load is not counted in minstret; the next access after a fault works.
 * Privileged spec, "Machine Cause Register" and "Machine Trap Value Register"; the memory map
 * (docs/memory-map.md) for the access faults. */
#include "test_macros.h"

    .data
    .balign 16
words:
    .word   0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00

    .section .rodata
    .balign 16
flash_word:
    .word   0xc001d00d

/* Load `op` at words + off must raise `cause` with mtval = the address, rd unchanged. */
.macro T_LD_FAULT n, cause, op, off
    CASE    \n
    la      x5, words
    li      x6, 0x0bad
    TRAP_ARM .Lld_resume\@
.Lld_at\@:
    \op     x6, \off(x5)
.Lld_resume\@:
    TRAP_DISARM
    EXPECT  TRAP_CAUSE, \cause
    EXPECT_ADDR TRAP_EPC, .Lld_at\@
    EXPECT_ADDR TRAP_TVAL, words + \off
    EXPECT  x6, 0x0bad
.endm

/* Store `op` at words + off must raise `cause`, leave the two words around it unchanged. */
.macro T_ST_FAULT n, cause, op, off
    CASE    \n
    la      x5, words
    li      x6, -1
    TRAP_ARM .Lst_resume\@
.Lst_at\@:
    \op     x6, \off(x5)
.Lst_resume\@:
    TRAP_DISARM
    EXPECT  TRAP_CAUSE, \cause
    EXPECT_ADDR TRAP_EPC, .Lst_at\@
    EXPECT_ADDR TRAP_TVAL, words + \off
    lw      x7, 0(x5)
    EXPECT  x7, 0x11223344
    lw      x7, 4(x5)
    EXPECT  x7, 0x55667788
.endm

/* Access at UNMAPPED_ADDR + off must raise an access fault. */
.macro T_UNMAPPED n, cause, op, off
    CASE    \n
    li      x5, UNMAPPED_ADDR
    li      x6, 0x0bad
    TRAP_ARM .Lum_resume\@
.Lum_at\@:
    \op     x6, \off(x5)
.Lum_resume\@:
    TRAP_DISARM
    EXPECT  TRAP_CAUSE, \cause
    EXPECT_ADDR TRAP_EPC, .Lum_at\@
    EXPECT  TRAP_TVAL, UNMAPPED_ADDR + \off
    EXPECT  x6, 0x0bad
.endm

    TEST_START

    T_LD_FAULT  1, CAUSE_LOAD_MISALIGNED, lh, 1
    T_LD_FAULT  2, CAUSE_LOAD_MISALIGNED, lh, 3
    T_LD_FAULT  3, CAUSE_LOAD_MISALIGNED, lhu, 5
    T_LD_FAULT  4, CAUSE_LOAD_MISALIGNED, lw, 1
    T_LD_FAULT  5, CAUSE_LOAD_MISALIGNED, lw, 2
    T_LD_FAULT  6, CAUSE_LOAD_MISALIGNED, lw, 3
    T_LD_FAULT  7, CAUSE_LOAD_MISALIGNED, lw, 6

    T_ST_FAULT  8, CAUSE_STORE_MISALIGNED, sh, 1
    T_ST_FAULT  9, CAUSE_STORE_MISALIGNED, sh, 3
    T_ST_FAULT 10, CAUSE_STORE_MISALIGNED, sw, 1
    T_ST_FAULT 11, CAUSE_STORE_MISALIGNED, sw, 2
    T_ST_FAULT 12, CAUSE_STORE_MISALIGNED, sw, 3
    T_ST_FAULT 13, CAUSE_STORE_MISALIGNED, sh, 5

    # aligned accesses still work right after a fault
    CASE 14
    la      x5, words
    lhu     x6, 2(x5)
    EXPECT  x6, 0x1122
    lw      x6, 4(x5)
    EXPECT  x6, 0x55667788

    T_UNMAPPED 15, CAUSE_LOAD_ACCESS, lb, 0
    T_UNMAPPED 16, CAUSE_LOAD_ACCESS, lbu, 3
    T_UNMAPPED 17, CAUSE_LOAD_ACCESS, lh, 2
    T_UNMAPPED 18, CAUSE_LOAD_ACCESS, lhu, 0
    T_UNMAPPED 19, CAUSE_LOAD_ACCESS, lw, 0
    T_UNMAPPED 20, CAUSE_LOAD_ACCESS, lw, 0x100
    T_UNMAPPED 21, CAUSE_STORE_ACCESS, sb, 1
    T_UNMAPPED 22, CAUSE_STORE_ACCESS, sh, 2
    T_UNMAPPED 23, CAUSE_STORE_ACCESS, sw, 0
    T_UNMAPPED 24, CAUSE_STORE_ACCESS, sw, -4

    # flash is read-only: stores fault, the contents stay
    CASE 25
    la      x5, flash_word
    li      x6, 0x12345678
    TRAP_ARM 1f
st_flash_25:
    sw      x6, 0(x5)
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_STORE_ACCESS
    EXPECT_ADDR TRAP_EPC, st_flash_25
    EXPECT_ADDR TRAP_TVAL, flash_word
    lw      x7, 0(x5)
    EXPECT  x7, 0xc001d00d
    CASE 26
    TRAP_ARM 1f
st_flash_26:
    sb      x6, 3(x5)
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_STORE_ACCESS
    EXPECT_ADDR TRAP_EPC, st_flash_26
    EXPECT_ADDR TRAP_TVAL, flash_word + 3
    lw      x7, 0(x5)
    EXPECT  x7, 0xc001d00d
    CASE 27                             # a store into the code itself
    la      x5, _start
    TRAP_ARM 1f
st_flash_27:
    sh      x0, 0(x5)
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_STORE_ACCESS
    EXPECT_ADDR TRAP_EPC, st_flash_27

    # a faulting load does not retire: minstret sees the csrr and the 6 handler instructions
    CASE 28
    li      x5, UNMAPPED_ADDR
    TRAP_ARM 1f
    csrr    x8, minstret
    lw      x6, 0(x5)
1:  csrr    x9, minstret
    TRAP_DISARM
    sub     x9, x9, x8
    EXPECT  x9, 7
    CASE 29                             # same for a misaligned store
    la      x5, words
    TRAP_ARM 1f
    csrr    x8, minstret
    sw      x6, 2(x5)
1:  csrr    x9, minstret
    TRAP_DISARM
    sub     x9, x9, x8
    EXPECT  x9, 7

    # a load fault right after a store: the store completes, the load does not write rd
    CASE 30
    la      x5, words
    li      x6, 0x600df00d
    li      x10, UNMAPPED_ADDR
    li      x7, 0x77
    TRAP_ARM 1f
    sw      x6, 12(x5)
    lw      x7, 0(x10)
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_LOAD_ACCESS
    EXPECT  x7, 0x77
    lw      x8, 12(x5)
    EXPECT  x8, 0x600df00d

    TEST_END
