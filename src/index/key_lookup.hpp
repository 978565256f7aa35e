#pragma once
// Row of a key among the variant index's rows, without a Kuzu statement: an open-addressing
// table of row numbers, each slot tagged with 32 bits of its key's hash so that a probe
// compares keys only on a tag match and growing never needs the keys again. A key's row is
// the first row appended with it (keys are unique among a store's variants).
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace vcfagent::index {

class KeyLookup {
  public:
    // Row `row` has `key`.
    void insert(std::string_view key, uint64_t row);
    // The row holding `key` (as `key_of(row)` returns rows' keys), or -1.
    int64_t find(std::string_view key,
                 const std::function<std::string_view(uint64_t)>& key_of) const;
    size_t size() const { return used_; }
    void clear();
    size_t memory_bytes() const { return slots_.capacity() * sizeof(uint64_t); }

  private:
    void grow();
    // 0: empty; otherwise (tag << 32) | (row + 1).
    std::vector<uint64_t> slots_;
    size_t used_ = 0;
};

}  // namespace vcfagent::index
