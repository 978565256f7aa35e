// Read-only Cypher for questions the ready-made tools do not cover.
#include "tools/catalogue_parts.hpp"
#include "tools/tool_args.hpp"

namespace vcfagent::tools {

namespace {

using nlohmann::json;

// The schema as the model needs it to write queries; kept beside the tool that needs it.
const char* const kCypherDescription =
    "Run one read-only Cypher query (Kuzu dialect) on the graph. Writes (CREATE, MERGE, SET, "
    "DELETE, COPY, ...) are refused. Schema: (:Variant {id (key chrom:pos:ref:alt), chrom, pos, "
    "ref, alt, rsid, qual, filter, vtype (SNV/MNV/INS/DEL/COMPLEX/SV/BND), af, end_pos, svtype, "
    "svlen, n_alts, rec_pos, locus, carriers (samples with a CarriedBy edge)}) -[:CarriedBy {gt, "
    "zygosity (het, hom_alt, het_alt, "
    "hemizygous), dp, gq, phased}]-> (:Sample {id}); (:Variant)-[:InGene {consequence, impact, "
    "feature, hgvs_c, hgvs_p, clinsig}]->(:Gene {symbol, gene_id}); (:Source {id, path, status, "
    "variants, edges}). Only non-reference calls are stored: a sample without a CarriedBy edge "
    "is hom-ref or missing; every call is in (:Variant)-[:CalledIn]->(:Calls {source, first, "
    "carriers, gt}): gt holds one code per sample (0 hom-ref, 1 het, 2 hom-alt, . missing) from "
    "column `first` (rows of at most 128 samples; (:Sample)-[:SampleOf {idx}]->(:Source) gives "
    "a sample's column), carriers counts the whole vector's carriers. Prefer the ready-made tools; "
    "use this for counts and joins they "
    "lack. Rows are capped at `limit`; `total` counts them all.";

Tool cypher() {
    return {"cypher", kCypherDescription,
            object_schema({{"query", {{"type", "string"}, {"minLength", 1}}},
                           {"limit", filter_properties()["limit"]}},
                          {"query"}),
            [](const json& args, ToolContext& context) {
                return table_result(context.graph().read_only_query(
                    args["query"].get<std::string>(), {}, read_limits(args, context)));
            }};
}

}  // namespace

std::vector<Tool> cypher_tools() {
    return {cypher()};
}

}  // namespace vcfagent::tools
