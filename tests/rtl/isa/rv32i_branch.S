/* RV32I conditional branches: beq bne blt bge bltu bgeu, taken forwards, taken backwards and
 * not taken, at the signed/unsigned boundaries (0, -1, INT_MIN, INT_MAX). A taken branch must
 * not let the instructions after it take effect; a loop counts down with a backward bne.
 * Semantics: unprivileged spec, "Conditional Branches". */
#include "test_macros.h"

/* The branch must be taken to a later address: x13 counts the squashed fall-through path. */
.macro T_BR_TAKEN n, op, a, b
    CASE    \n
    li      x11, \a
    li      x12, \b
    li      x13, 0
    \op     x11, x12, .Lbr_target\@
    addi    x13, x13, 1
    addi    x13, x13, 2
    FAIL_HERE
.Lbr_target\@:
    EXPECT  x13, 0
.endm

/* Taken to an earlier address. */
.macro T_BR_BACK n, op, a, b
    CASE    \n
    li      x11, \a
    li      x12, \b
    li      x13, 0
    j       .Lbr_branch\@
.Lbr_target\@:
    j       .Lbr_done\@
.Lbr_branch\@:
    \op     x11, x12, .Lbr_target\@
    addi    x13, x13, 1
    FAIL_HERE
.Lbr_done\@:
    EXPECT  x13, 0
.endm

/* Not taken: execution continues with the next instruction. */
.macro T_BR_NOT n, op, a, b
    CASE    \n
    li      x11, \a
    li      x12, \b
    li      x13, 0
    \op     x11, x12, .Lbr_bad\@
    addi    x13, x13, 1
    j       .Lbr_done\@
.Lbr_bad\@:
    FAIL_HERE
.Lbr_done\@:
    EXPECT  x13, 1
.endm

    TEST_START

    # beq
    T_BR_TAKEN   1, beq,  0, 0
    T_BR_BACK    2, beq,  1, 1
    T_BR_TAKEN   3, beq,  -1, -1
    T_BR_NOT     4, beq,  0, 1
    T_BR_NOT     5, beq,  0x80000000, 0
    T_BR_NOT     6, beq,  1, 0x80000001

    # bne
    T_BR_NOT     7, bne,  0, 0
    T_BR_NOT     8, bne,  -1, -1
    T_BR_TAKEN   9, bne,  0, 1
    T_BR_BACK   10, bne,  0x80000000, 0
    T_BR_TAKEN  11, bne,  1, 0x80000001
    T_BR_BACK   12, bne,  0x7fffffff, 0xffffffff

    # blt
    T_BR_TAKEN  13, blt,  -1, 0
    T_BR_BACK   14, blt,  0x80000000, 0x7fffffff
    T_BR_TAKEN  15, blt,  -2, -1
    T_BR_NOT    16, blt,  0, -1
    T_BR_NOT    17, blt,  5, 5
    T_BR_NOT    18, blt,  1, 0
    T_BR_NOT    19, blt,  0x7fffffff, 0x80000000

    # bge
    T_BR_TAKEN  20, bge,  0, -1
    T_BR_BACK   21, bge,  5, 5
    T_BR_TAKEN  22, bge,  0x7fffffff, 0x80000000
    T_BR_BACK   23, bge,  -1, -1
    T_BR_NOT    24, bge,  -1, 0
    T_BR_NOT    25, bge,  0x80000000, 0x7fffffff
    T_BR_NOT    26, bge,  -2, -1

    # bltu
    T_BR_TAKEN  27, bltu, 0, -1
    T_BR_BACK   28, bltu, 0x7fffffff, 0x80000000
    T_BR_TAKEN  29, bltu, 1, 2
    T_BR_NOT    30, bltu, -1, 0
    T_BR_NOT    31, bltu, 5, 5
    T_BR_NOT    32, bltu, 0x80000000, 0x7fffffff

    # bgeu
    T_BR_TAKEN  33, bgeu, -1, 0
    T_BR_BACK   34, bgeu, 5, 5
    T_BR_TAKEN  35, bgeu, 0x80000000, 0x7fffffff
    T_BR_NOT    36, bgeu, 0, -1
    T_BR_NOT    37, bgeu, 1, 2
    T_BR_NOT    38, bgeu, 0x7fffffff, 0x80000000

    # A loop: ten backward bne iterations, then the fall-through.
    CASE 60
    li      x14, 10
    li      x15, 0
1:  addi    x15, x15, 3
    addi    x14, x14, -1
    bne     x14, x0, 1b
    EXPECT  x15, 30
    EXPECT  x14, 0

    # Branch on a value produced by the instruction right before it (operand forwarding).
    CASE 61
    li      x11, 41
    addi    x11, x11, 1
    li      x12, 42
    beq     x11, x12, 2f
    FAIL_HERE
2:
    CASE 62
    li      x11, 5
    slli    x12, x11, 28            # 0x50000000, positive
    slli    x12, x12, 1             # 0xa0000000, negative
    bge     x12, x0, 3f
    j       4f
3:  FAIL_HERE
4:
    # Branches compare x0 as zero.
    CASE 63
    li      x11, 0
    bne     x0, x11, 5f
    beq     x0, x0, 6f
5:  FAIL_HERE
6:
    TEST_END
