// Address decoding (plain C++, no SystemC).
#include "address_map.h"

#include <limits>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

using cimvp::AddressMap;

namespace {

AddressMap soc_like_map() {
    AddressMap m;
    m.add("flash", 0x00000000, 0x80000, 0);
    m.add("sram", 0x20000000, 0x50000, 1);
    m.add("uart", 0x40000000, 0x1000, 2);
    m.add("timer", 0x40001000, 0x1000, 3);
    return m;
}

std::string add_error(AddressMap& m, const std::string& name, uint64_t base, uint64_t size) {
    try {
        m.add(name, base, size, 9);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(AddressMap, DecodesToTargetAndOffset) {
    const AddressMap m = soc_like_map();
    const auto d = m.decode(0x20000124, 4);
    ASSERT_TRUE(d.has_value()) << "0x20000124 should be in sram";
    EXPECT_EQ(d->target, 1u);
    EXPECT_EQ(d->offset, 0x124u) << "offset = address - sram base";
    const auto t = m.decode(0x40001010, 4);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->target, 3u);
    EXPECT_EQ(t->offset, 0x10u);
}

TEST(AddressMap, RegionEdges) {
    const AddressMap m = soc_like_map();
    // First and last byte of a region decode; the bytes just outside do not.
    ASSERT_TRUE(m.decode(0x20000000, 1));
    EXPECT_EQ(m.decode(0x20000000, 1)->offset, 0u);
    ASSERT_TRUE(m.decode(0x2004ffff, 1));
    EXPECT_EQ(m.decode(0x2004ffff, 1)->offset, 0x4ffffu);
    EXPECT_FALSE(m.decode(0x1fffffff, 1)) << "byte below sram";
    EXPECT_FALSE(m.decode(0x20050000, 1)) << "byte above sram";
    // Word at the very end of a region.
    ASSERT_TRUE(m.decode(0x2004fffc, 4));
    // Adjacent regions: last byte of uart, first byte of timer.
    EXPECT_EQ(m.decode(0x40000fff)->target, 2u);
    EXPECT_EQ(m.decode(0x40001000)->target, 3u);
    // Address 0 and the top of the address space.
    EXPECT_EQ(m.decode(0)->target, 0u);
    EXPECT_FALSE(m.decode(std::numeric_limits<uint64_t>::max()));
}

TEST(AddressMap, StraddlingAccessIsDecodeError) {
    const AddressMap m = soc_like_map();
    EXPECT_FALSE(m.decode(0x2004fffe, 4)) << "word crossing the end of sram into a hole";
    EXPECT_FALSE(m.decode(0x40000ffe, 4)) << "word crossing from uart into timer (adjacent regions)";
    EXPECT_FALSE(m.decode(0x1ffffffe, 4)) << "word crossing from a hole into sram";
    EXPECT_TRUE(m.decode(0x40000ffc, 4));
    EXPECT_TRUE(m.decode(0x0, 0x80000)) << "whole flash in one access";
    EXPECT_FALSE(m.decode(0x0, 0x80001));
    EXPECT_TRUE(m.decode(0x100, 0)) << "length 0 counts as one byte";
}

TEST(AddressMap, RejectsZeroSize) {
    AddressMap m;
    const std::string e = add_error(m, "empty", 0x1000, 0);
    EXPECT_NE(e.find("'empty'"), std::string::npos) << e;
    EXPECT_NE(e.find("zero size"), std::string::npos) << e;
    EXPECT_TRUE(m.empty());
}

TEST(AddressMap, RejectsOverflow) {
    AddressMap m;
    const uint64_t top = std::numeric_limits<uint64_t>::max();
    const std::string e = add_error(m, "wrap", top - 0xff, 0x101);
    EXPECT_NE(e.find("'wrap'"), std::string::npos) << e;
    EXPECT_NE(e.find("end of the address space"), std::string::npos) << e;
    // Ending exactly at the top is fine.
    EXPECT_NO_THROW(m.add("top", top - 0xff, 0x100, 0));
    EXPECT_EQ(m.decode(top)->offset, 0xffu);
    EXPECT_TRUE(m.decode(top - 3, 4));
}

TEST(AddressMap, RejectsOverlapNamingBothRegions) {
    AddressMap m = soc_like_map();
    const std::string inside = add_error(m, "npu", 0x20010000, 0x100);
    EXPECT_NE(inside.find("'npu'"), std::string::npos) << inside;
    EXPECT_NE(inside.find("'sram'"), std::string::npos) << inside;
    const std::string covering = add_error(m, "big", 0x3fffff00, 0x2000);
    EXPECT_NE(covering.find("'big'"), std::string::npos) << covering;
    EXPECT_NE(covering.find("'uart'"), std::string::npos) << covering;
    const std::string last_byte = add_error(m, "edge", 0x2004ffff, 1);
    EXPECT_NE(last_byte.find("'sram'"), std::string::npos) << "one shared byte is an overlap: " << last_byte;
    EXPECT_EQ(add_error(m, "after", 0x20050000, 0x10), "") << "touching without overlap is fine";
    EXPECT_EQ(m.regions().size(), 5u);
}

TEST(AddressMap, KeepsRegionsSortedWhateverTheAddOrder) {
    AddressMap m;
    m.add("c", 0x3000, 0x1000, 2);
    m.add("a", 0x1000, 0x1000, 0);
    m.add("b", 0x2000, 0x1000, 1);
    ASSERT_EQ(m.regions().size(), 3u);
    EXPECT_EQ(m.regions()[0].name, "a");
    EXPECT_EQ(m.regions()[2].name, "c");
    for (unsigned t = 0; t < 3; ++t) {
        const auto d = m.decode(0x1000 + t * 0x1000 + 8);
        ASSERT_TRUE(d);
        EXPECT_EQ(d->target, t);
        EXPECT_EQ(d->offset, 8u);
    }
    ASSERT_NE(m.find(0x2abc), nullptr);
    EXPECT_EQ(m.find(0x2abc)->name, "b");
    EXPECT_EQ(m.find(0x0fff), nullptr);
}

TEST(AddressMap, RangeAroundAHole) {
    const AddressMap m = soc_like_map();
    uint64_t first = 0, last = 0;
    m.range_around(0x10000000, first, last);
    EXPECT_EQ(first, 0x80000u) << "hole starts after flash";
    EXPECT_EQ(last, 0x1fffffffu) << "hole ends before sram";
    m.range_around(0x50000000, first, last);
    EXPECT_EQ(first, 0x40002000u);
    EXPECT_EQ(last, std::numeric_limits<uint64_t>::max());
    m.range_around(0x20000010, first, last);
    EXPECT_EQ(first, 0x20000000u) << "mapped address: the region itself";
    EXPECT_EQ(last, 0x2004ffffu);
}
