/* Simulation-control device (peripherals/simctrl_regs.h): end the run, read simulated time. */
#ifndef CIMVP_HAL_SIMCTRL_H
#define CIMVP_HAL_SIMCTRL_H

#include <stdint.h>
#include "memory_map.h"
#include "simctrl_regs.h"
#include "mmio.h"

#define SIMCTRL_REG(off) MMIO32(CIMVP_SIMCTRL_BASE + (off))
#define SIMCTRL_EXIT_MAX 123u

/* Ends the simulation with `code` (0..123) as the simulator's exit code. */
__attribute__((noreturn)) static inline void simctrl_exit(uint32_t code) {
    SIMCTRL_REG(SIMCTRL_EXIT) = code;
    for (;;) {
    }
}

/* Simulated time in ns (the low-word read latches the high word). */
static inline uint64_t simctrl_time_ns(void) {
    uint32_t lo = SIMCTRL_REG(SIMCTRL_TIME_NS_LO);
    uint32_t hi = SIMCTRL_REG(SIMCTRL_TIME_NS_HI);
    return ((uint64_t)hi << 32) | lo;
}

#endif
