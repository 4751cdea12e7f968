#include "elf_loader.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "errors.h"

namespace cimvp {

std::optional<uint32_t> ElfImage::symbol(const std::string& name) const {
    auto it = symbols.find(name);
    if (it == symbols.end()) return std::nullopt;
    return it->second;
}

namespace {

// Owns the file descriptor and the libelf handle.
class ElfFile {
public:
    explicit ElfFile(const std::string& path) : path_(path) {
        if (elf_version(EV_CURRENT) == EV_NONE) fail("libelf initialisation failed");
        fd_ = ::open(path.c_str(), O_RDONLY);
        if (fd_ < 0) fail(std::string("cannot open: ") + std::strerror(errno));
        elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
        if (!elf_) fail(std::string("not readable as ELF: ") + elf_errmsg(-1));
    }
    ~ElfFile() {
        if (elf_) elf_end(elf_);
        if (fd_ >= 0) ::close(fd_);
    }
    ElfFile(const ElfFile&) = delete;
    ElfFile& operator=(const ElfFile&) = delete;

    Elf* get() const { return elf_; }
    [[noreturn]] void fail(const std::string& why) const {
        throw InputError("ELF '" + path_ + "': " + why);
    }

private:
    std::string path_;
    int fd_ = -1;
    Elf* elf_ = nullptr;
};

void read_symbols(const ElfFile& f, ElfImage& img) {
    Elf_Scn* scn = nullptr;
    while ((scn = elf_nextscn(f.get(), scn)) != nullptr) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_SYMTAB) continue;
        Elf_Data* data = elf_getdata(scn, nullptr);
        if (!data || shdr.sh_entsize == 0) f.fail("unreadable symbol table");
        const size_t count = shdr.sh_size / shdr.sh_entsize;
        for (size_t i = 0; i < count; ++i) {
            GElf_Sym sym;
            if (!gelf_getsym(data, static_cast<int>(i), &sym)) f.fail("unreadable symbol");
            if (sym.st_shndx == SHN_UNDEF || sym.st_name == 0) continue;
            const int type = GELF_ST_TYPE(sym.st_info);
            if (type == STT_SECTION || type == STT_FILE) continue;
            const char* name = elf_strptr(f.get(), shdr.sh_link, sym.st_name);
            if (!name || !*name) continue;
            // A global definition wins over a local one of the same name.
            if (GELF_ST_BIND(sym.st_info) == STB_LOCAL && img.symbols.count(name)) continue;
            img.symbols[name] = static_cast<uint32_t>(sym.st_value);
        }
    }
}

}  // namespace

ElfImage load_elf(const std::string& path) {
    ElfFile f(path);
    if (elf_kind(f.get()) != ELF_K_ELF) f.fail("not an ELF file");

    size_t file_size = 0;
    const char* raw = elf_rawfile(f.get(), &file_size);
    if (!raw) f.fail("cannot read file contents");

    GElf_Ehdr ehdr;
    if (!gelf_getehdr(f.get(), &ehdr)) f.fail(std::string("truncated or bad ELF header: ") + elf_errmsg(-1));
    if (gelf_getclass(f.get()) != ELFCLASS32) f.fail("not a 32-bit ELF (ELFCLASS32 expected for RV32)");
    if (ehdr.e_ident[EI_DATA] != ELFDATA2LSB) f.fail("not little-endian");
    if (ehdr.e_machine != EM_RISCV)
        f.fail("machine is " + std::to_string(ehdr.e_machine) + ", expected RISC-V (" + std::to_string(EM_RISCV) + ")");
    if (ehdr.e_type != ET_EXEC) f.fail("not an executable (ET_EXEC)");

    ElfImage img;
    img.path = path;
    img.entry = static_cast<uint32_t>(ehdr.e_entry);

    size_t phnum = 0;
    if (elf_getphdrnum(f.get(), &phnum) != 0) f.fail(std::string("bad program headers: ") + elf_errmsg(-1));
    for (size_t i = 0; i < phnum; ++i) {
        GElf_Phdr ph;
        if (!gelf_getphdr(f.get(), static_cast<int>(i), &ph)) f.fail("truncated program header " + std::to_string(i));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (ph.p_filesz > ph.p_memsz) f.fail("segment " + std::to_string(i) + " has filesz > memsz");
        if (ph.p_offset > file_size || ph.p_filesz > file_size - ph.p_offset)
            f.fail("segment " + std::to_string(i) + " extends past the end of the file (truncated?)");
        if (ph.p_paddr + ph.p_memsz > (1ull << 32)) f.fail("segment " + std::to_string(i) + " wraps the 32-bit address space");
        ElfSegment seg;
        seg.paddr = static_cast<uint32_t>(ph.p_paddr);
        seg.memsz = static_cast<uint32_t>(ph.p_memsz);
        seg.data.assign(raw + ph.p_offset, raw + ph.p_offset + ph.p_filesz);
        img.segments.push_back(std::move(seg));
    }
    if (img.segments.empty()) f.fail("no loadable segments");
    read_symbols(f, img);
    return img;
}

}  // namespace cimvp
