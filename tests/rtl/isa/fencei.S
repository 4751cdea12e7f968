/* fence and fence.i (Zifencei): code written to SRAM by stores runs after fence.i, also when it
 * replaces an instruction the core may already have fetched (the one right after the fence.i)
 * and when it is compressed; fence orders a store before a later load; reserved fields of fence
 * and fence.i are ignored (no trap, no register write); code placed in SRAM by the loader runs.
 * Unprivileged spec, "Memory Ordering Instructions" and "Zifencei". */
#include "test_macros.h"

#define I_ADDI_A0(v)  (((v) << 20) | (10 << 7) | 0x13)   /* addi a0, x0, v */
#define I_RET         0x00008067                         /* jalr x0, 0(ra) */
#define I_FENCE_I     0x0000100f
#define I_SW_X6_8_X5  0x0062a423                         /* sw x6, 8(x5) */

    .data
    .balign 16
code_buf:
    .space  64
sram_func:                              /* loaded into SRAM with the image */
    addi    a0, x0, 7
    jalr    x0, 0(ra)

    TEST_START

    # write a function, fence.i, call it
    CASE 1
    la      x5, code_buf
    li      x6, I_ADDI_A0(1)
    sw      x6, 0(x5)
    li      x6, I_RET
    sw      x6, 4(x5)
    fence.i
    li      a0, 0
    jalr    ra, 0(x5)
    EXPECT  a0, 1
    # rewrite it: the new instruction runs
    CASE 2
    li      x6, I_ADDI_A0(2)
    sw      x6, 0(x5)
    fence.i
    jalr    ra, 0(x5)
    EXPECT  a0, 2
    # code that patches the instruction right after its own fence.i
    CASE 3
    li      x6, I_SW_X6_8_X5
    sw      x6, 0(x5)
    li      x6, I_FENCE_I
    sw      x6, 4(x5)
    li      x6, I_ADDI_A0(3)
    sw      x6, 8(x5)
    li      x6, I_RET
    sw      x6, 12(x5)
    fence.i
    li      x6, I_ADDI_A0(4)            # what the code stores over its own +8
    jalr    ra, 0(x5)
    EXPECT  a0, 4
    # compressed code: c.li a0, 5; c.jr ra
    CASE 4
    li      x6, 0x80824515
    sw      x6, 0(x5)
    fence.i
    jalr    ra, 0(x5)
    EXPECT  a0, 5
    # a 32-bit instruction at pc % 4 = 2 written as two halfwords: c.nop; addi a0, x0, 6; c.jr ra
    CASE 5
    li      x6, 0x0001
    sh      x6, 0(x5)
    li      x6, I_ADDI_A0(6)
    sh      x6, 2(x5)
    srli    x6, x6, 16
    sh      x6, 4(x5)
    li      x6, 0x8082
    sh      x6, 6(x5)
    fence.i
    jalr    ra, 0(x5)
    EXPECT  a0, 6
    # code loaded into SRAM by the ELF loader
    CASE 6
    la      x5, sram_func
    jalr    ra, 0(x5)
    EXPECT  a0, 7

    # fence: a store is seen by a later load
    CASE 7
    la      x5, code_buf
    li      x6, 0x1234
    sw      x6, 32(x5)
    fence   w, r
    lw      x7, 32(x5)
    EXPECT  x7, 0x1234
    CASE 8
    fence
    fence   iorw, iorw
    fence   rw, w
    fence.tso
    # reserved fields are ignored: fence.i with rd/rs1/imm set, fence with rd set
    CASE 9
    li      x1, 0x77
    .word   0x0000108f                  # fence.i, rd = x1
    .word   0x0000900f                  # fence.i, rs1 = x1
    .word   0x0010100f                  # fence.i, imm = 1
    .word   0x0ff0008f                  # fence iorw, iorw with rd = x1
    EXPECT  x1, 0x77

    TEST_END
