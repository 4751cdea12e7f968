/* RVC loads and stores: c.lw c.sw (x8..x15, offsets 0..124) and c.lwsp c.swsp (any register,
 * sp-relative, offsets 0..252), including the largest offsets, c.swsp of x0, a load right
 * after a store, and 32-bit loads/stores at halfword-aligned addresses in between. */
#include "test_macros.h"

    .data
    .balign 16
words:
    .word   0x11111111, 0x22222222, 0x33333333, 0x44444444
    .space  108
    .word   0x87654321                  # offset 124
    .space  124
    .word   0xfedcba98                  # offset 252
stack_area:
    .space  512

    TEST_START
    .option rvc

    # c.lw
    CASE 1
    la      x9, words
    li      x8, 0
    c.lw    x8, 0(x9)
    EXPECT  x8, 0x11111111
    CASE 2
    c.lw    x15, 12(x9)
    EXPECT  x15, 0x44444444
    CASE 3
    c.lw    x10, 124(x9)
    EXPECT  x10, 0x87654321
    CASE 4
    c.mv    x11, x9
    c.lw    x11, 4(x11)                 # rd = rs1
    EXPECT  x11, 0x22222222

    # c.sw
    CASE 5
    la      x12, stack_area
    li      x13, 0xa1b2c3d4
    c.sw    x13, 0(x12)
    lw      x14, 0(x12)
    EXPECT  x14, 0xa1b2c3d4
    CASE 6
    li      x14, 0x5555aaaa
    c.sw    x14, 124(x12)
    c.lw    x8, 124(x12)                # load right after the store
    EXPECT  x8, 0x5555aaaa

    # c.lwsp / c.swsp
    CASE 7
    la      sp, words
    c.lwsp  x5, 0(sp)
    EXPECT  x5, 0x11111111
    CASE 8
    c.lwsp  x25, 8(sp)
    EXPECT  x25, 0x33333333
    CASE 9
    c.lwsp  x1, 252(sp)
    EXPECT  x1, 0xfedcba98
    CASE 10
    la      sp, stack_area
    li      x20, 0x0f1e2d3c
    c.swsp  x20, 0(sp)
    c.swsp  x20, 252(sp)
    lw      x21, 0(sp)
    EXPECT  x21, 0x0f1e2d3c
    lw      x21, 252(sp)
    EXPECT  x21, 0x0f1e2d3c
    CASE 11
    c.swsp  x0, 252(sp)
    c.lwsp  x22, 252(sp)
    EXPECT  x22, 0
    CASE 12
    li      x23, 0x600dc0de
    c.swsp  x23, 64(sp)
    c.lwsp  x24, 64(sp)
    EXPECT  x24, 0x600dc0de

    # mixed 16/32-bit accesses at halfword-aligned instruction addresses
    CASE 13
    la      x9, stack_area
    c.li    x8, 7
    sb      x8, 5(x9)                   # 32-bit store, possibly at pc % 4 = 2
    c.nop
    lbu     x10, 5(x9)
    c.lw    x11, 4(x9)
    srli    x11, x11, 8
    c.andi  x11, 0x1f
    EXPECT  x10, 7
    EXPECT  x11, 7

    TEST_END
