/* Machine timer register map (CLINT layout subset, offsets from CIMVP_TIMER_BASE). */
#ifndef CIMVP_TIMER_REGS_H
#define CIMVP_TIMER_REGS_H
#define TIMER_MSIP        0x00u /* RW: bit 0 = machine software interrupt pending */
#define TIMER_MTIMECMP_LO 0x08u /* RW */
#define TIMER_MTIMECMP_HI 0x0Cu /* RW */
#define TIMER_MTIME_LO    0x10u /* RW: mtime counts at timer.frequency_hz */
#define TIMER_MTIME_HI    0x14u /* RW */
#endif
