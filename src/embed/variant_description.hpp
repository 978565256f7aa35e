#pragma once
// The text an LLM embedding model sees for a variant: one compact line with the facts a person
// would use to call two variants alike (class, gene, consequence, impact, location, alleles,
// frequency, clinical significance).
#include <string>

#include "vcf/variant.hpp"

namespace vcfagent::embed {

// e.g. "SNV missense_variant MODERATE in BRCA1 p.Arg1699Trp; chr17:43045712 G>A; rs80357000;
//       AF 0.0012; ClinVar Pathogenic; QUAL 50 PASS"
std::string describe_variant(const vcf::Variant& variant);

}  // namespace vcfagent::embed
