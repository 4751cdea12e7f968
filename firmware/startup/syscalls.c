/* picolibc hooks: stdin/stdout/stderr on the UART, _exit through the simulation-control device. */
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>

#include "simctrl.h"
#include "uart.h"

static int stdio_put(char c, FILE *f) {
    (void)f;
    uart_putc(c);
    return (unsigned char)c;
}

static int stdio_get(FILE *f) {
    (void)f;
    return EOF; /* the UART has no receiver */
}

static FILE cimvp_stdio = FDEV_SETUP_STREAM(stdio_put, stdio_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &cimvp_stdio;
FILE *const stdout = &cimvp_stdio;
FILE *const stderr = &cimvp_stdio;

/* exit() ends here after atexit handlers. Codes above SIMCTRL_EXIT_MAX (e.g. negative ones)
 * are reported as SIMCTRL_EXIT_MAX so that a failure never reads as success. */
void _exit(int code) {
    uint32_t c = (uint32_t)code;
    if (c > SIMCTRL_EXIT_MAX) c = SIMCTRL_EXIT_MAX;
    /* Let the UART drain (bounded, in case the transmitter is stuck). */
    for (int i = 0; i < 100000 && !(UART_REG(UART_STATUS) & UART_STATUS_TX_EMPTY); i++) {
    }
    simctrl_exit(c);
}
