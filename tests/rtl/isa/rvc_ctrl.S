/* RVC control transfer: c.j c.jal c.jr c.jalr c.beqz c.bnez c.ebreak. Links are pc + 2 (the
 * compressed instruction's length); c.jalr with rs1 = ra jumps to the old ra; branches taken
 * forwards and backwards and not taken; jumps to targets at pc % 4 = 2; c.ebreak raises a
 * breakpoint (mcause 3) with mepc at the c.ebreak. */
#include "test_macros.h"

    TEST_START
    .option rvc

    # c.j forwards and backwards
    CASE 1
    li      x13, 0
    c.j     1f
    c.addi  x13, 1
    FAIL_HERE
1:  EXPECT  x13, 0
    CASE 2
    c.j     2f
1:  c.j     3f
2:  c.j     1b
    FAIL_HERE
3:
    # c.jal: x1 = pc + 2
    CASE 3
    li      x1, 0
cjal_3:
    c.jal   1f
    FAIL_HERE
1:  EXPECT_ADDR x1, cjal_3 + 2
    CASE 4
    c.j     2f
1:  c.j     3f
2:
cjal_4:
    c.jal   1b
    FAIL_HERE
3:  EXPECT_ADDR x1, cjal_4 + 2

    # c.jr: no link
    CASE 5
    li      x1, 0x1234
    la      x5, 1f
    c.jr    x5
    FAIL_HERE
1:  EXPECT  x1, 0x1234
    # c.jalr: x1 = pc + 2
    CASE 6
    la      x6, 1f
cjalr_6:
    c.jalr  x6
    FAIL_HERE
1:  EXPECT_ADDR x1, cjalr_6 + 2
    # c.jalr ra: the target is the old ra, the link overwrites it
    CASE 7
    la      x1, 1f
cjalr_7:
    c.jalr  x1
    FAIL_HERE
1:  EXPECT_ADDR x1, cjalr_7 + 2
    # c.jr to a target computed by the previous instruction
    CASE 8
    la      x7, 1f - 6
    c.addi  x7, 6
    c.jr    x7
    FAIL_HERE
1:
    # a function call and return with compressed instructions
    CASE 9
    c.li    x10, 3
    c.jal   cfunc
    EXPECT  x10, 12

    # c.beqz / c.bnez
    CASE 10
    c.li    x8, 0
    c.beqz  x8, 1f
    FAIL_HERE
1:  CASE 11
    c.li    x9, 1
    c.beqz  x9, 2f
    c.j     3f
2:  FAIL_HERE
3:  CASE 12
    li      x10, 0x80000000
    c.bnez  x10, 4f
    FAIL_HERE
4:  CASE 13
    c.li    x11, 0
    c.bnez  x11, 5f
    c.j     6f
5:  FAIL_HERE
6:  CASE 14                             # backwards: count 5 down to 0
    c.li    x12, 5
    c.li    x13, 0
7:  c.addi  x13, 2
    c.addi  x12, -1
    c.bnez  x12, 7b
    EXPECT  x13, 10
    CASE 15
    c.li    x14, -1
    c.j     9f
8:  c.j     10f
9:  c.addi  x14, 1
    c.beqz  x14, 8b
    FAIL_HERE
10:
    # targets at pc % 4 = 2 reached by 32-bit jumps and branches
    CASE 16
    j       11f
    c.nop
    .balign 4
    c.nop
11: c.li    x15, 9                      # at an address = 2 mod 4
    la      x5, 11b
    andi    x5, x5, 3
    EXPECT  x5, 2
    EXPECT  x15, 9
    CASE 17
    la      x6, 12f
    jalr    x0, 0(x6)
    FAIL_HERE
    .balign 4
    c.nop
12: beq     x0, x0, 13f                 # 32-bit branch at pc % 4 = 2
    FAIL_HERE
    .balign 4
    c.nop
13:
    # c.ebreak: breakpoint, mepc at the c.ebreak, execution resumes after it
    CASE 18
    TRAP_ARM 1f
cebreak_18:
    c.ebreak
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_BREAKPOINT
    EXPECT_ADDR TRAP_EPC, cebreak_18
    EXPECT_BREAK_TVAL cebreak_18

    TEST_END

cfunc:
    c.slli  x10, 2
    c.jr    x1
