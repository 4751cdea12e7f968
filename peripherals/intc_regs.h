/* Interrupt controller register map (offsets from CIMVP_INTC_BASE).
 * Sources 1..31 are level-sensitive; bit n of each register is source n. */
#ifndef CIMVP_INTC_REGS_H
#define CIMVP_INTC_REGS_H
#define INTC_PENDING 0x00u /* R: level of each source line */
#define INTC_ENABLE  0x04u /* RW: mask; external interrupt = |(PENDING & ENABLE) */
#define INTC_CLAIM   0x08u /* R: lowest-numbered pending and enabled source, 0 if none */
#endif
