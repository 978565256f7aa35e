#include "cli/variant_filter_options.hpp"

#include "common/error.hpp"
#include "vcf/region_list.hpp"

namespace vcfagent::cli {

query::VariantFilter VariantFilterArgs::resolve() const {
    query::VariantFilter f = filter;
    if (!region.empty()) {
        try {
            auto regions = vcf::parse_regions(region);
            if (regions.size() != 1) throw std::invalid_argument("give exactly one region");
            f.region = regions.front();
        } catch (const std::invalid_argument& e) {
            throw InputError("-r " + region, 0, e.what(), kExitUsage);
        }
    }
    if (min_af_option && min_af_option->count()) f.min_af = min_af;
    if (max_af_option && max_af_option->count()) f.max_af = max_af;
    if (f.min_af && f.max_af && *f.min_af > *f.max_af)
        throw InputError("--min-af/--max-af", 0, "the AF range is empty (min above max)",
                         kExitUsage);
    return f;
}

void add_variant_filter_options(CLI::App& cmd, VariantFilterArgs& a) {
    cmd.add_option("-r,--region", a.region, "Only variants overlapping chr:beg-end");
    cmd.add_option("--gene", a.filter.gene, "Only variants annotated with this gene");
    cmd.add_option("--impact", a.filter.impact,
                   "Only variants with this impact (HIGH, MODERATE, LOW, MODIFIER)");
    cmd.add_option("--type", a.filter.vtype,
                   "Only this variant class (SNV, MNV, INS, DEL, COMPLEX, SV, BND, ...)");
    a.min_af_option = cmd.add_option("--min-af", a.min_af, "Only variants with INFO/AF >= x")
                          ->check(CLI::Range(0.0, 1.0));
    a.max_af_option = cmd.add_option("--max-af", a.max_af, "Only variants with INFO/AF <= y")
                          ->check(CLI::Range(0.0, 1.0));
    cmd.add_option("--limit", a.filter.limit, "At most this many rows");
}

}  // namespace vcfagent::cli
