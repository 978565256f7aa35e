// "Variants like this one": nearest neighbours in the variant index, filters applied inside
// the search.
#include <cmath>

#include "index/variant_index.hpp"
#include "tools/catalogue_parts.hpp"
#include "tools/tool_args.hpp"
#include "vcf/region_list.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::tools {

namespace {

using nlohmann::json;

json string_array(const std::string& description) {
    return {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", description}};
}

index::VectorFilter vector_filter(const json& args) {
    index::VectorFilter f;
    f.chroms = string_list(args, "chroms");
    if (args.contains("region")) f.regions.push_back(parse_one_region(args["region"]));
    for (const auto& c : string_list(args, "classes")) {
        vcf::VariantClass vc;
        if (!vcf::parse_variant_class(c, vc)) throw ToolError("unknown variant class " + c);
        f.classes.push_back(vc);
    }
    f.genes = string_list(args, "genes");
    for (const auto& i : string_list(args, "impacts")) {
        index::Impact impact;
        if (!index::parse_impact(i, impact)) throw ToolError("unknown impact " + i);
        f.impacts.push_back(impact);
    }
    if (args.contains("min_af")) f.min_af = args["min_af"].get<float>();
    if (args.contains("max_af")) f.max_af = args["max_af"].get<float>();
    return f;
}

Tool similar_variants() {
    json classes = string_array("Only these variant classes");
    classes["items"]["enum"] = {"SNV", "MNV", "INS",     "DEL",  "COMPLEX",
                                "SV",  "BND", "SPANDEL", "NOALT"};
    json impacts = string_array("Only these worst impacts");
    impacts["items"]["enum"] = {"HIGH", "MODERATE", "LOW", "MODIFIER", "NONE"};
    json props = {
        {"variant",
         {{"type", "string"}, {"description", "Key chrom:pos:ref:alt of a stored variant"}}},
        {"k",
         {{"type", "integer"},
          {"minimum", 1},
          {"maximum", 100},
          {"description", "Neighbours (default 10)"}}},
        {"chroms", string_array("Only these chromosomes")},
        {"region", filter_properties()["region"]},
        {"classes", classes},
        {"genes", string_array("Only variants in one of these genes (as variants_in_gene)")},
        {"impacts", impacts},
        {"min_af", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
        {"max_af", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
    };
    return {
        "similar_variants",
        "Variants most similar to a stored variant in the embedding space (class, length "
        "change, sequence context, position, consequence, gene, allele frequency, "
        "quality), nearest first, with Euclidean distance. Filters apply inside the search, "
        "so k results come back whenever k variants match.",
        object_schema(std::move(props), {"variant"}), [](const json& args, ToolContext& context) {
            auto& vectors = context.variant_index();
            const std::string key = vcf::canonical_variant_key(args["variant"].get<std::string>());
            auto query = vectors.vector_of(key);
            if (!query)
                throw ToolError("variant " + key +
                                " is not in the store (keys are chrom:pos:ref:alt "
                                "after splitting and trimming; variant_carriers or "
                                "variants_in_region find the exact key)");
            const int k = args.value("k", 10);
            const auto hits = vectors.search(*query, k, vector_filter(args));
            query::ResultTable table;
            table.columns = {"rank",  "key",  "distance", "chrom", "pos",
                             "class", "gene", "impact",   "af"};
            for (size_t i = 0; i < hits.size(); ++i) {
                const auto& h = hits[i];
                const auto& at = h.attributes;
                table.rows.push_back({static_cast<int64_t>(i + 1), h.key, h.distance, at.chrom,
                                      at.pos, std::string(vcf::to_string(at.vclass)),
                                      at.gene.empty() ? json(nullptr) : json(at.gene),
                                      std::string(index::to_string(at.impact)),
                                      std::isnan(at.af) ? json(nullptr) : json(at.af)});
            }
            table.total = table.rows.size();
            return table_result(table);
        }};
}

}  // namespace

std::vector<Tool> search_tools() {
    return {similar_variants()};
}

}  // namespace vcfagent::tools
