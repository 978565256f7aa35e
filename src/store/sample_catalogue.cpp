#include "store/sample_catalogue.hpp"

#include <algorithm>

#include "store/graph_store.hpp"

namespace vcfagent::store {

SampleCatalogue read_sample_catalogue(GraphStore& graph) {
    SampleCatalogue c;
    graph.scan("MATCH (s:Sample) RETURN s.id", {}, [&](const RowView& r) { c.columns[r.text(0)]; });
    graph.scan(
        "MATCH (s:Sample)-[m:SampleOf]->(src:Source) RETURN s.id, src.num, m.idx", {},
        [&](const RowView& r) { c.columns[r.text(0)].emplace_back(r.integer(1), r.integer(2)); });
    graph.scan("MATCH (s:Source) RETURN s.num", {},
               [&](const RowView& r) { c.sources.push_back(r.integer(0)); });
    std::sort(c.sources.begin(), c.sources.end());
    return c;
}

}  // namespace vcfagent::store
