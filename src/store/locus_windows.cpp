#include "store/locus_windows.hpp"

#include <algorithm>

namespace vcfagent::store {

namespace {
constexpr size_t kWindowBytes = size_t{64} << 20;
constexpr size_t kWindowRowsMin = 512;
constexpr int64_t kWidthMax = int64_t{1} << 30;

std::string locus_condition(int64_t rank, int64_t beg, int64_t end) {
    return "v.locus >= " + std::to_string(GraphStore::locus_of(rank, beg)) +
           " AND v.locus <= " + std::to_string(GraphStore::locus_of(rank, end));
}
}  // namespace

size_t LocusWindows::target_rows(size_t bytes_per_row) {
    return std::max(kWindowRowsMin, kWindowBytes / std::max<size_t>(1, bytes_per_row));
}

LocusWindows::LocusWindows(GraphStore& graph, size_t target_rows,
                           const std::optional<vcf::Region>& region)
    : graph_(graph), target_rows_(std::max<size_t>(1, target_rows)) {
    graph_.scan("MATCH (c:Contig) RETURN c.name, c.rank ORDER BY c.rank", {},
                [&](const RowView& r) {
                    contigs_.push_back(r.text(0));
                    ranks_.push_back(r.integer(1));
                });
    if (region) {
        one_contig_ = true;
        const auto it = std::find(contigs_.begin(), contigs_.end(), region->chrom);
        contig_i_ =
            it == contigs_.end() ? contigs_.size() : static_cast<size_t>(it - contigs_.begin());
        beg_ = std::max<int64_t>(1, region->beg - graph_.max_variant_span(region->chrom));
        region_end_ = region->end;
    }
}

std::optional<std::string> LocusWindows::next() {
    while (contig_i_ < contigs_.size()) {
        const int64_t rank = ranks_[contig_i_];
        if (contig_last_ < 0) {
            graph_.scan(
                "MATCH (v:Variant) WHERE " + locus_condition(rank, 0, GraphStore::kLocusShift - 1) +
                    " RETURN max(v.pos)",
                {}, [&](const RowView& r) { contig_last_ = r.is_null(0) ? 0 : r.integer(0); });
            contig_last_ = std::min(contig_last_, region_end_);
        }
        if (beg_ > contig_last_) {
            // A region lies on one contig; otherwise go on with the next contig.
            contig_i_ = one_contig_ ? contigs_.size() : contig_i_ + 1;
            beg_ = 1;
            contig_last_ = -1;
            continue;
        }
        const int64_t beg = beg_;
        const int64_t end = std::min(contig_last_, beg + width_ - 1);
        beg_ = end + 1;
        return locus_condition(rank, beg, end);
    }
    return std::nullopt;
}

void LocusWindows::observe(size_t rows) {
    if (rows < target_rows_ / 8 && width_ < kWidthMax)
        width_ *= 2;
    else if (rows > target_rows_ && width_ > 1)
        width_ /= 2;
}

}  // namespace vcfagent::store
