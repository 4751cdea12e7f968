/* RV32I register-register arithmetic and logic: add sub and or xor sll srl sra slt sltu.
 * Each instruction with distinct registers, with rd = rs1 and rd = rs2 (the result overwrites an
 * operand) and with rs1 = rs2; wrap-around, sign and shift-amount (rs2[4:0]) corner cases.
 * Expected values follow the RV32I definitions (unprivileged spec, "Integer Computational
 * Instructions"). */
#include "test_macros.h"

    TEST_START

    # add: wrap-around at 2^32, signed overflow is not trapped
    T_RR        1, add,    0x00000000, 0, 0
    T_RR        2, add,    0x00000002, 1, 1
    T_RR        3, add,    0x0000000a, 3, 7
    T_RR        4, add,    0x80000000, 0x7fffffff, 1
    T_RR        5, add,    0x00000000, 0xffffffff, 1
    T_RR        6, add,    0xfffffffe, -5, 3
    T_RR        7, add,    0x00000000, 0x80000000, 0x80000000
    T_RR_D1     8, add,    0x23456789, 0x12345678, 0x11111111
    T_RR_D2     9, add,    0xfffffffe, -1, -1
    T_RR_SAME  10, add,    0x80000002, 0x40000001

    # sub
    T_RR       11, sub,    0x00000000, 0, 0
    T_RR       12, sub,    0x00000000, 1, 1
    T_RR       13, sub,    0xfffffffc, 3, 7
    T_RR       14, sub,    0x7fffffff, 0x80000000, 1
    T_RR       15, sub,    0xffffffff, 0, 1
    T_RR       16, sub,    0x80000000, 0x7fffffff, 0xffffffff
    T_RR_D1    17, sub,    0x0000002a, 100, 58
    T_RR_D2    18, sub,    0x80000005, 5, 0x80000000
    T_RR_SAME  19, sub,    0x00000000, 0x13572468

    # and / or / xor
    T_RR       20, and,    0x0f000f00, 0xff00ff00, 0x0ff00ff0
    T_RR       21, and,    0x12345678, 0xffffffff, 0x12345678
    T_RR_D1    22, and,    0x30303030, 0xf0f0f0f0, 0x3c3c3c3c
    T_RR_D2    23, and,    0x00000000, 0xaaaaaaaa, 0x55555555
    T_RR_SAME  24, and,    0xdeadbeef, 0xdeadbeef
    T_RR       25, or,     0xfff0fff0, 0xff00ff00, 0x0ff00ff0
    T_RR       26, or,     0x00000000, 0, 0
    T_RR_D1    27, or,     0xffffffff, 0xf0f0f0f0, 0x0f0f0f0f
    T_RR_D2    28, or,     0x80000001, 1, 0x80000000
    T_RR_SAME  29, or,     0xdeadbeef, 0xdeadbeef
    T_RR       30, xor,    0xf0f0f0f0, 0xff00ff00, 0x0ff00ff0
    T_RR       31, xor,    0xedcba987, 0xffffffff, 0x12345678
    T_RR_D1    32, xor,    0x00000000, 0xf0f0f0f0, 0xf0f0f0f0
    T_RR_D2    33, xor,    0xffffffff, 0x55555555, 0xaaaaaaaa
    T_RR_SAME  34, xor,    0x00000000, 0xdeadbeef

    # shifts: only rs2[4:0] counts
    T_RR       35, sll,    0x80000001, 0x80000001, 0
    T_RR       36, sll,    0x00000002, 0x80000001, 1
    T_RR       37, sll,    0x80000000, 0x80000001, 31
    T_RR       38, sll,    0x76543210, 0x87654321, 4
    T_RR       39, sll,    0x0eca8642, 0x87654321, 33
    T_RR       40, sll,    0xb2a19080, 0x87654321, 0xffffffe7
    T_RR_D1    41, sll,    0xba980000, 0xfedcba98, 16
    T_RR_D2    42, sll,    0xc0000000, 0x7fffffff, 30
    T_RR       43, srl,    0x80000001, 0x80000001, 0
    T_RR       44, srl,    0x40000000, 0x80000001, 1
    T_RR       45, srl,    0x00000001, 0x80000001, 31
    T_RR       46, srl,    0x08765432, 0x87654321, 4
    T_RR       47, srl,    0x43b2a190, 0x87654321, 33
    T_RR       48, srl,    0x010eca86, 0x87654321, 0xffffffe7
    T_RR_D1    49, srl,    0x0000fedc, 0xfedcba98, 16
    T_RR_D2    50, srl,    0x00000001, 0x7fffffff, 30
    T_RR       51, sra,    0x80000001, 0x80000001, 0
    T_RR       52, sra,    0xc0000000, 0x80000001, 1
    T_RR       53, sra,    0xffffffff, 0x80000001, 31
    T_RR       54, sra,    0xf8765432, 0x87654321, 4
    T_RR       55, sra,    0xc3b2a190, 0x87654321, 33
    T_RR       56, sra,    0xff0eca86, 0x87654321, 0xffffffe7
    T_RR_D1    57, sra,    0xfffffedc, 0xfedcba98, 16
    T_RR_D2    58, sra,    0x00000001, 0x7fffffff, 30

    # set-less-than: signed vs unsigned
    T_RR       59, slt,    0x00000001, 1, 2
    T_RR       60, slt,    0x00000000, 2, 1
    T_RR       61, slt,    0x00000001, -1, 1
    T_RR       62, slt,    0x00000000, 1, -1
    T_RR       63, slt,    0x00000001, 0x80000000, 0x7fffffff
    T_RR       64, slt,    0x00000000, 0x7fffffff, 0x80000000
    T_RR       65, slt,    0x00000000, 5, 5
    T_RR_D1    66, slt,    0x00000001, -2, -1
    T_RR_D2    67, slt,    0x00000000, 0, 0xffffffff
    T_RR_SAME  68, slt,    0x00000000, 0x80000000
    T_RR       69, sltu,   0x00000001, 1, 2
    T_RR       70, sltu,   0x00000000, 2, 1
    T_RR       71, sltu,   0x00000000, -1, 1
    T_RR       72, sltu,   0x00000001, 1, -1
    T_RR       73, sltu,   0x00000000, 0x80000000, 0x7fffffff
    T_RR       74, sltu,   0x00000001, 0x7fffffff, 0x80000000
    T_RR       75, sltu,   0x00000000, 5, 5
    T_RR_D1    76, sltu,   0x00000001, -2, -1
    T_RR_D2    77, sltu,   0x00000001, 0, 0xffffffff
    T_RR_SAME  78, sltu,   0x00000000, 0x80000000

    TEST_END
