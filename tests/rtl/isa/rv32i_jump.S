/* RV32I jumps: jal and jalr. Link value = address of the jump + 4; the instructions after a jump
 * do not take effect; jal forwards, backwards and far; jalr with positive, negative and odd
 * offsets (the target's bit 0 is cleared), rd = rs1 (target from the old value), rd = x0 (no
 * link), a target computed by the instruction just before. Unprivileged spec, "Unconditional
 * Jumps". */
#include "test_macros.h"

    TEST_START

    # jal: link and target
    CASE 1
    li      x13, 0
jal_1:
    jal     x1, 1f
    addi    x13, x13, 1
    FAIL_HERE
1:  EXPECT_ADDR x1, jal_1 + 4
    EXPECT  x13, 0

    # jal backwards, link in a register other than ra
    CASE 2
    j       2f
1:  j       3f
2:
jal_2:
    jal     x5, 1b
    FAIL_HERE
3:  EXPECT_ADDR x5, jal_2 + 4

    # jal x0: no link
    CASE 3
    jal     x0, 1f
    FAIL_HERE
1:  EXPECT  x0, 0

    # jal far forwards (16 KiB) and back
    CASE 4
jal_4:
    jal     x6, jal_far
jal_4_back:
    EXPECT_ADDR x6, jal_4 + 4
    EXPECT_ADDR x7, jal_far + 4
    j       jal_4_done

    # jalr: target = rs1 + offset, link = pc + 4
    CASE 5
jal_4_done:
    la      x5, 1f
    li      x13, 0
jalr_5:
    jalr    x1, 0(x5)
    addi    x13, x13, 1
    FAIL_HERE
1:  EXPECT_ADDR x1, jalr_5 + 4
    EXPECT  x13, 0

    CASE 6
    la      x5, 1f - 8
jalr_6:
    jalr    x1, 8(x5)
    FAIL_HERE
1:  EXPECT_ADDR x1, jalr_6 + 4

    CASE 7
    la      x5, 1f + 2044
jalr_7:
    jalr    x8, -2044(x5)
    FAIL_HERE
1:  EXPECT_ADDR x8, jalr_7 + 4

    # bit 0 of the target is cleared: odd base, odd offset
    CASE 8
    la      x5, 1f + 1
jalr_8:
    jalr    x1, 0(x5)
    FAIL_HERE
    ALIGN4_CODE
1:  EXPECT_ADDR x1, jalr_8 + 4

    CASE 9
    la      x5, 1f
jalr_9:
    jalr    x1, 1(x5)
    FAIL_HERE
    ALIGN4_CODE
1:  EXPECT_ADDR x1, jalr_9 + 4

    CASE 10
    la      x5, 1f - 3
jalr_10:
    jalr    x1, 3(x5)
    FAIL_HERE
    ALIGN4_CODE
1:  EXPECT_ADDR x1, jalr_10 + 4

    # rd = rs1: the target comes from the old value
    CASE 11
    la      x9, 1f
jalr_11:
    jalr    x9, 0(x9)
    FAIL_HERE
1:  EXPECT_ADDR x9, jalr_11 + 4

    # rd = x0: plain jump, x0 stays zero
    CASE 12
    la      x5, 1f
    jalr    x0, 0(x5)
    FAIL_HERE
1:  EXPECT  x0, 0

    # target produced by the instruction right before (forwarding into jalr)
    CASE 13
    la      x5, 1f - 16
    addi    x5, x5, 16
    jalr    x0, 0(x5)
    FAIL_HERE
1:
    # call and return, nested one level
    CASE 14
    li      x10, 0
    jal     x1, func_outer
    EXPECT  x10, 0x12               # ((0 + 1) << 1) + 0x10

    # jalr to the address of a jal
    CASE 15
    la      x5, jal_15
    jalr    x12, 0(x5)
    FAIL_HERE
jal_15:
    jal     x13, 1f
    FAIL_HERE
1:  EXPECT_ADDR x12, jal_15 - 4
    EXPECT_ADDR x13, jal_15 + 4

    TEST_END

func_outer:
    mv      x20, x1
    addi    x10, x10, 1
    jal     x1, func_inner
    addi    x10, x10, 0x10
    jalr    x0, 0(x20)

func_inner:
    slli    x10, x10, 1
    jalr    x0, 0(x1)

    # far target for case 4, 16 KiB past the code above
    .skip   0x4000
jal_far:
    jal     x7, 1f
1:  jal     x0, jal_4_back
