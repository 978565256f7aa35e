// Files under the configured data directory: validate_file and file_stats, the same code as
// `vcf-agent validate` and `vcf-agent stats`.
#include <algorithm>

#include "tools/catalogue_parts.hpp"
#include "tools/tool_args.hpp"
#include "vcf/stats.hpp"
#include "vcf/validate.hpp"

namespace vcfagent::tools {

namespace {

using nlohmann::json;

Tool validate_file() {
    return {"validate_file",
            "Check a VCF/BCF file in the data directory against the VCF specification: every "
            "problem with rule id, severity, line and message (rows), and the counts of "
            "errors and warnings.",
            object_schema({{"path", data_file_property()}, {"limit", filter_properties()["limit"]}},
                          {"path"}),
            [](const json& args, ToolContext& context) {
                const auto file = context.allowed_file(args["path"]);
                vcf::ValidateOptions opts;
                opts.max_findings = read_limits(args, context).max_rows;
                const auto report = vcf::validate_vcf(file.string(), opts);
                json out = vcf::validation_to_json(report);
                out["file"] = args["path"];  // the caller's name, not this machine's path
                out["rows"] = out["findings"];
                out.erase("findings");
                out["total"] = report.errors + report.warnings + report.infos;
                out["truncated"] = report.findings_omitted > 0;
                return out;
            }};
}

Tool file_stats() {
    return {"file_stats",
            "bcftools-stats numbers (SN and TSTV sections: records, SNPs, MNPs, indels, "
            "multi-allelic sites, ts/tv) of a VCF/BCF file in the data directory, optionally "
            "for one region; with per_sample, also the PSC section per sample (hom-ref, "
            "hom-alt, het, ts, tv, indels, mean depth, singletons, missing).",
            object_schema({{"path", data_file_property()},
                           {"region", filter_properties()["region"]},
                           {"per_sample", {{"type", "boolean"}}},
                           {"limit", filter_properties()["limit"]}},
                          {"path"}),
            [](const json& args, ToolContext& context) {
                const auto file = context.allowed_file(args["path"]);
                vcf::ReaderOptions opts;
                if (args.contains("region"))
                    opts.regions.push_back(parse_one_region(args["region"]));
                const bool per_sample = args.value("per_sample", false);
                auto stats = vcf::compute_stats(file.string(), opts, per_sample);
                stats.source = args["path"];
                const size_t cap = read_limits(args, context).max_rows;
                const size_t samples = stats.samples.size();
                if (samples > cap) stats.samples.resize(cap);
                // ordered_json keeps bcftools' order for the CLI; the tool result is plain json.
                json out = json::parse(vcf::stats_to_json(stats, /*summary_only=*/true).dump());
                out["rows"] = json::array();
                if (out.contains("per_sample")) {
                    out["rows"] = std::move(out["per_sample"]);
                    out.erase("per_sample");
                }
                out["total"] = per_sample ? samples : stats.records;
                out["truncated"] = samples > cap;
                return out;
            }};
}

}  // namespace

std::vector<Tool> file_tools() {
    return {validate_file(), file_stats()};
}

}  // namespace vcfagent::tools
