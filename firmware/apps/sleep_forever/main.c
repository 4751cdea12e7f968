/* sleep_forever: a test fixture for the simulator's stalled-run path. With every interrupt
 * source disabled, wfi can never wake the core; cimvp must end the run as "stalled" (exit 126,
 * stats still written) instead of hanging or ticking idle cycles forever. */
#include <stdio.h>

#include "csr.h"

int main(void) {
    printf("sleep_forever: interrupts off, entering wfi\n");
    irq_global_disable();
    csr_write(CSR_MIE, 0);
    for (;;) cpu_wfi();
}
