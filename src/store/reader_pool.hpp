#pragma once
// Kuzu connections for the product's own read statements, kept for reuse together with the
// statements each has prepared. Kuzu plans a statement (parse, bind, optimise) every time it is
// prepared, and for a primary-key look-up that planning is about half of the statement's CPU;
// a connection that keeps its prepared statements plans each distinct statement once.
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.hpp"

namespace kuzu::main {
class Connection;
class Database;
class PreparedStatement;
}  // namespace kuzu::main

namespace vcfagent::store {

class ReaderPool {
    struct Reader;

  public:
    // Keeps at most `max_idle` connections between uses; more may be lent at once (a lease
    // beyond that closes its connection when it ends).
    ReaderPool(kuzu::main::Database& db, size_t max_idle);
    ~ReaderPool();
    ReaderPool(const ReaderPool&) = delete;
    ReaderPool& operator=(const ReaderPool&) = delete;

    // One connection, for one thread, until the lease ends.
    class Lease {
      public:
        Lease(ReaderPool& pool, std::unique_ptr<Reader> reader);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        kuzu::main::Connection& connection();
        // `cypher` prepared on this connection: from its cache when it was prepared before.
        // Throws StoreError when Kuzu cannot prepare it (nothing is cached then).
        kuzu::main::PreparedStatement& prepared(const std::string& cypher);

      private:
        ReaderPool& pool_;
        std::unique_ptr<Reader> reader_;
    };
    Lease lease();

  private:
    void give_back(std::unique_ptr<Reader> reader);

    kuzu::main::Database& db_;
    const size_t max_idle_;
    Mutex mutex_;
    std::vector<std::unique_ptr<Reader>> idle_ GUARDED_BY(mutex_);
};

}  // namespace vcfagent::store
