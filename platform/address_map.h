// Address decoding for the interconnect: plain C++, no SystemC, so it is testable on its own.
//
// Regions are kept sorted by base in a small contiguous vector; decode() is a binary search over
// it (a handful of regions: a few cache lines, no allocation, no strings on the hot path).
#ifndef CIMVP_PLATFORM_ADDRESS_MAP_H
#define CIMVP_PLATFORM_ADDRESS_MAP_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cimvp {

struct AddressRegion {
    std::string name;
    uint64_t base = 0;
    uint64_t size = 0;    // bytes, > 0
    unsigned target = 0;  // the bus's target index
    uint64_t last() const { return base + (size - 1); }  // inclusive (base + size may be 2^64)
};

struct DecodeResult {
    unsigned target = 0;
    uint64_t offset = 0;  // address - region base
};

class AddressMap {
public:
    // Adds [base, base + size). Throws std::invalid_argument, naming the region(s), for a zero
    // size, a range past the end of the 64-bit address space, or an overlap with another region.
    void add(const std::string& name, uint64_t base, uint64_t size, unsigned target);

    // The region holding all of [addr, addr + len) (len 0 counts as 1). An access that straddles
    // a region end, or touches an unmapped byte, is a decode error (nullopt).
    std::optional<DecodeResult> decode(uint64_t addr, uint64_t len = 1) const {
        const Entry* e = find_entry(addr);
        if (!e) return std::nullopt;
        const uint64_t offset = addr - e->base;
        if (len > 1 && len - 1 > e->last - addr) return std::nullopt;
        return DecodeResult{e->target, offset};
    }

    // The region containing addr, or nullptr.
    const AddressRegion* find(uint64_t addr) const;

    // For an unmapped addr: the largest unmapped range [first, last] around it (for DMI denials).
    // For a mapped addr: the region's range.
    void range_around(uint64_t addr, uint64_t& first, uint64_t& last) const;

    const std::vector<AddressRegion>& regions() const { return regions_; }  // sorted by base
    bool empty() const { return regions_.empty(); }

private:
    struct Entry {  // hot copy of a region: 24 bytes
        uint64_t base, last;
        unsigned target;
    };
    const Entry* find_entry(uint64_t addr) const {
        // First entry whose base is > addr, then step back one.
        size_t lo = 0, hi = entries_.size();
        while (lo < hi) {
            const size_t mid = (lo + hi) / 2;
            if (entries_[mid].base <= addr) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0) return nullptr;
        const Entry& e = entries_[lo - 1];
        return addr <= e.last ? &e : nullptr;
    }

    std::vector<AddressRegion> regions_;  // sorted by base, parallel to entries_
    std::vector<Entry> entries_;
};

}  // namespace cimvp

#endif
