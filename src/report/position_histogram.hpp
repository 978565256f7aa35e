#pragma once
// Variants along one chromosome in a bounded number of equal-width bins. The width starts from
// the contig's declared length when the header has one and doubles (merging neighbouring bins)
// whenever a position lies beyond the last bin, so memory stays bounded for any input order
// and no length needs to be known in advance.
#include <cstdint>
#include <string>
#include <vector>

namespace vcfagent::report {

class PositionHistogram {
  public:
    // `length`: the contig's length from the header, 0 when unknown.
    PositionHistogram(std::string contig, int64_t length, size_t max_bins);

    void add(int64_t pos);  // 1-based position

    const std::string& contig() const { return contig_; }
    int64_t length() const { return length_; }
    int64_t bin_width() const { return width_; }
    // Bin i covers positions [1 + i * width, (i + 1) * width]; trailing empty bins are absent.
    const std::vector<uint64_t>& bins() const { return bins_; }
    uint64_t total() const { return total_; }
    int64_t max_position() const { return max_pos_; }

  private:
    std::string contig_;
    int64_t length_;
    size_t max_bins_;
    int64_t width_;
    std::vector<uint64_t> bins_;
    uint64_t total_ = 0;
    int64_t max_pos_ = 0;
};

}  // namespace vcfagent::report
