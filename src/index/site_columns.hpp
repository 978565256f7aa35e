#pragma once
// The columns of a Variant row that a region lookup returns beside the variant index's
// attribute columns and keys (alleles, ID, QUAL, FILTER, INFO/AF as stored, END, the record's
// POS, the carriers count), and each contig's rows in position order: with them the variant
// index answers `variants_in_region` as the graph does, without a statement. Row r is the
// variant index's row r.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "index/index_io.hpp"
#include "index/spill_file.hpp"
#include "index/stored_variants.hpp"
#include "index/text_column.hpp"
#include "index/variant_attributes.hpp"

namespace vcfagent::index {

class SiteColumns {
  public:
    void append(const StoredVariant& sv);
    size_t size() const { return rsid_.ends.size(); }
    void reserve(size_t rows);

    std::string_view ref(size_t r) const { return ref_.at(r); }
    std::string_view alt(size_t r) const { return alt_.at(r); }
    std::string_view rsid(size_t r) const { return rsid_.at(r); }
    std::string_view filter(size_t r) const { return filters_.name(filter_[r]); }
    double qual(size_t r) const { return qual_[r]; }  // NaN: NULL
    double af(size_t r) const { return af_[r]; }      // NaN: NULL
    // END and the record's POS from the row's position (`pos`, the attribute column).
    int64_t end_pos(size_t r, int64_t pos) const { return pos + span_[r]; }
    int64_t record_pos(size_t r, int64_t pos) const { return pos - trimmed_[r]; }
    int64_t carriers(size_t r) const { return carriers_[r]; }
    void set_carriers(size_t r, int64_t n);

    // Each contig's rows in order (position, then key, as the graph's `ORDER BY v.locus, v.id`
    // within a contig), and the longest END - POS among them (how far before a region a row
    // overlapping it can start), for the first `rows` rows.
    struct Order {
        std::vector<std::vector<uint32_t>> by_chrom;  // by contig code
        std::vector<int64_t> max_span;
        size_t rows = 0;
    };
    // The order with the rows appended since the last set_order() put in (read-only: it may
    // be made under a shared lock). `attributes` and `key_of` give every row's contig,
    // position and key.
    Order next_order(const AttributeColumns& attributes,
                     const std::function<std::string_view(size_t)>& key_of) const;
    void set_order(Order order) { order_ = std::move(order); }
    // Every row is in its contig's order.
    bool ordered() const { return order_.rows == size(); }
    // The rows of contig code `chrom` whose record overlaps [beg, end] (as `bcftools view -r`:
    // POS <= end and END >= beg), in order, until `visit` returns false.
    void overlapping(const AttributeColumns& attributes, uint32_t chrom, int64_t beg, int64_t end,
                     const std::function<bool(size_t)>& visit) const;

    // While the rows wait for an index to take them (a load's fed rows, beside the load's own
    // memory): park() moves the fixed-width columns of the rows appended since the last call
    // to `spill`, keeping the text columns and the FILTER dictionary; unpark() brings every
    // parked row back (rows are read only while none is parked).
    void park(SpillFile& spill);
    void unpark(const SpillFile& spill);

    void write(HashingWriter& w) const;
    // Replaces the contents with what write() wrote for `rows` rows, unordered.
    void read(FileReader& r, uint64_t rows);
    size_t memory_bytes() const;

  private:
    // "" stands for NULL (Kuzu stores an empty CSV field as NULL, so a stored string is never
    // empty).
    TextColumn<uint32_t> ref_, alt_, rsid_;
    StringDictionary filters_;
    std::vector<uint32_t> filter_;
    std::vector<double> qual_, af_;
    // END - POS and POS - the record's POS (trimming only moves POS forward), and the carriers
    // count: 32 bits each (a contig and a sample count fit), checked on append.
    std::vector<int32_t> span_, trimmed_;
    std::vector<uint32_t> carriers_;
    Order order_;
    // Rows [0, parked_rows_) have their fixed-width columns in a spill, in chunks of these
    // sizes (see park()).
    size_t parked_rows_ = 0;
    std::vector<uint32_t> parked_chunks_;
};

}  // namespace vcfagent::index
