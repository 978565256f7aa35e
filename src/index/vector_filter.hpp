#pragma once
// Attribute filters of a similarity search and their evaluation into a row bitmap, which the
// ANN index consults through a FAISS IDSelector while it searches: the filter shapes the
// search itself instead of trimming a short top-k afterwards.
#include <faiss/impl/IDSelector.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "index/variant_attributes.hpp"
#include "vcf/region_list.hpp"
#include "vcf/variant.hpp"

namespace vcfagent::index {

// Fields combine with AND; the values listed within one field combine with OR. An empty
// field does not constrain.
struct VectorFilter {
    std::vector<std::string> chroms;         // exact contig names ("chr22" also matches "22")
    std::vector<vcf::Region> regions;        // 1-based inclusive on the variant's pos
    std::vector<vcf::VariantClass> classes;  // variant classes
    std::vector<std::string> genes;          // gene symbols, exact (any InGene gene)
    std::vector<Impact> impacts;             // worst impact
    std::optional<float> min_af, max_af;     // inclusive; rows without AF never match
    std::vector<uint32_t> sources;           // source numbers (Source.num)
    bool empty() const;
};

// One bit per row.
class RowBitmap {
  public:
    explicit RowBitmap(size_t rows = 0) : words_((rows + 63) / 64, 0), rows_(rows) {}
    size_t rows() const { return rows_; }
    void resize(size_t rows);
    bool test(int64_t r) const { return (words_[r >> 6] >> (r & 63)) & 1; }
    void set(int64_t r) { words_[r >> 6] |= uint64_t{1} << (r & 63); }
    void reset(int64_t r) { words_[r >> 6] &= ~(uint64_t{1} << (r & 63)); }
    // Set bits in rows [begin, end).
    size_t count(size_t begin, size_t end) const;
    size_t count() const { return count(0, rows_); }
    std::vector<uint64_t>& words() { return words_; }
    const std::vector<uint64_t>& words() const { return words_; }
    template <typename F>
    void for_each_set(size_t begin, size_t end, F&& f) const {
        for (size_t w = begin / 64; w < words_.size() && w * 64 < end; ++w) {
            uint64_t bits = words_[w];
            while (bits) {
                const size_t r = w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
                bits &= bits - 1;
                if (r >= begin && r < end) f(static_cast<int64_t>(r));
            }
        }
    }

  private:
    std::vector<uint64_t> words_;
    size_t rows_;
};

// Rows that satisfy `filter`.
RowBitmap select_rows(const AttributeColumns& columns, const VectorFilter& filter);

// FAISS view of a bitmap for an index whose local id 0 is row `offset` (the delta index
// numbers its rows from 0).
class BitmapSelector : public faiss::IDSelector {
  public:
    BitmapSelector(const RowBitmap& bits, int64_t offset) : bits_(bits), offset_(offset) {}
    bool is_member(idx_t id) const override { return bits_.test(id + offset_); }

  private:
    const RowBitmap& bits_;
    int64_t offset_;
};

}  // namespace vcfagent::index
