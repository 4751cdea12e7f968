/* RV32I register-immediate operations (addi slti sltiu andi ori xori slli srli srai), lui, auipc,
 * and x0: writes to x0 are discarded, also when the next instruction reads x0 right away (no
 * forwarding of a discarded result). Immediates are 12-bit sign-extended; expected values follow
 * the unprivileged spec's "Integer Computational Instructions". */
#include "test_macros.h"

    TEST_START

    # addi: 12-bit sign-extended immediate, extremes 2047 and -2048
    T_RI        1, addi,   0x00000000, 0, 0
    T_RI        2, addi,   0x00000002, 1, 1
    T_RI        3, addi,   0x00000802, 3, 2047
    T_RI        4, addi,   0xfffff803, 3, -2048
    T_RI        5, addi,   0x80000000, 0x7fffffff, 1
    T_RI        6, addi,   0xffffffff, 0, -1
    T_RI_D      7, addi,   0x7fffffff, 0x80000000, -1
    T_RI_D      8, addi,   0x12345e77, 0x12345678, 2047

    # slti / sltiu: the immediate is sign-extended, then compared signed / unsigned
    T_RI        9, slti,   0x00000001, 0, 1
    T_RI       10, slti,   0x00000000, 1, 0
    T_RI       11, slti,   0x00000001, -1, 0
    T_RI       12, slti,   0x00000001, 0x80000000, -2048
    T_RI       13, slti,   0x00000001, -2049, -2048
    T_RI_D     14, slti,   0x00000000, 0x7fffffff, 2047
    T_RI       15, sltiu,  0x00000001, 0, 1
    T_RI       16, sltiu,  0x00000000, 1, 1
    T_RI       17, sltiu,  0x00000001, 5, -1
    T_RI       18, sltiu,  0x00000001, 0xfffffffe, -1
    T_RI       19, sltiu,  0x00000000, 0xffffffff, -1
    T_RI_D     20, sltiu,  0x00000001, 2047, -2048

    # andi / ori / xori: sign-extended immediate reaches the upper bits
    T_RI       21, andi,   0x00000078, 0x12345678, 255
    T_RI       22, andi,   0x12345670, 0x12345678, -16
    T_RI_D     23, andi,   0xfffff800, 0xffffffff, -2048
    T_RI       24, ori,    0x12345678, 0x12345600, 120
    T_RI       25, ori,    0xfffff800, 0, -2048
    T_RI_D     26, ori,    0x800007ff, 0x80000001, 2046
    T_RI       27, xori,   0xedcba987, 0x12345678, -1
    T_RI       28, xori,   0x0f0f0ff0, 0x0f0f0f0f, 255
    T_RI_D     29, xori,   0x0000f800, 0xffff0000, -2048

    # slli / srli / srai: shamt 0..31
    T_RI       30, slli,   0x80000001, 0x80000001, 0
    T_RI       31, slli,   0x00000002, 0x80000001, 1
    T_RI       32, slli,   0x80000000, 0x80000001, 31
    T_RI       33, slli,   0xa8642000, 0x87654321, 13
    T_RI_D     34, slli,   0x6e5d4c00, 0x7edcba98, 7
    T_RI       35, srli,   0x80000001, 0x80000001, 0
    T_RI       36, srli,   0x40000000, 0x80000001, 1
    T_RI       37, srli,   0x00000001, 0x80000001, 31
    T_RI       38, srli,   0x00043b2a, 0x87654321, 13
    T_RI_D     39, srli,   0x00fdb975, 0x7edcba98, 7
    T_RI       40, srai,   0x80000001, 0x80000001, 0
    T_RI       41, srai,   0xc0000000, 0x80000001, 1
    T_RI       42, srai,   0xffffffff, 0x80000001, 31
    T_RI       43, srai,   0xfffc3b2a, 0x87654321, 13
    T_RI_D     44, srai,   0x00fdb975, 0x7edcba98, 7

    # lui: imm << 12, low 12 bits cleared
    CASE 45
    li      x5, -1
    lui     x5, 0x12345
    EXPECT  x5, 0x12345000
    CASE 46
    lui     x5, 0x80000
    EXPECT  x5, 0x80000000
    CASE 47
    lui     x5, 0xfffff
    EXPECT  x5, 0xfffff000
    CASE 48
    li      x5, -1
    lui     x5, 0
    EXPECT  x5, 0

    # auipc: pc of the auipc itself + (imm << 12)
    CASE 49
auipc_a:
    auipc   x6, 0
    EXPECT_ADDR x6, auipc_a
    CASE 50
auipc_b:
    auipc   x6, 1
    EXPECT_ADDR x6, auipc_b + 0x1000
    CASE 51
auipc_c:
    auipc   x7, 0xfffff             # pc - 0x1000, wraps below address 0
    li      x8, 0x1000
    add     x7, x7, x8
    EXPECT_ADDR x7, auipc_c
    CASE 52
auipc_d:
    auipc   x9, 0x80000             # pc + 0x80000000
    li      x8, 0x80000000
    sub     x9, x9, x8
    EXPECT_ADDR x9, auipc_d

    # x0 stays zero
    CASE 53
    addi    x0, x0, 5
    EXPECT  x0, 0
    CASE 54
    lui     x0, 0x12345
    addi    x13, x0, 1              # reads x0 right after the discarded write
    EXPECT  x13, 1
    CASE 55
    li      x11, 7
    li      x12, 9
    add     x0, x11, x12
    add     x13, x0, x0
    EXPECT  x13, 0
    CASE 56
    auipc   x0, 1
    or      x13, x0, x0
    EXPECT  x13, 0
    CASE 57
    li      x11, -1
    xori    x0, x11, 0x123
    sltu    x13, x0, x11            # 0 < 0xffffffff
    EXPECT  x13, 1
    CASE 58
    li      x13, 0x5a5a
    nop
    addi    x0, x0, 0
    EXPECT  x13, 0x5a5a

    TEST_END
