#include "tools/tool_args.hpp"

#include <set>

#include "tools/tool_registry.hpp"
#include "vcf/region_list.hpp"

namespace vcfagent::tools {

nlohmann::json filter_properties() {
    return {
        {"region",
         {{"type", "string"},
          {"description",
           "Only variants overlapping this region: 'chrom:begin-end' (1-based, inclusive) or "
           "a whole chromosome 'chrom'. Chromosome names as in the store (see store_overview)."}}},
        {"gene",
         {{"type", "string"},
          {"description",
           "Only variants annotated (ANN/CSQ/BCSQ or --genes) in this gene symbol"}}},
        {"impact",
         {{"type", "string"},
          {"enum", {"HIGH", "MODERATE", "LOW", "MODIFIER"}},
          {"description", "Only variants with this annotated impact"}}},
        {"variant_class",
         {{"type", "string"},
          {"enum", {"SNV", "MNV", "INS", "DEL", "COMPLEX", "SV", "BND", "SPANDEL", "NOALT"}},
          {"description", "Only variants of this class"}}},
        {"limit",
         {{"type", "integer"},
          {"minimum", 1},
          {"maximum", kHardMaxRows},
          {"description",
           "Rows to return (default 50). `total` always counts every matching row."}}},
    };
}

nlohmann::json data_file_property() {
    return {{"type", "string"},
            {"minLength", 1},
            {"description", "VCF/BCF file, relative to the data directory"}};
}

nlohmann::json loaded_file_property() {
    return {{"type", "string"},
            {"minLength", 1},
            {"description",
             "Only this loaded file (its file name, path or sha256 id, see store_overview)"}};
}

nlohmann::json object_schema(nlohmann::json properties, std::vector<std::string> required,
                             bool with_filter) {
    if (with_filter) {
        const nlohmann::json filter = filter_properties();  // outlives the loop over its items
        for (const auto& [k, v] : filter.items()) properties[k] = v;
    }
    nlohmann::json schema = {
        {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
    if (!required.empty()) schema["required"] = required;
    return schema;
}

vcf::Region parse_one_region(const std::string& text) {
    try {
        auto regions = vcf::parse_regions(text);
        if (regions.size() != 1) throw std::invalid_argument("give exactly one region");
        return regions.front();
    } catch (const std::invalid_argument& e) {
        throw ToolError("bad region '" + text + "': " + e.what() +
                        " (expected 'chrom:begin-end' or 'chrom')");
    }
}

query::VariantFilter variant_filter(const nlohmann::json& args) {
    query::VariantFilter f;
    if (args.contains("region")) f.region = parse_one_region(args["region"].get<std::string>());
    f.gene = args.value("gene", "");
    f.impact = args.value("impact", "");
    f.vtype = args.value("variant_class", "");
    return f;
}

store::ReadLimits read_limits(const nlohmann::json& args, const ToolContext& context) {
    store::ReadLimits limits;
    limits.max_rows = context.row_cap(args.value("limit", size_t{0}));
    limits.timeout = context.limits().statement_timeout;
    return limits;
}

nlohmann::json table_result(const query::ResultTable& table) {
    return {{"columns", table.columns},
            {"rows", table.to_json()},
            {"total", table.total},
            {"truncated", table.truncated()}};
}

void require_samples(ToolContext& context, const std::vector<std::string>& samples) {
    if (samples.empty()) return;
    const auto catalogue = context.graph().sample_catalogue();
    std::string missing;
    for (const auto& s : samples)
        if (!catalogue->has(s)) missing += (missing.empty() ? "" : ", ") + s;
    if (!missing.empty())
        throw ToolError("the store has no sample named " + missing +
                        " (sample names are case-sensitive; store_overview lists them)");
}

std::vector<std::string> string_list(const nlohmann::json& args, const char* name) {
    if (!args.contains(name)) return {};
    return args[name].get<std::vector<std::string>>();
}

exporting::StoredSelection stored_selection(const nlohmann::json& args, ToolContext& context) {
    exporting::StoredSelection selection;
    selection.variants = variant_filter(args);
    selection.samples = string_list(args, "samples");
    require_samples(context, selection.samples);
    selection.source = args.value("source", "");
    return selection;
}

}  // namespace vcfagent::tools
