#pragma once
// What the variant index keeps in memory for each row beside its vector: the filter columns a
// search evaluates and the key a hit is reported by. Row r of both is the ANN index's row r.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "index/stored_variants.hpp"
#include "index/variant_attributes.hpp"

namespace vcfagent::index {

struct RowColumns {
    AttributeColumns attributes;
    std::string key_bytes;           // every key, concatenated
    std::vector<uint64_t> key_ends;  // end of row r's key in key_bytes

    size_t size() const { return key_ends.size(); }
    std::string key(int64_t r) const;
    // Appends one row.
    void append(const StoredVariant& sv);
    // Bytes held, for memory bounds and statistics.
    size_t memory_bytes() const;
};

}  // namespace vcfagent::index
