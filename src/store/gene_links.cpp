#include "store/gene_links.hpp"

#include <string>
#include <unordered_set>

namespace vcfagent::store {

std::vector<const vcf::Annotation*> gene_links(const vcf::Variant& v) {
    std::vector<const vcf::Annotation*> links;
    std::unordered_set<std::string> linked;  // gene and feature
    for (const auto& a : v.annotations) {
        if (a.gene.empty()) continue;
        if (!linked.insert(a.gene + '\x1f' + a.feature).second) continue;
        links.push_back(&a);
    }
    return links;
}

}  // namespace vcfagent::store
