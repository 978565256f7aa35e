#include "index/key_lookup.hpp"

#include <stdexcept>

namespace vcfagent::index {

namespace {

// 32 bits of a key's hash: kept in its slot, and where probing for it starts, so that growing
// re-places every entry from its slot alone.
uint32_t tag_of(std::string_view key) {
    const uint64_t h = std::hash<std::string_view>{}(key);
    return static_cast<uint32_t>(h ^ (h >> 32));
}

constexpr uint64_t kRowBits = 0xFFFFFFFFull;

}  // namespace

void KeyLookup::insert(std::string_view key, uint64_t row) {
    // Rows are kept in 32 bits, and a table of more than 2^32 slots could not be addressed by
    // a tag.
    if (row >= (kRowBits >> 1)) throw std::length_error("the variant index holds 2^31 - 1 rows");
    // At most three quarters full, so a probe ends at an empty slot after a few steps.
    if (4 * (used_ + 1) > 3 * slots_.size()) grow();
    const uint32_t tag = tag_of(key);
    const size_t mask = slots_.size() - 1;
    size_t at = tag & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = (static_cast<uint64_t>(tag) << 32) | (row + 1);
    ++used_;
}

int64_t KeyLookup::find(std::string_view key,
                        const std::function<std::string_view(uint64_t)>& key_of) const {
    if (slots_.empty()) return -1;
    const uint32_t tag = tag_of(key);
    const size_t mask = slots_.size() - 1;
    for (size_t at = tag & mask; slots_[at] != 0; at = (at + 1) & mask) {
        const uint64_t slot = slots_[at];
        if (static_cast<uint32_t>(slot >> 32) != tag) continue;
        const uint64_t row = (slot & kRowBits) - 1;
        if (key_of(row) == key) return static_cast<int64_t>(row);
    }
    return -1;
}

void KeyLookup::clear() {
    slots_.clear();
    slots_.shrink_to_fit();
    used_ = 0;
}

void KeyLookup::grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
    const size_t mask = slots_.size() - 1;
    for (const uint64_t slot : old) {
        if (slot == 0) continue;
        size_t at = static_cast<uint32_t>(slot >> 32) & mask;
        while (slots_[at] != 0) at = (at + 1) & mask;
        slots_[at] = slot;
    }
}

}  // namespace vcfagent::index
