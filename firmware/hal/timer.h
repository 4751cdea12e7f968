/* CLINT-style machine timer (peripherals/timer_regs.h): mtime, mtimecmp, msip. */
#ifndef CIMVP_HAL_TIMER_H
#define CIMVP_HAL_TIMER_H

#include <stdint.h>
#include "memory_map.h"
#include "timer_regs.h"
#include "mmio.h"

/* mtime rate the firmware assumes: configs/default.yaml's timer.frequency_hz. Override with
 * -DCIMVP_MTIME_HZ=... for a board that changes it. */
#ifndef CIMVP_MTIME_HZ
#define CIMVP_MTIME_HZ 1000000u
#endif

#define TIMER_REG(off) MMIO32(CIMVP_TIMER_BASE + (off))

/* 64-bit mtime from two 32-bit reads: hi, lo, hi again until the high word did not move. */
static inline uint64_t timer_now(void) {
    uint32_t hi, lo, hi2;
    do {
        hi = TIMER_REG(TIMER_MTIME_HI);
        lo = TIMER_REG(TIMER_MTIME_LO);
        hi2 = TIMER_REG(TIMER_MTIME_HI);
    } while (hi != hi2);
    return ((uint64_t)hi << 32) | lo;
}

/* Sets mtimecmp without a spurious intermediate value below the target: low word to all ones
 * first, then the high word, then the low word. The timer interrupt pends while
 * mtime >= mtimecmp; writing a future value clears it. */
static inline void timer_set_cmp(uint64_t when) {
    TIMER_REG(TIMER_MTIMECMP_LO) = 0xFFFFFFFFu;
    TIMER_REG(TIMER_MTIMECMP_HI) = (uint32_t)(when >> 32);
    TIMER_REG(TIMER_MTIMECMP_LO) = (uint32_t)when;
}

static inline uint64_t timer_get_cmp(void) {
    return ((uint64_t)TIMER_REG(TIMER_MTIMECMP_HI) << 32) | TIMER_REG(TIMER_MTIMECMP_LO);
}

/* Timer interrupt never: mtimecmp = all ones. */
static inline void timer_disable_cmp(void) { timer_set_cmp(UINT64_MAX); }

/* Machine software interrupt (mip.MSIP) on/off. */
static inline void timer_set_msip(int on) { TIMER_REG(TIMER_MSIP) = on ? 1u : 0u; }

static inline uint64_t timer_us_to_ticks(uint64_t us) { return us * CIMVP_MTIME_HZ / 1000000u; }

/* Busy-waits for `ticks` mtime ticks. */
static inline void timer_delay_ticks(uint64_t ticks) {
    const uint64_t end = timer_now() + ticks;
    while (timer_now() < end) {
    }
}

static inline void timer_delay_us(uint32_t us) { timer_delay_ticks(timer_us_to_ticks(us)); }

#endif
