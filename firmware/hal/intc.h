/* Interrupt controller for peripheral interrupts (peripherals/intc_regs.h). Sources 1..31 are
 * level-sensitive (numbers CIMVP_IRQ_* in memory_map.h); the OR of pending & enabled drives
 * mip.MEIP. A handler clears its source at the peripheral. */
#ifndef CIMVP_HAL_INTC_H
#define CIMVP_HAL_INTC_H

#include <stdint.h>
#include "memory_map.h"
#include "intc_regs.h"
#include "mmio.h"

#define INTC_REG(off) MMIO32(CIMVP_INTC_BASE + (off))

static inline uint32_t intc_pending(void) { return INTC_REG(INTC_PENDING); }
static inline uint32_t intc_enabled(void) { return INTC_REG(INTC_ENABLE); }
static inline void intc_enable(unsigned source) { INTC_REG(INTC_ENABLE) |= 1u << source; }
static inline void intc_disable(unsigned source) { INTC_REG(INTC_ENABLE) &= ~(1u << source); }
/* Lowest-numbered pending and enabled source, 0 if none. */
static inline unsigned intc_claim(void) { return INTC_REG(INTC_CLAIM); }

#endif
