// Proof that the real Kuzu engine is linked: a database in a temporary directory, a table,
// rows written and read back through the C++ API.
#include <gtest/gtest.h>

#include <fstream>

#include <kuzu.hpp>

#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "support/small_kuzu_config.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {

namespace {

void expect_ok(kuzu::main::Connection& conn, const std::string& q) {
    auto r = conn.query(q);
    ASSERT_TRUE(r->isSuccess()) << q << ": " << r->getErrorMessage();
}

// The ids a..b.
std::set<int64_t> id_range(int64_t a, int64_t b) {
    std::set<int64_t> out;
    for (int64_t i = a; i <= b; ++i) out.insert(i);
    return out;
}

// Table T(id INT64 PRIMARY KEY, k INT64) of `n` rows, row i with k = i * 10, loaded by one COPY
// (so its node groups are written whole).
void copy_k_table(kuzu::main::Connection& conn, TempDir& tmp, int64_t n) {
    const std::string csv = tmp.file("rows.csv");
    {
        std::ofstream out(csv);
        for (int64_t i = 0; i < n; ++i) out << i << ',' << i * 10 << '\n';
    }
    expect_ok(conn, "CREATE NODE TABLE T(id INT64 PRIMARY KEY, k INT64)");
    expect_ok(conn, "COPY T FROM '" + csv + "' (HEADER=false)");
}

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
    auto ok = [&](const std::string& q) { expect_ok(conn, q); };
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
    std::set<int64_t> u_below_5;
    for (int64_t i = 0; i < n; ++i)
        if ((i * 7919) % n < 5) u_below_5.insert(i);
    for (const bool on_disk : {false, true}) {
        SCOPED_TRACE(on_disk ? "after a checkpoint" : "before a checkpoint");
        if (on_disk) ok("CHECKPOINT");
        // Rows 2045..2053 straddle the first slice boundary (row 2048).
        EXPECT_EQ(ids("t.k >= 20450 AND t.k <= 20530"), id_range(2045, 2053));
        EXPECT_EQ(ids("t.k > 99980"), id_range(9999, 9999));
        EXPECT_EQ(ids("t.k < 30"), id_range(0, 2));
        EXPECT_EQ(ids("t.k = 61000"), id_range(6100, 6100));
        EXPECT_TRUE(ids("t.k = 61005").empty());
        // Row 1007's k is NULL: not in any range, and found by IS NULL.
        EXPECT_EQ(ids("t.k >= 10060 AND t.k <= 10080"), (std::set<int64_t>{1006, 1008}));
        EXPECT_EQ(ids("t.k IS NULL").size(), static_cast<size_t>(n / 1000));
        EXPECT_EQ(ids("t.u < 5"), u_below_5);
        EXPECT_EQ(ids("t.d >= 4999.0"), id_range(9998, 9999));
    }
    // An update moves row 5000 into a range its slice held no value of; a delete removes a
    // row from the middle of another.
    ok("MATCH (t:T {id: 5000}) SET t.k = 20500");
    ok("MATCH (t:T {id: 2050}) DELETE t");
    auto expected = id_range(2045, 2053);
    expected.erase(2050);
    expected.insert(5000);
    EXPECT_EQ(ids("t.k >= 20450 AND t.k <= 20530"), expected);
    ok("CHECKPOINT");
    EXPECT_EQ(ids("t.k >= 20450 AND t.k <= 20530"), expected);
}

// third_party/kuzu patch 0004 passes over a node group whose zone maps rule out a scan's
// predicates in one step, and writes no node IDs for a slice without selected rows. Every
// answer must still be exact over several node groups (131,072 rows each): ranges inside one
// group, across a group boundary, in the last partly filled group and beyond every group; an
// update that moves a value of the first group into a range only the third held (the first
// group's zone map must widen); a delete; before and after a checkpoint.
TEST(KuzuEngine, RangePredicatesStayExactAcrossNodeGroupsTheZoneMapsPassOver) {
    TempDir tmp;
    constexpr int64_t group = 131072;
    constexpr int64_t n = 3 * group + 1000;
    kuzu::main::Database db(tmp.file("groups.kz"), small_kuzu_config());
    kuzu::main::Connection conn(&db);
    auto ok = [&](const std::string& q) { expect_ok(conn, q); };
    copy_k_table(conn, tmp, n);
    auto ids = [&](const std::string& where) {
        auto r = conn.query("MATCH (t:T) WHERE " + where + " RETURN t.id, t.k");
        EXPECT_TRUE(r->isSuccess()) << where << ": " << r->getErrorMessage();
        std::set<int64_t> out;
        while (r->hasNext()) out.insert(r->getNext()->getValue(0)->getValue<int64_t>());
        return out;
    };
    for (const bool on_disk : {false, true}) {
        SCOPED_TRACE(on_disk ? "after a checkpoint" : "before a checkpoint");
        if (on_disk) ok("CHECKPOINT");
        EXPECT_EQ(ids("t.k >= " + std::to_string(2 * group * 10 + 50) +
                      " AND t.k <= " + std::to_string(2 * group * 10 + 90)),
                  id_range(2 * group + 5, 2 * group + 9));
        EXPECT_EQ(ids("t.k >= " + std::to_string((group - 2) * 10) +
                      " AND t.k <= " + std::to_string((group + 2) * 10)),
                  id_range(group - 2, group + 2));
        EXPECT_EQ(ids("t.k >= " + std::to_string((n - 3) * 10)), id_range(n - 3, n - 1));
        EXPECT_TRUE(ids("t.k > " + std::to_string(n * 10)).empty());
        EXPECT_EQ(ids("t.k < 20"), id_range(0, 1));
    }
    // Row 7 of the first group moves into the third group's range; row 2 * group + 6 goes.
    ok("MATCH (t:T {id: 7}) SET t.k = " + std::to_string(2 * group * 10 + 75));
    ok("MATCH (t:T {id: " + std::to_string(2 * group + 6) + "}) DELETE t");
    auto expected = id_range(2 * group + 5, 2 * group + 9);
    expected.erase(2 * group + 6);
    expected.insert(7);
    const std::string moved = "t.k >= " + std::to_string(2 * group * 10 + 50) +
                              " AND t.k <= " + std::to_string(2 * group * 10 + 90);
    EXPECT_EQ(ids(moved), expected);
    ok("CHECKPOINT");
    EXPECT_EQ(ids(moved), expected);
}

// third_party/kuzu patch 0008 turns a comparison of a column with a parameter bound to a value
// into a column predicate, as a literal: Kuzu binds and plans a prepared statement again at every
// execution, so the predicate carries that execution's value. One statement prepared once and
// run with one range after another must return exactly each range's rows (a predicate left with
// an earlier execution's value would return that range's rows, or none), with the parameter on
// either side, across node groups, after an update that moves a value into another group's
// range, and after a checkpoint.
TEST(KuzuEngine, APreparedRangeStatementIsExactForEveryValueItRunsWith) {
    TempDir tmp;
    constexpr int64_t group = 131072;
    constexpr int64_t n = 3 * group + 1000;
    kuzu::main::Database db(tmp.file("params.kz"), small_kuzu_config());
    kuzu::main::Connection conn(&db);
    copy_k_table(conn, tmp, n);
    auto between = conn.prepare("MATCH (t:T) WHERE t.k >= $lo AND t.k <= $hi RETURN t.id");
    auto reversed = conn.prepare("MATCH (t:T) WHERE $lo <= t.k AND $hi >= t.k RETURN t.id");
    ASSERT_TRUE(between->isSuccess()) << between->getErrorMessage();
    ASSERT_TRUE(reversed->isSuccess()) << reversed->getErrorMessage();
    auto ids = [&](kuzu::main::PreparedStatement& stmt, int64_t lo, int64_t hi) {
        std::unordered_map<std::string, std::unique_ptr<kuzu::common::Value>> params;
        params.emplace("lo", std::make_unique<kuzu::common::Value>(lo));
        params.emplace("hi", std::make_unique<kuzu::common::Value>(hi));
        auto r = conn.executeWithParams(&stmt, std::move(params));
        EXPECT_TRUE(r->isSuccess()) << r->getErrorMessage();
        std::set<int64_t> out;
        while (r->hasNext()) out.insert(r->getNext()->getValue(0)->getValue<int64_t>());
        return out;
    };
    // Row ids a..b as the k range that selects them.
    auto rows = [&](kuzu::main::PreparedStatement& stmt, int64_t a, int64_t b) {
        return ids(stmt, a * 10, b * 10);
    };
    for (const bool on_disk : {false, true}) {
        SCOPED_TRACE(on_disk ? "after a checkpoint" : "before a checkpoint");
        if (on_disk) expect_ok(conn, "CHECKPOINT");
        for (auto* stmt : {between.get(), reversed.get()}) {
            EXPECT_EQ(rows(*stmt, 2 * group + 5, 2 * group + 9),
                      id_range(2 * group + 5, 2 * group + 9));
            EXPECT_EQ(rows(*stmt, 3, 5), id_range(3, 5));
            EXPECT_EQ(rows(*stmt, group - 2, group + 2), id_range(group - 2, group + 2));
            EXPECT_EQ(rows(*stmt, n - 3, n + 100), id_range(n - 3, n - 1));
            EXPECT_TRUE(ids(*stmt, n * 10 + 1, n * 20).empty());
            EXPECT_TRUE(ids(*stmt, 55, 59).empty());  // between two values
            EXPECT_EQ(rows(*stmt, 3, 5), id_range(3, 5));
        }
    }
    // The parameters prune as literals do: the scan under the filter hands up the rows of the
    // slices (2,048 rows) the range can reach, not the table's (unpatched: every row).
    auto profile = conn.prepare("PROFILE MATCH (t:T) WHERE t.k >= $lo AND t.k <= $hi RETURN t.id");
    ASSERT_TRUE(profile->isSuccess()) << profile->getErrorMessage();
    std::unordered_map<std::string, std::unique_ptr<kuzu::common::Value>> params;
    params.emplace("lo", std::make_unique<kuzu::common::Value>(int64_t{(2 * group + 5) * 10}));
    params.emplace("hi", std::make_unique<kuzu::common::Value>(int64_t{(2 * group + 9) * 10}));
    auto plan = conn.executeWithParams(profile.get(), std::move(params));
    ASSERT_TRUE(plan->isSuccess()) << plan->getErrorMessage();
    std::string text;
    while (plan->hasNext()) text += plan->getNext()->toString();
    const auto scan = text.find("SCAN_NODE_TABLE");
    ASSERT_NE(scan, std::string::npos) << text;
    const std::string label = "NumOutputTuples: ";
    const auto count = text.find(label, scan);
    ASSERT_NE(count, std::string::npos) << text;
    EXPECT_LE(std::stoll(text.substr(count + label.size())), 2048) << text;

    // Row 7 of the first group moves into the third group's range.
    expect_ok(conn, "MATCH (t:T {id: 7}) SET t.k = " + std::to_string((2 * group + 6) * 10 + 5));
    auto expected = id_range(2 * group + 5, 2 * group + 9);
    expected.insert(7);
    EXPECT_EQ(rows(*between, 2 * group + 5, 2 * group + 9), expected);
    EXPECT_EQ(rows(*between, 6, 8), (std::set<int64_t>{6, 8}));
    expect_ok(conn, "CHECKPOINT");
    EXPECT_EQ(rows(*reversed, 2 * group + 5, 2 * group + 9), expected);
}

// third_party/kuzu patch 0005 reads only a bound node's own two entries of the CSR header when
// one node's relationships are scanned (the whole node group's header before). Every answer
// must still be exact: nodes at the start, middle and end of a node group and in the next one,
// a node without relationships, several single-node look-ups in one statement (the header
// read again for each), a count over many nodes (the whole header), after a relationship is
// added and one deleted (in memory beside the checkpointed lists), and after a checkpoint.
TEST(KuzuEngine, OneNodesRelationshipsAreExactWhereverTheNodeSits) {
    TempDir tmp;
    constexpr int64_t group = 131072;
    constexpr int64_t n = group + 500;
    // Node i has i % 4 relationships, to B nodes (i + j) % 10 with weight i * 10 + j.
    const std::string nodes = tmp.file("a.csv"), targets = tmp.file("b.csv"),
                      rels = tmp.file("r.csv");
    {
        std::ofstream a(nodes), b(targets), r(rels);
        for (int64_t i = 0; i < n; ++i) a << i << '\n';
        for (int64_t t = 0; t < 10; ++t) b << t << '\n';
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < i % 4; ++j)
                r << i << ',' << (i + j) % 10 << ',' << i * 10 + j << '\n';
    }
    kuzu::main::Database db(tmp.file("rels.kz"), small_kuzu_config());
    kuzu::main::Connection conn(&db);
    auto ok = [&](const std::string& q) { expect_ok(conn, q); };
    ok("CREATE NODE TABLE A(id INT64 PRIMARY KEY)");
    ok("CREATE NODE TABLE B(id INT64 PRIMARY KEY)");
    ok("CREATE REL TABLE R(FROM A TO B, w INT64)");
    ok("COPY A FROM '" + nodes + "' (HEADER=false)");
    ok("COPY B FROM '" + targets + "' (HEADER=false)");
    ok("COPY R FROM '" + rels + "' (HEADER=false)");
    using Edges = std::set<std::pair<int64_t, int64_t>>;  // (target, weight)
    auto edges_of = [&](int64_t i) {
        auto r =
            conn.query("MATCH (a:A {id: " + std::to_string(i) + "})-[e:R]->(b:B) RETURN b.id, e.w");
        EXPECT_TRUE(r->isSuccess()) << r->getErrorMessage();
        Edges out;
        while (r->hasNext()) {
            auto row = r->getNext();
            out.emplace(row->getValue(0)->getValue<int64_t>(),
                        row->getValue(1)->getValue<int64_t>());
        }
        return out;
    };
    auto expected_of = [](int64_t i) {
        Edges out;
        for (int64_t j = 0; j < i % 4; ++j) out.emplace((i + j) % 10, i * 10 + j);
        return out;
    };
    const std::vector<int64_t> probes = {0,     1,         3,     4,         2047, 2051,
                                         65539, group - 1, group, group + 3, n - 1};
    auto check_all = [&](const std::map<int64_t, Edges>& changed) {
        for (const int64_t i : probes) {
            SCOPED_TRACE("node " + std::to_string(i));
            const auto it = changed.find(i);
            EXPECT_EQ(edges_of(i), it != changed.end() ? it->second : expected_of(i));
        }
        // Single-node look-ups of several nodes of one group in one statement.
        auto r = conn.query(
            "UNWIND [3, 7, 65539, 11] AS k MATCH (a:A {id: k})-[e:R]->(b:B) "
            "RETURN k, count(*) ORDER BY k");
        ASSERT_TRUE(r->isSuccess()) << r->getErrorMessage();
        std::map<int64_t, int64_t> counts;
        while (r->hasNext()) {
            auto row = r->getNext();
            counts[row->getValue(0)->getValue<int64_t>()] = row->getValue(1)->getValue<int64_t>();
        }
        for (const int64_t k : {3, 7, 65539, 11}) {
            const auto it = changed.find(k);
            EXPECT_EQ(counts[k], static_cast<int64_t>(
                                     (it != changed.end() ? it->second : expected_of(k)).size()))
                << "node " << k;
        }
        // Many bound nodes at once: the whole header.
        r = conn.query("MATCH (a:A)-[e:R]->(b:B) RETURN count(*), CAST(sum(e.w) AS INT64)");
        ASSERT_TRUE(r->isSuccess()) << r->getErrorMessage();
        auto row = r->getNext();
        int64_t count = 0, sum = 0;
        for (int64_t i = 0; i < n; ++i) {
            const auto it = changed.find(i);
            for (const auto& [t, w] : it != changed.end() ? it->second : expected_of(i)) {
                ++count;
                sum += w;
            }
        }
        EXPECT_EQ(row->getValue(0)->getValue<int64_t>(), count);
        EXPECT_EQ(row->getValue(1)->getValue<int64_t>(), sum);
    };
    check_all({});
    // Node 4 (none before) gains one; node 65539 (three) loses the one of weight 655391.
    ok("MATCH (a:A {id: 4}), (b:B {id: 9}) CREATE (a)-[:R {w: 77}]->(b)");
    ok("MATCH (a:A {id: 65539})-[e:R]->(:B) WHERE e.w = 655391 DELETE e");
    std::map<int64_t, Edges> changed{{4, {{9, 77}}}, {65539, expected_of(65539)}};
    changed[65539].erase({(65539 + 1) % 10, 655391});
    check_all(changed);
    ok("CHECKPOINT");
    check_all(changed);
}

namespace {
int64_t count_rows(kuzu::main::Connection& conn, const std::string& q) {
    auto r = conn.query(q);
    EXPECT_TRUE(r->isSuccess()) << q << ": " << r->getErrorMessage();
    if (!r->isSuccess() || !r->hasNext()) return -1;
    return r->getNext()->getValue(0)->getValue<int64_t>();
}
}  // namespace

// third_party/kuzu patch 0006: the checkpoint of a relationship node group decided whether any
// relationship was left by counting only the 1,024-node regions that had changed. Deleting
// every relationship of one region (a store's rolled-back load) then freed the whole group,
// and with it the relationships of every other node of its 131,072: lost without an error.
TEST(KuzuEngine, ACheckpointAfterDeletesKeepsTheRelationshipsOfTheRestOfTheNodeGroup) {
    TempDir tmp;
    constexpr int64_t n = 4096;  // four 1,024-node regions of one node group
    const std::string nodes = tmp.file("n.csv"), rels = tmp.file("r.csv");
    {
        std::ofstream a(nodes), r(rels);
        for (int64_t i = 0; i < n; ++i) a << i << '\n';
        // Every node has one relationship, to the next node.
        for (int64_t i = 0; i < n; ++i) r << i << ',' << (i + 1) % n << '\n';
    }
    const std::string path = tmp.file("rels.kz");
    {
        kuzu::main::Database db(path, small_kuzu_config());
        kuzu::main::Connection conn(&db);
        expect_ok(conn, "CREATE NODE TABLE N(id INT64 PRIMARY KEY)");
        expect_ok(conn, "CREATE REL TABLE R(FROM N TO N)");
        expect_ok(conn, "COPY N FROM '" + nodes + "' (HEADER=false)");
        expect_ok(conn, "COPY R FROM '" + rels + "' (HEADER=false)");
        expect_ok(conn, "CHECKPOINT");
        // The relationships of the nodes of the third region, all of them.
        expect_ok(conn, "MATCH (a:N)-[r:R]->() WHERE a.id >= 2048 AND a.id < 3072 DELETE r");
        expect_ok(conn, "CHECKPOINT");
        EXPECT_EQ(count_rows(conn, "MATCH ()-[r:R]->() RETURN count(*)"), n - 1024);
        // One relationship of a node in another region is still there, with its end.
        EXPECT_EQ(count_rows(conn, "MATCH (a:N {id: 5})-[:R]->(b:N) RETURN b.id"), 6);
        // Every node of the first region (untouched) and none of the third.
        EXPECT_EQ(count_rows(conn, "MATCH (a:N)-[:R]->() WHERE a.id < 1024 RETURN count(*)"), 1024);
        EXPECT_EQ(count_rows(conn,
                             "MATCH (a:N)-[:R]->() WHERE a.id >= 2048 AND a.id < 3072 "
                             "RETURN count(*)"),
                  0);
    }
    // And the same after the database is closed and opened again (read from disk).
    kuzu::main::Database db(path, small_kuzu_config());
    kuzu::main::Connection conn(&db);
    EXPECT_EQ(count_rows(conn, "MATCH ()-[r:R]->() RETURN count(*)"), n - 1024);
}

// third_party/kuzu patch 0007: rolling back a COPY freed the pages it had written before the
// rollback read them to remove its keys from the primary-key index; that read cached the freed
// pages, and a later COPY that reused them was read back as the rolled-back rows. After a
// rolled-back COPY of more than one node group, a COPY of other rows must read back as
// exactly those rows, by scan and by key.
TEST(KuzuEngine, ARolledBackCopyLeavesNothingBehindForTheNextCopy) {
    TempDir tmp;
    constexpr int64_t n = 131072 + 20000;  // more than one node group: flushed during the COPY
    const std::string first = tmp.file("first.csv"), second = tmp.file("second.csv");
    {
        std::ofstream a(first), b(second);
        for (int64_t i = 0; i < n; ++i) a << "first" << i << ',' << i << '\n';
        for (int64_t i = 0; i < n; ++i) b << "second" << i << ',' << -i << '\n';
    }
    // Unpatched, the second COPY wrote on and on (71 GB before the disk was full): a database
    // capped at 4 GiB makes that a failed statement instead.
    auto config = small_kuzu_config();
    config.maxDBSize = uint64_t{1} << 32;
    kuzu::main::Database db(tmp.file("copy.kz"), config);
    kuzu::main::Connection conn(&db);
    expect_ok(conn, "CREATE NODE TABLE V(id STRING PRIMARY KEY, x INT64)");
    expect_ok(conn, "BEGIN TRANSACTION");
    expect_ok(conn, "COPY V FROM '" + first + "' (HEADER=false)");
    expect_ok(conn, "ROLLBACK");
    EXPECT_EQ(count_rows(conn, "MATCH (v:V) RETURN count(*)"), 0);
    expect_ok(conn, "COPY V FROM '" + second + "' (HEADER=false)");
    EXPECT_EQ(count_rows(conn, "MATCH (v:V) RETURN count(*)"), n);
    EXPECT_EQ(count_rows(conn, "MATCH (v:V) WHERE v.id STARTS WITH 'first' RETURN count(*)"), 0);
    EXPECT_EQ(count_rows(conn, "MATCH (v:V) WHERE v.x > 0 RETURN count(*)"), 0);
    EXPECT_EQ(count_rows(conn, "MATCH (v:V {id: 'second131000'}) RETURN v.x"), -131000);
    EXPECT_EQ(count_rows(conn, "MATCH (v:V {id: 'second7'}) RETURN v.x"), -7);
    // The keys of the rolled-back rows are free again.
    expect_ok(conn, "CREATE (:V {id: 'first7', x: 7})");
    EXPECT_EQ(count_rows(conn, "MATCH (v:V {id: 'first7'}) RETURN v.x"), 7);
}

}  // namespace
}  // namespace vcfagent::test
