// Inheritance tools over the store's pedigree: one per mode of query::analyse_families.
#include "query/family_analysis.hpp"
#include "tools/catalogue_parts.hpp"
#include "tools/tool_args.hpp"

namespace vcfagent::tools {

namespace {

using nlohmann::json;

struct ModeTool {
    query::InheritanceMode mode;
    const char* name;
    const char* description;
};

const ModeTool kModeTools[] = {
    {query::InheritanceMode::DeNovo, "family_de_novo",
     "De novo candidates: a child of the pedigree carries the variant (het unless lenient) and "
     "both parents are hom-ref, with GQ/DP/allele-balance thresholds like slivar's."},
    {query::InheritanceMode::Recessive, "family_recessive",
     "Autosomal recessive: affected members hom-alt, their unaffected parents het, unaffected "
     "members not hom-alt."},
    {query::InheritanceMode::Dominant, "family_dominant",
     "Autosomal dominant: affected members het, unaffected members hom-ref."},
    {query::InheritanceMode::XRecessive, "family_x_recessive",
     "X-linked recessive (outside the pseudo-autosomal regions): affected females hom-alt, "
     "affected males carry (hemizygous), mothers of affected males het, unaffected males "
     "hom-ref."},
    {query::InheritanceMode::XDominant, "family_x_dominant",
     "X-linked dominant: affected carry, unaffected hom-ref, daughters of affected fathers "
     "affected."},
    {query::InheritanceMode::XDeNovo, "family_x_de_novo",
     "X-linked de novo: a child carries, its mother (and a girl's father) hom-ref."},
    {query::InheritanceMode::CompHet, "family_comp_het",
     "Compound heterozygotes: two or more hets in one gene of an affected child; priority 1 "
     "when transmission shows them in trans, 2 when phase is unknown, 3 for weaker evidence."},
    {query::InheritanceMode::MendelErrors, "family_mendel_errors",
     "Mendelian errors of every trio (impossible transmission, apparent de novo, apparent "
     "uniparental disomy or loss of heterozygosity), per variant, with per-child counts."},
};

Tool mode_tool(const ModeTool& m) {
    json props = {
        {"families",
         {{"type", "array"},
          {"items", {{"type", "string"}}},
          {"description", "Only these families of the pedigree (default: all)"}}},
        {"min_kindreds",
         {{"type", "integer"},
          {"minimum", 1},
          {"description", "The pattern must hold in at least this many families (default 1)"}}},
        {"lenient",
         {{"type", "boolean"},
          {"description", "No GQ/DP/allele-balance thresholds (default false)"}}},
        {"build",
         {{"type", "string"},
          {"enum", {"GRCh37", "GRCh38"}},
          {"description", "Genome build of the pseudo-autosomal regions of X (default GRCh37)"}}},
    };
    const auto mode = m.mode;
    return {m.name,
            std::string(m.description) +
                " Needs a pedigree in the store (see the Sample table's family column).",
            object_schema(std::move(props), {}, true),
            [mode](const json& args, ToolContext& context) {
                query::FamilyOptions o;
                o.filter = variant_filter(args);
                o.families = string_list(args, "families");
                o.min_kindreds = args.value("min_kindreds", 1);
                o.lenient = args.value("lenient", false);
                o.build = args.value("build", std::string("GRCh37"));
                // The candidates are not capped, only the rows returned.
                store::ReadLimits limits = read_limits(args, context);
                o.filter.limit = limits.max_rows;
                limits.max_rows = std::numeric_limits<size_t>::max();
                auto r = query::analyse_families(context.graph(), mode, o, limits);
                json out = table_result(r.variants);
                out["notes"] = r.notes;
                if (!r.samples.columns.empty()) out["per_child"] = table_result(r.samples);
                return out;
            }};
}

}  // namespace

std::vector<Tool> family_tools() {
    std::vector<Tool> out;
    for (const auto& m : kModeTools) out.push_back(mode_tool(m));
    return out;
}

}  // namespace vcfagent::tools
