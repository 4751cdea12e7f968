/* Instruction access faults (mcause 1): mepc = mtval = the address whose fetch failed; the jump
 * that got there completes (its link register is written).
 *  - jalr / mret to an unmapped address (UNMAPPED_ADDR) and to the first address past flash;
 *  - a 32-bit instruction whose second half lies past the end of SRAM: mepc = its start,
 *    mtval = the end of SRAM (the part that faulted);
 *  - a 16-bit instruction in the last halfword of SRAM executes; falling through past the end
 *    faults at the end address.
 * The SRAM cases write code at run time and use fence.i. Privileged spec, "Machine Trap Value
 * Register"; memory map: docs/memory-map.md. */
#include "test_macros.h"

#define FLASH_END (CIMVP_FLASH_BASE + CIMVP_FLASH_SIZE)
#define SRAM_END  (CIMVP_SRAM_BASE + CIMVP_SRAM_SIZE)

    TEST_START

    CASE 1
    li      x5, UNMAPPED_ADDR
    TRAP_ARM 1f
jalr_1:
    jalr    x1, 0(x5)
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_FETCH_ACCESS
    EXPECT  TRAP_EPC, UNMAPPED_ADDR
    EXPECT  TRAP_TVAL, UNMAPPED_ADDR
    EXPECT_ADDR x1, jalr_1 + 4

    CASE 2
    li      x5, UNMAPPED_ADDR + 0x102
    TRAP_ARM 1f
    jalr    x0, 0(x5)
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_FETCH_ACCESS
    EXPECT  TRAP_EPC, UNMAPPED_ADDR + 0x102
    EXPECT  TRAP_TVAL, UNMAPPED_ADDR + 0x102

    CASE 3
    li      x5, FLASH_END
    TRAP_ARM 1f
    jalr    x0, 0(x5)
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_FETCH_ACCESS
    EXPECT  TRAP_EPC, FLASH_END
    EXPECT  TRAP_TVAL, FLASH_END

    CASE 4
    li      x5, UNMAPPED_ADDR + 0x40
    csrw    mepc, x5
    TRAP_ARM 1f
    mret
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_FETCH_ACCESS
    EXPECT  TRAP_EPC, UNMAPPED_ADDR + 0x40
    EXPECT  TRAP_TVAL, UNMAPPED_ADDR + 0x40

    # 32-bit instruction straddling the end of SRAM: low half at SRAM_END - 2
    CASE 5
    li      x5, SRAM_END - 4
    li      x6, 0x05130000              # bytes 00 00 | 13 05: the low half of "addi a0, ..."
    sw      x6, 0(x5)
    fence.i
    li      x10, 0x0bad
    addi    x7, x5, 2
    TRAP_ARM 1f
    jalr    x0, 0(x7)
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_FETCH_ACCESS
    EXPECT  TRAP_EPC, SRAM_END - 2
    EXPECT  TRAP_TVAL, SRAM_END
    EXPECT  x10, 0x0bad

    # a compressed instruction in the last halfword runs: c.jr ra
    CASE 6
    li      x5, SRAM_END - 4
    li      x6, 0x80820001              # c.nop at SRAM_END - 4, c.jr ra at SRAM_END - 2
    sw      x6, 0(x5)
    fence.i
    jalr    x1, 0(x5)
    # falling through past the end: c.nop, c.nop, then the fetch at SRAM_END faults
    CASE 7
    li      x6, 0x00010001
    sw      x6, 0(x5)
    fence.i
    TRAP_ARM 1f
    jalr    x0, 0(x5)
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_FETCH_ACCESS
    EXPECT  TRAP_EPC, SRAM_END
    EXPECT  TRAP_TVAL, SRAM_END

    TEST_END
