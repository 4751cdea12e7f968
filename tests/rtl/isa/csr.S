/* Zicsr and the machine-mode CSRs of an M-only RV32IMC hart.
 *  - csrrw/csrrs/csrrc and csrrwi/csrrsi/csrrci: old value to rd, new value as specified;
 *    rd = x0 (csrrw still writes), rs1 = x0 / uimm = 0 (csrrs/csrrc do not write, so they may
 *    read read-only CSRs), rd = rs1, an operand produced by the previous instruction;
 *  - misa = 0x40001104 (RV32 I M C), mhartid = 0, mvendorid/marchid/mimpid readable;
 *  - mstatus.MPP reads 3 (M only), MIE/MPIE writable; mie implements only MSIE/MTIE/MEIE;
 *    mip bits are read-only; mepc[0] is zero (IALIGN = 16); mtvec base and mode;
 *  - mcycle/minstret advance, are writable (the write replaces the increment), carry into the
 *    high halves; cycle/time/instret are readable and read-only;
 *  - illegal instruction (mtval = encoding, rd unchanged) for a write to a read-only CSR
 *    (mvendorid, cycle), csrrs with a non-x0 rs1 on a read-only CSR, and unknown CSR numbers.
 * Privileged spec, "Machine-Level CSRs"; unprivileged spec, "Zicsr" and "Counters". */
#include "test_macros.h"

    TEST_START

    CASE 1
    csrr    x5, misa
    EXPECT  x5, 0x40001104
    CASE 2
    li      x5, -1
    csrr    x5, mhartid
    EXPECT  x5, 0
    CASE 3                              # readable without a trap (values are implementation's)
    csrr    x5, mvendorid
    csrr    x6, marchid
    csrr    x7, mimpid

    # csrrw / csrrs / csrrc on mscratch
    CASE 4
    li      x6, 0x12345678
    csrw    mscratch, x6
    li      x7, 0x9abcdef0
    csrrw   x5, mscratch, x7
    EXPECT  x5, 0x12345678
    csrr    x5, mscratch
    EXPECT  x5, 0x9abcdef0
    CASE 5
    li      x6, 0x000000f0
    csrw    mscratch, x6
    li      x7, 0x00000f00
    csrrs   x5, mscratch, x7
    EXPECT  x5, 0x000000f0
    csrr    x5, mscratch
    EXPECT  x5, 0x00000ff0
    CASE 6
    li      x7, 0x000000f0
    csrrc   x5, mscratch, x7
    EXPECT  x5, 0x00000ff0
    csrr    x5, mscratch
    EXPECT  x5, 0x00000f00
    # immediate forms: 5-bit zero-extended uimm
    CASE 7
    csrrwi  x5, mscratch, 31
    EXPECT  x5, 0x00000f00
    csrr    x5, mscratch
    EXPECT  x5, 31
    CASE 8
    csrwi   mscratch, 0x10
    csrrsi  x5, mscratch, 0x06
    EXPECT  x5, 0x10
    csrr    x5, mscratch
    EXPECT  x5, 0x16
    CASE 9
    csrrci  x5, mscratch, 0x12
    EXPECT  x5, 0x16
    csrr    x5, mscratch
    EXPECT  x5, 0x04
    # rd = x0: csrrw still writes
    CASE 10
    li      x6, 0x55aa55aa
    csrrw   x0, mscratch, x6
    csrr    x5, mscratch
    EXPECT  x5, 0x55aa55aa
    EXPECT  x0, 0
    # rs1 = x0 / uimm = 0: no write
    CASE 11
    csrrs   x5, mscratch, x0
    csrrc   x5, mscratch, x0
    csrrsi  x5, mscratch, 0
    csrrci  x5, mscratch, 0
    csrr    x5, mscratch
    EXPECT  x5, 0x55aa55aa
    # ... so they read read-only CSRs without trapping
    CASE 12
    csrrs   x5, mvendorid, x0
    csrrc   x5, mhartid, x0
    EXPECT  x5, 0
    csrrsi  x5, marchid, 0
    csrrci  x5, mimpid, 0
    csrrs   x5, misa, x0
    EXPECT  x5, 0x40001104
    # rd = rs1: the old value goes to rd, the new value comes from the old rs1
    CASE 13
    li      x8, 0x1111
    csrw    mscratch, x8
    li      x9, 0x2222
    csrrw   x9, mscratch, x9
    EXPECT  x9, 0x1111
    csrr    x10, mscratch
    EXPECT  x10, 0x2222
    # operand from the previous instruction, result used by the next one
    CASE 14
    li      x11, 0x100
    addi    x11, x11, 0x23
    csrw    mscratch, x11
    csrr    x12, mscratch
    addi    x12, x12, 1
    EXPECT  x12, 0x124
    CASE 15
    csrwi   mscratch, 7
    csrrwi  x13, mscratch, 9
    csrrwi  x14, mscratch, 11
    add     x15, x13, x14
    EXPECT  x15, 16

    # mstatus: MPP is M (3); MIE and MPIE are writable
    CASE 16
    csrr    x5, mstatus
    srli    x5, x5, 11
    andi    x5, x5, 3
    EXPECT  x5, 3
    CASE 17
    csrw    mie, x0                     # nothing can interrupt
    csrsi   mstatus, 0x8                # MIE
    li      x6, 0x80
    csrs    mstatus, x6                 # MPIE
    csrr    x5, mstatus
    andi    x5, x5, 0x88
    EXPECT  x5, 0x88
    csrci   mstatus, 0x8
    csrc    mstatus, x6
    csrr    x5, mstatus
    andi    x5, x5, 0x88
    EXPECT  x5, 0
    # mie: only MSIE, MTIE, MEIE exist
    CASE 18
    li      x6, -1
    csrw    mie, x6
    csrr    x5, mie
    csrw    mie, x0
    EXPECT  x5, 0x888
    # mip: MSIP/MTIP/MEIP are read-only, nothing is pending
    CASE 19
    li      x6, -1
    csrw    mip, x6
    csrr    x5, mip
    EXPECT  x5, 0
    # mepc: bit 0 always zero
    CASE 20
    li      x6, -1
    csrw    mepc, x6
    csrr    x5, mepc
    EXPECT  x5, 0xfffffffe
    CASE 21
    li      x6, 0x20000102
    csrw    mepc, x6
    csrr    x5, mepc
    EXPECT  x5, 0x20000102
    # mtvec: base and mode (0 direct, 1 vectored)
    CASE 22
    csrr    x20, mtvec
    li      x6, 0x00001200
    csrw    mtvec, x6
    csrr    x5, mtvec
    EXPECT  x5, 0x00001200
    li      x6, 0x00001201
    csrw    mtvec, x6
    csrr    x5, mtvec
    csrw    mtvec, x20
    EXPECT  x5, 0x00001201

    # counters advance
    CASE 23
    csrr    x5, mcycle
    nop
    csrr    x6, mcycle
    bltu    x5, x6, 1f
    FAIL_HERE
1:
    # minstret counts exactly: the second read sees the first read and the five nops
    CASE 24
    csrr    x5, minstret
    nop
    nop
    nop
    nop
    nop
    csrr    x6, minstret
    sub     x7, x6, x5
    EXPECT  x7, 6
    # a write replaces the increment of the writing instruction
    CASE 25
    li      x6, 100
    csrw    minstret, x6
    csrr    x5, minstret
    EXPECT  x5, 100
    CASE 26
    li      x6, 1000
    csrw    mcycle, x6
    csrr    x5, mcycle
    sub     x5, x5, x6
    sltiu   x7, x5, 20                  # a few cycles later
    EXPECT  x7, 1
    # carry from the low into the high half
    CASE 27
    li      x6, 7
    csrw    minstreth, x6
    li      x6, -2
    csrw    minstret, x6                # {7, 0xfffffffe}
    nop                                 # {7, 0xffffffff}
    nop                                 # {8, 0}
    csrr    x5, minstreth               # reads {8, 0}, then {8, 1}
    csrr    x7, minstret
    EXPECT  x5, 8
    EXPECT  x7, 1
    CASE 28
    li      x6, 5
    csrw    mcycleh, x6
    li      x6, -16
    csrw    mcycle, x6
    .rept 20
    nop
    .endr
    csrr    x5, mcycleh
    EXPECT  x5, 6
    # user-level read-only shadows
    CASE 29
    csrr    x5, minstret
    csrr    x6, instret
    sub     x7, x6, x5
    EXPECT  x7, 1
    CASE 30
    csrr    x5, mcycle
    csrr    x6, cycle
    sub     x7, x6, x5
    sltiu   x7, x7, 10
    EXPECT  x7, 1
    csrr    x5, cycleh
    csrr    x6, instreth
    csrr    x7, time
    csrr    x8, timeh
    csrr    x9, mcycleh
    csrr    x10, minstreth
    EXPECT_SAME x5, x9
    EXPECT_SAME x6, x10

    # illegal: writes to read-only CSRs, non-x0 rs1 for csrrs/csrrc on them, unknown CSRs
    T_ILLEGAL 40, csrrw x0, mvendorid, x5
    T_ILLEGAL 41, csrrwi x5, mhartid, 0
    T_ILLEGAL 42, csrw  0xc01, x5               # time
    T_ILLEGAL 43, csrrw x5, cycle, x0
    T_ILLEGAL 44, csrrwi x0, instret, 1
    CASE 45
    li      x6, 0                       # a zero value, but not x0: still a write
    T_ILLEGAL 46, csrrs x5, mvendorid, x6
    T_ILLEGAL 47, csrrc x5, marchid, x6
    T_ILLEGAL 48, csrrsi x5, mimpid, 1
    T_ILLEGAL 49, csrrci x5, cycleh, 1
    T_ILLEGAL 50, csrr x5, 0x105              # stvec: no S-mode
    T_ILLEGAL 51, csrr x5, 0x180              # satp
    T_ILLEGAL 52, csrw 0x7c0, x5              # custom, not implemented
    T_ILLEGAL 53, csrr x5, 0x001              # fflags: no F
    # the destination of a trapping CSR instruction is not written; read-only CSRs keep values
    CASE 54
    li      x5, 0x5a5a
    T_ILLEGAL 55, csrr x5, 0x105
    EXPECT  x5, 0x5a5a
    CASE 56
    li      x6, 0x1234
    T_ILLEGAL 57, csrrw x7, mhartid, x6
    csrr    x5, mhartid
    EXPECT  x5, 0
    CASE 58
    li      x8, 0x4321
    csrw    mscratch, x8
    li      x9, -1
    T_ILLEGAL 59, csrrw x9, 0xc01, x8      # time
    EXPECT  x9, -1

    TEST_END
