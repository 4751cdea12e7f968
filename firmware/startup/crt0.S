/*
 * cimvp C runtime start: the reset PC is the first instruction of .text.start, placed first in
 * flash by link/cimvp.ld.
 *
 *   gp, sp, tp  -> __global_pointer$, __stack_top, __tls_base
 *   .data/.tdata copied from their flash load image, .tbss/.bss zeroed
 *   mtvec       -> cimvp_trap_entry (direct mode), interrupts stay disabled until a program enables them
 *   constructors (init_array), then exit(main(0, NULL))
 *
 * cimvp_trap_entry saves the caller-saved registers, calls
 *   uint32_t cimvp_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval, uint32_t *frame)
 * (startup/trap.c), writes the returned value to mepc and returns with mret.
 */
#define CSR_MSTATUS 0x300
#define CSR_MTVEC   0x305
#define CSR_MEPC    0x341
#define CSR_MCAUSE  0x342
#define CSR_MTVAL   0x343

    .section .text.start, "ax"
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      tp, __tls_base
    csrw    CSR_MSTATUS, zero

    /* Copy .data and .tdata (word aligned, word multiple) from flash to SRAM. */
    la      a0, __data_start
    la      a1, __data_end
    la      a2, __data_load
    beq     a0, a2, 2f
1:  bgeu    a0, a1, 2f
    lw      t0, 0(a2)
    sw      t0, 0(a0)
    addi    a0, a0, 4
    addi    a2, a2, 4
    j       1b
2:
    /* Zero .tbss and .bss. */
    la      a0, __bss_start
    la      a1, __bss_end
3:  bgeu    a0, a1, 4f
    sw      zero, 0(a0)
    addi    a0, a0, 4
    j       3b
4:
    la      t0, cimvp_trap_entry
    csrw    CSR_MTVEC, t0

    /* Constructors. */
    la      s0, __preinit_array_start
    la      s1, __init_array_end
5:  bgeu    s0, s1, 6f
    lw      t0, 0(s0)
    jalr    t0
    addi    s0, s0, 4
    j       5b
6:
    li      a0, 0
    li      a1, 0
    call    main
    call    exit
7:  j       7b
    .size _start, . - _start

/* Trap entry: direct mode, so it must be 4-byte aligned. */
    .section .text.trap, "ax"
    .balign 4
    .globl cimvp_trap_entry
    .type cimvp_trap_entry, @function
cimvp_trap_entry:
    addi    sp, sp, -64
    sw      ra,  0(sp)
    sw      t0,  4(sp)
    sw      t1,  8(sp)
    sw      t2, 12(sp)
    sw      a0, 16(sp)
    sw      a1, 20(sp)
    sw      a2, 24(sp)
    sw      a3, 28(sp)
    sw      a4, 32(sp)
    sw      a5, 36(sp)
    sw      a6, 40(sp)
    sw      a7, 44(sp)
    sw      t3, 48(sp)
    sw      t4, 52(sp)
    sw      t5, 56(sp)
    sw      t6, 60(sp)
    csrr    a0, CSR_MCAUSE
    csrr    a1, CSR_MEPC
    csrr    a2, CSR_MTVAL
    mv      a3, sp
    call    cimvp_trap
    csrw    CSR_MEPC, a0
    lw      ra,  0(sp)
    lw      t0,  4(sp)
    lw      t1,  8(sp)
    lw      t2, 12(sp)
    lw      a0, 16(sp)
    lw      a1, 20(sp)
    lw      a2, 24(sp)
    lw      a3, 28(sp)
    lw      a4, 32(sp)
    lw      a5, 36(sp)
    lw      a6, 40(sp)
    lw      a7, 44(sp)
    lw      t3, 48(sp)
    lw      t4, 52(sp)
    lw      t5, 56(sp)
    lw      t6, 60(sp)
    addi    sp, sp, 64
    mret
    .size cimvp_trap_entry, . - cimvp_trap_entry
