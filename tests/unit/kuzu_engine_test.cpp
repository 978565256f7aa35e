// Proof that the real Kuzu engine is linked: a database in a temporary directory, a table,
// rows written and read back through the C++ API.
#include <gtest/gtest.h>

#include <kuzu.hpp>

#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

TEST(KuzuEngine, CreatesATableInsertsAndReadsBackRows) {
    TempDir tmp;
    // A small address-space reservation: the default 8 TiB does not fit beside
    // ThreadSanitizer's shadow memory (the store reserves less under TSan for the same reason).
    kuzu::main::SystemConfig config;
    config.maxDBSize = uint64_t{1} << 37;
    kuzu::main::Database db(tmp.file("engine.kz"), config);
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

}  // namespace
}  // namespace vcfagent::test
