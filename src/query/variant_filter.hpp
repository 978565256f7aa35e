#pragma once
// Filters that narrow any question over variants (GraphQueries' ready-made queries, the variant
// index's lookups, exports): what each one means is written once, in GraphQueries::add_filter.
#include <cstddef>
#include <optional>
#include <string>

#include "vcf/region_list.hpp"

namespace vcfagent::query {

struct VariantFilter {
    std::optional<vcf::Region> region;
    std::string gene;      // variant has an InGene edge to this gene
    std::string impact;    // ...with this impact (HIGH/MODERATE/LOW/MODIFIER)
    std::string vtype;     // variant class name (SNV, DEL, ...)
    std::string ref, alt;  // exact alleles (as stored: split and trimmed)
    // INFO/AF range (inclusive); a variant without AF fails any bound, as in bcftools -i.
    std::optional<double> min_af, max_af;
    size_t limit = 0;  // 0 = no limit
};

}  // namespace vcfagent::query
