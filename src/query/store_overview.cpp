#include "query/store_overview.hpp"

namespace vcfagent::query {

nlohmann::json store_overview(store::GraphStore& graph, size_t max_samples,
                              const store::ReadLimits& limits) {
    using nlohmann::json;
    store::ReadLimits all = limits;
    all.max_rows = std::numeric_limits<size_t>::max();
    json out;

    json sources = json::array();
    for (const auto& r : graph
                             .read("MATCH (s:Source) RETURN s.path, s.status, s.variants, s.edges, "
                                   "s.ingested_at, s.id ORDER BY s.num",
                                   {}, all)
                             .rows)
        sources.push_back({{"path", r[0]},
                           {"status", r[1]},
                           {"variants_added", r[2]},
                           {"genotype_calls_added", r[3]},
                           {"ingested_at", r[4]},
                           {"sha256", r[5]}});
    out["sources"] = sources;

    store::ReadLimits capped = limits;
    capped.max_rows = max_samples;
    const auto samples = graph.read("MATCH (s:Sample) RETURN s.id ORDER BY s.id", {}, capped);
    json names = json::array();
    for (const auto& r : samples.rows) names.push_back(r[0]);
    out["samples"] = names;
    out["sample_count"] = samples.total;

    json contigs = json::array();
    int64_t variants = 0;
    for (const auto& r : graph
                             .read("MATCH (v:Variant) RETURN v.chrom, count(*), min(v.pos), "
                                   "max(v.pos), min(v.locus) AS l ORDER BY l",
                                   {}, all)
                             .rows) {
        contigs.push_back(
            {{"chrom", r[0]}, {"variants", r[1]}, {"first_pos", r[2]}, {"last_pos", r[3]}});
        variants += r[1].get<int64_t>();
    }
    out["contigs"] = contigs;

    json tables = json::object();
    for (const auto& [name, n] : graph.table_counts()) tables[name] = n;
    out["tables"] = tables;

    json impacts = json::object();
    for (const auto& r : graph
                             .read("MATCH (:Variant)-[g:InGene]->(:Gene) RETURN "
                                   "g.impact, count(*) ORDER BY g.impact",
                                   {}, all)
                             .rows)
        impacts[r[0].is_null() ? "" : r[0].get<std::string>()] = r[1];
    out["impacts"] = impacts;
    out["genes"] = tables.value("Gene", int64_t{0});
    out["total"] = variants;
    out["truncated"] = samples.truncated();
    return out;
}

}  // namespace vcfagent::query
