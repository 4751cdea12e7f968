/* Simulation-control device (offsets from CIMVP_SIMCTRL_BASE). */
#ifndef CIMVP_SIMCTRL_REGS_H
#define CIMVP_SIMCTRL_REGS_H
#define SIMCTRL_EXIT        0x00u /* W: end the simulation; the value is the exit code (0..123) */
#define SIMCTRL_TIME_NS_LO  0x08u /* R: simulated time in ns, low word (latches the high word) */
#define SIMCTRL_TIME_NS_HI  0x0Cu /* R: high word latched by the last TIME_NS_LO read */
#endif
