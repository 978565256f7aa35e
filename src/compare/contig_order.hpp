#pragma once
// The contig order two position-sorted inputs are merged in: the contigs of A's header, then
// those of B's header that A lacks, then any other contig in the order it is first seen. A
// merge of two streams is only possible when both follow one order; SortedSiteStream checks it.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vcfagent::compare {

class ContigOrder {
  public:
    ContigOrder() = default;
    // Appends the contigs of `names` not yet known, keeping their order.
    void add(const std::vector<std::string>& names);
    // The rank of `name`; a contig never seen before is appended (ranks only grow).
    size_t rank(std::string_view name);
    const std::vector<std::string>& names() const { return names_; }

  private:
    std::vector<std::string> names_;
    std::unordered_map<std::string, size_t> ranks_;
};

}  // namespace vcfagent::compare
