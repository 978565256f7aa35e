#pragma once
// Variant keys of the vector store, one per row: all key bytes in one buffer with an offset
// per row, plus an open-addressing hash table of row ids for key -> row lookups. No per-row
// heap objects, so a million keys cost about their text plus 24 bytes each.
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "store/vector_io.hpp"

namespace vcfagent::store {

class KeyTable {
  public:
    KeyTable();
    size_t size() const { return offsets_.size() - 1; }
    std::string_view key(int64_t row) const {
        return {blob_.data() + offsets_[row],
                static_cast<size_t>(offsets_[row + 1] - offsets_[row])};
    }
    // Appends a key as the next row. The same key may appear again after its earlier row was
    // deleted; find() skips rows the caller reports as dead.
    void append(std::string_view key);
    // The row holding `key` for which live(row) is true, or -1.
    int64_t find(std::string_view key, const std::function<bool(int64_t)>& live) const;
    // Keeps only rows whose keep[r] is true, preserving order, and rebuilds the hash table.
    void compact(const std::vector<uint8_t>& keep);
    void reserve(size_t rows, size_t bytes);

    void write_rows(HashingWriter& w, size_t begin, size_t end) const;
    void read_rows_append(FileReader& r, size_t rows);
    size_t memory_bytes() const;

  private:
    void insert_slot(int64_t row);
    void rehash();

    std::vector<char> blob_;
    std::vector<uint64_t> offsets_;  // size() + 1 entries; row r is [offsets_[r], offsets_[r+1])
    std::vector<int64_t> slots_;     // row ids, -1 = empty; capacity a power of two
};

}  // namespace vcfagent::store
