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

    // Masters in HMASTER order (memory_map.h): the bus numbers them by binding order.
    DmaConfig dc;
    dc.channels = cfg.dma.channels;
    dc.request_lines = cfg.dma.request_lines;
    dc.setup_cycles = cfg.dma.setup_cycles;
    dc.master_id = CIMVP_MASTER_DMA;
    dc.clock_period = clock_period_;
    dma_ = std::make_unique<Dma>("dma", dc);
    bus_->add_master("dma");
    dma_->initiator.bind(bus_->target_socket);

    npu::NpuConfig nc;
    nc.tile = cfg.npu.tile;
    nc.tile.conv.encoding = cfg.npu.encoding == "bit_serial" ? cim::InputEncoding::BitSerial
                                                            : cim::InputEncoding::Parallel;
    nc.base = cfg.npu.base;
    nc.clock_period = clock_period_;
    nc.load_setup_cycles = cfg.npu.load_setup_cycles;
    nc.local_bytes_per_cycle = cfg.npu.local_bytes_per_cycle;
    nc.dac_fifo_bytes = cfg.npu.dac_fifo_bytes;
    nc.dac_batch_ns = cfg.npu.dac_batch_ns;
    nc.array_read_ns = cfg.npu.array_read_ns;
    nc.adc_count = cfg.npu.adc_count;
    nc.adc_conversion_ns = cfg.npu.adc_conversion_ns;
    nc.post_outputs_per_cycle = cfg.npu.post_outputs_per_cycle;
    nc.cell_write_ns = cfg.npu.cell_write_ns;
    nc.write_verify_iterations = cfg.npu.write_verify_iterations;
    nc.weight_age_s = cfg.npu.weight_age_s;
    nc.max_cached_layers = cfg.npu.max_cached_layers;
    nc.energy = cfg.npu.energy;
    nc.mapping = cfg.npu.mapping;
    npu_ = std::make_unique<npu::Npu>("npu", nc);
    if (!cfg.load.npu_image.empty()) npu_->load_image(cfg.load.npu_image);  // throws InputError
    bus_->add_master("npu");
    npu_->initiator_socket.bind(bus_->target_socket);

    FbankConfig fc;
    fc.clock_period = clock_period_;
    fc.sram_base = cfg.sram.base;
    fc.sram_size = cfg.sram.size;
    fc.master_id = CIMVP_MASTER_FBANK;
    fc.burst_beats = cfg.fbank.burst_beats;
    fc.start_cycles = cfg.fbank.start_cycles;
    fc.frame_cycles = cfg.fbank.frame_cycles;
    fc.window_cycles = cfg.fbank.window_cycles;
    fc.norm_cycles = cfg.fbank.norm_cycles;
    fc.fft_stage_cycles = cfg.fbank.fft_stage_cycles;
    fc.butterfly_cycles = cfg.fbank.butterfly_cycles;
    fc.split_cycles = cfg.fbank.split_cycles;
    fc.bin_cycles = cfg.fbank.bin_cycles;
    fc.sqrt_cycles = cfg.fbank.sqrt_cycles;
    fc.mel_tap_cycles = cfg.fbank.mel_tap_cycles;
    fc.log_cycles = cfg.fbank.log_cycles;
    fbank_ = std::make_unique<Fbank>("fbank", fc);
    bus_->add_master("fbank");
    fbank_->master_socket.bind(bus_->target_socket);

    // Targets.
    auto memory = [&](const char* n, const MemorySection& m, bool read_only) {
        MemoryConfig mc;
        mc.size = m.size;
        mc.read_wait_states = m.read_wait_states;
        mc.write_wait_states = m.write_wait_states;
        mc.read_only = read_only;
        mc.clock_period = clock_period_;
        auto mem = std::make_unique<Memory>(n, mc);
        add_target(n, m, mem->socket);
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
    add_target("uart", cfg.uart, uart_->socket);

    TimerConfig tc;
    tc.frequency_hz = cfg.timer.frequency_hz;
    timer_ = std::make_unique<Timer>("timer", tc);
    add_target("timer", cfg.timer, timer_->socket);

    IntcConfig ic;
    ic.num_sources = cfg.intc.num_sources;
    intc_ = std::make_unique<Intc>("intc", ic);
    add_target("intc", cfg.intc, intc_->socket);

    simctrl_ = std::make_unique<SimCtrl>("simctrl", [this](int code) { on_exit(code); });
    add_target("simctrl", cfg.simctrl, simctrl_->socket);

    AudioInConfig ac;
    ac.wav_path = cfg.load.audio;
    ac.sample_rate_hz = static_cast<unsigned>(cfg.audio.sample_rate_hz);
    ac.channel_mode = cfg.audio.channels == "mix"    ? AudioChannelMode::Mix
                      : cfg.audio.channels == "pick" ? AudioChannelMode::Pick
                                                     : AudioChannelMode::Reject;
    ac.channel = cfg.audio.channel;
    ac.fifo_depth = cfg.audio.fifo_depth;
    ac.threshold = cfg.audio.threshold;
    ac.clock_period = clock_period_;
    audio_ = std::make_unique<AudioIn>("audio", ac);  // throws InputError for a bad file
    add_target("audio", cfg.audio, audio_->socket);
    add_target("dma", cfg.dma, dma_->socket);
    add_target("fbank", cfg.fbank, fbank_->socket);
    add_target("npu", cfg.npu, npu_->socket);

    audio_->drq.bind(drq_audio_);
    dma_->drq[CIMVP_DRQ_AUDIO].bind(drq_audio_);

    // Interrupts: timer and software straight to the core; peripherals through the controller.
    timer_->irq_timer.bind(irq_timer_);
    timer_->irq_soft.bind(irq_soft_);
    cpu_->irq_timer.bind(irq_timer_);
    cpu_->irq_soft.bind(irq_soft_);
    for (unsigned i = 0; i < intc_->irq_in.size(); ++i) intc_->irq_in[i].bind(irq_lines_[i]);
    uart_->irq.bind(irq_lines_[CIMVP_IRQ_UART]);
    audio_->irq.bind(irq_lines_[CIMVP_IRQ_AUDIO]);
    dma_->irq.bind(irq_lines_[CIMVP_IRQ_DMA]);
    fbank_->irq.bind(irq_lines_[CIMVP_IRQ_FBANK]);
    npu_->irq.bind(irq_lines_[CIMVP_IRQ_NPU]);
    intc_->irq_out.bind(irq_ext_);
    cpu_->irq_ext.bind(irq_ext_);

    cpu_->set_mtime_source([this](const sc_time& t) { return timer_->mtime_at(t); });
    cpu_->set_exit_handler([this](int code) { on_exit(code); });
}

Soc::~Soc() = default;

template <class Socket>
void Soc::add_target(const char* name, const RegionSection& r, Socket& socket) {
    bus_->add_target(name, r.base, r.size);
    bus_->initiator_socket.bind(socket);
}

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
