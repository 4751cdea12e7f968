// The SoC assembled from a BoardConfig: core, AHB interconnect, memories and peripherals.
// The bus knows nothing of the peripherals; this class is the only place that wires them.
#ifndef CIMVP_PLATFORM_SOC_H
#define CIMVP_PLATFORM_SOC_H

#include <memory>
#include <optional>
#include <string>

#include "cpu_wrapper.h"  // Verilated headers first (see cpu_wrapper.cpp)

#include "ahb_bus.h"
#include "audio_in.h"
#include "config.h"
#include "dma.h"
#include "fbank.h"
#include "elf_loader.h"
#include "intc.h"
#include "memory.h"
#include "npu.h"
#include "simctrl.h"
#include "timer.h"
#include "uart.h"

namespace cimvp {

enum class RunEnd {
    FirmwareExit,  // simulation-control EXIT register or tohost
    MaxTime,       // run.max_time_ns reached
    Stalled,       // nothing left to simulate: the core sleeps with no interrupt that can wake it
};

struct RunResult {
    RunEnd end = RunEnd::FirmwareExit;
    int exit_code = 0;
    sc_core::sc_time sim_time;
    double wall_seconds = 0;
};

class Soc : public sc_core::sc_module {
public:
    Soc(sc_core::sc_module_name name, const BoardConfig& cfg);
    ~Soc() override;

    // Loads the ELF into memory through the bus's debug path and boots the core at its entry.
    // Throws InputError if a segment does not land entirely in memory.
    void load(const ElfImage& image);
    // Runs until the firmware ends the run, max time, or a stall. Call once, after load().
    RunResult run();

    const BoardConfig& config() const { return cfg_; }
    sc_core::sc_time cpu_clock_period() const { return clock_period_; }
    const AhbBus& bus() const { return *bus_; }
    const CpuWrapper& cpu() const { return *cpu_; }
    const Uart& uart() const { return *uart_; }
    const AudioIn& audio() const { return *audio_; }
    const Dma& dma() const { return *dma_; }
    const Fbank& fbank() const { return *fbank_; }
    const npu::Npu& npu() const { return *npu_; }

private:
    void on_exit(int code);
    // Maps [r.base, r.base + r.size) to the next bus target and binds `socket` to it.
    template <class Socket>
    void add_target(const char* name, const RegionSection& r, Socket& socket);

    BoardConfig cfg_;
    sc_core::sc_time clock_period_;
    std::unique_ptr<CpuWrapper> cpu_;
    std::unique_ptr<AhbBus> bus_;
    std::unique_ptr<Memory> flash_;
    std::unique_ptr<Memory> sram_;
    std::unique_ptr<Uart> uart_;
    std::unique_ptr<Timer> timer_;
    std::unique_ptr<Intc> intc_;
    std::unique_ptr<SimCtrl> simctrl_;
    std::unique_ptr<AudioIn> audio_;
    std::unique_ptr<Dma> dma_;
    std::unique_ptr<Fbank> fbank_;
    std::unique_ptr<npu::Npu> npu_;
    sc_core::sc_signal<bool> drq_audio_{"drq_audio"};
    sc_core::sc_signal<bool> irq_timer_{"irq_timer"};
    sc_core::sc_signal<bool> irq_soft_{"irq_soft"};
    sc_core::sc_signal<bool> irq_ext_{"irq_ext"};
    sc_core::sc_vector<sc_core::sc_signal<bool>> irq_lines_;
    std::optional<int> exit_code_;
    bool booted_ = false;
};

}  // namespace cimvp

#endif
