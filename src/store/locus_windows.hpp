#pragma once
// Walks a store's variants in position windows, contig by contig in rank order: the one way
// bulk readers (export, family analysis) bound their memory. Each window's bounds are written
// into the statement as literal `v.locus` bounds, because Kuzu prunes node groups by zone maps
// on literals but not on parameters; the width adapts to the variant density so a window holds
// about `target_rows` rows, whatever the number of samples behind each row.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "store/graph_store.hpp"
#include "vcf/region_list.hpp"

namespace vcfagent::store {

class LocusWindows {
  public:
    // Rows a window aims at when a result row takes about `bytes_per_row`: enough rows to
    // amortise a statement (and Kuzu's reading of whole node groups), few enough that a
    // window's result stays within a fixed budget.
    static size_t target_rows(size_t bytes_per_row);

    // Every contig, or only `region`'s, from the first position a variant overlapping it can
    // start (the contig's longest variant before region.beg) to region.end.
    LocusWindows(GraphStore& graph, size_t target_rows,
                 const std::optional<vcf::Region>& region = std::nullopt);

    // The next window as a condition on `v.locus`, or nullopt after the last.
    std::optional<std::string> next();
    // Rows the window next() returned last held: steers the next width.
    void observe(size_t rows);

    // Contigs of the store that variants were loaded on, in rank (load) order.
    const std::vector<std::string>& contigs() const { return contigs_; }
    // The contig of the window next() returned last.
    const std::string& chrom() const { return contigs_[contig_i_]; }

  private:
    GraphStore& graph_;
    size_t target_rows_;
    bool one_contig_ = false;
    std::vector<std::string> contigs_;
    std::vector<int64_t> ranks_;
    size_t contig_i_ = 0;
    int64_t beg_ = 1;                   // next window's first position
    int64_t width_ = int64_t{1} << 20;  // next window's width in bases
    int64_t contig_last_ = -1;          // last position to read on contig_i_; -1: not read yet
    int64_t region_end_ = std::numeric_limits<int64_t>::max();
};

}  // namespace vcfagent::store
