/* RVC integer operations: c.li c.lui c.addi c.addi16sp c.addi4spn c.slli c.srli c.srai c.andi
 * c.mv c.add c.sub c.xor c.or c.and c.nop. Immediate extremes (6-bit signed, c.lui's 18-bit
 * sign-extended nzimm, c.addi16sp's -512..496, c.addi4spn's 4..1020), registers outside x8..x15
 * where the form allows them, and 32-bit instructions at halfword-aligned addresses in between.
 * Expansions: unprivileged spec, "C" Standard Extension. */
#include "test_macros.h"

    TEST_START
    .option rvc

    # c.li: rd = sext(imm6)
    CASE 1
    li      x8, 0x12345678
    c.li    x8, -32
    EXPECT  x8, 0xffffffe0
    CASE 2
    c.li    x15, 31
    EXPECT  x15, 31
    CASE 3
    li      x1, -1
    c.li    x1, 0
    EXPECT  x1, 0
    CASE 4
    c.li    x25, -1
    EXPECT  x25, 0xffffffff

    # c.lui: rd = sext(nzimm[17:12] << 12)
    CASE 5
    li      x9, -1
    c.lui   x9, 1
    EXPECT  x9, 0x00001000
    CASE 6
    c.lui   x9, 0x1f
    EXPECT  x9, 0x0001f000
    CASE 7
    c.lui   x10, 0xfffe0                # nzimm[17] set: sign-extended
    EXPECT  x10, 0xfffe0000
    CASE 8
    c.lui   x1, 0xfffff
    EXPECT  x1, 0xfffff000
    CASE 9
    c.lui   x24, 0x10
    EXPECT  x24, 0x00010000

    # c.addi: rd += sext(nzimm6)
    CASE 10
    li      x8, 100
    c.addi  x8, -32
    EXPECT  x8, 68
    CASE 11
    li      x5, 0x7fffffff
    c.addi  x5, 1
    EXPECT  x5, 0x80000000
    CASE 12
    li      x20, 0
    c.addi  x20, 31
    c.addi  x20, -1
    EXPECT  x20, 30

    # c.addi16sp: sp += sext(nzimm * 16), -512..496
    CASE 13
    li      sp, 0x20001000
    c.addi16sp sp, -512
    EXPECT  sp, 0x20000e00
    CASE 14
    c.addi16sp sp, 496
    EXPECT  sp, 0x20000ff0
    CASE 15
    c.addi16sp sp, 16
    EXPECT  sp, 0x20001000

    # c.addi4spn: rd' = sp + nzuimm, 4..1020
    CASE 16
    c.addi4spn x8, sp, 4
    EXPECT  x8, 0x20001004
    CASE 17
    c.addi4spn x15, sp, 1020
    EXPECT  x15, 0x200013fc
    CASE 18
    li      sp, 0xfffffffc
    c.addi4spn x12, sp, 8               # wraps
    EXPECT  x12, 4

    # c.slli (any rd), c.srli / c.srai (rd' only), shamt 1..31
    CASE 19
    li      x5, 0x80000001
    c.slli  x5, 1
    EXPECT  x5, 2
    CASE 20
    li      x21, 3
    c.slli  x21, 31
    EXPECT  x21, 0x80000000
    CASE 21
    li      x8, 0x80000000
    c.srli  x8, 31
    EXPECT  x8, 1
    CASE 22
    li      x9, 0xf0000000
    c.srli  x9, 4
    EXPECT  x9, 0x0f000000
    CASE 23
    li      x10, 0x80000000
    c.srai  x10, 31
    EXPECT  x10, 0xffffffff
    CASE 24
    li      x11, 0xf0000010
    c.srai  x11, 4
    EXPECT  x11, 0xff000001
    CASE 25
    li      x11, 0x70000010
    c.srai  x11, 1
    EXPECT  x11, 0x38000008

    # c.andi: rd' &= sext(imm6)
    CASE 26
    li      x12, 0x12345678
    c.andi  x12, -32
    EXPECT  x12, 0x12345660
    CASE 27
    li      x13, 0x12345678
    c.andi  x13, 31
    EXPECT  x13, 0x18
    CASE 28
    li      x14, -1
    c.andi  x14, 0
    EXPECT  x14, 0

    # c.mv: rd = rs2; c.add: rd += rs2
    CASE 29
    li      x6, 0x13579bdf
    li      x5, 0
    c.mv    x5, x6
    EXPECT  x5, 0x13579bdf
    EXPECT  x6, 0x13579bdf
    CASE 30
    li      x7, 0x0000ffff
    li      x22, 0x7fff0001
    c.add   x22, x7
    EXPECT  x22, 0x80000000
    CASE 31
    li      x23, 0x40000001
    c.add   x23, x23
    EXPECT  x23, 0x80000002
    CASE 32
    li      x24, -7
    c.mv    x1, x24
    c.add   x1, x1                      # the moved value used right away
    EXPECT  x1, 0xfffffff2

    # c.sub / c.xor / c.or / c.and on x8..x15
    CASE 33
    li      x8, 5
    li      x9, 7
    c.sub   x8, x9
    EXPECT  x8, 0xfffffffe
    CASE 34
    li      x10, 0x80000000
    li      x15, 1
    c.sub   x10, x15
    EXPECT  x10, 0x7fffffff
    CASE 35
    li      x11, 0xff00ff00
    li      x12, 0x0ff00ff0
    c.xor   x11, x12
    EXPECT  x11, 0xf0f0f0f0
    CASE 36
    li      x13, 0xff00ff00
    li      x14, 0x0ff00ff0
    c.or    x13, x14
    EXPECT  x13, 0xfff0fff0
    CASE 37
    li      x14, 0xff00ff00
    li      x15, 0x0ff00ff0
    c.and   x14, x15
    EXPECT  x14, 0x0f000f00
    CASE 38
    li      x9, 0x12345678
    c.xor   x9, x9
    EXPECT  x9, 0

    # c.nop changes nothing
    CASE 39
    li      x8, 0x77
    c.nop
    c.nop
    EXPECT  x8, 0x77

    # a chain of dependent compressed instructions, 32-bit ones between them at odd halfwords
    CASE 40
    c.li    x8, 1
    c.slli  x8, 4                       # 16
    addi    x8, x8, 0x100               # 0x110 (32-bit, halfword aligned)
    c.addi  x8, 1                       # 0x111
    c.mv    x9, x8
    c.add   x9, x8                      # 0x222
    xori    x9, x9, 0x0f                # 0x22d
    c.andi  x9, 0x0f                    # 0x00d
    EXPECT  x9, 0x0d

    TEST_END
