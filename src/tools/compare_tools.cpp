// compare_files: two files under the data directory compared as `vcf-agent compare` does.
#include "compare/compare_output.hpp"
#include "compare/comparison.hpp"
#include "compare/file_site_source.hpp"
#include "tools/catalogue_parts.hpp"
#include "tools/tool_args.hpp"

namespace vcfagent::tools {

namespace {

using nlohmann::json;

Tool compare_files() {
    const json path = data_file_property();
    return {
        "compare_files",
        "Compare two VCF/BCF files in the data directory, as bcftools isec and bcftools stats "
        "A B do: counts of sites only in a (only_a), only in b (only_b) and in both, after "
        "splitting multi-allelic records; for the samples the files share by name (or the "
        "given pairs), genotype concordance and non-reference discordance (NRD) per sample "
        "and overall; and a sample-swap check giving each sample of a its best-matching "
        "sample of b (rows). `collapse` says which sites count as the same: none (identical "
        "alleles, default), snps, indels, both, all, some.",
        object_schema(
            {{"a", path},
             {"b", path},
             {"collapse",
              {{"type", "string"}, {"enum", {"none", "snps", "indels", "both", "all", "some"}}}},
             {"region", filter_properties()["region"]},
             {"pairs",
              {{"type", "array"},
               {"items", {{"type", "string"}, {"pattern", "^[^=]+=[^=]+$"}}},
               {"maxItems", 10000},
               {"description", "Sample pairs 'A_SAMPLE=B_SAMPLE'; default: same names"}}},
             {"limit", filter_properties()["limit"]}},
            {"a", "b"}),
        [](const json& args, ToolContext& context) {
            const auto file_a = context.allowed_file(args["a"]);
            const auto file_b = context.allowed_file(args["b"]);
            compare::CompareOptions options;
            if (!compare::parse_collapse_mode(args.value("collapse", "none"), options.mode))
                throw ToolError("unknown collapse mode");
            std::string pairs;
            for (const auto& p : string_list(args, "pairs")) pairs += p + ",";
            options.pairs = compare::parse_sample_pairs(pairs);
            vcf::ReaderOptions reader;
            if (args.contains("region")) reader.regions.push_back(parse_one_region(args["region"]));
            compare::FileSiteSource a(file_a.string(), reader);
            compare::FileSiteSource b(file_b.string(), reader);
            const auto result = compare::compare_sources(a, b, options);
            const size_t cap = read_limits(args, context).max_rows;
            json out = compare::to_json(result, cap);
            out["a"] = args["a"];  // the caller's names, not this machine's paths
            out["b"] = args["b"];
            // The per-AF-bin rows are bounded by the bin count (at most samples + 1 per kind);
            // keep the rows a model reads first: the swap check.
            out["rows"] = out["swap_check"];
            out["total"] = result.swaps.size();
            return out;
        }};
}

}  // namespace

std::vector<Tool> compare_tools() {
    return {compare_files()};
}

}  // namespace vcfagent::tools
