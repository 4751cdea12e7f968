#include "uart.h"

void uart_puts(const char *s) {
    while (*s) uart_putc(*s++);
}

void uart_put_hex32(uint32_t v) {
    static const char digits[] = "0123456789abcdef";
    uart_putc('0');
    uart_putc('x');
    for (int shift = 28; shift >= 0; shift -= 4) uart_putc(digits[(v >> shift) & 0xF]);
}

void uart_put_dec(uint32_t v) {
    char buf[10];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) uart_putc(buf[--n]);
}
