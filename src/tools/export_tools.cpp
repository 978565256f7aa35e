// The store's variants with the genotypes `export` restores: the same selection (variant
// filters, samples, source) and the same records as `vcf-agent export`, bounded like every
// tool result.
#include "common/text_join.hpp"
#include "export/stored_records.hpp"
#include "export/vcf_record_builder.hpp"
#include "tools/catalogue_parts.hpp"
#include "tools/tool_args.hpp"

#include <cmath>
#include <set>

namespace vcfagent::tools {

namespace {

using nlohmann::json;

// Samples one call may name: each adds a column to every row.
constexpr size_t kMaxSamples = 50;

Tool variant_genotypes() {
    json samples = {
        {"type", "array"},         {"items", {{"type", "string"}}},
        {"uniqueItems", true},     {"minItems", 1},
        {"maxItems", kMaxSamples}, {"description", "Samples whose genotypes each row shows"}};
    json source = {{"type", "string"},
                   {"description",
                    "Only the variants of this loaded file (its file name, path or sha256 id, "
                    "see store_overview)"}};
    return {"variant_genotypes",
            "Variants of the store with the genotype (GT as VCF text, e.g. 0/1, 1|0, ./.) of each "
            "named sample, in position order: what `vcf-agent export` writes for the same "
            "selection. Narrow by region, gene, impact, class, and a loaded file.",
            object_schema({{"samples", samples}, {"source", source}}, {"samples"}, true),
            [](const json& args, ToolContext& context) {
                exporting::StoredSelection selection;
                selection.variants = variant_filter(args);
                selection.samples = string_list(args, "samples");
                require_samples(context, selection.samples);
                selection.source = args.value("source", "");
                const size_t cap = read_limits(args, context).max_rows;
                selection.variants.limit = cap + 1;  // one more tells whether rows were left out
                exporting::StoredRecordReader reader(context.graph(), selection);
                exporting::VcfRecordBuilder builder(reader);
                json rows = json::array();
                exporting::StoredRecord rec;
                bool truncated = false;
                while (reader.next(rec)) {
                    if (rows.size() == cap) {
                        truncated = true;
                        break;
                    }
                    const auto gts = builder.genotype_texts(rec);
                    json genotypes = json::object();
                    for (size_t s = 0; s < gts.size(); ++s) genotypes[reader.samples()[s]] = gts[s];
                    std::set<std::string> genes;
                    for (const auto& a : rec.annotations)
                        if (!a.gene.empty()) genes.insert(a.gene);
                    rows.push_back({{"key", rec.key},
                                    {"chrom", rec.chrom},
                                    {"pos", rec.pos},
                                    {"ref", rec.ref},
                                    {"alt", rec.alt},
                                    {"id", rec.rsid},
                                    {"qual", std::isnan(rec.qual) ? json() : json(rec.qual)},
                                    {"filter", rec.filter},
                                    {"type", rec.vtype},
                                    {"af", rec.af ? json(*rec.af) : json()},
                                    {"genes", genes},
                                    {"genotypes", std::move(genotypes)}});
                }
                // `total` counts every match with the same conditions the reader applies.
                std::vector<std::string> where;
                store::QueryParams params;
                query::GraphQueries queries(context.graph());
                add_selection_conditions(queries, selection,
                                         selection.source.empty()
                                             ? std::nullopt
                                             : std::optional<int64_t>(exporting::resolve_source(
                                                   context.graph(), selection.source)),
                                         where, params);
                int64_t total = 0;
                context.graph().scan(
                    "MATCH (v:Variant)" +
                        (where.empty() ? std::string() : " WHERE " + join(where, " AND ")) +
                        " RETURN count(*)",
                    params, [&](const store::RowView& r) { total = r.integer(0); });
                return json{{"columns",
                             {"key", "chrom", "pos", "ref", "alt", "id", "qual", "filter", "type",
                              "af", "genes", "genotypes"}},
                            {"rows", std::move(rows)},
                            {"total", total},
                            {"truncated", truncated}};
            }};
}

}  // namespace

std::vector<Tool> export_tools() {
    return {variant_genotypes()};
}

}  // namespace vcfagent::tools
