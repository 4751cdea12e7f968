/* RV32I loads and stores: lb lh lw lbu lhu sb sh sw. Every byte lane and both halfword lanes,
 * sign and zero extension, positive/negative/extreme offsets, loads from SRAM and from flash,
 * stores that write only their own bytes (and only the low bits of rs2), a load right after a
 * store to the same and to an overlapping address, a use right after a load, rd = rs1, loads
 * into x0, stores of x0. Unprivileged spec, "Load and Store Instructions" (little endian). */
#include "test_macros.h"

#define FILL 0xa5a5a5a5

    .data
    .balign 16
ld_sram:
    .word   0x80ff7f01, 0x12345678, 0xdeadbeef, 0xfffe8001
st_area:
    .word   0, 0, 0, 0, 0, 0, 0, 0
big_area:
    .space  4096

    .section .rodata
    .balign 16
ld_flash:
    .word   0x80ff7f01, 0x12345678, 0xdeadbeef, 0xfffe8001

/* Load `op` at base + off, expect `value`. */
.macro T_LD n, op, value, base, off
    CASE    \n
    la      x5, \base
    li      x6, 0x5555
    \op     x6, \off(x5)
    EXPECT  x6, \value
.endm

/* Store `op` of `data` at st_area + off into a word pre-filled with FILL; expect `word`. */
.macro T_ST n, op, word, data, off
    CASE    \n
    la      x5, st_area
    li      x7, FILL
    sw      x7, 0(x5)
    sw      x7, 4(x5)
    li      x8, \data
    \op     x8, \off(x5)
    lw      x9, (\off & ~3)(x5)
    EXPECT  x9, \word
.endm

    TEST_START

    # byte loads, each lane: bytes 01 7f ff 80
    T_LD  1, lb,  0x00000001, ld_sram, 0
    T_LD  2, lb,  0x0000007f, ld_sram, 1
    T_LD  3, lb,  0xffffffff, ld_sram, 2
    T_LD  4, lb,  0xffffff80, ld_sram, 3
    T_LD  5, lbu, 0x00000001, ld_sram, 0
    T_LD  6, lbu, 0x0000007f, ld_sram, 1
    T_LD  7, lbu, 0x000000ff, ld_sram, 2
    T_LD  8, lbu, 0x00000080, ld_sram, 3
    # halfwords 7f01 80ff, then 8001 fffe
    T_LD  9, lh,  0x00007f01, ld_sram, 0
    T_LD 10, lh,  0xffff80ff, ld_sram, 2
    T_LD 11, lhu, 0x00007f01, ld_sram, 0
    T_LD 12, lhu, 0x000080ff, ld_sram, 2
    T_LD 13, lh,  0xffff8001, ld_sram, 12
    T_LD 14, lh,  0xfffffffe, ld_sram, 14
    T_LD 15, lhu, 0x00008001, ld_sram, 12
    T_LD 16, lhu, 0x0000fffe, ld_sram, 14
    T_LD 17, lw,  0x80ff7f01, ld_sram, 0
    T_LD 18, lw,  0x12345678, ld_sram, 4
    T_LD 19, lw,  0xdeadbeef, ld_sram, 8
    # negative offsets
    T_LD 20, lw,  0x12345678, ld_sram + 8, -4
    T_LD 21, lb,  0xffffffde, ld_sram + 16, -5
    T_LD 22, lhu, 0x00005678, ld_sram + 2048, -2044
    T_LD 23, lbu, 0x000000ef, ld_sram - 2039, 2047
    T_LD 24, lw,  0xdeadbeef, ld_sram + 2056, -2048
    # the same from flash
    T_LD 25, lb,  0xffffff80, ld_flash, 3
    T_LD 26, lbu, 0x000000ff, ld_flash, 2
    T_LD 27, lh,  0xffff80ff, ld_flash, 2
    T_LD 28, lhu, 0x00008001, ld_flash, 12
    T_LD 29, lw,  0xdeadbeef, ld_flash, 8
    T_LD 30, lw,  0x12345678, ld_flash + 8, -4

    # stores write only their bytes, from the low bits of rs2
    T_ST 31, sb, 0xa5a5a578, 0x12345678, 0
    T_ST 32, sb, 0xa5a578a5, 0x12345678, 1
    T_ST 33, sb, 0xa578a5a5, 0x12345678, 2
    T_ST 34, sb, 0x78a5a5a5, 0x12345678, 3
    T_ST 35, sb, 0xa5a5a500, 0xffffff00, 4
    T_ST 36, sh, 0xa5a55678, 0x12345678, 0
    T_ST 37, sh, 0x5678a5a5, 0x12345678, 2
    T_ST 38, sh, 0xa5a58001, 0xffff8001, 4
    T_ST 39, sw, 0x12345678, 0x12345678, 0
    T_ST 40, sw, 0x80000001, 0x80000001, 4

    # neighbouring word untouched by a byte store
    CASE 41
    la      x5, st_area
    li      x7, FILL
    sw      x7, 0(x5)
    sw      x7, 4(x5)
    li      x8, 0x11
    sb      x8, 3(x5)
    lw      x9, 4(x5)
    EXPECT  x9, FILL

    # store with negative and extreme offsets
    CASE 42
    la      x5, st_area + 8
    li      x8, 0xcafe0001
    sw      x8, -8(x5)
    la      x6, st_area
    lw      x9, 0(x6)
    EXPECT  x9, 0xcafe0001
    CASE 43
    la      x5, big_area + 2048
    li      x8, 0x0badf00d
    sw      x8, -2048(x5)
    sw      x8, 2044(x5)
    la      x6, big_area
    lw      x9, 0(x6)
    EXPECT  x9, 0x0badf00d
    lw      x9, 2044(x5)           # big_area + 4092
    EXPECT  x9, 0x0badf00d

    # load right after a store: same word, and a narrower overlapping access
    CASE 44
    la      x5, st_area
    li      x8, 0x11223344
    sw      x8, 0(x5)
    lw      x9, 0(x5)
    EXPECT  x9, 0x11223344
    CASE 45
    sw      x8, 0(x5)
    lb      x9, 3(x5)
    EXPECT  x9, 0x11
    CASE 46
    sw      x8, 0(x5)
    lhu     x9, 2(x5)               # halfword lane 1
    EXPECT  x9, 0x1122
    CASE 47
    li      x8, 0xffffff99
    sb      x8, 1(x5)
    lw      x9, 0(x5)
    EXPECT  x9, 0x11229944
    CASE 48
    li      x8, 0x8877
    sh      x8, 2(x5)
    lh      x9, 2(x5)
    EXPECT  x9, 0xffff8877
    # back-to-back stores, then loads
    CASE 49
    li      x8, 1
    li      x10, 2
    li      x11, 3
    sw      x8, 0(x5)
    sw      x10, 4(x5)
    sw      x11, 8(x5)
    lw      x12, 0(x5)
    lw      x13, 4(x5)
    lw      x14, 8(x5)
    EXPECT  x12, 1
    EXPECT  x13, 2
    EXPECT  x14, 3

    # use of a loaded value by the next instruction
    CASE 50
    la      x5, ld_sram
    lw      x6, 4(x5)
    addi    x7, x6, 1
    EXPECT  x7, 0x12345679
    CASE 51
    lw      x6, 4(x5)
    lw      x7, 8(x5)
    xor     x8, x6, x7
    EXPECT  x8, 0xcc99e897
    # a loaded address used right away as a base
    CASE 52
    la      x5, st_area
    la      x6, ld_sram
    sw      x6, 0(x5)
    lw      x7, 0(x5)
    lw      x8, 8(x7)
    EXPECT  x8, 0xdeadbeef
    # rd = rs1
    CASE 53
    la      x5, ld_sram
    lw      x5, 4(x5)
    EXPECT  x5, 0x12345678
    # store data produced by the instruction right before
    CASE 54
    la      x5, st_area
    li      x6, 0x100
    addi    x6, x6, 0x23
    sw      x6, 0(x5)
    lw      x7, 0(x5)
    EXPECT  x7, 0x123

    # loads into x0 are discarded; stores of x0 write zeros
    CASE 55
    la      x5, ld_sram
    lw      x0, 0(x5)
    addi    x6, x0, 0
    EXPECT  x6, 0
    EXPECT  x0, 0
    CASE 56
    lb      x0, 3(x5)
    EXPECT  x0, 0
    CASE 57
    la      x5, st_area
    li      x7, -1
    sw      x7, 0(x5)
    sh      x0, 2(x5)
    sb      x0, 0(x5)
    lw      x8, 0(x5)
    EXPECT  x8, 0x0000ff00
    CASE 58
    sw      x0, 0(x5)
    lw      x8, 0(x5)
    EXPECT  x8, 0

    # a word of code (flash) read as data
    CASE 59
    la      x5, code_word
    lw      x6, 0(x5)
    EXPECT  x6, 0x00a00513          # addi a0, x0, 10
    j       1f
    ALIGN4_CODE
code_word:
    addi    a0, x0, 10
1:
    TEST_END
