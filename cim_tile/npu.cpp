#include "npu.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "errors.h"
#include "npu_regs.h"
#include "reg_access.h"

using namespace sc_core;

namespace cimvp::npu {

namespace {

constexpr uint64_t kWindow = CIMVP_NPU_SIZE;
constexpr uint32_t kBurstBoundary = 1024;  // AHB: a burst must not cross a 1 KiB boundary

sc_time ns_time(double ns) { return sc_time(ns, SC_NS); }

bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen) {
    return alen && blen && a < b + blen && b < a + alen;
}

}  // namespace

void NpuConfig::validate() const {
    auto bad = [](const std::string& what) { throw InputError("npu." + what); };
    try {
        tile.validate();
    } catch (const std::invalid_argument& e) {
        bad(std::string("tile: ") + e.what());
    }
    try {
        energy.validate();
    } catch (const std::invalid_argument& e) {
        throw InputError(e.what());
    }
    if (clock_period <= SC_ZERO_TIME) bad("clock_period must be > 0");
    if (base % kWindow || base + kWindow > (uint64_t{1} << 32)) bad("base must be a 64 KiB aligned 32-bit address");
    if (tile.array.rows > 65535) bad("tile.array.rows must be <= 65535 (16-bit descriptor fields)");
    if (tile.array.cols / tile.slices() < 1) bad("tile.array.cols must hold at least one weight column");
    if (local_bytes_per_cycle < 1) bad("local_bytes_per_cycle must be >= 1");
    if (dac_fifo_bytes < 1) bad("dac_fifo_bytes must be >= 1");
    if (adc_count < 1) bad("adc_count must be >= 1");
    if (post_outputs_per_cycle < 1) bad("post_outputs_per_cycle must be >= 1");
    if (write_verify_iterations < 1) bad("write_verify_iterations must be >= 1");
    if (max_cached_layers < 1) bad("max_cached_layers must be >= 1");
    const std::pair<const char*, double> times[] = {{"dac_batch_ns", dac_batch_ns},
                                                    {"array_read_ns", array_read_ns},
                                                    {"adc_conversion_ns", adc_conversion_ns},
                                                    {"cell_write_ns", cell_write_ns},
                                                    {"weight_age_s", weight_age_s}};
    for (const auto& [name, v] : times)
        if (!(v >= 0) || !std::isfinite(v)) bad(std::string(name) + " must be finite and >= 0");
}

Npu::Npu(sc_module_name name, const NpuConfig& cfg) : sc_module(name), cfg_(cfg) {
    cfg_.validate();
    rows_ = cfg_.tile.array.rows;
    slices_ = cfg_.tile.slices();
    wcols_ = cfg_.tile.array.cols / slices_;
    weights_.assign(static_cast<size_t>(rows_) * wcols_, 0);
    ibuf_.assign(NPU_IBUF_SIZE, 0);
    obuf_.assign(NPU_OBUF_SIZE, 0);
    ext_.master = CIMVP_MASTER_NPU;
    ext_.hsize = kAhbWord;
    ext_.hburst = AhbBurst::Incr;
    socket.register_b_transport(this, &Npu::b_transport);
    socket.register_transport_dbg(this, &Npu::transport_dbg);
    SC_HAS_PROCESS(Npu);
    SC_THREAD(run);
    SC_METHOD(update_irq);
    sensitive << irq_event_;
}

// ---- array contents --------------------------------------------------------------------------

void Npu::load_image(const std::string& path) { load_image(read_image(path), path); }

void Npu::load_image(const NpuImage& img, const std::string& origin) {
    validate_image(img, origin);
    if (img.rows != static_cast<uint32_t>(rows_) || img.cols != static_cast<uint32_t>(wcols_) ||
        img.bits_per_cell != static_cast<uint32_t>(cfg_.tile.array.bits_per_cell))
        throw InputError("NPU image '" + origin + "': built for a " + std::to_string(img.rows) + "x" +
                         std::to_string(img.cols) + " array of " + std::to_string(img.bits_per_cell) +
                         "-bit cells, this NPU is " + std::to_string(rows_) + "x" + std::to_string(wcols_) +
                         " with " + std::to_string(cfg_.tile.array.bits_per_cell) + "-bit cells");
    std::fill(weights_.begin(), weights_.end(), 0);
    for (const auto& r : img.regions)
        for (uint32_t i = 0; i < r.row_cnt; ++i)
            std::memcpy(&weights_[static_cast<size_t>(r.row_off + i) * wcols_ + r.col_off],
                        &r.weights[static_cast<size_t>(i) * r.col_cnt], r.col_cnt);
    layers_.clear();
    weights_written_at_ = sc_time_stamp();
}

void Npu::set_weights(int row_off, int col_off, const cim::WeightMatrix& w) {
    if (row_off < 0 || col_off < 0 || w.rows <= 0 || w.cols <= 0 || row_off + w.rows > rows_ ||
        col_off + w.cols > wcols_)
        throw std::invalid_argument("Npu::set_weights: block does not fit the array");
    for (int i = 0; i < w.rows; ++i)
        std::memcpy(&weights_[static_cast<size_t>(row_off + i) * wcols_ + col_off], w.row(i), w.cols);
    layers_.clear();
    weights_written_at_ = sc_time_stamp();
}

void Npu::invalidate_cell(int row, int col) {
    for (auto& l : layers_)
        if (row >= l.row_off && row < l.row_off + l.row_cnt && col >= l.col_off && col < l.col_off + l.col_cnt)
            l.dirty = true;
}

Npu::Layer& Npu::layer_for(const Descriptor& d) {
    Layer* hit = nullptr;
    for (auto& l : layers_)
        if (l.row_off == d.row_off && l.row_cnt == d.row_cnt && l.col_off == d.col_off && l.col_cnt == d.col_cnt &&
            l.encoding == d.encoding)
            hit = &l;
    if (!hit) {
        if (layers_.size() >= cfg_.max_cached_layers) {
            auto lru = std::min_element(layers_.begin(), layers_.end(),
                                        [](const Layer& a, const Layer& b) { return a.last_use < b.last_use; });
            layers_.erase(lru);
        }
        cim::TileConfig tc = cfg_.tile;
        tc.conv.encoding = d.encoding == NPU_ENC_BIT_SERIAL ? cim::InputEncoding::BitSerial : cim::InputEncoding::Parallel;
        layers_.push_back(Layer{d.row_off, d.row_cnt, d.col_off, d.col_cnt, d.encoding,
                                std::make_unique<cim::Crossbar>(tc), true, 0});
        hit = &layers_.back();
    }
    if (hit->dirty) {
        cim::WeightMatrix w(d.row_cnt, d.col_cnt);
        for (int i = 0; i < d.row_cnt; ++i)
            std::memcpy(&w.data[static_cast<size_t>(i) * d.col_cnt],
                        &weights_[static_cast<size_t>(d.row_off + i) * wcols_ + d.col_off], d.col_cnt);
        cim::MappingOptions m = cfg_.mapping;
        m.row_offset = d.row_off;
        m.col_offset = d.col_off * slices_;
        hit->xbar->program(w, m);
        hit->dirty = false;
    }
    hit->last_use = ++use_counter_;
    return *hit;
}

// ---- target side -----------------------------------------------------------------------------

bool Npu::peek(uint64_t reg, uint32_t& v, const sc_time& at) const {
    switch (reg) {
        case NPU_ID: v = NPU_ID_VALUE; return true;
        case NPU_VERSION: v = NPU_VERSION_VALUE; return true;
        case NPU_ROWS: v = static_cast<uint32_t>(rows_); return true;
        case NPU_COLS: v = static_cast<uint32_t>(wcols_); return true;
        case NPU_CELL_BITS: v = static_cast<uint32_t>(cfg_.tile.array.bits_per_cell); return true;
        case NPU_IBUF_BYTES: v = NPU_IBUF_SIZE; return true;
        case NPU_OBUF_BYTES: v = NPU_OBUF_SIZE; return true;
        case NPU_CTRL: v = ctrl_ & NPU_CTRL_IRQ_EN; return true;
        case NPU_STATUS:
            v = status_ | (busy_ ? NPU_STATUS_BUSY : 0u) | (wbusy_until_ > at ? NPU_STATUS_WBUSY : 0u);
            return true;
        case NPU_ERRCODE: v = err_code_; return true;
        case NPU_ERRINDEX: v = err_index_; return true;
        case NPU_ERRADDR: v = err_addr_; return true;
        case NPU_DESC_ADDR: v = desc_addr_; return true;
        case NPU_DESC_COUNT: v = desc_count_; return true;
        case NPU_CYCLES: v = cycles_; return true;
        case NPU_DESC_DONE: v = desc_done_; return true;
        case NPU_W_ROW: v = w_row_; return true;
        case NPU_W_COL: v = w_col_; return true;
        case NPU_W_DATA: v = w_data_; return true;
        case NPU_W_CMD: v = 0; return true;
        default: return false;
    }
}

void Npu::fail_now(uint32_t code) {
    status_ |= NPU_STATUS_ERROR;
    err_code_ = code;
    ++st_.errors;
    irq_event_.notify(SC_ZERO_TIME);
}

void Npu::weight_command(uint32_t cmd, const sc_time& at) {
    if (cmd != NPU_W_CMD_WRITE && cmd != NPU_W_CMD_READ) return;  // no operation
    if (busy_ || wbusy_until_ > at) return fail_now(NPU_ERR_BUSY);
    if (w_row_ >= static_cast<uint32_t>(rows_) || w_col_ >= static_cast<uint32_t>(wcols_)) {
        err_addr_ = (w_row_ << 16) | (w_col_ & 0xffffu);
        return fail_now(NPU_ERR_WEIGHT_ADDR);
    }
    int8_t& cell = weights_[static_cast<size_t>(w_row_) * wcols_ + w_col_];
    if (cmd == NPU_W_CMD_READ) {
        w_data_ = static_cast<uint32_t>(static_cast<int32_t>(cell));  // sign-extended
        return;
    }
    cell = static_cast<int8_t>(w_data_ & 0xffu);
    invalidate_cell(static_cast<int>(w_row_), static_cast<int>(w_col_));
    weights_written_at_ = at;
    // Both cells of every slice's pair get programmed with write-verify.
    const uint64_t pulses = uint64_t{2} * slices_ * cfg_.write_verify_iterations;
    wbusy_until_ = at + ns_time(cfg_.cell_write_ns * static_cast<double>(pulses));
    st_.events.cell_write_pulses += pulses;
    ++st_.weight_writes;
}

void Npu::soft_reset() {
    ++generation_;  // a running chain sees this when its wait ends and drops its results
    reset_event_.notify(SC_ZERO_TIME);
    start_event_.cancel();
    start_pending_ = false;
    ctrl_ = status_ = err_code_ = err_index_ = err_addr_ = 0;
    desc_addr_ = desc_count_ = cycles_ = desc_done_ = 0;
    w_row_ = w_col_ = w_data_ = 0;
    busy_ = false;
    std::fill(ibuf_.begin(), ibuf_.end(), 0);
    std::fill(obuf_.begin(), obuf_.end(), 0);
    irq_event_.notify(SC_ZERO_TIME);
}

tlm::tlm_response_status Npu::write_reg(uint64_t reg, uint32_t value, uint32_t mask, const sc_time& at) {
    switch (reg) {
        case NPU_CTRL: {
            const uint32_t v = value & mask;
            if (v & NPU_CTRL_RESET) {
                soft_reset();
                return tlm::TLM_OK_RESPONSE;
            }
            ctrl_ = (ctrl_ & ~mask) | (v & NPU_CTRL_IRQ_EN);
            irq_event_.notify(at - sc_time_stamp());
            if (v & NPU_CTRL_START) {
                if (busy_ || wbusy_until_ > at) {
                    fail_now(NPU_ERR_BUSY);
                } else {
                    busy_ = true;
                    status_ &= ~(NPU_STATUS_DONE | NPU_STATUS_ERROR);
                    err_code_ = err_index_ = err_addr_ = 0;
                    start_pending_ = true;
                    start_event_.notify(at - sc_time_stamp());
                }
            }
            return tlm::TLM_OK_RESPONSE;
        }
        case NPU_STATUS: {
            const uint32_t clear = value & mask & (NPU_STATUS_DONE | NPU_STATUS_ERROR);
            status_ &= ~clear;
            if (clear & NPU_STATUS_ERROR) err_code_ = 0;
            irq_event_.notify(at - sc_time_stamp());
            return tlm::TLM_OK_RESPONSE;
        }
        case NPU_DESC_ADDR: desc_addr_ = (desc_addr_ & ~mask) | (value & mask); return tlm::TLM_OK_RESPONSE;
        case NPU_DESC_COUNT: desc_count_ = (desc_count_ & ~mask) | (value & mask); return tlm::TLM_OK_RESPONSE;
        case NPU_W_ROW: w_row_ = (w_row_ & ~mask) | (value & mask); return tlm::TLM_OK_RESPONSE;
        case NPU_W_COL: w_col_ = (w_col_ & ~mask) | (value & mask); return tlm::TLM_OK_RESPONSE;
        case NPU_W_DATA: w_data_ = (w_data_ & ~mask) | (value & mask); return tlm::TLM_OK_RESPONSE;
        case NPU_W_CMD: weight_command(value & mask, at); return tlm::TLM_OK_RESPONSE;
        default: {
            uint32_t dummy;
            return peek(reg, dummy, at) ? tlm::TLM_COMMAND_ERROR_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE;
        }
    }
}

void Npu::buffer_access(tlm::tlm_generic_payload& gp) {
    const uint64_t a = gp.get_address();
    const unsigned len = gp.get_data_length();
    if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) return gp.set_response_status(tlm::TLM_OK_RESPONSE);
    if (gp.get_streaming_width() < len) return gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    if (gp.get_byte_enable_ptr() && gp.get_byte_enable_length())
        return gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    std::vector<uint8_t>* buf = nullptr;
    uint64_t off = 0;
    if (a >= NPU_IBUF_OFFSET && a + len <= NPU_IBUF_OFFSET + NPU_IBUF_SIZE) {
        buf = &ibuf_;
        off = a - NPU_IBUF_OFFSET;
    } else if (a >= NPU_OBUF_OFFSET && a + len <= NPU_OBUF_OFFSET + NPU_OBUF_SIZE) {
        buf = &obuf_;
        off = a - NPU_OBUF_OFFSET;
    } else {
        return gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
    if (gp.is_write()) std::memcpy(buf->data() + off, gp.get_data_ptr(), len);
    else std::memcpy(gp.get_data_ptr(), buf->data() + off, len);
    st_.events.buffer_bytes += len;
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Npu::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
    if (gp.get_address() >= NPU_IBUF_OFFSET) return buffer_access(gp);
    const sc_time at = sc_time_stamp() + delay;
    serve_registers(
        gp,
        [&](const RegAccess& a, uint32_t& v) {
            if (!peek(a.reg, v, at)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
            return a.reg == NPU_W_CMD ? tlm::TLM_COMMAND_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE;
        },
        [&](const RegAccess& a) { return write_reg(a.reg, a.value, a.mask, at); });
}

unsigned Npu::transport_dbg(tlm::tlm_generic_payload& gp) {
    const uint64_t a = gp.get_address();
    const unsigned len = gp.get_data_length();
    for (auto [off, buf] : {std::pair{uint64_t{NPU_IBUF_OFFSET}, &ibuf_}, std::pair{uint64_t{NPU_OBUF_OFFSET}, &obuf_}})
        if (a >= off && a < off + buf->size()) {
            const unsigned n = static_cast<unsigned>(std::min<uint64_t>(len, off + buf->size() - a));
            if (gp.is_write()) std::memcpy(buf->data() + (a - off), gp.get_data_ptr(), n);
            else if (gp.is_read()) std::memcpy(gp.get_data_ptr(), buf->data() + (a - off), n);
            return n;
        }
    const sc_time now = sc_time_stamp();
    return debug_read_registers(gp, [&](uint64_t reg, uint32_t& v) { return peek(reg, v, now); });
}

void Npu::update_irq() {
    irq.write((ctrl_ & NPU_CTRL_IRQ_EN) && (status_ & (NPU_STATUS_DONE | NPU_STATUS_ERROR)));
}

// ---- initiator side --------------------------------------------------------------------------

uint8_t* Npu::local_buffer(uint32_t addr, uint32_t len, bool& in_window) {
    in_window = ranges_overlap(addr, len, cfg_.base, kWindow);
    if (!in_window) return nullptr;
    const uint64_t off = addr - cfg_.base;
    if (addr >= cfg_.base && off >= NPU_IBUF_OFFSET && off + len <= NPU_IBUF_OFFSET + NPU_IBUF_SIZE)
        return ibuf_.data() + (off - NPU_IBUF_OFFSET);
    if (addr >= cfg_.base && off >= NPU_OBUF_OFFSET && off + len <= NPU_OBUF_OFFSET + NPU_OBUF_SIZE)
        return obuf_.data() + (off - NPU_OBUF_OFFSET);
    return nullptr;
}

bool Npu::move(bool write, uint32_t addr, uint8_t* data, uint32_t len, sc_time& at, Failure& f) {
    if (len == 0) return true;
    if (uint64_t{addr} + len > (uint64_t{1} << 32)) {
        f = {NPU_ERR_ADDR, addr};
        return false;
    }
    bool in_window = false;
    if (uint8_t* p = local_buffer(addr, len, in_window); in_window) {
        if (!p) {
            f = {NPU_ERR_ADDR, addr};
            return false;
        }
        if (write) std::memcpy(p, data, len);
        else std::memcpy(data, p, len);
        at += cfg_.clock_period * static_cast<double>((len + cfg_.local_bytes_per_cycle - 1) / cfg_.local_bytes_per_cycle);
        st_.events.buffer_bytes += len;
        return true;
    }
    const sc_time chain_start = sc_time_stamp();  // the chain never yields while moving data
    while (len) {
        const uint32_t n = std::min(len, kBurstBoundary - (addr % kBurstBoundary));
        tlm::tlm_generic_payload gp;
        prepare_transfer(gp, write, addr, data, n);
        gp.set_extension(&ext_);
        sc_time delay = at;
        initiator_socket->b_transport(gp, delay);
        gp.clear_extension(&ext_);  // ours, not the payload's to free
        // A target that waited moved sc_time_stamp(); the offset stays relative to chain_start.
        at = sc_time_stamp() + delay - chain_start;
        ++st_.bus_transfers;
        if (!gp.is_response_ok()) {
            f = {NPU_ERR_BUS, addr};
            return false;
        }
        (write ? st_.bus_bytes_written : st_.bus_bytes_read) += n;
        st_.events.bus_bytes += n;
        addr += n;
        data += n;
        len -= n;
    }
    return true;
}

void Npu::run() {
    for (;;) {
        // A START that arrived while an aborted chain was still unwinding is pending already.
        if (!start_pending_) wait(start_event_);
        if (!start_pending_) continue;
        start_pending_ = false;
        run_chain();
    }
}

void Npu::run_chain() {
    const uint64_t gen = generation_;
    const sc_time t0 = sc_time_stamp();
    const sc_time T = cfg_.clock_period;
    ++st_.chains;
    const uint32_t count = desc_count_, base = desc_addr_;
    struct Written {
        uint32_t addr, len;
        sc_time end;
    };
    std::vector<Written> written;
    std::array<sc_time, 4> prev{};  // end of each stage for the previous descriptor
    Failure f{NPU_ERR_NONE, 0};
    uint32_t index = 0;
    sc_time fail_at;
    const cim::ConverterConfig& cv = cfg_.tile.conv;

    if (count == 0 || count > NPU_MAX_DESC || (base & 3)) {
        f = {NPU_ERR_DESC_COUNT, base};
        fail_at = T * static_cast<double>(cfg_.load_setup_cycles);
    }
    sc_time at;
    for (; f.code == NPU_ERR_NONE && index < count; ++index) {
        const sc_time s1 = prev[0];
        at = s1 + T * static_cast<double>(cfg_.load_setup_cycles);
        const uint64_t daddr = uint64_t{base} + uint64_t{NPU_DESC_SIZE} * index;
        uint8_t raw[NPU_DESC_SIZE];
        if (daddr + NPU_DESC_SIZE > (uint64_t{1} << 32)) {
            f = {NPU_ERR_ADDR, static_cast<uint32_t>(daddr)};
            break;
        }
        if (!move(false, static_cast<uint32_t>(daddr), raw, NPU_DESC_SIZE, at, f)) break;
        const Descriptor d = decode_descriptor(raw);
        if (uint32_t c = check_descriptor_fields(d); c != NPU_ERR_NONE) {
            f = {c, static_cast<uint32_t>(daddr)};
            break;
        }
        if (uint32_t c = check_descriptor_region(d, rows_, wcols_); c != NPU_ERR_NONE) {
            f = {c, static_cast<uint32_t>(daddr)};
            break;
        }
        const uint32_t out_len = d.col_cnt * d.out_bytes_per_col();
        const uint32_t bias_len = d.has_bias() ? 4u * d.col_cnt : 0u;
        // Output range checked before anything runs, so a bad output address leaves no effects.
        if (uint64_t{d.out_addr} + out_len > (uint64_t{1} << 32)) {
            f = {NPU_ERR_ADDR, d.out_addr};
            break;
        }
        if (bool in_window; !local_buffer(d.out_addr, out_len, in_window) && in_window) {
            f = {NPU_ERR_ADDR, d.out_addr};
            break;
        }
        // Read-after-write interlock on earlier outputs of this chain.
        for (const Written& w : written)
            if (ranges_overlap(d.in_addr, d.row_cnt, w.addr, w.len) ||
                ranges_overlap(d.bias_addr, bias_len, w.addr, w.len))
                at = std::max(at, w.end);
        scratch_in_.resize(d.row_cnt);
        if (!move(false, d.in_addr, scratch_in_.data(), d.row_cnt, at, f)) break;
        scratch_bias_.resize(bias_len);
        if (!move(false, d.bias_addr, scratch_bias_.data(), bias_len, at, f)) break;
        const sc_time e1 = at;

        // Functional MVM through the analog model.
        const bool serial = d.encoding == NPU_ENC_BIT_SERIAL;
        const int reads = serial ? cv.inp_res_bits : 1;
        std::vector<int32_t> bias(d.col_cnt), y(d.col_cnt);
        std::vector<double> acc(d.col_cnt);
        for (unsigned j = 0; j < bias_len / 4; ++j) bias[j] = static_cast<int32_t>(get_le32(&scratch_bias_[4 * j]));
        try {
            Layer& L = layer_for(d);
            const cim::MvmStats before = L.xbar->mvm_stats();
            const double age = cfg_.weight_age_s + (t0 - std::min(t0, weights_written_at_)).to_seconds();
            const bool raw_acc = d.out_format == NPU_OUT_ACC32;
            L.xbar->mvm(scratch_in_.data(), d.has_bias() ? bias.data() : nullptr, raw_acc ? 0 : d.shift,
                        raw_acc ? cim::Activation::identity() : descriptor_activation(d), age, y.data(), acc.data());
            const cim::MvmStats& after = L.xbar->mvm_stats();
            st_.adc_clipped += after.adc_clipped - before.adc_clipped;
            st_.events.cells_read += 2 * (after.analog_cell_reads - before.analog_cell_reads);
            st_.events.driven_conductance_us += after.driven_conductance_us - before.driven_conductance_us;
        } catch (const std::invalid_argument&) {  // validate_mapping: the mapping does not fit
            f = {NPU_ERR_MAPPING, static_cast<uint32_t>(daddr)};
            break;
        } catch (const std::exception&) {
            f = {NPU_ERR_INTERNAL, static_cast<uint32_t>(daddr)};
            break;
        }
        scratch_out_.resize(out_len);
        for (unsigned j = 0; j < d.col_cnt; ++j) {
            if (d.out_format == NPU_OUT_ACC32) {
                const double r = std::nearbyint(acc[j]);
                const double c = std::min<double>(std::max<double>(r, std::numeric_limits<int32_t>::min()),
                                                  std::numeric_limits<int32_t>::max());
                put_le32(&scratch_out_[4 * j], static_cast<uint32_t>(static_cast<int32_t>(c)));
            } else {
                scratch_out_[j] = static_cast<uint8_t>(y[j] & 0xff);
            }
        }
        st_.events.macs += uint64_t{d.row_cnt} * d.col_cnt;
        st_.events.dac_conversions += uint64_t{d.row_cnt} * reads;
        st_.events.dac_conversion_bits += uint64_t{d.row_cnt} * reads * (serial ? 1u : unsigned(cv.inp_res_bits));
        st_.events.adc_conversions += uint64_t{d.col_cnt} * slices_ * reads;
        st_.events.outputs += d.col_cnt;

        // Stages 2-4.
        const double batches = std::ceil(static_cast<double>(d.row_cnt) / cfg_.dac_fifo_bytes);
        const sc_time d2 = ns_time(reads * batches * cfg_.dac_batch_ns);
        const sc_time d3 = ns_time(reads * cfg_.array_read_ns);
        const double conv = std::ceil(static_cast<double>(d.col_cnt) * slices_ / cfg_.adc_count);
        const double post = std::ceil(static_cast<double>(d.col_cnt) / cfg_.post_outputs_per_cycle);
        const sc_time e2 = std::max(e1, prev[1]) + d2;
        const sc_time e3 = std::max(e2, prev[2]) + d3;
        const sc_time s4 = std::max(e3, prev[3]);
        at = s4 + ns_time(reads * conv * cfg_.adc_conversion_ns) + T * post;
        if (!move(true, d.out_addr, scratch_out_.data(), out_len, at, f)) break;
        last_stage_ = {e1 - s1, d2, d3, at - s4};
        prev = {e1, e2, e3, at};
        written.push_back({d.out_addr, out_len, at});
        ++st_.descriptors;
    }
    // A failing descriptor stops where the error was found; the chain ends once the earlier
    // descriptors have drained.
    if (f.code != NPU_ERR_NONE && f.code != NPU_ERR_DESC_COUNT) fail_at = at;
    const sc_time end = std::max(prev[3], fail_at);
    const sc_time elapsed = sc_time_stamp() - t0;
    wait(end > elapsed ? end - elapsed : SC_ZERO_TIME, reset_event_);
    if (generation_ != gen) return;  // soft reset: registers already cleared
    busy_ = false;
    cycles_ = static_cast<uint32_t>(std::ceil(end / T - 1e-9));
    desc_done_ = f.code == NPU_ERR_NONE ? count : index;
    st_.busy_s += end.to_seconds();
    if (f.code == NPU_ERR_NONE) {
        status_ |= NPU_STATUS_DONE;
    } else {
        err_index_ = index;
        err_addr_ = f.addr;
        fail_now(f.code);
    }
    irq_event_.notify(SC_ZERO_TIME);
}

NpuStats Npu::stats() const {
    NpuStats s = st_;
    s.energy_pj = compute_energy(cfg_.energy, s.events, cfg_.tile.conv.out_res_bits);
    return s;
}

}  // namespace cimvp::npu
