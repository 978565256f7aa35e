#include "cli/genotype_filter_options.hpp"

#include "common/error.hpp"

namespace vcfagent::cli {

bool GenotypeFilterArgs::given() const {
    const auto& g = filter;
    return !g.het.empty() || !g.hom_alt.empty() || !g.hom_ref.empty() || !g.carrier.empty() ||
           !g.non_carrier.empty() || !groups.empty() || g.min_carriers > 0 || g.min_dp >= 0 ||
           g.min_gq >= 0;
}

query::GenotypeFilter GenotypeFilterArgs::resolve() const {
    query::GenotypeFilter g = filter;
    for (const auto& text : groups) {
        try {
            g.groups.push_back(query::parse_genotype_group(text));
        } catch (const std::invalid_argument& e) {
            throw InputError("--group", 0, e.what(), kExitUsage);
        }
    }
    return g;
}

void add_genotype_filter_options(CLI::App& c, GenotypeFilterArgs& a) {
    c.add_option("--het", a.filter.het, "Samples that must be heterozygous")->delimiter(',');
    c.add_option("--hom-alt", a.filter.hom_alt,
                 "Samples that must be homozygous ALT (or hemizygous)")
        ->delimiter(',');
    c.add_option("--hom-ref", a.filter.hom_ref, "Samples that must be hom-ref (called REF/REF)")
        ->delimiter(',');
    c.add_option("--carrier", a.filter.carrier, "Samples that must carry the ALT (any zygosity)")
        ->delimiter(',');
    c.add_option("--non-carrier", a.filter.non_carrier, "Same as --hom-ref")->delimiter(',');
    c.add_option("--min-carriers", a.filter.min_carriers, "At least this many carriers");
    c.add_option("--group", a.groups,
                 "QUANTIFIER:GENOTYPE:SAMPLES, e.g. all:het:A,B  none:carrier:C,D  "
                 "2:carrier:A,B,C (at least 2); genotype het, hom_alt, hom_ref, carrier "
                 "or missing (repeatable)");
    c.add_option("--min-dp", a.filter.min_dp, "Calls the conditions name need FORMAT/DP >= this");
    c.add_option("--min-gq", a.filter.min_gq, "Calls the conditions name need FORMAT/GQ >= this");
}

}  // namespace vcfagent::cli
