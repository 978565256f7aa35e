// Proof that the real Kuzu engine is linked: a database in a temporary directory, a table,
// rows written and read back through the C++ API.
#include <gtest/gtest.h>

#include <kuzu.hpp>

#include <set>

#include "support/small_kuzu_config.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {

namespace {

TEST(KuzuEngine, CreatesATableInsertsAndReadsBackRows) {
    TempDir tmp;
    kuzu::main::Database db(tmp.file("engine.kz"), small_kuzu_config());
    kuzu::main::Connection conn(&db);
    ASSERT_TRUE(
        conn.query("CREATE NODE TABLE Probe(id INT64 PRIMARY KEY, name STRING)")->isSuccess());
    for (int i = 1; i <= 3; ++i) {
        auto r = conn.query("CREATE (:Probe {id: " + std::to_string(i) + ", name: 'p" +
                            std::to_string(i) + "'})");
        ASSERT_TRUE(r->isSuccess()) << r->getErrorMessage();
    }
    auto result = conn.query("MATCH (p:Probe) WHERE p.id >= 2 RETURN p.id, p.name ORDER BY p.id");
    ASSERT_TRUE(result->isSuccess()) << result->getErrorMessage();
    std::vector<std::pair<int64_t, std::string>> rows;
    while (result->hasNext()) {
        auto t = result->getNext();
        rows.emplace_back(t->getValue(0)->getValue<int64_t>(),
                          t->getValue(1)->getValue<std::string>());
    }
    EXPECT_EQ(rows, (std::vector<std::pair<int64_t, std::string>>{{2, "p2"}, {3, "p3"}}));
    // A duplicate primary key is rejected by the engine.
    EXPECT_FALSE(conn.query("CREATE (:Probe {id: 1, name: 'again'})")->isSuccess());
}

// third_party/kuzu patch 0003 checks literal range predicates per 2,048-row slice and drops the
// slices that cannot match before their other columns are read. Every answer must still be
// exactly the rows that satisfy the predicate: across slice boundaries, on an unsorted column,
// with NULLs, after an update moved a value into the range and after a delete, before and after
// a checkpoint (rows in memory, then on disk).
TEST(KuzuEngine, RangePredicatesReturnExactlyTheMatchingRowsAcrossSlices) {
    TempDir tmp;
    kuzu::main::Database db(tmp.file("slices.kz"), small_kuzu_config());
    kuzu::main::Connection conn(&db);
    auto ok = [&](const std::string& q) {
        auto r = conn.query(q);
        ASSERT_TRUE(r->isSuccess()) << q << ": " << r->getErrorMessage();
    };
    ok("CREATE NODE TABLE T(id INT64 PRIMARY KEY, k INT64, u INT32, d DOUBLE, s STRING)");
    constexpr int64_t n = 10000;
    // k sorted (NULL on every thousandth row + 7), u a permutation of 0..n-1, d sorted.
    ok("UNWIND range(0, " + std::to_string(n - 1) +
       ") AS i CREATE (:T {id: i, k: CASE WHEN i % 1000 = 7 THEN NULL ELSE i * 10 END, "
       "u: CAST((i * 7919) % " +
       std::to_string(n) + " AS INT32), d: i * 0.5, s: 'row' + CAST(i AS STRING)})");
    auto ids = [&](const std::string& where) {
        auto r = conn.query("MATCH (t:T) WHERE " + where + " RETURN t.id, t.s");
        EXPECT_TRUE(r->isSuccess()) << where << ": " << r->getErrorMessage();
        std::set<int64_t> out;
        while (r->hasNext()) {
            auto row = r->getNext();
            const int64_t id = row->getValue(0)->getValue<int64_t>();
            EXPECT_EQ(row->getValue(1)->getValue<std::string>(), "row" + std::to_string(id));
            out.insert(id);
        }
        return out;
    };
    auto range = [](int64_t a, int64_t b) {
        std::set<int64_t> out;
        for (int64_t i = a; i <= b; ++i) out.insert(i);
        return out;
    };
    std::set<int64_t> u_below_5;
    for (int64_t i = 0; i < n; ++i)
        if ((i * 7919) % n < 5) u_below_5.insert(i);
    for (const bool on_disk : {false, true}) {
        SCOPED_TRACE(on_disk ? "after a checkpoint" : "before a checkpoint");
        if (on_disk) ok("CHECKPOINT");
        // Rows 2045..2053 straddle the first slice boundary (row 2048).
        EXPECT_EQ(ids("t.k >= 20450 AND t.k <= 20530"), range(2045, 2053));
        EXPECT_EQ(ids("t.k > 99980"), range(9999, 9999));
        EXPECT_EQ(ids("t.k < 30"), range(0, 2));
        EXPECT_EQ(ids("t.k = 61000"), range(6100, 6100));
        EXPECT_TRUE(ids("t.k = 61005").empty());
        // Row 1007's k is NULL: not in any range, and found by IS NULL.
        EXPECT_EQ(ids("t.k >= 10060 AND t.k <= 10080"), (std::set<int64_t>{1006, 1008}));
        EXPECT_EQ(ids("t.k IS NULL").size(), static_cast<size_t>(n / 1000));
        EXPECT_EQ(ids("t.u < 5"), u_below_5);
        EXPECT_EQ(ids("t.d >= 4999.0"), range(9998, 9999));
    }
    // An update moves row 5000 into a range its slice held no value of; a delete removes a
    // row from the middle of another.
    ok("MATCH (t:T {id: 5000}) SET t.k = 20500");
    ok("MATCH (t:T {id: 2050}) DELETE t");
    auto expected = range(2045, 2053);
    expected.erase(2050);
    expected.insert(5000);
    EXPECT_EQ(ids("t.k >= 20450 AND t.k <= 20530"), expected);
    ok("CHECKPOINT");
    EXPECT_EQ(ids("t.k >= 20450 AND t.k <= 20530"), expected);
}

}  // namespace
}  // namespace vcfagent::test
