/* irqdemo: the platform's interrupt paths end to end.
 *
 *  1. machine timer: a periodic mtimecmp interrupt, the core sleeping in wfi between ticks
 *     (interrupts masked around the check-then-sleep, so no wake-up is lost);
 *  2. machine software interrupt: raised through TIMER_MSIP, cleared by its handler;
 *  3. external interrupt: the UART's TX-empty interrupt through the interrupt controller
 *     (claimed by the trap dispatcher, cleared by the handler at the UART);
 *  4. wfi with mstatus.MIE = 0 returns on a pending enabled interrupt without trapping.
 *
 * Prints what it saw and exits 0 when every step behaved. Needs the full platform (timer). */
#include <stdio.h>
#include <stdint.h>

#include "csr.h"
#include "intc.h"
#include "irq.h"
#include "timer.h"
#include "uart.h"

#define TICKS 10
#define PERIOD_US 500

static volatile unsigned timer_ticks, soft_irqs, uart_irqs, wakeups;
static volatile uint64_t next_deadline;
static uint64_t period;

/* The handlers tolerate being entered again for an interrupt they already cleared: a level can
 * take a little while to drop after the write that clears it (on the SoC, interrupt lines are
 * sampled once per simulation quantum). */
static void on_timer(void) {
    if (timer_now() < next_deadline) return; /* already handled */
    timer_ticks++;
    if (timer_ticks >= TICKS) {
        next_deadline = UINT64_MAX;
        timer_disable_cmp();
    } else {
        next_deadline += period;
        timer_set_cmp(next_deadline);
    }
}

static void on_software(void) {
    if (!(TIMER_REG(TIMER_MSIP) & 1u)) return; /* already handled */
    timer_set_msip(0);
    soft_irqs++;
}

static void on_uart(unsigned source) {
    (void)source;
    if (!(UART_REG(UART_CTRL) & UART_CTRL_TX_EMPTY_IRQ)) return; /* already handled */
    uart_set_tx_empty_irq(0); /* the level goes away at the source */
    uart_irqs++;
}

/* Waits (interrupts enabled) until *counter reaches `want` or `timeout` mtime ticks pass. */
static int wait_for(volatile unsigned *counter, unsigned want, uint64_t timeout) {
    const uint64_t end = timer_now() + timeout;
    while (*counter < want)
        if (timer_now() > end) return 0;
    return 1;
}

int main(void) {
    int ok = 1;
    period = timer_us_to_ticks(PERIOD_US);
    printf("irqdemo: %u timer ticks of %lu us, sleeping in wfi\n", TICKS, (unsigned long)PERIOD_US);

    /* 1. Timer ticks. */
    irq_set_timer_handler(on_timer);
    const uint64_t t0 = timer_now();
    const uint64_t c0 = csr_cycle64();
    next_deadline = t0 + period;
    timer_set_cmp(next_deadline);
    irq_enable(MIE_MTIE);
    irq_global_disable();
    while (timer_ticks < TICKS) {
        cpu_wfi();           /* wakes on the pending timer even with MIE = 0 ... */
        wakeups++;
        irq_global_enable(); /* ... and the interrupt is taken here */
        irq_global_disable();
    }
    const uint64_t t1 = timer_now();
    const uint64_t c1 = csr_cycle64();
    irq_global_enable();
    printf("irqdemo: timer: %u ticks, %u wfi wake-ups, %llu mtime ticks, %llu cycles\n", timer_ticks, wakeups,
           (unsigned long long)(t1 - t0), (unsigned long long)(c1 - c0));
    if (timer_ticks != TICKS || t1 - t0 < TICKS * period) {
        printf("irqdemo: timer FAILED (expected %u ticks in at least %llu mtime ticks)\n", TICKS,
               (unsigned long long)(TICKS * period));
        ok = 0;
    }

    /* 2. Software interrupt. */
    irq_set_software_handler(on_software);
    irq_enable(MIE_MSIE);
    timer_set_msip(1);
    const int soft_ok = wait_for(&soft_irqs, 1, 10 * period);
    printf("irqdemo: software interrupt: %u taken\n", soft_irqs);
    if (!soft_ok || soft_irqs != 1 || (csr_read(CSR_MIP) & MIP_MSIP)) {
        printf("irqdemo: software interrupt FAILED\n");
        ok = 0;
    }

    /* 3. External interrupt: UART TX empty -> interrupt controller -> mip.MEIP. */
    irq_set_external_handler(CIMVP_IRQ_UART, on_uart);
    irq_enable(MIE_MEIE);
    uart_flush();
    uart_set_tx_empty_irq(1);
    const int ext_ok = wait_for(&uart_irqs, 1, 10 * period);
    irq_set_external_handler(CIMVP_IRQ_UART, 0);
    printf("irqdemo: external interrupt (UART TX empty, source %u): %u taken\n", (unsigned)CIMVP_IRQ_UART, uart_irqs);
    if (!ext_ok || uart_irqs != 1) {
        printf("irqdemo: external interrupt FAILED\n");
        ok = 0;
    }

    /* 4. wfi with interrupts globally disabled: returns once the timer pends, no trap. */
    irq_global_disable();
    const unsigned before = timer_ticks;
    timer_set_cmp(timer_now() + period);
    cpu_wfi();
    while (!(csr_read(CSR_MIP) & MIP_MTIP)) {
    }
    const int masked_ok = timer_ticks == before;
    timer_disable_cmp();
    irq_disable(MIE_MTIE | MIE_MSIE | MIE_MEIE);
    irq_global_enable();
    printf("irqdemo: wfi with MIE=0 woke up without a trap: %s\n", masked_ok ? "yes" : "no");
    if (!masked_ok) ok = 0;

    printf("irqdemo: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
