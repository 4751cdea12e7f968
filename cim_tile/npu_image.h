// The NPU weight image: what a toolchain writes so the simulator can preload the non-volatile
// array without the (slow, per-cell) register programming path. Plain C++, no SystemC.
//
// File format, version 1, all integers little-endian:
//   offset 0   8 bytes  magic "CIMVPNPU"
//          8   u32      version = 1
//         12   u32      rows           array rows the image was built for (must equal the NPU's)
//         16   u32      cols           array weight columns (pair columns / slices)
//         20   u32      bits_per_cell  must equal the NPU's (decides the physical slicing)
//         24   u32      region_count   1..kMaxImageRegions
//         28   u32      crc32          CRC-32 (IEEE, zlib's) of every byte after the header
//         32   region_count x 16 bytes: u32 row_off, row_cnt, col_off, col_cnt
//         ...  per region, in table order: row_cnt x col_cnt int8 weights, row-major
//              (row = input / word line, as WeightMatrix)
// The file must end exactly there. Regions are non-empty, inside the array and disjoint; cells
// outside every region are 0. Any violation throws cimvp::InputError naming the file.
#ifndef CIMVP_CIM_NPU_IMAGE_H
#define CIMVP_CIM_NPU_IMAGE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cimvp::npu {

inline constexpr char kImageMagic[8] = {'C', 'I', 'M', 'V', 'P', 'N', 'P', 'U'};
inline constexpr uint32_t kImageVersion = 1;
inline constexpr size_t kImageHeaderBytes = 32;
inline constexpr size_t kImageRegionBytes = 16;
inline constexpr uint32_t kMaxImageRegions = 4096;

struct ImageRegion {
    uint32_t row_off = 0, row_cnt = 0, col_off = 0, col_cnt = 0;
    std::vector<int8_t> weights;  // row_cnt x col_cnt, row-major
};

struct NpuImage {
    uint32_t rows = 1792, cols = 896, bits_per_cell = 8;
    std::vector<ImageRegion> regions;

    // Fraction of the array's weights covered by regions.
    double utilization() const;
};

uint32_t crc32(const uint8_t* data, size_t n, uint32_t crc = 0);

// Structural checks (counts, bounds, overlaps, weight sizes); throws InputError prefixed by `origin`.
void validate_image(const NpuImage& img, const std::string& origin);

std::vector<uint8_t> serialize_image(const NpuImage& img);
// Parses and validates; `origin` names the source in errors.
NpuImage parse_image(const uint8_t* data, size_t n, const std::string& origin);

NpuImage read_image(const std::string& path);
// Writes path.tmp.<pid> and renames it over path, so readers never see a partial image.
void write_image(const NpuImage& img, const std::string& path);
// Same atomic write for any bytes (descriptor files of the host tool).
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace cimvp::npu

#endif
