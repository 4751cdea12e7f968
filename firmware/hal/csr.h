/* Machine-mode CSR access for cimvp's RV32IMC core: read/write/set/clear macros, 64-bit
 * counter reads, interrupt enable helpers. Header only. */
#ifndef CIMVP_HAL_CSR_H
#define CIMVP_HAL_CSR_H

#include <stdint.h>

/* CSR numbers (privileged spec). */
#define CSR_MSTATUS   0x300
#define CSR_MISA      0x301
#define CSR_MIE       0x304
#define CSR_MTVEC     0x305
#define CSR_MSCRATCH  0x340
#define CSR_MEPC      0x341
#define CSR_MCAUSE    0x342
#define CSR_MTVAL     0x343
#define CSR_MIP       0x344
#define CSR_MCYCLE    0xB00
#define CSR_MINSTRET  0xB02
#define CSR_MCYCLEH   0xB80
#define CSR_MINSTRETH 0xB82
#define CSR_CYCLE     0xC00
#define CSR_TIME      0xC01
#define CSR_INSTRET   0xC02
#define CSR_CYCLEH    0xC80
#define CSR_TIMEH     0xC81
#define CSR_INSTRETH  0xC82
#define CSR_MVENDORID 0xF11
#define CSR_MARCHID   0xF12
#define CSR_MIMPID    0xF13
#define CSR_MHARTID   0xF14

/* mstatus / mie / mip bits. */
#define MSTATUS_MIE   (1u << 3)
#define MSTATUS_MPIE  (1u << 7)
#define MSTATUS_MPP   (3u << 11)
#define MIE_MSIE      (1u << 3)
#define MIE_MTIE      (1u << 7)
#define MIE_MEIE      (1u << 11)
#define MIP_MSIP      MIE_MSIE
#define MIP_MTIP      MIE_MTIE
#define MIP_MEIP      MIE_MEIE

/* mcause values. */
#define MCAUSE_INTERRUPT        (1u << 31)
#define MCAUSE_CODE(c)          ((c) & 0x7FFFFFFFu)
#define IRQ_M_SOFT              3u
#define IRQ_M_TIMER             7u
#define IRQ_M_EXT               11u
#define EXC_INSN_MISALIGNED     0u
#define EXC_INSN_ACCESS         1u
#define EXC_ILLEGAL_INSN        2u
#define EXC_BREAKPOINT          3u
#define EXC_LOAD_MISALIGNED     4u
#define EXC_LOAD_ACCESS         5u
#define EXC_STORE_MISALIGNED    6u
#define EXC_STORE_ACCESS        7u
#define EXC_ECALL_M             11u

#define CSR_STR_(x) #x
#define CSR_STR(x) CSR_STR_(x)

/* `csr` is a number (one of the CSR_* above) or a name the assembler knows. */
#define csr_read(csr) ({ uint32_t v_; \
    __asm__ volatile("csrr %0, " CSR_STR(csr) : "=r"(v_)); v_; })
#define csr_write(csr, val) ({ uint32_t w_ = (uint32_t)(val); \
    __asm__ volatile("csrw " CSR_STR(csr) ", %0" :: "rK"(w_) : "memory"); })
#define csr_swap(csr, val) ({ uint32_t v_, w_ = (uint32_t)(val); \
    __asm__ volatile("csrrw %0, " CSR_STR(csr) ", %1" : "=r"(v_) : "rK"(w_) : "memory"); v_; })
/* Set/clear bits; both return the old value. */
#define csr_set(csr, bits) ({ uint32_t v_, w_ = (uint32_t)(bits); \
    __asm__ volatile("csrrs %0, " CSR_STR(csr) ", %1" : "=r"(v_) : "rK"(w_) : "memory"); v_; })
#define csr_clear(csr, bits) ({ uint32_t v_, w_ = (uint32_t)(bits); \
    __asm__ volatile("csrrc %0, " CSR_STR(csr) ", %1" : "=r"(v_) : "rK"(w_) : "memory"); v_; })

/* A 64-bit counter read from its two halves: hi, lo, hi again until hi did not change. */
#define CSR_READ64(lo_csr, hi_csr) ({ uint32_t h_, l_, h2_; \
    do { h_ = csr_read(hi_csr); l_ = csr_read(lo_csr); h2_ = csr_read(hi_csr); } while (h_ != h2_); \
    ((uint64_t)h_ << 32) | l_; })

static inline uint64_t csr_cycle64(void)   { return CSR_READ64(CSR_MCYCLE, CSR_MCYCLEH); }
static inline uint64_t csr_instret64(void) { return CSR_READ64(CSR_MINSTRET, CSR_MINSTRETH); }

/* Global machine interrupt enable; irq_save/irq_restore nest. */
static inline void irq_global_enable(void)  { csr_set(CSR_MSTATUS, MSTATUS_MIE); }
static inline void irq_global_disable(void) { csr_clear(CSR_MSTATUS, MSTATUS_MIE); }
static inline uint32_t irq_save(void) { return csr_clear(CSR_MSTATUS, MSTATUS_MIE) & MSTATUS_MIE; }
static inline void irq_restore(uint32_t saved) { if (saved) csr_set(CSR_MSTATUS, MSTATUS_MIE); }

/* Individual enables in mie (MIE_MSIE, MIE_MTIE, MIE_MEIE). */
static inline void irq_enable(uint32_t mie_bits)  { csr_set(CSR_MIE, mie_bits); }
static inline void irq_disable(uint32_t mie_bits) { csr_clear(CSR_MIE, mie_bits); }

/* Sleep until an interrupt is pending (returns even with mstatus.MIE = 0). */
static inline void cpu_wfi(void) { __asm__ volatile("wfi" ::: "memory"); }

#endif
