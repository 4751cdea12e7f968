/* Illegal instructions (mcause 2, mepc at the instruction, mtval = its encoding: 32 bits, or the
 * 16 bits of a compressed one zero-extended). Encodings outside RV32IMC + Zicsr/Zifencei:
 * the all-zero 16-bit parcel, opcodes of absent extensions (F, D, A, V, RV64's *W forms, custom),
 * unused funct3/funct7 values of standard opcodes (ld/lwu/sd on RV32, branch funct3 2/3, jalr
 * funct3 != 0, shifts with bad funct7 or shamt[5] = 1, unknown SYSTEM instructions), and
 * compressed encodings of absent extensions (c.fld/c.flw/c.fsd/c.fsw/... and RV64's
 * c.subw/c.addw). The destination register is not written. CSR cases are in csr.S. */
#include "test_macros.h"

    TEST_START

    # the defined-illegal all-zero instruction (its first 16-bit parcel)
    T_ILLEGAL16  1, 0x0000
    # absent extensions and custom opcodes
    T_ILLEGAL32  2, 0x00002007          # flw f0, 0(x0)
    T_ILLEGAL32  3, 0x00003007          # fld
    T_ILLEGAL32  4, 0x00002027          # fsw
    T_ILLEGAL32  5, 0x00000053          # fadd.s
    T_ILLEGAL32  6, 0x00000043          # fmadd.s
    T_ILLEGAL32  7, 0x1000202f          # lr.w
    T_ILLEGAL32  8, 0x0000202f          # amoadd.w
    T_ILLEGAL32  9, 0x00000057          # OP-V
    T_ILLEGAL32 10, 0x0000001b          # addiw (RV64)
    T_ILLEGAL32 11, 0x0000003b          # addw (RV64)
    T_ILLEGAL32 12, 0x0000000b          # custom-0
    T_ILLEGAL32 13, 0x0000002b          # custom-1
    # unused funct3 / funct7 of RV32I/M opcodes
    T_ILLEGAL32 14, 0x00003003          # ld
    T_ILLEGAL32 15, 0x00006003          # lwu
    T_ILLEGAL32 16, 0x00007003          # LOAD funct3 7
    T_ILLEGAL32 17, 0x00003023          # sd
    T_ILLEGAL32 18, 0x00004023          # STORE funct3 4
    T_ILLEGAL32 19, 0x00002063          # BRANCH funct3 2
    T_ILLEGAL32 20, 0x00003063          # BRANCH funct3 3
    T_ILLEGAL32 21, 0x00001067          # jalr funct3 1
    T_ILLEGAL32 22, 0xfe000033          # OP funct7 0x7f
    T_ILLEGAL32 23, 0x40001033          # sll with funct7 0x20
    T_ILLEGAL32 24, 0x40002033          # slt with funct7 0x20
    T_ILLEGAL32 25, 0x04000033          # OP funct7 0x02
    T_ILLEGAL32 26, 0x40001013          # slli with imm[11:5] = 0x20
    T_ILLEGAL32 27, 0x02001013          # slli with shamt[5] = 1 (RV64 only)
    T_ILLEGAL32 28, 0x02005013          # srli with shamt[5] = 1
    T_ILLEGAL32 29, 0x42005013          # srai with shamt[5] = 1
    T_ILLEGAL32 30, 0x00005013 | (1 << 26) | (1 << 31)  # srli with imm[11:5] = 0x21
    T_ILLEGAL32 31, 0x0000200f          # MISC-MEM funct3 2
    T_ILLEGAL32 32, 0x00004073          # SYSTEM funct3 4
    T_ILLEGAL32 33, 0x00200073          # uret (N extension, gone)
    T_ILLEGAL32 34, 0x10200073          # sret: no S-mode
    T_ILLEGAL32 35, 0x12000073          # sfence.vma: no S-mode
    T_ILLEGAL32 36, 0x00100173          # ebreak with rd != 0
    T_ILLEGAL32 37, 0x00008073          # ecall with rs1 != 0
    T_ILLEGAL32 38, 0x7b200073          # dret: not in debug mode

    # compressed: F/D loads and stores, RV64-only arithmetic
    T_ILLEGAL16 39, 0x2000              # c.fld f8, 0(x8)
    T_ILLEGAL16 40, 0x6000              # c.flw f8, 0(x8)
    T_ILLEGAL16 41, 0xa000              # c.fsd f8, 0(x8)
    T_ILLEGAL16 42, 0xe000              # c.fsw f8, 0(x8)
    T_ILLEGAL16 43, 0x2002              # c.fldsp f0, 0(sp)
    T_ILLEGAL16 44, 0x6002              # c.flwsp f0, 0(sp)
    T_ILLEGAL16 45, 0xa002              # c.fsdsp f0, 0(sp)
    T_ILLEGAL16 46, 0xe002              # c.fswsp f0, 0(sp)
    T_ILLEGAL16 47, 0x9c01              # c.subw x8, x8
    T_ILLEGAL16 48, 0x9c21              # c.addw x8, x8

    # the destination keeps its value; a 32-bit illegal instruction at pc % 4 = 2
    CASE 49
    li      x10, 0x600d
    T_ILLEGAL 50, .word 0x00003503      # ld x10, 0(x0)
    EXPECT  x10, 0x600d
    CASE 51
    TRAP_ARM 1f
    .option rvc
    .balign 4                           # (pads with c.nop; in norvc code GAS cannot pad 2 bytes)
    c.nop
ill_51:
    .word   0x0000200f                  # at pc % 4 = 2
    .option norvc
1:  TRAP_DISARM
    EXPECT  TRAP_CAUSE, CAUSE_ILLEGAL
    EXPECT_ADDR TRAP_EPC, ill_51
    EXPECT  TRAP_TVAL, 0x0000200f

    TEST_END
