#include "compare/contig_order.hpp"

namespace vcfagent::compare {

void ContigOrder::add(const std::vector<std::string>& names) {
    for (const auto& n : names) rank(n);
}

size_t ContigOrder::rank(std::string_view name) {
    auto it = ranks_.find(std::string(name));
    if (it != ranks_.end()) return it->second;
    names_.emplace_back(name);
    ranks_.emplace(names_.back(), names_.size() - 1);
    return names_.size() - 1;
}

}  // namespace vcfagent::compare
