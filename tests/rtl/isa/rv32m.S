/* RV32M: mul mulh mulhsu mulhu div divu rem remu. Signed/unsigned corner cases (INT_MIN, INT_MAX,
 * -1), division by zero (quotient all ones, remainder = dividend) and the signed overflow
 * INT_MIN / -1 (quotient INT_MIN, remainder 0), which must not trap; rd = rs1, rd = rs2,
 * rs1 = rs2, results used right away, back-to-back multi-cycle operations, rd = x0.
 * Unprivileged spec, "M" Standard Extension. */
#include "test_macros.h"

    TEST_START

    # mul: low 32 bits of the product (sign does not matter)
    T_RR        1, mul,    0x00000000, 0, 0
    T_RR        2, mul,    0x00000015, 3, 7
    T_RR        3, mul,    0xffffffeb, -3, 7
    T_RR        4, mul,    0x00000015, -3, -7
    T_RR        5, mul,    0x00000001, 0x7fffffff, 0x7fffffff
    T_RR        6, mul,    0x80000000, 0x80000000, -1
    T_RR        7, mul,    0x242d2080, 0x12345678, 0x9abcdef0
    T_RR_D1     8, mul,    0xfffe0001, 0x0000ffff, 0x0000ffff
    T_RR_D2     9, mul,    0x00000000, 0x80000000, 2
    T_RR       10, mul,    0x00000001, -1, 0xffffffff

    # mulh: high half, signed x signed
    T_RR       11, mulh,   0x00000000, 0, 0
    T_RR       12, mulh,   0x00000000, 3, 7
    T_RR       13, mulh,   0xffffffff, -3, 7
    T_RR       14, mulh,   0x00000000, -3, -7
    T_RR       15, mulh,   0x3fffffff, 0x7fffffff, 0x7fffffff
    T_RR       16, mulh,   0x40000000, 0x80000000, 0x80000000
    T_RR       17, mulh,   0x00000000, 0x80000000, -1
    T_RR       18, mulh,   0xc0000000, 0x80000000, 0x7fffffff
    T_RR_D1    19, mulh,   0xf8cc93d6, 0x12345678, 0x9abcdef0
    T_RR_D2    20, mulh,   0x00000000, -1, -1

    # mulhsu: high half, signed rs1 x unsigned rs2
    T_RR       21, mulhsu, 0x00000000, 0, 0
    T_RR       22, mulhsu, 0x00000000, 3, 7
    T_RR       23, mulhsu, 0xffffffff, -3, 7
    T_RR       24, mulhsu, 0xffffffff, -1, 0xffffffff
    T_RR       25, mulhsu, 0x80000000, 0x80000000, 0xffffffff
    T_RR       26, mulhsu, 0x7ffffffe, 0x7fffffff, 0xffffffff
    T_RR       27, mulhsu, 0xffffffff, 0xffffffff, 1
    T_RR_D1    28, mulhsu, 0x0b00ea4e, 0x12345678, 0x9abcdef0
    T_RR_D2    29, mulhsu, 0xc0000000, 0x80000000, 0x80000000

    # mulhu: high half, unsigned x unsigned
    T_RR       30, mulhu,  0x00000000, 0, 0
    T_RR       31, mulhu,  0x00000000, 3, 7
    T_RR       32, mulhu,  0xfffffffe, 0xffffffff, 0xffffffff
    T_RR       33, mulhu,  0x40000000, 0x80000000, 0x80000000
    T_RR       34, mulhu,  0x00000001, 0xffffffff, 2
    T_RR_D1    35, mulhu,  0x0b00ea4e, 0x12345678, 0x9abcdef0
    T_RR_D2    36, mulhu,  0x00000006, -3, 7

    # div: signed, rounds towards zero; x/0 = -1; INT_MIN/-1 = INT_MIN
    T_RR       37, div,    0x00000003, 20, 6
    T_RR       38, div,    0xfffffffd, -20, 6
    T_RR       39, div,    0xfffffffd, 20, -6
    T_RR       40, div,    0x00000003, -20, -6
    T_RR       41, div,    0x80000000, 0x80000000, 1
    T_RR       42, div,    0x80000000, 0x80000000, -1
    T_RR       43, div,    0xc0000000, 0x80000000, 2
    T_RR       44, div,    0x00000000, 0, -5
    T_RR       45, div,    0xffffffff, 7, 0
    T_RR       46, div,    0xffffffff, -7, 0
    T_RR       47, div,    0xffffffff, 0, 0
    T_RR_D1    48, div,    0x80000001, 0x7fffffff, -1
    T_RR_D2    49, div,    0x00000000, 1, 0x80000000

    # divu: unsigned; x/0 = 2^32-1
    T_RR       50, divu,   0x00000003, 20, 6
    T_RR       51, divu,   0x2aaaaaa7, -20, 6
    T_RR       52, divu,   0x00000000, 20, -6
    T_RR       53, divu,   0x00000000, 0x80000000, -1
    T_RR       54, divu,   0xffffffff, 0xffffffff, 1
    T_RR       55, divu,   0xffffffff, 7, 0
    T_RR       56, divu,   0xffffffff, 0, 0
    T_RR_D1    57, divu,   0x00000000, 0xfffffffe, 0xffffffff
    T_RR_D2    58, divu,   0x0000ffff, 0xffffffff, 0x00010000

    # rem: sign of the dividend; x%0 = x; INT_MIN%-1 = 0
    T_RR       59, rem,    0x00000002, 20, 6
    T_RR       60, rem,    0xfffffffe, -20, 6
    T_RR       61, rem,    0x00000002, 20, -6
    T_RR       62, rem,    0xfffffffe, -20, -6
    T_RR       63, rem,    0x00000000, 0x80000000, -1
    T_RR       64, rem,    0x00000000, 0x80000000, 1
    T_RR       65, rem,    0xfffffffe, 0x80000000, 3
    T_RR       66, rem,    0x00000007, 7, 0
    T_RR       67, rem,    0xfffffff9, -7, 0
    T_RR       68, rem,    0x00000000, 0, 0
    T_RR_D1    69, rem,    0x7fffffff, 0x7fffffff, 0x80000000
    T_RR_D2    70, rem,    0xffffffff, 0x80000000, 0x7fffffff

    # remu: unsigned; x%0 = x
    T_RR       71, remu,   0x00000002, 20, 6
    T_RR       72, remu,   0x00000002, -20, 6
    T_RR       73, remu,   0x00000014, 20, -6
    T_RR       74, remu,   0x80000000, 0x80000000, -1
    T_RR       75, remu,   0x00000007, 7, 0
    T_RR       76, remu,   0xffffffff, 0xffffffff, 0
    T_RR       77, remu,   0x00000000, 0, 0
    T_RR_D1    78, remu,   0x0000ffff, 0xffffffff, 0x00010000
    T_RR_D2    79, remu,   0x00000078, 0x12345678, 256

    # rs1 = rs2
    T_RR_SAME 80, mul,  0x40000000, 0xffff8000
    T_RR_SAME 81, mulh, 0x3fffffff, 0x80000001
    T_RR_SAME 82, div,  0x00000001, 0x80000000
    T_RR_SAME 83, rem,  0x00000000, 0x12345678
    T_RR_SAME 84, divu, 0x00000001, 0xfffffffe

    # results used by the next instruction; back-to-back divisions and multiplications
    CASE 85
    li      x5, 1000
    li      x6, 7
    div     x7, x5, x6              # 142
    rem     x8, x5, x6              # 6
    mul     x9, x7, x6              # 994
    add     x9, x9, x8              # 1000
    EXPECT  x9, 1000
    CASE 86
    li      x5, 0x10001
    mul     x6, x5, x5              # 0x00020001 (low)
    mulhu   x7, x5, x5              # 0x00000001 (high)
    mul     x8, x6, x7
    EXPECT  x8, 0x00020001
    CASE 87
    li      x5, 1000
    li      x6, 10
    divu    x7, x5, x6
    divu    x7, x7, x6
    divu    x7, x7, x6
    EXPECT  x7, 1
    CASE 88
    li      x5, -77
    li      x6, 10
    rem     x7, x5, x6              # -7
    bge     x7, x0, 1f
    div     x8, x5, x6              # -7
    beq     x7, x8, 2f
1:  FAIL_HERE
2:
    # rd = x0 discards the result
    CASE 89
    li      x5, 12345
    li      x6, 3
    div     x0, x5, x6
    mul     x0, x5, x6
    EXPECT  x0, 0
    add     x7, x0, x0
    EXPECT  x7, 0

    TEST_END
