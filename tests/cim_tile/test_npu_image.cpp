// The NPU weight-image format (npu_image.h) and the host tool npu_image_tool.
#include "npu_image.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "errors.h"
#include "npu_desc.h"
#include "npu_regs.h"

using namespace cimvp::npu;

namespace {

NpuImage sample() {
    NpuImage img;
    img.regions.push_back({0, 3, 0, 2, {1, 2, 3, 4, 5, -6}});
    img.regions.push_back({0, 2, 2, 3, {-128, 127, 0, 9, 8, 7}});
    img.regions.push_back({1791, 1, 895, 1, {42}});
    return img;
}

std::string tmp(const std::string& name) { return ::testing::TempDir() + name; }

std::vector<uint8_t> slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void spit(const std::string& path, const std::vector<uint8_t>& b) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

// Expects read_image(path) to throw InputError whose message names the file and contains `what`.
void expect_rejected(const std::string& path, const std::string& what) {
    try {
        read_image(path);
        ADD_FAILURE() << "accepted: expected '" << what << "'";
    } catch (const cimvp::InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find(path), std::string::npos) << m;
        EXPECT_NE(m.find(what), std::string::npos) << m;
    }
}

void write_npy(const std::string& path, int rows, int cols, const std::vector<int8_t>& w) {
    std::string h = "{'descr': '|i1', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                    std::to_string(cols) + "), }";
    while ((10 + h.size() + 1) % 64) h += ' ';
    h += '\n';
    std::vector<uint8_t> b = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<uint8_t>(h.size()),
                              static_cast<uint8_t>(h.size() >> 8)};
    b.insert(b.end(), h.begin(), h.end());
    b.insert(b.end(), reinterpret_cast<const uint8_t*>(w.data()), reinterpret_cast<const uint8_t*>(w.data()) + w.size());
    spit(path, b);
}

}  // namespace

TEST(NpuImage, RoundTripsAndReportsUtilization) {
    const NpuImage img = sample();
    const std::string path = tmp("npu_rt.img");
    write_image(img, path);
    const NpuImage back = read_image(path);
    ASSERT_EQ(back.regions.size(), 3u);
    EXPECT_EQ(back.rows, 1792u);
    EXPECT_EQ(back.cols, 896u);
    EXPECT_EQ(back.bits_per_cell, 8u);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(back.regions[i].row_off, img.regions[i].row_off);
        EXPECT_EQ(back.regions[i].col_cnt, img.regions[i].col_cnt);
        EXPECT_EQ(back.regions[i].weights, img.regions[i].weights);
    }
    EXPECT_EQ(slurp(path).size(), kImageHeaderBytes + 3 * kImageRegionBytes + 13);
    EXPECT_DOUBLE_EQ(back.utilization(), 13.0 / (1792.0 * 896.0));
    EXPECT_EQ(crc32(reinterpret_cast<const uint8_t*>("123456789"), 9), 0xCBF43926u) << "standard CRC-32 check value";
}

TEST(NpuImage, RejectsMalformedFilesNamingThem) {
    const std::string good = tmp("npu_good.img");
    write_image(sample(), good);
    const std::vector<uint8_t> bytes = slurp(good);
    const std::string bad = tmp("npu_bad.img");

    spit(bad, std::vector<uint8_t>(bytes.begin(), bytes.end() - 1));
    expect_rejected(bad, "truncated");
    spit(bad, std::vector<uint8_t>(bytes.begin(), bytes.begin() + 20));
    expect_rejected(bad, "truncated");
    auto trailing = bytes;
    trailing.push_back(0);
    spit(bad, trailing);
    expect_rejected(bad, "trailing");
    auto magic = bytes;
    magic[0] = 'X';
    spit(bad, magic);
    expect_rejected(bad, "magic");
    auto version = bytes;
    put_le32(&version[8], 2);
    spit(bad, version);
    expect_rejected(bad, "version 2");
    auto corrupt = bytes;
    corrupt.back() ^= 1;
    spit(bad, corrupt);
    expect_rejected(bad, "CRC");
    auto outside = bytes;  // region 2 moved one column right, CRC recomputed
    put_le32(&outside[kImageHeaderBytes + 2 * kImageRegionBytes + 8], 896);
    put_le32(&outside[28], crc32(&outside[kImageHeaderBytes], outside.size() - kImageHeaderBytes));
    spit(bad, outside);
    expect_rejected(bad, "outside");
    auto overlap = bytes;  // region 1 moved onto region 0
    put_le32(&overlap[kImageHeaderBytes + kImageRegionBytes + 8], 1);
    put_le32(&overlap[28], crc32(&overlap[kImageHeaderBytes], overlap.size() - kImageHeaderBytes));
    spit(bad, overlap);
    expect_rejected(bad, "overlaps");
    expect_rejected(tmp("does_not_exist.img"), "cannot open");
}

TEST(NpuImage, WriteIsAtomicAndRefusesInvalidImages) {
    const std::string path = tmp("npu_atomic.img");
    write_image(sample(), path);
    NpuImage broken = sample();
    broken.regions[0].weights.pop_back();
    EXPECT_THROW(write_image(broken, path), cimvp::InputError);
    EXPECT_NO_THROW(read_image(path)) << "the previous image is untouched";
    EXPECT_THROW(write_image(sample(), tmp("no_such_dir/x.img")), cimvp::InputError);
}

TEST(NpuImage, DescriptorEncodingIsLittleEndianAndMatchesTheCStruct) {
    Descriptor d;
    d.act = NPU_ACT_TANH_LUT;
    d.shift = 7;
    d.in_addr = 0x20001234;
    d.row_off = 0x0102;
    d.col_cnt = 896;
    uint8_t raw[NPU_DESC_SIZE];
    encode_descriptor(d, raw);
    EXPECT_EQ(raw[8], 0x34);
    EXPECT_EQ(raw[11], 0x20);
    EXPECT_EQ(raw[20], 0x02);
    npu_desc_t c;
    std::memcpy(&c, raw, sizeof c);  // the host is little-endian like the target
    EXPECT_EQ(c.in_addr, 0x20001234u);
    EXPECT_EQ(c.col_cnt, 896);
    EXPECT_EQ(c.act, NPU_ACT_TANH_LUT);
    const Descriptor back = decode_descriptor(raw);
    EXPECT_EQ(back.row_off, 0x0102);
    EXPECT_EQ(check_descriptor_fields(back), NPU_ERR_NONE);
    d.version = 0;
    EXPECT_EQ(check_descriptor_fields(d), NPU_ERR_DESC_VERSION);
    EXPECT_EQ(check_descriptor_region(back, 1792, 896), NPU_ERR_ARRAY_RANGE) << "row_cnt 0";
}

TEST(NpuImage, ToolPlacesLayersSideBySideAndWritesDescriptors) {
    std::mt19937_64 g(1);
    struct L {
        int r, c;
    };
    const L shapes[] = {{400, 256}, {256, 256}, {256, 128}, {128, 12}, {1500, 300}};
    std::string args;
    std::vector<std::vector<int8_t>> ws;
    for (size_t i = 0; i < std::size(shapes); ++i) {
        std::vector<int8_t> w(static_cast<size_t>(shapes[i].r) * shapes[i].c);
        for (auto& v : w) v = static_cast<int8_t>(g());
        ws.push_back(w);
        const std::string p = tmp("layer" + std::to_string(i) + ".npy");
        write_npy(p, shapes[i].r, shapes[i].c, w);
        args += " " + p;
    }
    const std::string img = tmp("tool.img"), desc = tmp("tool.desc"), log = tmp("tool.log");
    const std::string cmd = std::string(NPU_IMAGE_TOOL) + " -o " + img + " --desc " + desc + " --shift 9" + args +
                            " > " + log + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    const NpuImage im = read_image(img);  // validates bounds and disjointness
    ASSERT_EQ(im.regions.size(), std::size(shapes));
    for (size_t i = 0; i < std::size(shapes); ++i) {
        EXPECT_EQ(im.regions[i].row_cnt, static_cast<uint32_t>(shapes[i].r));
        EXPECT_EQ(im.regions[i].weights, ws[i]) << "layer " << i;
    }
    // Largest first at the origin; the next goes beside it along the columns.
    EXPECT_EQ(im.regions[4].row_off, 0u);
    EXPECT_EQ(im.regions[4].col_off, 0u);
    EXPECT_EQ(im.regions[0].row_off, 0u);
    EXPECT_EQ(im.regions[0].col_off, 300u);
    const auto d = slurp(desc);
    ASSERT_EQ(d.size(), NPU_DESC_SIZE * std::size(shapes));
    for (size_t i = 0; i < std::size(shapes); ++i) {
        const Descriptor x = decode_descriptor(&d[NPU_DESC_SIZE * i]);
        EXPECT_EQ(check_descriptor_fields(x), NPU_ERR_NONE);
        EXPECT_EQ(x.row_off, im.regions[i].row_off);
        EXPECT_EQ(x.col_off, im.regions[i].col_off);
        EXPECT_EQ(x.col_cnt, shapes[i].c);
        EXPECT_EQ(x.shift, 9);
        EXPECT_EQ(x.act, i + 1 < std::size(shapes) ? NPU_ACT_RELU : NPU_ACT_IDENTITY);
        if (i) EXPECT_EQ(x.in_addr, decode_descriptor(&d[NPU_DESC_SIZE * (i - 1)]).out_addr) << "chained";
    }
    const auto out = slurp(log);
    EXPECT_NE(std::string(out.begin(), out.end()).find("utilization"), std::string::npos);

    // A layer that cannot fit, a fixed placement that overlaps, a bad file: non-zero exit, no image.
    std::vector<int8_t> big(1800);
    write_npy(tmp("big.npy"), 1800, 1, big);
    EXPECT_NE(std::system((std::string(NPU_IMAGE_TOOL) + " -o " + tmp("x.img") + " " + tmp("big.npy") + " 2>/dev/null").c_str()), 0);
    EXPECT_NE(std::system((std::string(NPU_IMAGE_TOOL) + " -o " + tmp("x.img") + " " + tmp("layer0.npy") + "@0,0 " +
                           tmp("layer1.npy") + "@10,10 2>/dev/null").c_str()), 0);
    spit(tmp("junk.npy"), {1, 2, 3});
    EXPECT_NE(std::system((std::string(NPU_IMAGE_TOOL) + " -o " + tmp("x.img") + " " + tmp("junk.npy") + " 2>/dev/null").c_str()), 0);
    EXPECT_EQ(std::fopen(tmp("x.img").c_str(), "rb"), nullptr);
}
