#pragma once
// Which stored variants and samples an export (or a report or comparison of a store) reads,
// and the one translation of that choice into Cypher conditions on the variant `v`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "query/graph_queries.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::exporting {

struct StoredSelection {
    query::VariantFilter variants;  // region, gene, impact, class, AF; limit: records read
    // Samples whose calls are read, in this order; empty: every sample of the store (or of
    // `source`), ordered by source and column. `no_samples` reads none.
    std::vector<std::string> samples;
    bool no_samples = false;
    // A loaded file (its path as ingested, or its sha256 id): only its variants, and by
    // default only its samples.
    std::string source;
    // A GEMINI-style genotype filter (see GraphQueries::genotype_conditions); empty: none.
    std::optional<query::GenotypeFilter> genotypes;
};

// The Source.num of a loaded file named by its path as ingested, its file name or its sha256
// id; InputError when none or several match.
int64_t resolve_source(store::GraphStore& graph, const std::string& name);

// Appends to `where` (and `params`) the conditions a variant `v` must meet: the variant filter
// (GraphQueries::add_filter, limit ignored), the source, the genotype filter.
void add_selection_conditions(query::GraphQueries& queries, const StoredSelection& selection,
                              std::optional<int64_t> source_num, std::vector<std::string>& where);

}  // namespace vcfagent::exporting
