#include "npu_image.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "errors.h"
#include "npu_desc.h"

namespace cimvp::npu {

double NpuImage::utilization() const {
    double used = 0;
    for (const auto& r : regions) used += static_cast<double>(r.row_cnt) * r.col_cnt;
    return rows && cols ? used / (static_cast<double>(rows) * cols) : 0.0;
}

uint32_t crc32(const uint8_t* data, size_t n, uint32_t crc) {
    static const auto table = [] {
        std::vector<uint32_t> t(256);
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (size_t i = 0; i < n; ++i) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

void validate_image(const NpuImage& img, const std::string& origin) {
    auto fail = [&](const std::string& why) { throw InputError("NPU image '" + origin + "': " + why); };
    if (img.rows == 0 || img.rows > 65535 || img.cols == 0 || img.cols > 65535)
        fail("array geometry " + std::to_string(img.rows) + "x" + std::to_string(img.cols) + " out of range");
    if (img.bits_per_cell < 1 || img.bits_per_cell > 8)
        fail("bits_per_cell " + std::to_string(img.bits_per_cell) + " not in 1..8");
    if (img.regions.empty() || img.regions.size() > kMaxImageRegions)
        fail("region count " + std::to_string(img.regions.size()) + " not in 1.." + std::to_string(kMaxImageRegions));
    for (size_t i = 0; i < img.regions.size(); ++i) {
        const ImageRegion& r = img.regions[i];
        const std::string name = "region " + std::to_string(i);
        if (r.row_cnt == 0 || r.col_cnt == 0) fail(name + " is empty");
        if (uint64_t{r.row_off} + r.row_cnt > img.rows || uint64_t{r.col_off} + r.col_cnt > img.cols)
            fail(name + " (rows " + std::to_string(r.row_off) + "+" + std::to_string(r.row_cnt) + ", cols " +
                 std::to_string(r.col_off) + "+" + std::to_string(r.col_cnt) + ") lies outside the " +
                 std::to_string(img.rows) + "x" + std::to_string(img.cols) + " array");
        if (r.weights.size() != static_cast<size_t>(r.row_cnt) * r.col_cnt)
            fail(name + " holds " + std::to_string(r.weights.size()) + " weights, expected rows x cols");
        for (size_t j = 0; j < i; ++j) {
            const ImageRegion& o = img.regions[j];
            const bool rows_meet = r.row_off < o.row_off + o.row_cnt && o.row_off < r.row_off + r.row_cnt;
            const bool cols_meet = r.col_off < o.col_off + o.col_cnt && o.col_off < r.col_off + r.col_cnt;
            if (rows_meet && cols_meet) fail(name + " overlaps region " + std::to_string(j));
        }
    }
}

std::vector<uint8_t> serialize_image(const NpuImage& img) {
    validate_image(img, "<memory>");
    std::vector<uint8_t> out(kImageHeaderBytes + kImageRegionBytes * img.regions.size());
    std::memcpy(out.data(), kImageMagic, 8);
    put_le32(&out[8], kImageVersion);
    put_le32(&out[12], img.rows);
    put_le32(&out[16], img.cols);
    put_le32(&out[20], img.bits_per_cell);
    put_le32(&out[24], static_cast<uint32_t>(img.regions.size()));
    for (size_t i = 0; i < img.regions.size(); ++i) {
        uint8_t* p = &out[kImageHeaderBytes + kImageRegionBytes * i];
        put_le32(p, img.regions[i].row_off);
        put_le32(p + 4, img.regions[i].row_cnt);
        put_le32(p + 8, img.regions[i].col_off);
        put_le32(p + 12, img.regions[i].col_cnt);
    }
    for (const auto& r : img.regions) {
        const auto* w = reinterpret_cast<const uint8_t*>(r.weights.data());
        out.insert(out.end(), w, w + r.weights.size());
    }
    put_le32(&out[28], crc32(out.data() + kImageHeaderBytes, out.size() - kImageHeaderBytes));
    return out;
}

NpuImage parse_image(const uint8_t* data, size_t n, const std::string& origin) {
    auto fail = [&](const std::string& why) { throw InputError("NPU image '" + origin + "': " + why); };
    if (n < kImageHeaderBytes)
        fail("truncated: " + std::to_string(n) + " bytes, the header alone is " + std::to_string(kImageHeaderBytes));
    if (std::memcmp(data, kImageMagic, 8) != 0) fail("bad magic (not a cimvp NPU image)");
    if (const uint32_t v = get_le32(data + 8); v != kImageVersion)
        fail("unsupported version " + std::to_string(v) + " (this build reads " + std::to_string(kImageVersion) + ")");
    NpuImage img;
    img.rows = get_le32(data + 12);
    img.cols = get_le32(data + 16);
    img.bits_per_cell = get_le32(data + 20);
    const uint32_t count = get_le32(data + 24);
    if (count == 0 || count > kMaxImageRegions)
        fail("region count " + std::to_string(count) + " not in 1.." + std::to_string(kMaxImageRegions));
    const size_t table_end = kImageHeaderBytes + kImageRegionBytes * size_t{count};
    if (n < table_end) fail("truncated region table");
    uint64_t payload = 0;
    img.regions.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
        const uint8_t* p = data + kImageHeaderBytes + kImageRegionBytes * i;
        ImageRegion& r = img.regions[i];
        r.row_off = get_le32(p);
        r.row_cnt = get_le32(p + 4);
        r.col_off = get_le32(p + 8);
        r.col_cnt = get_le32(p + 12);
        if (r.row_cnt > 65535 || r.col_cnt > 65535)
            fail("region " + std::to_string(i) + " size " + std::to_string(r.row_cnt) + "x" +
                 std::to_string(r.col_cnt) + " out of range");
        payload += uint64_t{r.row_cnt} * r.col_cnt;
    }
    if (n != table_end + payload)
        fail(std::string(n < table_end + payload ? "truncated" : "trailing bytes") + ": " + std::to_string(n) +
             " bytes, the header and region table say " + std::to_string(table_end + payload));
    if (const uint32_t want = get_le32(data + 28), got = crc32(data + kImageHeaderBytes, n - kImageHeaderBytes);
        want != got)
        fail("CRC mismatch (corrupted file)");
    size_t at = table_end;
    for (auto& r : img.regions) {
        const size_t len = static_cast<size_t>(r.row_cnt) * r.col_cnt;
        r.weights.assign(reinterpret_cast<const int8_t*>(data + at), reinterpret_cast<const int8_t*>(data + at + len));
        at += len;
    }
    validate_image(img, origin);
    return img;
}

NpuImage read_image(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw InputError("NPU image '" + path + "': cannot open: " + std::strerror(errno));
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (f.bad()) throw InputError("NPU image '" + path + "': read error");
    return parse_image(bytes.data(), bytes.size(), path);
}

void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw InputError("cannot write '" + tmp + "': " + std::strerror(errno));
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        f.flush();
        if (!f) {
            std::remove(tmp.c_str());
            throw InputError("cannot write '" + tmp + "': " + std::strerror(errno));
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        std::remove(tmp.c_str());
        throw InputError("cannot rename '" + tmp + "' to '" + path + "': " + why);
    }
}

void write_image(const NpuImage& img, const std::string& path) {
    std::vector<uint8_t> bytes;
    try {
        bytes = serialize_image(img);
    } catch (const InputError& e) {
        throw InputError(std::string(e.what()) + " (writing '" + path + "')");
    }
    write_file_atomic(path, bytes);
}

}  // namespace cimvp::npu
