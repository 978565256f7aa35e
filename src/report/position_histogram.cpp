#include "report/position_histogram.hpp"

#include <algorithm>

namespace vcfagent::report {

namespace {
// Without a declared length, start fine enough for a small region and double as needed.
constexpr int64_t kInitialWidth = 1000;
}  // namespace

PositionHistogram::PositionHistogram(std::string contig, int64_t length, size_t max_bins)
    : contig_(std::move(contig)), length_(length), max_bins_(std::max<size_t>(max_bins, 2)) {
    const auto bins = static_cast<int64_t>(max_bins_);
    width_ = length > 0 ? std::max<int64_t>(1, (length + bins - 1) / bins) : kInitialWidth;
}

void PositionHistogram::add(int64_t pos) {
    const int64_t p = std::max<int64_t>(pos, 1);
    auto bin = static_cast<size_t>((p - 1) / width_);
    while (bin >= max_bins_) {
        // Merge bins pairwise: bin j of the doubled width holds old bins 2j and 2j+1.
        std::vector<uint64_t> merged((bins_.size() + 1) / 2, 0);
        for (size_t i = 0; i < bins_.size(); ++i) merged[i / 2] += bins_[i];
        bins_ = std::move(merged);
        width_ *= 2;
        bin = static_cast<size_t>((p - 1) / width_);
    }
    if (bin >= bins_.size()) bins_.resize(bin + 1, 0);
    ++bins_[bin];
    ++total_;
    max_pos_ = std::max(max_pos_, p);
}

}  // namespace vcfagent::report
