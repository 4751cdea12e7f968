// npu_image_tool: place a model's int8 layers into the NPU array and write the weight image
// (npu_image.h) and, optionally, one layer descriptor per layer (npu_regs.h).
//
//   npu_image_tool -o model.img [--desc model.desc] [--rows 1792] [--cols 896] [--bits 8]
//                  [--shift N] [--act-base ADDR] layer0.npy[@ROW,COL] layer1.npy ...
//
// Each layer is a 2-D int8 .npy (C order), rows = inputs, cols = outputs. Layers given with
// @ROW,COL are placed there; the others are packed bottom-left first-fit in order of decreasing
// area (lowest row, then lowest column, among the corners of the regions already placed), which
// puts layers side by side along the columns while rows are free. Descriptors chain the layers
// in command-line order through two 2 KiB ping-pong activation buffers at --act-base (SRAM):
// layer i reads buffer i % 2 and writes buffer (i + 1) % 2, ReLU except the last (identity).
// Both files are written atomically (temp + rename). Prints the placement and utilization.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <numeric>
#include <string>
#include <vector>

#include "errors.h"
#include "npu_desc.h"
#include "npu_image.h"
#include "npu_regs.h"

using cimvp::InputError;
using namespace cimvp::npu;

namespace {

struct Layer {
    std::string path;
    uint32_t rows = 0, cols = 0;
    std::vector<int8_t> w;
    bool fixed = false;
    uint32_t row_off = 0, col_off = 0;
};

// Minimal .npy reader: version 1-3, descr int8 ('|i1', '<i1', 'i1' or 'b'), C order, 2-D.
void read_npy(Layer& l) {
    std::ifstream f(l.path, std::ios::binary);
    if (!f) throw InputError("'" + l.path + "': cannot open");
    std::vector<uint8_t> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto fail = [&](const std::string& why) { throw InputError("'" + l.path + "': " + why); };
    if (b.size() < 10 || std::memcmp(b.data(), "\x93NUMPY", 6) != 0) fail("not a .npy file");
    const unsigned major = b[6];
    size_t hlen = 0, hstart = 0;
    if (major == 1) {
        hlen = b[8] | b[9] << 8;
        hstart = 10;
    } else if (major == 2 || major == 3) {
        if (b.size() < 12) fail("truncated header");
        hlen = get_le32(&b[8]);
        hstart = 12;
    } else {
        fail("unsupported .npy version " + std::to_string(major));
    }
    if (b.size() < hstart + hlen) fail("truncated header");
    const std::string h(reinterpret_cast<const char*>(&b[hstart]), hlen);
    auto value_of = [&](const std::string& key) {
        const size_t k = h.find("'" + key + "'");
        if (k == std::string::npos) fail("header has no '" + key + "'");
        size_t v = h.find(':', k);
        while (v + 1 < h.size() && h[v + 1] == ' ') ++v;
        return h.substr(v + 1);
    };
    const std::string descr = value_of("descr");
    if (descr.rfind("'|i1'", 0) && descr.rfind("'<i1'", 0) && descr.rfind("'i1'", 0) && descr.rfind("'b'", 0))
        fail("dtype must be int8, header says " + descr.substr(0, descr.find(',')));
    if (value_of("fortran_order").rfind("False", 0)) fail("must be C order (fortran_order False)");
    const std::string shape = value_of("shape");
    unsigned long r = 0, c = 0;
    char close = 0;
    if (std::sscanf(shape.c_str(), "(%lu, %lu%c", &r, &c, &close) != 3 || close != ')')
        fail("shape must be 2-D (rows, cols), header says " + shape.substr(0, shape.find(')') + 1));
    if (r == 0 || c == 0 || r > 65535 || c > 65535) fail("shape out of range");
    const size_t data = hstart + hlen;
    if (b.size() != data + r * c)
        fail("data size " + std::to_string(b.size() - data) + " != rows x cols = " + std::to_string(r * c));
    l.rows = static_cast<uint32_t>(r);
    l.cols = static_cast<uint32_t>(c);
    l.w.assign(reinterpret_cast<const int8_t*>(&b[data]), reinterpret_cast<const int8_t*>(&b[data]) + r * c);
}

bool overlaps(const Layer& a, uint32_t r, uint32_t c, uint32_t rows, uint32_t cols) {
    return r < a.row_off + a.rows && a.row_off < r + rows && c < a.col_off + a.cols && a.col_off < c + cols;
}

void place(std::vector<Layer>& layers, uint32_t rows, uint32_t cols) {
    std::vector<const Layer*> placed;
    for (const auto& l : layers)
        if (l.fixed) {
            if (l.row_off + l.rows > rows || l.col_off + l.cols > cols)
                throw InputError("'" + l.path + "': placement @" + std::to_string(l.row_off) + "," +
                                 std::to_string(l.col_off) + " leaves the array");
            for (const Layer* p : placed)
                if (overlaps(*p, l.row_off, l.col_off, l.rows, l.cols))
                    throw InputError("'" + l.path + "' overlaps '" + p->path + "'");
            placed.push_back(&l);
        }
    std::vector<Layer*> todo;
    for (auto& l : layers)
        if (!l.fixed) todo.push_back(&l);
    std::stable_sort(todo.begin(), todo.end(), [](const Layer* a, const Layer* b) {
        return uint64_t{a->rows} * a->cols > uint64_t{b->rows} * b->cols;
    });
    for (Layer* l : todo) {
        std::vector<uint32_t> rs{0}, cs{0};
        for (const Layer* p : placed) {
            rs.push_back(p->row_off + p->rows);
            cs.push_back(p->col_off + p->cols);
        }
        std::sort(rs.begin(), rs.end());
        std::sort(cs.begin(), cs.end());
        bool done = false;
        for (uint32_t r : rs) {
            for (uint32_t c : cs) {
                if (r + l->rows > rows || c + l->cols > cols) continue;
                if (std::any_of(placed.begin(), placed.end(),
                                [&](const Layer* p) { return overlaps(*p, r, c, l->rows, l->cols); }))
                    continue;
                l->row_off = r;
                l->col_off = c;
                done = true;
                break;
            }
            if (done) break;
        }
        if (!done)
            throw InputError("'" + l->path + "' (" + std::to_string(l->rows) + "x" + std::to_string(l->cols) +
                             ") does not fit in the free space of the " + std::to_string(rows) + "x" +
                             std::to_string(cols) + " array");
        placed.push_back(l);
    }
}

uint32_t parse_u32(const std::string& s, const std::string& opt) {
    char* end = nullptr;
    const unsigned long v = std::strtoul(s.c_str(), &end, 0);
    if (s.empty() || *end || v > 0xffffffffu) throw InputError("option " + opt + ": bad number '" + s + "'");
    return static_cast<uint32_t>(v);
}

int usage() {
    std::cerr << "usage: npu_image_tool -o IMAGE [--desc FILE] [--rows N] [--cols N] [--bits N] [--shift N]\n"
                 "                      [--act-base ADDR] LAYER.npy[@ROW,COL] ...\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::string out, desc_path;
        uint32_t rows = 1792, cols = 896, bits = 8, shift = 0, act_base = 0x20040000u;
        std::vector<Layer> layers;
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            auto next = [&]() -> std::string {
                if (i + 1 >= argc) throw InputError("option " + a + " needs a value");
                return argv[++i];
            };
            if (a == "-o") out = next();
            else if (a == "--desc") desc_path = next();
            else if (a == "--rows") rows = parse_u32(next(), a);
            else if (a == "--cols") cols = parse_u32(next(), a);
            else if (a == "--bits") bits = parse_u32(next(), a);
            else if (a == "--shift") shift = parse_u32(next(), a);
            else if (a == "--act-base") act_base = parse_u32(next(), a);
            else if (a == "-h" || a == "--help") return usage(), 0;
            else if (!a.empty() && a[0] == '-') throw InputError("unknown option '" + a + "'");
            else {
                Layer l;
                const size_t at = a.rfind('@');
                l.path = a.substr(0, at);
                if (at != std::string::npos) {
                    const std::string pos = a.substr(at + 1);
                    const size_t comma = pos.find(',');
                    if (comma == std::string::npos) throw InputError("'" + a + "': placement must be @ROW,COL");
                    l.row_off = parse_u32(pos.substr(0, comma), a);
                    l.col_off = parse_u32(pos.substr(comma + 1), a);
                    l.fixed = true;
                }
                layers.push_back(std::move(l));
            }
        }
        if (out.empty() || layers.empty()) return usage();
        if (shift > 40) throw InputError("--shift must be in 0..40");
        for (auto& l : layers) read_npy(l);
        place(layers, rows, cols);

        NpuImage img;
        img.rows = rows;
        img.cols = cols;
        img.bits_per_cell = bits;
        for (const auto& l : layers) img.regions.push_back({l.row_off, l.rows, l.col_off, l.cols, l.w});
        write_image(img, out);

        if (!desc_path.empty()) {
            std::vector<uint8_t> bytes(NPU_DESC_SIZE * layers.size());
            const uint32_t buf[2] = {act_base, act_base + 0x800u};
            for (size_t i = 0; i < layers.size(); ++i) {
                const Layer& l = layers[i];
                if (l.rows > 0x800 || l.cols > 0x800)
                    throw InputError("'" + l.path + "': more than 2048 inputs or outputs for the ping-pong buffers");
                if (i + 1 < layers.size() && layers[i + 1].rows != l.cols)
                    std::cerr << "note: '" << layers[i + 1].path << "' has " << layers[i + 1].rows << " inputs, '"
                              << l.path << "' gives " << l.cols << " outputs\n";
                Descriptor d;
                d.act = i + 1 < layers.size() ? NPU_ACT_RELU : NPU_ACT_IDENTITY;
                d.shift = static_cast<uint8_t>(shift);
                d.in_addr = buf[i % 2];
                d.out_addr = buf[(i + 1) % 2];
                d.row_off = static_cast<uint16_t>(l.row_off);
                d.row_cnt = static_cast<uint16_t>(l.rows);
                d.col_off = static_cast<uint16_t>(l.col_off);
                d.col_cnt = static_cast<uint16_t>(l.cols);
                encode_descriptor(d, &bytes[NPU_DESC_SIZE * i]);
            }
            write_file_atomic(desc_path, bytes);
        }

        std::printf("%-32s %11s %11s\n", "layer", "rows x cols", "at row,col");
        for (const auto& l : layers) {
            const std::string shape = std::to_string(l.rows) + "x" + std::to_string(l.cols);
            const std::string pos = std::to_string(l.row_off) + "," + std::to_string(l.col_off);
            std::printf("%-32s %11s %11s\n", l.path.c_str(), shape.c_str(), pos.c_str());
        }
        std::printf("array %ux%u, %zu layers, utilization %.2f %%\n", rows, cols, layers.size(),
                    100.0 * img.utilization());
        return 0;
    } catch (const InputError& e) {
        std::cerr << "npu_image_tool: " << e.what() << "\n";
        return 1;
    }
}
