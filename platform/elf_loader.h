// Reads a RISC-V RV32 executable through elfutils' libelf: loadable segments, entry and symbols.
#ifndef CIMVP_PLATFORM_ELF_LOADER_H
#define CIMVP_PLATFORM_ELF_LOADER_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cimvp {

struct ElfSegment {
    uint32_t paddr = 0;              // load (physical) address: where the bytes go
    std::vector<uint8_t> data;       // p_filesz bytes from the file
    uint32_t memsz = 0;              // >= data.size(); the rest is zero-filled
};

struct ElfImage {
    std::string path;
    uint32_t entry = 0;
    std::vector<ElfSegment> segments;
    std::map<std::string, uint32_t> symbols;  // defined global/local symbols with a name

    std::optional<uint32_t> symbol(const std::string& name) const;
};

// Throws InputError naming the file for anything that is not a well-formed 32-bit little-endian
// RISC-V executable (wrong class or machine, truncated, segment beyond the file, ...).
ElfImage load_elf(const std::string& path);

}  // namespace cimvp

#endif
