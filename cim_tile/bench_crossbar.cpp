// bench_crossbar: wall time of one full-array (1792 x 896) MVM on one core, for the ideal tile and
// with every non-ideality on, parallel and bit-serial inputs. Also times program().
// Usage: bench_crossbar [seconds_per_case (default 1.0)]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "crossbar.h"
#include "rng.h"

using namespace cimvp::cim;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

TileConfig all_nonidealities(InputEncoding enc) {
    TileConfig c;
    c.conv.encoding = enc;
    c.conv.inp_res_bits = enc == InputEncoding::Parallel ? 7 : 8;
    c.conv.out_res_bits = 10;
    c.conv.out_bound = enc == InputEncoding::Parallel ? 150.0 : 300.0;
    c.conv.out_noise = 0.05;
    c.noise.prog_noise_lsb = 2.0;
    c.noise.prog_noise_frac = 0.002;
    c.noise.d2d_variation = 0.02;
    c.noise.stuck_at_rate = 0.001;
    c.noise.w_noise = 0.005;
    c.noise.drift_nu = 0.05;
    c.noise.ir_drop = 0.05;
    return c;
}

void run(const char* name, const TileConfig& cfg, const WeightMatrix& w, const std::vector<uint8_t>& x,
         const std::vector<int32_t>& bias, double budget_s) {
    Crossbar tile(cfg);
    const auto tp = Clock::now();
    tile.program(w);
    const double t_prog = seconds_since(tp);

    std::vector<int32_t> y(w.cols);
    tile.mvm(x.data(), bias.data(), 10, Activation::relu(), 3600.0, y.data());  // warm up
    std::vector<double> times;
    const auto start = Clock::now();
    while (seconds_since(start) < budget_s || times.size() < 5) {
        const auto t0 = Clock::now();
        tile.mvm(x.data(), bias.data(), 10, Activation::relu(), 3600.0, y.data());
        times.push_back(seconds_since(t0));
    }
    std::sort(times.begin(), times.end());
    const double med = times[times.size() / 2];
    const double macs = static_cast<double>(w.rows) * w.cols;
    std::printf("%-28s median %8.3f ms  min %8.3f ms  %7.2f GMAC/s  (%zu MVMs)  program() %7.1f ms\n", name,
                med * 1e3, times.front() * 1e3, macs / med * 1e-9, times.size(), t_prog * 1e3);
}

}  // namespace

int main(int argc, char** argv) {
    const double budget = argc > 1 ? std::atof(argv[1]) : 1.0;
    const int rows = 1792, cols = 896;
    Rng rng(2024);
    WeightMatrix w(rows, cols);
    // Bell-shaped weights in the low bits, as the eFlash paper describes trained layers.
    for (auto& v : w.data) v = static_cast<int8_t>(std::max(-128.0, std::min(127.0, std::round(rng.normal() * 24))));
    std::vector<uint8_t> x(rows);
    for (auto& v : x) v = static_cast<uint8_t>(rng.next_u64() & 0xFF);
    std::vector<int32_t> bias(cols);
    for (auto& b : bias) b = static_cast<int32_t>(rng.next_u64() % 20001) - 10000;

    std::printf("full-array MVM %d x %d (%.2f M MACs), one core\n", rows, cols, rows * cols * 1e-6);
    TileConfig ideal;
    run("ideal, parallel", ideal, w, x, bias, budget);
    TileConfig ideal_bs;
    ideal_bs.conv.encoding = InputEncoding::BitSerial;
    run("ideal, bit-serial", ideal_bs, w, x, bias, budget);
    run("all non-idealities, parallel", all_nonidealities(InputEncoding::Parallel), w, x, bias, budget);
    run("all non-idealities, bit-ser.", all_nonidealities(InputEncoding::BitSerial), w, x, bias, budget);
    return 0;
}
