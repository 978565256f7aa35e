#pragma once
// A thread-safe LRU cache of embeddings keyed by variant key, bounded by bytes rather than
// entries because vector sizes differ by model (64 floats builtin, 3072 for large models).
#include <cstddef>
#include <cstdint>
#include <list>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/mutex.hpp"

namespace vcfagent::embed {

class EmbeddingCache {
  public:
    // budget_bytes == 0 disables the cache (every get misses, put stores nothing).
    explicit EmbeddingCache(size_t budget_bytes);
    EmbeddingCache(const EmbeddingCache&) = delete;
    EmbeddingCache& operator=(const EmbeddingCache&) = delete;

    // Copies the vector into out and marks the entry most recently used. A stored vector of
    // another size counts as a miss.
    bool get(std::string_view key, std::span<float> out);
    // Inserts or replaces, then evicts least recently used entries until within budget. An
    // entry larger than the whole budget is not stored.
    void put(std::string_view key, std::span<const float> vector);
    void clear();

    // What one entry costs against the budget: key and vector bytes plus bookkeeping.
    static size_t entry_bytes(size_t key_size, size_t dimension);

    uint64_t hits() const;
    uint64_t misses() const;
    size_t size() const;
    size_t bytes() const;
    size_t budget() const { return budget_; }

  private:
    struct Entry {
        std::string key;
        std::vector<float> vector;
    };
    void evict_locked() REQUIRES(mutex_);

    const size_t budget_;
    mutable Mutex mutex_;  // guards the entries, their byte count and the hit/miss counters
    std::list<Entry> lru_ GUARDED_BY(mutex_);  // front = most recently used
    // Keys view into the list nodes, which never move.
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index_ GUARDED_BY(mutex_);
    size_t bytes_ GUARDED_BY(mutex_) = 0;
    uint64_t hits_ GUARDED_BY(mutex_) = 0, misses_ GUARDED_BY(mutex_) = 0;
};

}  // namespace vcfagent::embed
