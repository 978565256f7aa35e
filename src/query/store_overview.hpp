#pragma once
// What a store holds, in one object: its sources, samples, contigs with their variant counts,
// node and edge counts per table, and which annotations are present. The `store_overview`
// tool returns it and the agent's system prompt is written from it.
#include <nlohmann/json.hpp>

#include "store/graph_store.hpp"

namespace vcfagent::query {

// {"sources": [...], "samples": [names, at most max_samples], "sample_count", "contigs":
//  [{chrom, variants, first_pos, last_pos}], "tables": {name: count}, "impacts": {impact: n},
//  "genes", "total" (variants), "truncated" (sample list cut)}.
nlohmann::json store_overview(store::GraphStore& graph, size_t max_samples,
                              const store::ReadLimits& limits);

}  // namespace vcfagent::query
