#include "embed/embedding_cache.hpp"

#include <algorithm>

namespace vcfagent::embed {

EmbeddingCache::EmbeddingCache(size_t budget_bytes) : budget_(budget_bytes) {}

size_t EmbeddingCache::entry_bytes(size_t key_size, size_t dimension) {
    // List node (entry + two links), hash node (view + iterator + next + cached hash) and
    // one bucket pointer: a fair estimate of what the allocator hands out per entry.
    constexpr size_t kOverhead = sizeof(Entry) + 2 * sizeof(void*) + sizeof(std::string_view) +
                                 3 * sizeof(void*) + sizeof(size_t);
    const size_t key_heap = key_size > 15 ? key_size + 1 : 0;  // beyond the SSO buffer
    return kOverhead + key_heap + dimension * sizeof(float);
}

bool EmbeddingCache::get(std::string_view key, std::span<float> out) {
    MutexLock lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end() || it->second->vector.size() != out.size()) {
        ++misses_;
        return false;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    std::copy(it->second->vector.begin(), it->second->vector.end(), out.begin());
    ++hits_;
    return true;
}

void EmbeddingCache::put(std::string_view key, std::span<const float> vector) {
    const size_t cost = entry_bytes(key.size(), vector.size());
    if (cost > budget_) return;
    MutexLock lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end()) {
        Entry& e = *it->second;
        bytes_ -= entry_bytes(e.key.size(), e.vector.size());
        e.vector.assign(vector.begin(), vector.end());
        lru_.splice(lru_.begin(), lru_, it->second);
    } else {
        lru_.push_front(Entry{std::string(key), std::vector<float>(vector.begin(), vector.end())});
        index_.emplace(lru_.front().key, lru_.begin());
    }
    bytes_ += cost;
    evict_locked();
}

void EmbeddingCache::evict_locked() {
    while (bytes_ > budget_ && !lru_.empty()) {
        Entry& last = lru_.back();
        bytes_ -= entry_bytes(last.key.size(), last.vector.size());
        index_.erase(last.key);
        lru_.pop_back();
    }
}

void EmbeddingCache::clear() {
    MutexLock lock(mutex_);
    index_.clear();
    lru_.clear();
    bytes_ = 0;
}

uint64_t EmbeddingCache::hits() const {
    MutexLock lock(mutex_);
    return hits_;
}
uint64_t EmbeddingCache::misses() const {
    MutexLock lock(mutex_);
    return misses_;
}
size_t EmbeddingCache::size() const {
    MutexLock lock(mutex_);
    return lru_.size();
}
size_t EmbeddingCache::bytes() const {
    MutexLock lock(mutex_);
    return bytes_;
}

}  // namespace vcfagent::embed
