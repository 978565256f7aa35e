#pragma once
// What the variant index keeps in memory for each row beside its vector: the filter columns a
// search evaluates, the key a hit is reported by (with a lookup from key to row, so a search
// "like" a stored variant finds its row without the graph), and the site columns a region
// lookup returns, and the genotype codes a genotype filter compares. Row r of all is the ANN
// index's row r.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "index/call_columns.hpp"
#include "index/key_lookup.hpp"
#include "index/site_columns.hpp"
#include "index/stored_variants.hpp"
#include "index/text_column.hpp"
#include "index/variant_attributes.hpp"

namespace vcfagent::index {

struct RowColumns {
    AttributeColumns attributes;
    TextColumn<uint64_t> keys;  // row r's key
    KeyLookup lookup;           // the rows' keys once index_keys() has run
    SiteColumns sites;          // what a region lookup returns besides; see order_sites()
    CallColumns calls;          // the call vectors' codes a genotype filter reads

    size_t size() const { return keys.size(); }
    std::string key(int64_t r) const { return std::string(key_view(r)); }
    std::string_view key_view(int64_t r) const { return keys.at(static_cast<size_t>(r)); }
    // The row with `key`, or -1.
    int64_t find(std::string_view key) const;
    // Appends one row.
    void append(const StoredVariant& sv);
    // Adds the rows appended (or read) since the last call to the lookup: rows that only wait
    // for an index (a load's fed rows) need none.
    void index_keys();
    // The site columns' order with the rows appended since it was set (SiteColumns::
    // next_order; read-only), and setting it.
    SiteColumns::Order next_site_order() const;
    void order_sites() { sites.set_order(next_site_order()); }
    // Bytes held, for memory bounds and statistics.
    size_t memory_bytes() const;
};

}  // namespace vcfagent::index
