#include "address_map.h"

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace cimvp {

namespace {

std::string describe(const std::string& name, uint64_t base, uint64_t size) {
    std::ostringstream os;
    os << "'" << name << "' [0x" << std::hex << std::setfill('0') << std::setw(8) << base << ", +0x" << size << ")";
    return os.str();
}

}  // namespace

void AddressMap::add(const std::string& name, uint64_t base, uint64_t size, unsigned target) {
    if (size == 0) throw std::invalid_argument("address region " + describe(name, base, size) + " has zero size");
    if (size - 1 > std::numeric_limits<uint64_t>::max() - base)
        throw std::invalid_argument("address region " + describe(name, base, size) +
                                    " extends past the end of the address space");
    const uint64_t last = base + (size - 1);
    for (const AddressRegion& r : regions_)
        if (base <= r.last() && r.base <= last)
            throw std::invalid_argument("address region " + describe(name, base, size) + " overlaps " +
                                        describe(r.name, r.base, r.size));

    const auto pos = std::lower_bound(regions_.begin(), regions_.end(), base,
                                      [](const AddressRegion& r, uint64_t b) { return r.base < b; });
    const auto index = pos - regions_.begin();
    regions_.insert(pos, AddressRegion{name, base, size, target});
    entries_.insert(entries_.begin() + index, Entry{base, last, target});
}

const AddressRegion* AddressMap::find(uint64_t addr) const {
    const Entry* e = find_entry(addr);
    return e ? &regions_[static_cast<size_t>(e - entries_.data())] : nullptr;
}

void AddressMap::range_around(uint64_t addr, uint64_t& first, uint64_t& last) const {
    if (const AddressRegion* r = find(addr)) {
        first = r->base;
        last = r->last();
        return;
    }
    first = 0;
    last = std::numeric_limits<uint64_t>::max();
    for (const Entry& e : entries_) {
        if (e.last < addr) first = e.last + 1;
        else if (e.base > addr) {
            last = e.base - 1;
            break;
        }
    }
}

}  // namespace cimvp
