// ELF loading through libelf: against ELF files built byte by byte here from the ELF spec,
// so the test does not depend on the loader's own view of the format.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <vector>

#include "elf_loader.h"
#include "errors.h"

using namespace cimvp;

namespace {

struct ElfBuilder {
    uint8_t ei_class = 1;      // ELFCLASS32
    uint16_t machine = 243;    // EM_RISCV
    uint16_t type = 2;         // ET_EXEC
    uint32_t entry = 0x100;
    uint32_t paddr = 0x20000000;
    uint32_t memsz_extra = 16;
    std::vector<uint8_t> payload{0x13, 0x00, 0x00, 0x00, 0x6f, 0x00, 0x00, 0x00};
    uint32_t tohost = 0x20001000;

    std::vector<uint8_t> out;
    void u8(uint8_t v) { out.push_back(v); }
    void u16(uint16_t v) { u8(v & 0xff); u8(v >> 8); }
    void u32(uint32_t v) { u16(v & 0xffff); u16(v >> 16); }
    void put32(size_t at, uint32_t v) { for (int i = 0; i < 4; ++i) out[at + i] = (v >> (8 * i)) & 0xff; }

    std::vector<uint8_t> build() {
        out.clear();
        const char strtab[] = "\0tohost\0_start";       // names at 1 and 8
        const char shstrtab[] = "\0.symtab\0.strtab\0.shstrtab";  // 1, 9, 17
        // ELF header
        const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', ei_class, 1, 1, 0};
        out.insert(out.end(), ident, ident + 16);
        u16(type); u16(machine); u32(1); u32(entry);
        u32(52);                 // e_phoff
        const size_t shoff_at = out.size(); u32(0);
        u32(0); u16(52); u16(32); u16(1); u16(40); u16(4); u16(3);
        // program header
        const size_t ph_at = out.size();
        u32(1); u32(0); u32(paddr); u32(paddr); u32(payload.size()); u32(payload.size() + memsz_extra); u32(5); u32(4);
        const uint32_t seg_off = out.size();
        put32(ph_at + 4, seg_off);
        out.insert(out.end(), payload.begin(), payload.end());
        const uint32_t str_off = out.size();
        out.insert(out.end(), strtab, strtab + sizeof strtab);
        const uint32_t shstr_off = out.size();
        out.insert(out.end(), shstrtab, shstrtab + sizeof shstrtab);
        while (out.size() % 4) u8(0);
        const uint32_t sym_off = out.size();
        for (int i = 0; i < 16; ++i) u8(0);                              // null symbol
        u32(1); u32(tohost); u32(8); u8(0x11); u8(0); u16(1);           // tohost: GLOBAL OBJECT
        u32(8); u32(entry); u32(0); u8(0x10); u8(0); u16(1);            // _start: GLOBAL NOTYPE
        const uint32_t sh_off = out.size();
        put32(shoff_at, sh_off);
        auto shdr = [&](uint32_t name, uint32_t stype, uint32_t off, uint32_t size, uint32_t link, uint32_t ent) {
            u32(name); u32(stype); u32(0); u32(0); u32(off); u32(size); u32(link); u32(1); u32(1); u32(ent);
        };
        shdr(0, 0, 0, 0, 0, 0);
        shdr(1, 2, sym_off, 48, 2, 16);
        shdr(9, 3, str_off, sizeof strtab, 0, 0);
        shdr(17, 3, shstr_off, sizeof shstrtab, 0, 0);
        return out;
    }
};

std::string write_temp(const std::string& name, const std::vector<uint8_t>& bytes) {
    const std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return path;
}

std::string error_loading(const std::string& path) {
    try {
        load_elf(path);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(ElfLoader, ReadsSegmentsEntryAndSymbols) {
    ElfBuilder b;
    const std::string path = write_temp("good.elf", b.build());
    const ElfImage img = load_elf(path);
    EXPECT_EQ(img.entry, 0x100u);
    ASSERT_EQ(img.segments.size(), 1u);
    EXPECT_EQ(img.segments[0].paddr, 0x20000000u);
    EXPECT_EQ(img.segments[0].data, b.payload);
    EXPECT_EQ(img.segments[0].memsz, b.payload.size() + 16);
    ASSERT_TRUE(img.symbol("tohost").has_value());
    EXPECT_EQ(*img.symbol("tohost"), 0x20001000u);
    EXPECT_EQ(*img.symbol("_start"), 0x100u);
    EXPECT_FALSE(img.symbol("nothere").has_value());
}

TEST(ElfLoader, RejectsWrongClassMachineAndType) {
    ElfBuilder b;
    b.ei_class = 2;
    std::string e = error_loading(write_temp("c64.elf", b.build()));
    EXPECT_NE(e.find("c64.elf"), std::string::npos) << e;
    EXPECT_NE(e.find("32-bit"), std::string::npos) << e;
    b = ElfBuilder();
    b.machine = 62;  // x86-64
    e = error_loading(write_temp("x86.elf", b.build()));
    EXPECT_NE(e.find("expected RISC-V"), std::string::npos) << e;
    b = ElfBuilder();
    b.type = 1;  // relocatable object
    e = error_loading(write_temp("rel.elf", b.build()));
    EXPECT_NE(e.find("not an executable"), std::string::npos) << e;
}

TEST(ElfLoader, RejectsTruncatedFiles) {
    ElfBuilder b;
    std::vector<uint8_t> bytes = b.build();
    // Cut inside the segment data: the program header points past the end.
    bytes.resize(52 + 32 + 4);
    const std::string e = error_loading(write_temp("trunc.elf", bytes));
    EXPECT_NE(e.find("trunc.elf"), std::string::npos) << e;
    EXPECT_FALSE(e.empty());
    bytes.resize(20);  // not even a whole header
    EXPECT_FALSE(error_loading(write_temp("trunc2.elf", bytes)).empty());
}

TEST(ElfLoader, RejectsNonElfAndMissingFiles) {
    std::string e = error_loading(write_temp("text.elf", {'h', 'e', 'l', 'l', 'o', '\n'}));
    EXPECT_NE(e.find("not an ELF"), std::string::npos) << e;
    e = error_loading("/nonexistent/fw.elf");
    EXPECT_NE(e.find("/nonexistent/fw.elf"), std::string::npos) << e;
    EXPECT_NE(e.find("cannot open"), std::string::npos) << e;
}

TEST(ElfLoader, RejectsSegmentsWrappingTheAddressSpace) {
    ElfBuilder b;
    b.paddr = 0xfffffffc;
    const std::string e = error_loading(write_temp("wrap.elf", b.build()));
    EXPECT_NE(e.find("wraps"), std::string::npos) << e;
}
