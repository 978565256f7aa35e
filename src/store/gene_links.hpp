#pragma once
// Which annotations of a variant become its InGene edges: the one rule the batch writer stages
// them by and that the variant index's rows, made from a load's variants, follow.
#include <vector>

#include "vcf/variant.hpp"

namespace vcfagent::store {

// The annotations that name a gene, the first one per (gene, feature), in the variant's order
// (the order the variant's InGene edges are read back in).
std::vector<const vcf::Annotation*> gene_links(const vcf::Variant& v);

}  // namespace vcfagent::store
