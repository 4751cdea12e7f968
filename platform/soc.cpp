#include "soc.h"

#include <chrono>
#include <iomanip>
#include <sstream>

#include "errors.h"
#include "memory_map.h"

using namespace sc_core;

namespace cimvp {

namespace {

std::string hex32(uint64_t v) {
    std::ostringstream os;
    os << "0x" << std::hex << std::setw(8) << std::setfill('0') << v;
    return os.str();
}

}  // namespace

Soc::Soc(sc_module_name name, const BoardConfig& cfg)
    : sc_module(name), cfg_(cfg), clock_period_(1e9 / cfg.soc.clock_hz, SC_NS),
      irq_lines_("irq_line", CIMVP_IRQ_COUNT) {
    // Core.
    CpuWrapperConfig cpu_cfg;
    cpu_cfg.clock_period = clock_period_;
    cpu_cfg.quantum = sc_time(cfg.soc.quantum_ns, SC_NS);
    cpu_cfg.trace_file = cfg.cpu.trace_file;
    cpu_ = std::make_unique<CpuWrapper>("cpu", cpu_cfg);

    // Interconnect: masters in HMASTER order, targets in the order they are bound.
    AhbBusConfig bus_cfg;
    bus_cfg.clock_period = clock_period_;
    bus_cfg.address_phase_cycles = cfg.bus.address_phase_cycles;
    bus_cfg.data_phase_cycles_per_beat = cfg.bus.data_phase_cycles;
    bus_cfg.arbitration_cycles = cfg.bus.arbitration_cycles;
    bus_cfg.round_robin = cfg.bus.arbitration == "round_robin";
    bus_ = std::make_unique<AhbBus>("ahb", bus_cfg);
    bus_->add_master("cpu_i");
    bus_->add_master("cpu_d");
    cpu_->ibus.bind(bus_->target_socket);
    cpu_->dbus.bind(bus_->target_socket);

    auto memory = [&](const char* n, const MemorySection& m, bool read_only) {
        MemoryConfig mc;
        mc.size = m.size;
        mc.read_wait_states = m.read_wait_states;
        mc.write_wait_states = m.write_wait_states;
        mc.read_only = read_only;
        mc.clock_period = clock_period_;
        auto mem = std::make_unique<Memory>(n, mc);
        bus_->add_target(n, m.base, m.size);
        bus_->initiator_socket.bind(mem->socket);
        return mem;
    };
    flash_ = memory("flash", cfg.flash, true);
    sram_ = memory("sram", cfg.sram, false);

    UartConfig uc;
    uc.to_stdout = cfg.uart.to_stdout;
    uc.output_file = cfg.uart.output_file;
    uc.baud = cfg.uart.baud;
    uc.tx_fifo_depth = cfg.uart.tx_fifo_depth;
    uc.clock_period = clock_period_;
    uart_ = std::make_unique<Uart>("uart", uc);
    bus_->add_target("uart", cfg.uart.base, cfg.uart.size);
    bus_->initiator_socket.bind(uart_->socket);

    TimerConfig tc;
    tc.frequency_hz = cfg.timer.frequency_hz;
    timer_ = std::make_unique<Timer>("timer", tc);
    bus_->add_target("timer", cfg.timer.base, cfg.timer.size);
    bus_->initiator_socket.bind(timer_->socket);

    IntcConfig ic;
    ic.num_sources = cfg.intc.num_sources;
    intc_ = std::make_unique<Intc>("intc", ic);
    bus_->add_target("intc", cfg.intc.base, cfg.intc.size);
    bus_->initiator_socket.bind(intc_->socket);

    simctrl_ = std::make_unique<SimCtrl>("simctrl", [this](int code) { on_exit(code); });
    bus_->add_target("simctrl", cfg.simctrl.base, cfg.simctrl.size);
    bus_->initiator_socket.bind(simctrl_->socket);

    // Interrupts: timer and software straight to the core; peripherals through the controller.
    timer_->irq_timer.bind(irq_timer_);
    timer_->irq_soft.bind(irq_soft_);
    cpu_->irq_timer.bind(irq_timer_);
    cpu_->irq_soft.bind(irq_soft_);
    for (unsigned i = 0; i < intc_->irq_in.size(); ++i) intc_->irq_in[i].bind(irq_lines_[i]);
    uart_->irq.bind(irq_lines_[CIMVP_IRQ_UART]);
    intc_->irq_out.bind(irq_ext_);
    cpu_->irq_ext.bind(irq_ext_);

    cpu_->set_mtime_source([this](const sc_time& t) { return timer_->mtime_at(t); });
    cpu_->set_exit_handler([this](int code) { on_exit(code); });
}

Soc::~Soc() = default;

void Soc::on_exit(int code) {
    if (!exit_code_) exit_code_ = code;
    cpu_->request_stop();
}

void Soc::load(const ElfImage& image) {
    // Port binding completes at the end of elaboration; run it so the debug path works.
    if (!booted_) sc_start(SC_ZERO_TIME);
    for (const ElfSegment& seg : image.segments) {
        std::vector<unsigned char> bytes(seg.memsz, 0);
        std::copy(seg.data.begin(), seg.data.end(), bytes.begin());
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_WRITE_COMMAND);
        gp.set_address(seg.paddr);
        gp.set_data_ptr(bytes.data());
        gp.set_data_length(static_cast<unsigned>(bytes.size()));
        gp.set_streaming_width(static_cast<unsigned>(bytes.size()));
        const unsigned done = cpu_->dbus->transport_dbg(gp);
        if (done != bytes.size())
            throw InputError("ELF '" + image.path + "': segment at " + hex32(seg.paddr) + " (" +
                             std::to_string(seg.memsz) + " bytes) lies outside the memory map" +
                             " (only " + std::to_string(done) + " bytes landed in memory)");
    }
    if (auto tohost = image.symbol("tohost")) cpu_->set_tohost(*tohost);
    cpu_->boot(image.entry);
    booted_ = true;
}

RunResult Soc::run() {
    if (!booted_) throw InputError("no firmware loaded");
    const auto wall0 = std::chrono::steady_clock::now();
    if (cfg_.run.max_time_ns > 0) sc_start(sc_time(cfg_.run.max_time_ns, SC_NS) - sc_time_stamp());
    else sc_start();
    RunResult r;
    r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    r.sim_time = sc_time_stamp();
    // DMI accesses never reached the bus: add them to its statistics once, at the end.
    for (const CpuWrapper::DmiCounters& d : cpu_->dmi_counters()) {
        const auto target = bus_->target_for(d.start);
        if (!target) continue;
        if (d.reads) bus_->account_dmi(d.master, *target, false, d.reads, d.read_bytes);
        if (d.writes) bus_->account_dmi(d.master, *target, true, d.writes, d.write_bytes);
    }
    if (exit_code_) {
        r.end = RunEnd::FirmwareExit;
        r.exit_code = *exit_code_;
    } else if (cfg_.run.max_time_ns > 0 && sc_time_stamp() >= sc_time(cfg_.run.max_time_ns, SC_NS)) {
        r.end = RunEnd::MaxTime;
    } else {
        r.end = RunEnd::Stalled;
    }
    return r;
}

}  // namespace cimvp
