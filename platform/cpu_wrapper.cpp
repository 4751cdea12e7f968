// Verilated headers must come before SystemC's.
#include "Vcimvp_top.h"
#include "Vcimvp_top__Dpi.h"
#include "verilated.h"

#include "cpu_wrapper.h"

#include <cstring>
#include <iomanip>

#include "errors.h"
#include "memory_map.h"

using namespace sc_core;

namespace cimvp {

namespace {
// One DMI beat: the core only makes naturally aligned 1/2/4-byte accesses, and fixed-size copies
// compile to single moves instead of a memcpy call on this per-access path.
inline void copy_beat(unsigned char* dst, const unsigned char* src, unsigned len) {
    if (len == 4) std::memcpy(dst, src, 4);
    else if (len == 2) std::memcpy(dst, src, 2);
    else *dst = *src;
}
}  // namespace

CpuWrapper::CpuWrapper(sc_module_name name, const CpuWrapperConfig& cfg)
    : sc_module(name), cfg_(cfg), vctx_(std::make_unique<VerilatedContext>()) {
    if (cfg_.clock_period == SC_ZERO_TIME) SC_REPORT_FATAL(this->name(), "clock period must be positive");
    // The core maintains its RVFI retirement record only for --trace (plusarg +cimvp_rvfi).
    const char* vl_args[] = {"cimvp", "+cimvp_rvfi"};
    vctx_->commandArgs(cfg_.trace_file.empty() ? 1 : 2, vl_args);
    top_ = std::make_unique<Vcimvp_top>(vctx_.get(), "core");
    top_->bus_ctx = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(this));

    quantum_cycles_ = std::max<uint64_t>(1, static_cast<uint64_t>(cfg_.quantum / cfg_.clock_period));
    tlm_utils::tlm_quantumkeeper::set_global_quantum(cfg_.quantum);
    qk_.reset();

    ports_[0].socket = &ibus;
    ports_[0].master = CIMVP_MASTER_CPU_I;
    ports_[1].socket = &dbus;
    ports_[1].master = CIMVP_MASTER_CPU_D;
    for (Port& p : ports_) {
        p.gp.set_extension(&p.ext);
        p.ext.master = p.master;
    }
    ibus.register_invalidate_direct_mem_ptr(this, &CpuWrapper::invalidate_dmi);
    dbus.register_invalidate_direct_mem_ptr(this, &CpuWrapper::invalidate_dmi);

    if (!cfg_.trace_file.empty()) {
        trace_ = std::make_unique<std::ofstream>(cfg_.trace_file);
        if (!*trace_) throw InputError("cannot open trace file '" + cfg_.trace_file + "'");
        *trace_ << "# order pc insn rd rd_wdata mem_addr rmask wmask mem_rdata mem_wdata trap intr\n";
    }

    SC_HAS_PROCESS(CpuWrapper);
    SC_THREAD(run);
}

CpuWrapper::~CpuWrapper() {
    // The payloads must not delete the extension they borrow.
    for (Port& p : ports_) p.gp.clear_extension(&p.ext);
    if (top_) top_->final();
}

void CpuWrapper::boot(uint32_t reset_pc) {
    reset_pc_ = reset_pc;
    boot_event_.notify(SC_ZERO_TIME);
}

void CpuWrapper::request_stop() {
    stop_ = true;
    wake_event_.notify(SC_ZERO_TIME);
}

sc_time CpuWrapper::local_time_now() const {
    return sc_core::sc_time_stamp() + qk_.get_local_time() + cfg_.clock_period * static_cast<double>(batch_cycles_);
}

int CpuWrapper::latency_to_waits(const sc_time& latency) const {
    // A zero-wait AHB transfer takes one cycle (its data phase; the address phase overlaps the
    // previous transfer). Anything beyond that is wait states.
    const auto cycles = static_cast<int64_t>(latency / cfg_.clock_period + 0.5);
    return cycles > 1 ? static_cast<int>(cycles - 1) : 0;
}

void CpuWrapper::reset_core() {
    top_->boot_addr = reset_pc_;
    top_->rst_n = 0;
    top_->irq_timer = 0;
    top_->irq_soft = 0;
    top_->irq_ext = 0;
    top_->mtime = 0;
    for (int i = 0; i < 2; ++i) {
        top_->clk = 1;
        top_->eval();
        top_->clk = 0;
        top_->eval();
    }
    top_->rst_n = 1;
}

void CpuWrapper::sync_inputs() {
    top_->irq_timer = irq_timer.read();
    top_->irq_soft = irq_soft.read();
    top_->irq_ext = irq_ext.read();
    if (mtime_source_) top_->mtime = mtime_source_(sc_core::sc_time_stamp() + qk_.get_local_time());
}

template <bool kTrace>
void CpuWrapper::run_batch(uint64_t max_cycles) {
    Vcimvp_top* const top = top_.get();
    batch_cycles_ = 0;
    while (batch_cycles_ < max_cycles) {
        top->clk = 1;
        top->eval();
        top->clk = 0;
        top->eval();
        ++batch_cycles_;
        if (kTrace && top->rvfi_valid) trace_retirement();
        if (top->sleeping || stop_) break;
    }
    stats_.cycles += batch_cycles_;
    qk_.inc(cfg_.clock_period * static_cast<double>(batch_cycles_));
    batch_cycles_ = 0;
}

void CpuWrapper::sleep_until_interrupt() {
    qk_.sync();
    // The sync let SystemC time catch up with the core's: an interrupt raised meanwhile (a short
    // NPU chain started just before the wfi) changed its signal while nobody waited for the change.
    // Sample the lines again, or the core would sleep on an interrupt that is already pending.
    sync_inputs();
    top_->eval();
    while (top_->sleeping && !stop_) {
        const sc_time t0 = sc_core::sc_time_stamp();
        wait(irq_timer.value_changed_event() | irq_soft.value_changed_event() |
             irq_ext.value_changed_event() | wake_event_);
        stats_.sleep_cycles += static_cast<uint64_t>((sc_core::sc_time_stamp() - t0) / cfg_.clock_period);
        sync_inputs();
        top_->eval();  // `sleeping` follows the interrupt inputs combinationally
    }
}

void CpuWrapper::run() {
    wait(boot_event_);
    reset_core();
    sync_inputs();
    while (!stop_) {
        if (trace_) run_batch<true>(quantum_cycles_);
        else run_batch<false>(quantum_cycles_);
        if (stop_) break;
        if (top_->sleeping) sleep_until_interrupt();
        else if (qk_.need_sync()) qk_.sync();
        sync_inputs();
    }
    qk_.sync();
    stats_.instret = top_->instret_count;
    if (trace_) trace_->flush();
    sc_stop();
}

CpuWrapper::Stats CpuWrapper::stats() const {
    Stats s = stats_;
    s.instret = top_->instret_count;
    return s;
}

std::vector<CpuWrapper::DmiCounters> CpuWrapper::dmi_counters() const {
    std::vector<DmiCounters> out;
    for (const auto& c : dmi_counters_) out.push_back(*c);
    return out;
}

// --- bus accesses --------------------------------------------------------------------------

const CpuWrapper::DmiRegion* CpuWrapper::find_dmi(const Port& p, uint32_t addr, unsigned len) const {
    for (const DmiRegion& r : p.dmi)
        if (addr >= r.start && addr + (len - 1) <= r.last) return &r;
    return nullptr;
}

void CpuWrapper::try_get_dmi(Port& p, uint32_t addr) {
    tlm::tlm_generic_payload gp;
    AhbExtension ext;
    ext.master = p.master;
    gp.set_extension(&ext);
    gp.set_address(addr);
    gp.set_command(tlm::TLM_READ_COMMAND);
    tlm::tlm_dmi dmi;
    const bool ok = (*p.socket)->get_direct_mem_ptr(gp, dmi);
    gp.clear_extension(&ext);
    if (!ok || !dmi.get_dmi_ptr() || dmi.get_end_address() > 0xffffffffull) return;
    DmiRegion r;
    r.start = static_cast<uint32_t>(dmi.get_start_address());
    r.last = static_cast<uint32_t>(dmi.get_end_address());
    r.ptr = dmi.get_dmi_ptr();
    r.read = dmi.is_read_allowed();
    r.write = dmi.is_write_allowed();
    r.read_waits = latency_to_waits(dmi.get_read_latency());
    r.write_waits = latency_to_waits(dmi.get_write_latency());
    for (auto& c : dmi_counters_)
        if (c->start == r.start && c->master == p.master) r.counters = c.get();
    if (!r.counters) {
        dmi_counters_.push_back(std::make_unique<DmiCounters>());
        r.counters = dmi_counters_.back().get();
        r.counters->start = r.start;
        r.counters->master = p.master;
    }
    p.dmi.push_back(r);
}

void CpuWrapper::invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end) {
    for (Port& p : ports_) {
        auto& v = p.dmi;
        for (size_t i = 0; i < v.size();) {
            if (v[i].start <= end && start <= v[i].last) v.erase(v.begin() + static_cast<long>(i));
            else ++i;
        }
    }
}

int CpuWrapper::transport(Port& p, bool write, uint32_t addr, unsigned len, unsigned char* data, int hsize,
                          int hprot) {
    tlm::tlm_generic_payload& gp = p.gp;
    prepare_transfer(gp, write, addr, data, len);
    p.ext.hsize = static_cast<unsigned>(hsize);
    p.ext.hprot = static_cast<unsigned>(hprot);
    const sc_time start = qk_.get_local_time() + cfg_.clock_period * static_cast<double>(batch_cycles_);
    sc_time delay = start;
    (*p.socket)->b_transport(gp, delay);
    ++stats_.tlm_transfers;
    if (gp.is_response_error()) {
        ++stats_.bus_errors;
        return -1;
    }
    if (gp.is_dmi_allowed() && ++p.dmi_misses < 64) try_get_dmi(p, addr);
    return latency_to_waits(delay - start);
}

int CpuWrapper::bus_read(int master, uint32_t addr, int hsize, int hprot, uint32_t* rdata) {
    Port& p = ports_[master & 1];
    const unsigned len = 1u << (hsize & 3);
    unsigned char lanes[4] = {0, 0, 0, 0};
    unsigned char* dst = lanes + (addr & 3);  // AHB byte lanes follow the address
    int waits;
    if (const DmiRegion* r = find_dmi(p, addr, len); r && r->read) {
        copy_beat(dst, r->ptr + (addr - r->start), len);
        ++r->counters->reads;
        r->counters->read_bytes += len;
        ++stats_.dmi_transfers;
        waits = r->read_waits;
    } else {
        waits = transport(p, false, addr, len, dst, hsize, hprot);
    }
    uint32_t word;
    std::memcpy(&word, lanes, 4);  // little-endian host, as the bus
    *rdata = word;
    return waits;
}

int CpuWrapper::bus_write(int master, uint32_t addr, int hsize, int hprot, uint32_t wdata) {
    Port& p = ports_[master & 1];
    const unsigned len = 1u << (hsize & 3);
    unsigned char lanes[4];
    std::memcpy(lanes, &wdata, 4);
    unsigned char* src = lanes + (addr & 3);
    int waits;
    if (const DmiRegion* r = find_dmi(p, addr, len); r && r->write) {
        copy_beat(r->ptr + (addr - r->start), src, len);
        ++r->counters->writes;
        r->counters->write_bytes += len;
        ++stats_.dmi_transfers;
        waits = r->write_waits;
    } else {
        waits = transport(p, true, addr, len, src, hsize, hprot);
    }
    if (tohost_ && addr == *tohost_ && waits >= 0) handle_tohost(wdata);
    return waits;
}

bool CpuWrapper::bus_write_ready(int master, uint32_t addr, int hsize) const {
    const DmiRegion* r = find_dmi(ports_[master & 1], addr, 1u << (hsize & 3));
    return r && r->write && r->write_waits == 0;
}

void CpuWrapper::handle_tohost(uint32_t value) {
    // riscv-tests convention: 1 = pass, other odd values = fail with code value>>1.
    // Even values would be syscall pointers, which this board does not implement.
    if (!(value & 1)) return;
    const int code = value == 1 ? 0 : static_cast<int>(value >> 1);
    if (exit_handler_) exit_handler_(code);
    request_stop();
}

void CpuWrapper::trace_retirement() {
    const Vcimvp_top& t = *top_;
    std::ostream& o = *trace_;
    o << std::dec << t.rvfi_order << std::hex << std::setfill('0') << " " << std::setw(8) << t.rvfi_pc_rdata << " "
      << std::setw(8) << t.rvfi_insn << " x" << std::dec << static_cast<unsigned>(t.rvfi_rd_addr) << std::hex << " "
      << std::setw(8) << t.rvfi_rd_wdata << " " << std::setw(8) << t.rvfi_mem_addr << " "
      << static_cast<unsigned>(t.rvfi_mem_rmask) << " " << static_cast<unsigned>(t.rvfi_mem_wmask) << " "
      << std::setw(8) << t.rvfi_mem_rdata << " " << std::setw(8) << t.rvfi_mem_wdata << " "
      << static_cast<unsigned>(t.rvfi_trap) << " " << static_cast<unsigned>(t.rvfi_intr) << "\n";
}

}  // namespace cimvp

// DPI functions called by rtl/cimvp_ahb_dpi_bridge.sv; ctx is the CpuWrapper (bus_ctx port).
int cimvp_bus_read(long long ctx, int master, int addr, int hsize, int hprot, int* rdata) {
    uint32_t v = 0;
    const int r = reinterpret_cast<cimvp::CpuWrapper*>(static_cast<uintptr_t>(ctx))
                      ->bus_read(master, static_cast<uint32_t>(addr), hsize, hprot, &v);
    *rdata = static_cast<int>(v);
    return r;
}

int cimvp_bus_write(long long ctx, int master, int addr, int hsize, int hprot, int wdata) {
    return reinterpret_cast<cimvp::CpuWrapper*>(static_cast<uintptr_t>(ctx))
        ->bus_write(master, static_cast<uint32_t>(addr), hsize, hprot, static_cast<uint32_t>(wdata));
}

int cimvp_bus_write_ready(long long ctx, int master, int addr, int hsize, int /*hprot*/) {
    return reinterpret_cast<const cimvp::CpuWrapper*>(static_cast<uintptr_t>(ctx))
        ->bus_write_ready(master, static_cast<uint32_t>(addr), hsize);
}
