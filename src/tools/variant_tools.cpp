// The ready-made questions of `vcf-agent query` as tools: each handler calls GraphQueries, the
// one place their Cypher lives.
#include "index/variant_index.hpp"
#include "tools/catalogue_parts.hpp"
#include "tools/tool_args.hpp"

namespace vcfagent::tools {

namespace {

using nlohmann::json;

json string_property(const std::string& description) {
    return {{"type", "string"}, {"description", description}};
}

json sample_list_property(const std::string& description) {
    return {{"type", "array"},
            {"items", {{"type", "string"}}},
            {"uniqueItems", true},
            {"description", description}};
}

query::GraphQueries queries(ToolContext& context, const json& args) {
    return query::GraphQueries(context.graph(), read_limits(args, context));
}

Tool variants_in_region() {
    return {"variants_in_region",
            "Variants overlapping a genomic region (as bcftools view -r), in position order, "
            "with class, QUAL, FILTER, INFO/AF and the number of samples carrying each.",
            object_schema({}, {"region"}, true), [](const json& args, ToolContext& context) {
                auto f = variant_filter(args);
                // An open variant index that is the graph's whole answers without a statement
                // (filters by gene and impact are the graph's to apply).
                if (f.gene.empty() && f.impact.empty())
                    if (const auto* index = context.opened_index())
                        if (auto table = index->region_variants(
                                *f.region, f.vtype, read_limits(args, context).max_rows))
                            return table_result(*table);
                return table_result(queries(context, args).region_variants(*f.region, f));
            }};
}

Tool variants_in_gene() {
    return {"variants_in_gene",
            "Variants annotated in a gene (from the file's ANN/CSQ/BCSQ fields or a gene "
            "model given at ingest), with consequence, impact, HGVS and carrier count.",
            object_schema({}, {"gene"}, true), [](const json& args, ToolContext& context) {
                auto f = variant_filter(args);
                const std::string gene = f.gene;
                f.gene.clear();  // the gene is the query's own match, not an extra filter
                return table_result(queries(context, args).gene_variants(gene, f));
            }};
}

Tool sample_variants() {
    return {"sample_variants",
            "Non-reference variants a sample carries, with its genotype (GT), zygosity, DP and "
            "GQ. Use the filters to narrow by region, gene, impact or class.",
            object_schema({{"sample", string_property("Sample name as in the VCF header")}},
                          {"sample"}, true),
            [](const json& args, ToolContext& context) {
                const std::string sample = args["sample"];
                require_samples(context, {sample});
                return table_result(
                    queries(context, args).sample_variants(sample, variant_filter(args)));
            }};
}

Tool variant_carriers() {
    return {"variant_carriers",
            "Samples carrying a variant (non-reference genotype), with GT, zygosity, DP, GQ "
            "and phasing. The variant is a key 'chrom:pos:ref:alt' (after splitting "
            "multi-allelic records) or an rsID such as rs1234.",
            object_schema({{"variant", string_property("Variant key chrom:pos:ref:alt or rsID")},
                           {"limit", filter_properties()["limit"]}},
                          {"variant"}),
            [](const json& args, ToolContext& context) {
                return table_result(
                    queries(context, args).variant_carriers(args["variant"].get<std::string>()));
            }};
}

Tool shared_variants() {
    return {
        "shared_variants",
        "Variants that two samples both carry (each with a non-reference genotype), with "
        "both genotypes.",
        object_schema({{"sample_a", string_property("First sample")},
                       {"sample_b", string_property("Second sample")}},
                      {"sample_a", "sample_b"}, true),
        [](const json& args, ToolContext& context) {
            const std::string a = args["sample_a"], b = args["sample_b"];
            require_samples(context, {a, b});
            return table_result(queries(context, args).shared_variants(a, b, variant_filter(args)));
        }};
}

Tool genotype_filter() {
    json props = {
        {"het", sample_list_property("Samples that must be heterozygous")},
        {"hom_alt", sample_list_property("Samples that must be homozygous ALT (or hemizygous)")},
        {"hom_ref", sample_list_property("Samples that must be hom-ref (a called REF/REF "
                                         "genotype; a missing call is not hom-ref)")},
        {"carrier", sample_list_property("Samples that must carry the ALT (any zygosity)")},
        {"non_carrier", sample_list_property("Same as hom_ref")},
        {"min_carriers",
         {{"type", "integer"},
          {"minimum", 0},
          {"description", "At least this many samples carry the variant"}}},
        {"groups",
         {{"type", "array"},
          {"items",
           {{"type", "string"},
            {"pattern", "^(all|any|none|[0-9]+):(het|hom_alt|hom_ref|carrier|missing):.+$"}}},
          {"description",
           "Conditions on groups of samples, QUANTIFIER:GENOTYPE:SAMPLES: 'all:het:A,B', "
           "'any:carrier:A,B', 'none:hom_alt:C,D', '2:carrier:A,B,C' (at least 2 of them)"}}},
        {"min_dp",
         {{"type", "integer"},
          {"minimum", 0},
          {"description", "Calls the conditions name need FORMAT/DP >= this"}}},
        {"min_gq",
         {{"type", "integer"},
          {"minimum", 0},
          {"description", "Calls the conditions name need FORMAT/GQ >= this"}}},
    };
    json schema = object_schema(std::move(props), {}, true);
    schema["anyOf"] = json::array();
    for (const char* k :
         {"het", "hom_alt", "hom_ref", "carrier", "non_carrier", "min_carriers", "groups"})
        schema["anyOf"].push_back({{"required", {k}}});
    return {"genotype_filter",
            "GEMINI-style genotype filter: variants where every listed sample has the given "
            "genotype class (e.g. het in A, hom_ref in B), optionally carried by at least "
            "min_carriers samples. All conditions must hold.",
            std::move(schema), [](const json& args, ToolContext& context) {
                query::GenotypeFilter g;
                g.het = string_list(args, "het");
                g.hom_alt = string_list(args, "hom_alt");
                g.hom_ref = string_list(args, "hom_ref");
                g.carrier = string_list(args, "carrier");
                g.non_carrier = string_list(args, "non_carrier");
                g.min_carriers = args.value("min_carriers", int64_t{0});
                g.min_dp = args.value("min_dp", -1);
                g.min_gq = args.value("min_gq", -1);
                std::vector<std::string> all;
                for (const auto& text : string_list(args, "groups")) {
                    try {
                        g.groups.push_back(query::parse_genotype_group(text));
                    } catch (const std::invalid_argument& e) {
                        throw ToolError(std::string("groups: ") + e.what());
                    }
                    all.insert(all.end(), g.groups.back().samples.begin(),
                               g.groups.back().samples.end());
                }
                for (auto* list : {&g.het, &g.hom_alt, &g.hom_ref, &g.carrier, &g.non_carrier})
                    all.insert(all.end(), list->begin(), list->end());
                require_samples(context, all);
                const auto f = variant_filter(args);
                // An open variant index that is the graph's whole answers from its call columns
                // (thresholds on DP/GQ, and filters by gene and impact, are the graph's to apply).
                if (f.gene.empty() && f.impact.empty() && g.min_dp < 0 && g.min_gq < 0)
                    if (const auto* index = context.opened_index())
                        if (auto table = index->genotype_filter(
                                query::genotype_calls(*context.graph().sample_catalogue(), g),
                                f.region, f.vtype, read_limits(args, context).max_rows))
                            return table_result(*table);
                return table_result(queries(context, args).genotype_filter(g, f));
            }};
}

}  // namespace

std::vector<Tool> variant_tools() {
    return {variants_in_region(), variants_in_gene(), sample_variants(),
            variant_carriers(),   shared_variants(),  genotype_filter()};
}

}  // namespace vcfagent::tools
