#include "store/reader_pool.hpp"

#include <kuzu.hpp>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "common/error.hpp"

namespace vcfagent::store {

namespace kz = kuzu::main;

namespace {
// Statements one connection keeps prepared. Statements with literals written into them (region
// bounds) are seldom asked twice; the least recently used goes first, so the look-ups that
// recur stay.
constexpr size_t kPreparedPerConnection = 64;
}  // namespace

struct ReaderPool::Reader {
    explicit Reader(kz::Database& db) : connection(&db) {}
    kz::Connection connection;
    struct Prepared {
        std::unique_ptr<kz::PreparedStatement> statement;
        uint64_t last_use = 0;
    };
    std::unordered_map<std::string, Prepared> prepared;
    uint64_t uses = 0;  // a clock for last_use
};

ReaderPool::ReaderPool(kz::Database& db, size_t max_idle) : db_(db), max_idle_(max_idle) {}

ReaderPool::~ReaderPool() = default;

ReaderPool::Lease ReaderPool::lease() {
    std::unique_ptr<Reader> reader;
    {
        MutexLock lock(mutex_);
        if (!idle_.empty()) {
            reader = std::move(idle_.back());
            idle_.pop_back();
        }
    }
    if (!reader) reader = std::make_unique<Reader>(db_);
    return Lease(*this, std::move(reader));
}

void ReaderPool::give_back(std::unique_ptr<Reader> reader) {
    MutexLock lock(mutex_);
    if (idle_.size() < max_idle_) idle_.push_back(std::move(reader));
}

ReaderPool::Lease::Lease(ReaderPool& pool, std::unique_ptr<Reader> reader)
    : pool_(pool), reader_(std::move(reader)) {}

ReaderPool::Lease::~Lease() {
    // A statement time limit belongs to the statement that set it.
    reader_->connection.setQueryTimeOut(0);
    pool_.give_back(std::move(reader_));
}

kz::Connection& ReaderPool::Lease::connection() {
    return reader_->connection;
}

kz::PreparedStatement& ReaderPool::Lease::prepared(const std::string& cypher) {
    Reader& r = *reader_;
    ++r.uses;
    if (auto it = r.prepared.find(cypher); it != r.prepared.end()) {
        it->second.last_use = r.uses;
        return *it->second.statement;
    }
    auto statement = r.connection.prepare(cypher);
    if (!statement->isSuccess()) throw StoreError("graph store: " + statement->getErrorMessage());
    if (r.prepared.size() >= kPreparedPerConnection) {
        auto oldest = std::min_element(r.prepared.begin(), r.prepared.end(), [](auto& a, auto& b) {
            return a.second.last_use < b.second.last_use;
        });
        r.prepared.erase(oldest);
    }
    auto& slot = r.prepared[cypher];
    slot.statement = std::move(statement);
    slot.last_use = r.uses;
    return *slot.statement;
}

}  // namespace vcfagent::store
