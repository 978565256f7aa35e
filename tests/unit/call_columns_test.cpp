// The variant index's call columns: every code of every vector reads back as added (rows in
// any order, vectors split into parts as the store splits them, across a merge and a write and
// read of the files), rows without a vector have none, carriers count '1' and '2' over all
// parts, a row given two vectors of one file makes that file unusable, and codes past the
// budget are given up whole, and codes parked in a spill come back in place.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "index/call_columns.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

using index::CallColumns;

std::string random_vector(std::mt19937_64& rng, size_t width) {
    std::string gt(width, '0');
    for (auto& c : gt) c = "0012."[rng() % 5];
    return gt;
}

void expect_vector(const CallColumns& calls, uint32_t source, uint32_t row, const std::string& gt) {
    int64_t carriers = 0;
    for (uint32_t col = 0; col < gt.size(); ++col) {
        const uint32_t first = col - col % 128;
        const uint8_t* part = calls.part(source, first, row);
        ASSERT_NE(part, nullptr) << "row " << row << " column " << col;
        ASSERT_EQ(CallColumns::code(part, col - first), gt[col]) << "row " << row << " col " << col;
        carriers += gt[col] == '1' || gt[col] == '2';
    }
    EXPECT_EQ(calls.carriers(source, row), carriers);
}

TEST(CallColumns, CodesReadBackInAnyRowOrderAcrossPartsMergesAndFiles) {
    std::mt19937_64 rng(3);
    // File 1: 300 samples (parts at 0, 128, 256) on even rows, added in shuffled runs; file 2:
    // 5 samples on every third row, through a merge.
    std::map<uint32_t, std::string> one, two;
    CallColumns calls;
    std::vector<uint32_t> rows;
    for (uint32_t r = 0; r < 4000; r += 2) rows.push_back(r);
    std::rotate(rows.begin(), rows.begin() + 700, rows.end());  // a later run before an earlier
    for (const uint32_t r : rows) calls.add_vector(r, 1, one[r] = random_vector(rng, 300));
    CallColumns more;
    for (uint32_t r = 0; r < 4000; r += 3) more.add_vector(r, 2, two[r] = random_vector(rng, 5));
    more.covered = 77;
    calls.merge(std::move(more));
    calls.settle();
    EXPECT_EQ(calls.covered, 77);
    EXPECT_TRUE(calls.usable(1));
    EXPECT_TRUE(calls.usable(2));
    auto expect_all = [&](const CallColumns& c) {
        for (const auto& [r, gt] : one) expect_vector(c, 1, r, gt);
        for (const auto& [r, gt] : two) expect_vector(c, 2, r, gt);
        for (uint32_t r = 1; r < 4000; r += 2) EXPECT_EQ(c.part(1, 0, r), nullptr) << r;
        EXPECT_EQ(c.part(1, 0, 5000), nullptr);
        EXPECT_EQ(c.part(3, 0, 0), nullptr);
    };
    expect_all(calls);
    TempDir tmp;
    {
        index::HashingWriter w(tmp.path() / "calls.bin");
        calls.write(w);
        w.finish();
    }
    CallColumns read;
    index::FileReader r(tmp.path() / "calls.bin");
    read.read(r);
    r.expect_end();
    EXPECT_EQ(read.covered, 77);
    expect_all(read);
}

TEST(CallColumns, ParkedCodesComeBackInPlace) {
    std::mt19937_64 rng(5);
    TempDir tmp;
    index::SpillFile spill(tmp.path(), "test");
    CallColumns calls;
    std::map<std::pair<uint32_t, uint32_t>, std::string> added;  // (source, row) -> vector
    uint32_t row = 0;
    for (int chunk = 0; chunk < 5; ++chunk) {
        for (int i = 0; i < 300; ++i, ++row) {
            const uint32_t source = 1 + row % 2;
            const auto gt = random_vector(rng, source == 1 ? 140 : 7);
            calls.add_vector(row, source, gt);
            added[{source, row}] = gt;
        }
        if (chunk < 4) calls.park(spill);  // the last chunk stays in memory
    }
    EXPECT_GT(spill.size(), 0u);
    calls.unpark(spill);
    calls.settle();
    for (const auto& [at, gt] : added) expect_vector(calls, at.first, at.second, gt);
}

TEST(CallColumns, TwoVectorsOfOneRowMakeTheFileUnusable) {
    CallColumns calls;
    calls.add_vector(5, 1, "0101");
    calls.add_vector(6, 1, "0101");
    calls.add_vector(9, 2, "22");
    calls.add_vector(5, 1, "1111");
    calls.settle();
    EXPECT_FALSE(calls.usable(1));
    EXPECT_TRUE(calls.usable(2));
    // A part of another width in one file, and a code no call vector holds.
    calls.add_vector(10, 2, "222");
    calls.add_vector(11, 3, "0x");
    calls.settle();
    EXPECT_FALSE(calls.usable(2));
    EXPECT_FALSE(calls.usable(3));
}

TEST(CallColumns, CodesPastTheBudgetAreGivenUpWhole) {
    CallColumns calls(1000);  // bytes: 100 vectors of 40 samples (10 bytes each)
    for (uint32_t r = 0; r < 100; ++r) calls.add_vector(r, 1, std::string(40, '1'));
    EXPECT_FALSE(calls.abandoned());
    EXPECT_NE(calls.part(1, 0, 99), nullptr);
    calls.add_vector(100, 1, std::string(40, '1'));
    EXPECT_TRUE(calls.abandoned());
    EXPECT_FALSE(calls.usable(1));
    EXPECT_EQ(calls.part(1, 0, 0), nullptr);
    calls.add_vector(101, 1, "0");  // nothing is kept any more
    EXPECT_EQ(calls.part(1, 0, 101), nullptr);
    // Saved given up: the same budget keeps them given up; a larger one reads them again.
    calls.covered = 55;
    TempDir tmp;
    {
        index::HashingWriter w(tmp.path() / "calls.bin");
        calls.write(w);
        w.finish();
    }
    for (const size_t budget : {size_t{1000}, size_t{100000}}) {
        CallColumns read(budget);
        index::FileReader r(tmp.path() / "calls.bin");
        read.read(r);
        EXPECT_EQ(read.abandoned(), budget == 1000) << budget;
        EXPECT_EQ(read.covered, budget == 1000 ? 55 : -1) << budget;
    }
}

}  // namespace
}  // namespace vcfagent::test
