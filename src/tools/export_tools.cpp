// The store's variants with the genotypes `export` restores: the same selection (variant
// filters, samples, source) and the same records as `vcf-agent export`, bounded like every
// tool result.
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
    return {"variant_genotypes",
            "Variants of the store with the genotype (GT as VCF text, e.g. 0/1, 1|0, ./.) of each "
            "named sample, in position order: what `vcf-agent export` writes for the same "
            "selection. Narrow by region, gene, impact, class, and a loaded file.",
            object_schema({{"samples", samples}, {"source", loaded_file_property()}}, {"samples"},
                          true),
            [](const json& args, ToolContext& context) {
                exporting::StoredSelection selection = stored_selection(args, context);
                const size_t cap = read_limits(args, context).max_rows;
                selection.variants.limit = cap;
                exporting::StoredRecordReader reader(context.graph(), selection);
                exporting::VcfRecordBuilder builder(reader);
                json rows = json::array();
                exporting::StoredRecord rec;
                while (reader.next(rec)) {
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
                // `total` counts every match; the rows stop at the cap.
                const int64_t total = reader.count();
                const bool truncated = total > static_cast<int64_t>(rows.size());
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
