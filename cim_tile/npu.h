// The NPU: a SystemC/TLM-2.0 controller around the analog CIM array (crossbar.h).
//
// Programming model (registers, buffers and the 32-byte layer descriptor: npu_regs.h). The
// firmware writes a chain of descriptors to memory, sets DESC_ADDR/DESC_COUNT and writes
// CTRL.START; the NPU runs the layers in order as a bus master (CIMVP_MASTER_NPU) and, at the
// end of the chain (or at the first error), sets STATUS.DONE (or STATUS.ERROR with ERRCODE,
// ERRINDEX, ERRADDR) and raises irq while CTRL.IRQ_EN. Errors never throw.
//
// Array. The NPU keeps the intended int8 weights of the whole array (rows x weight columns,
// weight column = ceil(8 / bits_per_cell) pair columns). A descriptor's region is run through
// a Crossbar programmed with that region's weights at its physical place (MappingOptions
// row/col offset), so device effects tied to a cell (stuck-at, d2d) follow the placement. The
// programmed Crossbars are cached per (region, encoding), at most max_cached_layers (least
// recently used evicted); a weight write invalidates the cached regions that contain the cell.
// Programming error is drawn when a region is first programmed, so two overlapping regions see
// different draws for the same cells (a simplification; a model's layers do not overlap).
// Drift time = weight_age_s + simulated time since the last weight write or image load.
// The weights survive CTRL.RESET (non-volatile array); only load_image() or writes change them.
//
// Timing: a 4-stage pipeline per descriptor (the eFlash SoC's load input -> DAC -> array ->
// ADC/post-processing), with reads = 1 (parallel) or inp_res_bits (bit-serial), T = clock_period:
//   d1 load  = load_setup_cycles*T + descriptor fetch + input fetch + bias fetch
//              (bus: the delay the bus returns; NPU buffers: ceil(bytes / local_bytes_per_cycle)*T)
//   d2 DAC   = reads * ceil(row_cnt / dac_fifo_bytes) * dac_batch_ns
//   d3 array = reads * array_read_ns
//   d4 ADC   = reads * ceil(col_cnt * slices / adc_count) * adc_conversion_ns
//              + ceil(col_cnt / post_outputs_per_cycle)*T + output store (bus or buffer as d1)
// Schedule (classic pipeline, one descriptor per stage): start[i][s] = max(end[i][s-1],
// end[i-1][s]), end = start + d; so n identical descriptors take sum(d) + (n-1)*max(d).
// Hazard interlock: a descriptor whose input or bias range overlaps the output range of an
// earlier descriptor of the chain starts its load only after that descriptor's end[.][4].
// The chain ends at end[n-1][4]; NPU_CYCLES = that duration / T (rounded up). Bus transfers are
// issued with annotated delays at their schedule times (temporal decoupling); data is moved
// functionally in descriptor order, so results never depend on the schedule.
#ifndef CIMVP_CIM_NPU_H
#define CIMVP_CIM_NPU_H

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "ahb_extension.h"
#include "crossbar.h"
#include "energy.h"
#include "memory_map.h"
#include "npu_desc.h"
#include "npu_image.h"
#include "tile_config.h"

namespace cimvp::npu {

struct NpuConfig {
    cim::TileConfig tile;                 // the array, converters and noise (tile_config.h); the
                                          // descriptor's encoding overrides tile.conv.encoding
    uint64_t base = CIMVP_NPU_BASE;       // bus address of the NPU window (to recognise its buffers)
    sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);  // NPU clock = HCLK
    // Stage 1: load input.
    unsigned load_setup_cycles = 8;       // [cycles] descriptor decode, address setup
    unsigned local_bytes_per_cycle = 4;   // [bytes/cycle] NPU buffer port (32-bit)
    // Stage 2: DAC.
    unsigned dac_fifo_bytes = 448;        // [bytes] DAC FIFO batch (eFlash SoC: 448)
    double dac_batch_ns = 250;            // [ns] to load and convert one FIFO batch, per read
    // Stage 3: array.
    double array_read_ns = 1000;          // [ns] word-line drive and bit-line settling, per read
    // Stage 4: ADC and post-processing.
    unsigned adc_count = 28;              // ADCs shared by the pair columns (32 columns each)
    double adc_conversion_ns = 2000;      // [ns] per conversion
    unsigned post_outputs_per_cycle = 4;  // [outputs/cycle] shift + activation lanes
    // Slow weight path: a weight write programs 2 * slices cells, each with write-verify.
    double cell_write_ns = 10000;         // [ns] one program pulse + verify read of one cell
    unsigned write_verify_iterations = 4; // iterations per cell
    double weight_age_s = 0;              // [s] array age at simulation start (drift)
    unsigned max_cached_layers = 16;      // programmed regions kept (memory: 12 B per pair cell)
    EnergyConfig energy;
    // Deployment aids of the eFlash paper applied to every layer (offsets are ignored: each
    // descriptor places its layer): replication with averaging, input/weight amplification,
    // hybrid analog/digital high-order bits. A layer they do not fit ends with NPU_ERR_MAPPING.
    cim::MappingOptions mapping;

    // Throws cimvp::InputError naming the field ("npu.adc_count must be >= 1").
    void validate() const;
};

struct NpuStats {
    uint64_t chains = 0;           // START commands that ran
    uint64_t descriptors = 0;      // descriptors completed
    uint64_t errors = 0;           // chains or commands that ended in an error
    uint64_t adc_clipped = 0;      // conversions that clipped at out_bound
    uint64_t bus_bytes_read = 0, bus_bytes_written = 0;
    uint64_t bus_transfers = 0;
    uint64_t weight_writes = 0;    // weights written through the register path
    double busy_s = 0;             // [s] simulated time with a chain running
    EnergyEvents events;           // cpu_cycles stays 0: the platform adds it
    EnergyBreakdown energy_pj;     // by component [pJ] (cpu = 0)
    uint64_t ops() const { return 2 * events.macs; }
    double ops_per_s() const { return busy_s > 0 ? static_cast<double>(ops()) / busy_s : 0.0; }
    double tops_per_w() const {  // ops per pJ = TOPS/W
        return energy_pj.npu() > 0 ? static_cast<double>(ops()) / energy_pj.npu() : 0.0;
    }
    double pj_per_mac() const {
        return events.macs ? energy_pj.npu() / static_cast<double>(events.macs) : 0.0;
    }
};

class Npu : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Npu> socket{"socket"};               // registers and buffers
    tlm_utils::simple_initiator_socket<Npu> initiator_socket{"initiator_socket"};  // bus master
    sc_core::sc_out<bool> irq{"irq"};

    // Validates the config (InputError).
    Npu(sc_core::sc_module_name name, const NpuConfig& cfg);

    // Replaces the whole array with an image (npu_image.h); cells outside its regions become 0.
    // Throws InputError naming the file (format, geometry or bits-per-cell mismatch).
    void load_image(const std::string& path);
    void load_image(const NpuImage& img, const std::string& origin = "<memory>");
    // Writes a block of weights at (row_off, col_off) instantly (tests, tools). Throws
    // std::invalid_argument when it does not fit.
    void set_weights(int row_off, int col_off, const cim::WeightMatrix& w);
    int8_t weight(int row, int col) const { return weights_[static_cast<size_t>(row) * wcols_ + col]; }

    int rows() const { return rows_; }
    int cols() const { return wcols_; }  // weight columns
    const NpuConfig& config() const { return cfg_; }
    NpuStats stats() const;
    // Pipeline stage durations of the last descriptor run (d1..d4), for inspection.
    const std::array<sc_core::sc_time, 4>& last_stage_times() const { return last_stage_; }

private:
    struct Layer {
        uint16_t row_off, row_cnt, col_off, col_cnt;
        uint8_t encoding;
        std::unique_ptr<cim::Crossbar> xbar;
        bool dirty = true;
        uint64_t last_use = 0;
    };
    struct Failure {
        uint32_t code;
        uint32_t addr;
    };

    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void buffer_access(tlm::tlm_generic_payload& gp);
    bool peek(uint64_t reg, uint32_t& v, const sc_core::sc_time& at) const;
    tlm::tlm_response_status write_reg(uint64_t reg, uint32_t value, uint32_t mask, const sc_core::sc_time& at);
    void weight_command(uint32_t cmd, const sc_core::sc_time& at);
    void soft_reset();
    void fail_now(uint32_t code);  // error outside a chain (busy, weight address)

    void run();         // SC_THREAD: one chain per START
    void update_irq();  // SC_METHOD on irq_event_
    void run_chain();

    // Moves bytes for the running chain at schedule offset `at` (from the chain start); on return
    // `at` is the end of the transfer. Returns false and fills `f` on an address or bus error.
    bool move(bool write, uint32_t addr, uint8_t* data, uint32_t len, sc_core::sc_time& at, Failure& f);
    uint8_t* local_buffer(uint32_t addr, uint32_t len, bool& in_window);
    Layer& layer_for(const Descriptor& d);
    void invalidate_cell(int row, int col);

    NpuConfig cfg_;
    int rows_ = 0, wcols_ = 0, slices_ = 1;
    std::vector<int8_t> weights_;
    std::vector<Layer> layers_;
    uint64_t use_counter_ = 0;
    sc_core::sc_time weights_written_at_;

    std::vector<uint8_t> ibuf_, obuf_;
    uint32_t ctrl_ = 0, status_ = 0, err_code_ = 0, err_index_ = 0, err_addr_ = 0;
    uint32_t desc_addr_ = 0, desc_count_ = 0, cycles_ = 0, desc_done_ = 0;
    uint32_t w_row_ = 0, w_col_ = 0, w_data_ = 0;
    sc_core::sc_time wbusy_until_;
    bool busy_ = false;
    bool start_pending_ = false;  // START accepted, chain not yet begun
    uint64_t generation_ = 0;  // bumped by a soft reset: a running chain is abandoned

    sc_core::sc_event start_event_, reset_event_, irq_event_;
    AhbExtension ext_;
    NpuStats st_;
    std::array<sc_core::sc_time, 4> last_stage_{};
    std::vector<uint8_t> scratch_in_, scratch_out_, scratch_bias_;
};

}  // namespace cimvp::npu

#endif
