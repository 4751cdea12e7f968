#include "dma.h"

#include <algorithm>
#include <string>

#include "dma_regs.h"
#include "reg_access.h"

using namespace sc_core;

namespace cimvp {

namespace {
constexpr unsigned kMaxChannels = 8;
constexpr unsigned kMaxRequestLines = (DMA_CTRL_REQSEL_MASK >> DMA_CTRL_REQSEL_SHIFT) + 1;
constexpr uint32_t kCtrlMask = DMA_CTRL_EN | DMA_CTRL_WIDTH_MASK | DMA_CTRL_SRC_INC | DMA_CTRL_DST_INC |
                               DMA_CTRL_CIRC | DMA_CTRL_MODE_REQ | DMA_CTRL_REQSEL_MASK | DMA_CTRL_HALF_IE |
                               DMA_CTRL_DONE_IE | DMA_CTRL_ERR_IE | DMA_CTRL_BURST_MASK;

unsigned width_code(uint32_t ctrl) { return (ctrl & DMA_CTRL_WIDTH_MASK) >> DMA_CTRL_WIDTH_SHIFT; }
unsigned reqsel(uint32_t ctrl) { return (ctrl & DMA_CTRL_REQSEL_MASK) >> DMA_CTRL_REQSEL_SHIFT; }
unsigned burst(uint32_t ctrl) { return ((ctrl & DMA_CTRL_BURST_MASK) >> DMA_CTRL_BURST_SHIFT) + 1; }

uint32_t enabled_flags(uint32_t ctrl) {
    uint32_t m = 0;
    if (ctrl & DMA_CTRL_HALF_IE) m |= DMA_STATUS_HALF;
    if (ctrl & DMA_CTRL_DONE_IE) m |= DMA_STATUS_DONE;
    if (ctrl & DMA_CTRL_ERR_IE) m |= DMA_STATUS_BUS_ERR | DMA_STATUS_CFG_ERR;
    return m;
}
}  // namespace

Dma::Dma(sc_module_name name, const DmaConfig& cfg) : sc_module(name), drq("drq"), cfg_(cfg), drq_tie_("drq_tie") {
    if (cfg_.channels == 0 || cfg_.channels > kMaxChannels)
        SC_REPORT_ERROR(this->name(), ("DMA channels must be 1.." + std::to_string(kMaxChannels) + ", got " +
                                       std::to_string(cfg_.channels))
                                          .c_str());
    if (cfg_.request_lines == 0 || cfg_.request_lines > kMaxRequestLines)
        SC_REPORT_ERROR(this->name(), ("DMA request lines must be 1.." + std::to_string(kMaxRequestLines) +
                                       ", got " + std::to_string(cfg_.request_lines))
                                          .c_str());
    if (cfg_.clock_period <= SC_ZERO_TIME) SC_REPORT_ERROR(this->name(), "DMA clock period must be > 0");
    channels_.resize(cfg_.channels);
    drq.init(cfg_.request_lines);
    drq_tie_.init(cfg_.request_lines);
    ext_.master = cfg_.master_id;
    ext_.hburst = AhbBurst::Single;
    ext_.beats = 1;

    socket.register_b_transport(this, &Dma::b_transport);
    socket.register_transport_dbg(this, &Dma::transport_dbg);
    SC_HAS_PROCESS(Dma);
    SC_THREAD(engine);
    SC_METHOD(update_irq);
    sensitive << irq_event_;
}

void Dma::before_end_of_elaboration() {
    for (unsigned i = 0; i < drq.size(); ++i)
        if (drq[i].bind_count() == 0) drq[i].bind(drq_tie_[i]);
}

// --- engine ---------------------------------------------------------------------------------

bool Dma::runnable(const Channel& c) const {
    if (!(c.ctrl & DMA_CTRL_EN)) return false;
    return !(c.ctrl & DMA_CTRL_MODE_REQ) || drq[reqsel(c.ctrl)].read();
}

void Dma::engine() {
    sc_event_or_list wake;
    wake |= kick_;
    for (unsigned i = 0; i < drq.size(); ++i) wake |= drq[i].value_changed_event();
    for (;;) {
        const unsigned n = channels();
        unsigned ch = n;
        for (unsigned k = 0; k < n && ch == n; ++k)
            if (runnable(channels_[(rr_next_ + k) % n])) ch = (rr_next_ + k) % n;
        if (ch == n) {
            wait(wake);
            continue;
        }
        rr_next_ = (ch + 1) % n;
        turn(ch);
        // Catch up with the time the turn took, so the next request sample and other masters see it.
        if (local_ > SC_ZERO_TIME) {
            wait(local_);
            local_ = SC_ZERO_TIME;
        }
        wait(SC_ZERO_TIME);  // request lines driven at this time settle before they are sampled
    }
}

bool Dma::bus_access(Channel& c, tlm::tlm_command cmd, uint32_t addr, unsigned char* data, unsigned len) {
    tlm::tlm_generic_payload gp;
    prepare_transfer(gp, cmd == tlm::TLM_WRITE_COMMAND, addr, data, len);
    ext_.hsize = len == 4 ? kAhbWord : len == 2 ? kAhbHalf : kAhbByte;
    gp.set_extension(&ext_);
    const sc_time before = local_;
    initiator->b_transport(gp, local_);
    gp.clear_extension(&ext_);  // ours, not the payload's to free
    const sc_time latency = local_ - before;
    c.stats.bus_time += latency;
    if (latency > cfg_.clock_period) c.stats.bus_stall_time += latency - cfg_.clock_period;
    if (gp.is_response_error()) {
        c.status |= DMA_STATUS_BUS_ERR;
        c.err_addr = addr;
        c.ctrl &= ~DMA_CTRL_EN;
        ++c.stats.errors;
        return false;
    }
    return true;
}

void Dma::turn(unsigned ch) {
    Channel& c = channels_[ch];
    const unsigned size = 1u << width_code(c.ctrl);
    const uint32_t half_at = (c.pass_count + 1) / 2;  // items done when HALF is raised
    const unsigned items = std::min<uint32_t>(burst(c.ctrl), c.remain);
    ++c.stats.requests;
    for (unsigned i = 0; i < items; ++i) {
        local_ += cfg_.clock_period * static_cast<double>(cfg_.setup_cycles);
        unsigned char buf[4] = {};
        if (!bus_access(c, tlm::TLM_READ_COMMAND, c.cur_src, buf, size) ||
            !bus_access(c, tlm::TLM_WRITE_COMMAND, c.cur_dst, buf, size)) {
            flag_now();
            return;
        }
        if (c.ctrl & DMA_CTRL_SRC_INC) c.cur_src += size;
        if (c.ctrl & DMA_CTRL_DST_INC) c.cur_dst += size;
        --c.remain;
        ++c.stats.items;
        c.stats.bytes += size;
        bool flagged = false;
        if (!c.half_seen && c.pass_count - c.remain >= half_at) {
            c.half_seen = true;
            c.status |= DMA_STATUS_HALF;
            flagged = true;
        }
        if (c.remain == 0) {
            c.status |= DMA_STATUS_DONE;
            ++c.stats.passes;
            flagged = true;
            if (c.ctrl & DMA_CTRL_CIRC) start(c);  // next pass from the (re)programmed registers
            else c.ctrl &= ~DMA_CTRL_EN;
        }
        if (flagged) flag_now();
        if (!(c.ctrl & DMA_CTRL_EN)) return;
    }
}

// Catches up with the engine's local time so the interrupt rises at the end of the item that
// raised a flag, then lets update_irq() follow.
void Dma::flag_now() {
    if (local_ > SC_ZERO_TIME) {
        wait(local_);
        local_ = SC_ZERO_TIME;
    }
    irq_event_.notify(SC_ZERO_TIME);
}

// Latches the programmed addresses and count; a bad setup flags CFG_ERR and leaves EN clear.
void Dma::start(Channel& c) {
    const unsigned w = width_code(c.ctrl);
    const uint32_t align = (1u << (w > 2 ? 0 : w)) - 1;
    const bool bad = w > DMA_WIDTH_32 || (c.src & align) || (c.dst & align) || reqsel(c.ctrl) >= drq.size() ||
                     ((c.ctrl & DMA_CTRL_CIRC) && c.count == 0);
    if (bad) {
        c.status |= DMA_STATUS_CFG_ERR;
        c.ctrl &= ~DMA_CTRL_EN;
        ++c.stats.errors;
        return;
    }
    c.cur_src = c.src;
    c.cur_dst = c.dst;
    c.remain = c.pass_count = c.count;
    c.half_seen = false;
    if (c.count == 0) {  // nothing to move: done at once
        c.status |= DMA_STATUS_DONE;
        ++c.stats.passes;
        c.ctrl &= ~DMA_CTRL_EN;
    }
}

uint32_t Dma::irq_status() const {
    uint32_t s = 0;
    for (unsigned i = 0; i < channels(); ++i)
        if (channels_[i].status & enabled_flags(channels_[i].ctrl)) s |= 1u << i;
    return s;
}

void Dma::update_irq() { irq.write(irq_status() != 0); }

// --- registers ------------------------------------------------------------------------------

bool Dma::read_reg(uint64_t reg, uint32_t& v) const {
    switch (reg) {
        case DMA_IRQ_STATUS: v = irq_status(); return true;
        case DMA_ACTIVE: {
            v = 0;
            for (unsigned i = 0; i < channels(); ++i)
                if (channels_[i].ctrl & DMA_CTRL_EN) v |= 1u << i;
            return true;
        }
        case DMA_INFO: v = channels() | (static_cast<uint32_t>(drq.size()) << 8); return true;
        default: break;
    }
    if (reg < DMA_CH_BASE(0) || reg >= DMA_CH_BASE(channels())) return false;
    const Channel& c = channels_[(reg - DMA_CH_BASE(0)) / DMA_CH_STRIDE];
    switch ((reg - DMA_CH_BASE(0)) % DMA_CH_STRIDE) {
        case DMA_CH_SRC: v = c.src; return true;
        case DMA_CH_DST: v = c.dst; return true;
        case DMA_CH_COUNT: v = c.count; return true;
        case DMA_CH_CTRL: v = c.ctrl; return true;
        case DMA_CH_STATUS: v = c.status | ((c.ctrl & DMA_CTRL_EN) ? DMA_STATUS_BUSY : 0u); return true;
        case DMA_CH_REMAIN: v = c.remain; return true;
        case DMA_CH_ERR_ADDR: v = c.err_addr; return true;
        default: return false;
    }
}

tlm::tlm_response_status Dma::write_reg(uint64_t reg, uint32_t v, const sc_time& at) {
    uint32_t dummy;
    if (!read_reg(reg, dummy)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    if (reg < DMA_CH_BASE(0)) return tlm::TLM_COMMAND_ERROR_RESPONSE;  // global registers are read-only
    Channel& c = channels_[(reg - DMA_CH_BASE(0)) / DMA_CH_STRIDE];
    switch ((reg - DMA_CH_BASE(0)) % DMA_CH_STRIDE) {
        case DMA_CH_SRC: c.src = v; break;
        case DMA_CH_DST: c.dst = v; break;
        case DMA_CH_COUNT: c.count = v; break;
        case DMA_CH_CTRL: {
            const bool was = c.ctrl & DMA_CTRL_EN;
            c.ctrl = v & kCtrlMask;
            if (!was && (c.ctrl & DMA_CTRL_EN)) {
                start(c);
                kick_.notify(at);  // the engine looks at the channel from the time of the write
            }
            break;
        }
        case DMA_CH_STATUS: c.status &= ~(v & DMA_STATUS_FLAGS); break;
        default: return tlm::TLM_COMMAND_ERROR_RESPONSE;  // REMAIN, ERR_ADDR
    }
    irq_event_.notify(at);
    return tlm::TLM_OK_RESPONSE;
}

void Dma::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
    serve_registers(
        gp,
        [&](const RegAccess& a, uint32_t& v) {
            if (!read_reg(a.reg, v)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            return a.whole() ? tlm::TLM_OK_RESPONSE : tlm::TLM_BURST_ERROR_RESPONSE;
        },
        [&](const RegAccess& a) {
            uint32_t dummy;
            if (!read_reg(a.reg, dummy)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            if (!a.whole()) return tlm::TLM_BURST_ERROR_RESPONSE;
            return write_reg(a.reg, a.value, delay);
        });
}

unsigned Dma::transport_dbg(tlm::tlm_generic_payload& gp) {
    return debug_read_registers(gp, [this](uint64_t reg, uint32_t& v) { return read_reg(reg, v); });
}

}  // namespace cimvp
