/* Bus timing of the core and its AHB bridges (docs/core-interface.md, "Bridge timing"), measured
 * with mcycle around straight-line code: zero-wait loads and stores to SRAM pipeline at one
 * instruction per cycle (the bridge keeps HREADY high through a store's data phase when the
 * C++ side promises zero wait states), and a store to a device register takes the general
 * path with at least one wait state. Each sequence runs twice and the second run is checked,
 * so that the platform has its DMI pointers (first accesses go through b_transport). */
#include "test_macros.h"

    .data
    .balign 16
buf:
    .word   0, 0, 0, 0, 0, 0, 0, 0

/* x7 = cycles from one csrr mcycle to the next with `body` in between, second of two runs. */
.macro TIMED body
    li      x9, 2
1:
    csrr    x6, mcycle
    \body
    csrr    x7, mcycle
    addi    x9, x9, -1
    bnez    x9, 1b
    sub     x7, x7, x6
.endm

.macro STORES8
    sw      x0, 0(x5)
    sw      x0, 4(x5)
    sh      x0, 8(x5)
    sb      x0, 12(x5)
    sw      x0, 16(x5)
    sw      x0, 20(x5)
    sh      x0, 24(x5)
    sb      x0, 28(x5)
.endm

.macro LOADS8
    lw      x8, 0(x5)
    lw      x8, 4(x5)
    lh      x8, 8(x5)
    lb      x8, 12(x5)
    lw      x8, 16(x5)
    lw      x8, 20(x5)
    lhu     x8, 24(x5)
    lbu     x8, 28(x5)
.endm

.macro MIXED8
    sw      x0, 0(x5)
    lw      x8, 0(x5)
    sw      x8, 4(x5)
    lw      x8, 4(x5)
    sw      x8, 8(x5)
    lw      x8, 8(x5)
    sw      x8, 12(x5)
    lw      x8, 12(x5)
.endm

.macro DEV_STORES4
    sw      x10, 0(x11)
    sw      x10, 0(x11)
    sw      x10, 0(x11)
    sw      x10, 0(x11)
.endm

    TEST_START

    /* The reference: 8 ALU instructions take 8 cycles, so the csrr pair adds 1. */
    CASE 1
    TIMED "addi x8, x8, 1; addi x8, x8, 1; addi x8, x8, 1; addi x8, x8, 1; addi x8, x8, 1; addi x8, x8, 1; addi x8, x8, 1; addi x8, x8, 1"
    EXPECT  x7, 9

    /* 8 stores of every size to SRAM: one cycle each (no wait state in the data phase). */
    CASE 2
    la      x5, buf
    TIMED STORES8
    EXPECT  x7, 9

    /* 8 loads: one cycle each. */
    CASE 3
    la      x5, buf
    TIMED LOADS8
    EXPECT  x7, 9

    /* Store, then a load of the same word, and a store of the loaded value: still one cycle each,
     * and the load sees the store (performed at the edge that ends the store's data phase). */
    CASE 4
    la      x5, buf
    li      x8, 0x5a
    sw      x8, 0(x5)
    TIMED MIXED8
    EXPECT  x7, 9
    lw      x8, 12(x5)
    EXPECT  x8, 0

    /* 4 stores to a device register (UART control, rewritten with its own value): the general
     * path, at least one wait state each, so at least 8 cycles plus 1. */
    CASE 5
    li      x11, CIMVP_UART_BASE + UART_CTRL
    lw      x10, 0(x11)
    TIMED DEV_STORES4
    sltiu   x7, x7, 9
    EXPECT  x7, 0

    TEST_END
