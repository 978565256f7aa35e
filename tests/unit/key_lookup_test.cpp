// The variant index's key -> row lookup: every key appended is found at its own row through
// many growths of the table, and keys that were never added (also ones sharing a prefix or
// differing only at the end) are not.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "index/key_lookup.hpp"

namespace vcfagent::test {
namespace {

TEST(KeyLookup, FindsEveryKeyAtItsRowAndNothingElse) {
    std::vector<std::string> keys;
    for (int i = 0; i < 50000; ++i)
        keys.push_back("chr" + std::to_string(i % 7 + 1) + ":" + std::to_string(1000 + i * 13) +
                       ":A:" + (i % 2 ? "G" : "GT"));
    index::KeyLookup lookup;
    auto key_of = [&](uint64_t row) { return std::string_view(keys[row]); };
    EXPECT_EQ(lookup.find(keys[0], key_of), -1);  // empty
    for (size_t r = 0; r < keys.size(); ++r) lookup.insert(keys[r], r);
    EXPECT_EQ(lookup.size(), keys.size());
    for (size_t r = 0; r < keys.size(); ++r) ASSERT_EQ(lookup.find(keys[r], key_of), int64_t(r));
    for (const std::string absent : {"chr1:1000:A:G", "chr1:1000:A:GTT", "chr1:1000:A:", "",
                                     "chr8:1000:A:GT", "chr1:1000:A:GT "})
        EXPECT_EQ(lookup.find(absent, key_of), -1) << absent;
    lookup.clear();
    EXPECT_EQ(lookup.find(keys[1], key_of), -1);
}

}  // namespace
}  // namespace vcfagent::test
