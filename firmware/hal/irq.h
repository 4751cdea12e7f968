/* Interrupt and exception dispatch (startup/trap.c). crt0 installs the trap entry in mtvec
 * (direct mode); programs register handlers here and then enable the interrupt in mie
 * (irq_enable(MIE_*), csr.h) and globally (irq_global_enable()).
 *
 * Unhandled interrupts and exceptions print mcause/mepc/mtval on the UART and end the run with
 * exit code CIMVP_EXIT_TRAP_BASE + mcause code (exceptions) or CIMVP_EXIT_UNHANDLED_IRQ. */
#ifndef CIMVP_HAL_IRQ_H
#define CIMVP_HAL_IRQ_H

#include <stdint.h>
#include "csr.h"

#define CIMVP_EXIT_TRAP_BASE     100u /* 100 + exception code (0..15) */
#define CIMVP_EXIT_UNHANDLED_IRQ 120u

typedef void (*irq_handler_t)(void);
/* An exception handler returns the PC to resume at (e.g. mepc + instruction length). */
typedef uint32_t (*exception_handler_t)(uint32_t mcause, uint32_t mepc, uint32_t mtval);

void irq_set_timer_handler(irq_handler_t h);    /* mip.MTIP */
void irq_set_software_handler(irq_handler_t h); /* mip.MSIP */
/* External source 1..31 of the interrupt controller (called with the claimed number). Also
 * enables the source on the controller (h != NULL) or disables it (h == NULL). */
typedef void (*ext_irq_handler_t)(unsigned source);
void irq_set_external_handler(unsigned source, ext_irq_handler_t h);
/* Replaces the default (fatal) handling of synchronous exceptions; NULL restores it. */
void trap_set_exception_handler(exception_handler_t h);

#endif
