// The store's reader connections: a statement is prepared once per connection and found again
// by its text, the least recently used goes when a connection holds too many, a statement Kuzu
// cannot prepare is an error that caches nothing, and leases held at once never share a
// connection.
#include <gtest/gtest.h>

#include <kuzu.hpp>

#include "common/error.hpp"
#include "store/reader_pool.hpp"
#include "support/small_kuzu_config.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {

namespace {

struct PoolFixture {
    PoolFixture() : db(tmp.file("pool.kz"), small_kuzu_config()) {
        kuzu::main::Connection conn(&db);
        conn.query("CREATE NODE TABLE P(id INT64 PRIMARY KEY)");
        conn.query("CREATE (:P {id: 1})");
    }
    TempDir tmp;
    kuzu::main::Database db;
};

std::string statement(int i) {
    return "MATCH (p:P) WHERE p.id <> " + std::to_string(i) + " RETURN p.id";
}

TEST(ReaderPool, ReusesAStatementPreparedOnTheSameConnection) {
    PoolFixture f;
    store::ReaderPool pool(f.db, 4);
    kuzu::main::PreparedStatement* first = nullptr;
    {
        auto lease = pool.lease();
        first = &lease.prepared(statement(0));
        EXPECT_EQ(&lease.prepared(statement(0)), first);
        auto r = lease.connection().executeWithParams(first, {});
        ASSERT_TRUE(r->isSuccess()) << r->getErrorMessage();
        EXPECT_EQ(r->getNumTuples(), 1u);
    }
    // The connection went back to the pool with its statements.
    auto again = pool.lease();
    EXPECT_EQ(&again.prepared(statement(0)), first);
}

TEST(ReaderPool, KeepsTheRecentlyUsedStatementsWhenFull) {
    PoolFixture f;
    store::ReaderPool pool(f.db, 1);
    auto lease = pool.lease();
    auto* kept = &lease.prepared(statement(0));
    for (int i = 1; i < 64; ++i) lease.prepared(statement(i));  // the cache is now full
    EXPECT_EQ(&lease.prepared(statement(0)), kept);             // used again: the newest
    lease.prepared(statement(64));  // evicts the least recently used, statement 1
    EXPECT_EQ(&lease.prepared(statement(0)), kept);
}

TEST(ReaderPool, AStatementKuzuRejectsThrowsAndTheConnectionStaysUsable) {
    PoolFixture f;
    store::ReaderPool pool(f.db, 2);
    auto lease = pool.lease();
    EXPECT_THROW(lease.prepared("MATCH (p:NoSuchTable) RETURN p"), StoreError);
    EXPECT_THROW(lease.prepared("MATCH (p:NoSuchTable) RETURN p"), StoreError);
    auto r = lease.connection().executeWithParams(&lease.prepared(statement(5)), {});
    ASSERT_TRUE(r->isSuccess()) << r->getErrorMessage();
    EXPECT_EQ(r->getNumTuples(), 1u);
}

TEST(ReaderPool, LeasesHeldAtOnceHaveConnectionsOfTheirOwn) {
    PoolFixture f;
    store::ReaderPool pool(f.db, 1);
    auto a = pool.lease();
    auto b = pool.lease();
    EXPECT_NE(&a.connection(), &b.connection());
    EXPECT_NE(&a.prepared(statement(0)), &b.prepared(statement(0)));
}

}  // namespace
}  // namespace vcfagent::test
