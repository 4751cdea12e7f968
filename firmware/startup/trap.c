/* Trap dispatch, called by cimvp_trap_entry (crt0.S) with interrupts disabled. */
#include <stdint.h>
#include <stddef.h>
#include <unistd.h>

#include "irq.h"
#include "intc.h"
#include "uart.h"

static irq_handler_t timer_handler;
static irq_handler_t software_handler;
static ext_irq_handler_t external_handlers[CIMVP_IRQ_COUNT];
static exception_handler_t exception_handler;

void irq_set_timer_handler(irq_handler_t h) { timer_handler = h; }
void irq_set_software_handler(irq_handler_t h) { software_handler = h; }
void trap_set_exception_handler(exception_handler_t h) { exception_handler = h; }

void irq_set_external_handler(unsigned source, ext_irq_handler_t h) {
    if (source == 0 || source >= CIMVP_IRQ_COUNT) return;
    external_handlers[source] = h;
    if (h)
        intc_enable(source);
    else
        intc_disable(source);
}

static const char *exception_name(uint32_t code) {
    switch (code) {
    case EXC_INSN_MISALIGNED: return "instruction address misaligned";
    case EXC_INSN_ACCESS: return "instruction access fault";
    case EXC_ILLEGAL_INSN: return "illegal instruction";
    case EXC_BREAKPOINT: return "breakpoint";
    case EXC_LOAD_MISALIGNED: return "load address misaligned";
    case EXC_LOAD_ACCESS: return "load access fault";
    case EXC_STORE_MISALIGNED: return "store address misaligned";
    case EXC_STORE_ACCESS: return "store access fault";
    case EXC_ECALL_M: return "environment call from M-mode";
    default: return "unknown exception";
    }
}

__attribute__((noreturn)) static void fatal(const char *what, uint32_t mcause, uint32_t mepc, uint32_t mtval,
                                            uint32_t code) {
    uart_puts("\n*** ");
    uart_puts(what);
    uart_puts(": mcause=");
    uart_put_hex32(mcause);
    uart_puts(" mepc=");
    uart_put_hex32(mepc);
    uart_puts(" mtval=");
    uart_put_hex32(mtval);
    uart_puts("\n");
    _exit((int)code);
}

uint32_t cimvp_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval, uint32_t *frame);

uint32_t cimvp_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval, uint32_t *frame) {
    (void)frame;
    const uint32_t code = MCAUSE_CODE(mcause);
    if (!(mcause & MCAUSE_INTERRUPT)) {
        if (exception_handler) return exception_handler(mcause, mepc, mtval);
        fatal(exception_name(code), mcause, mepc, mtval, CIMVP_EXIT_TRAP_BASE + (code & 0xF));
    }
    switch (code) {
    case IRQ_M_TIMER:
        if (timer_handler) {
            timer_handler();
            return mepc;
        }
        break;
    case IRQ_M_SOFT:
        if (software_handler) {
            software_handler();
            return mepc;
        }
        break;
    case IRQ_M_EXT: {
        /* One source per trap: a source still pending afterwards traps again. */
        const unsigned source = intc_claim();
        if (source == 0) return mepc; /* went away before the claim */
        if (source < CIMVP_IRQ_COUNT && external_handlers[source]) {
            external_handlers[source](source);
            return mepc;
        }
        fatal("unhandled external interrupt", mcause, mepc, source, CIMVP_EXIT_UNHANDLED_IRQ);
    }
    default:
        break;
    }
    fatal("unhandled interrupt", mcause, mepc, mtval, CIMVP_EXIT_UNHANDLED_IRQ);
}
