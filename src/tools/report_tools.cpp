// file_report and store_report: the numbers of `vcf-agent report` for a file in the data
// directory or for the store, from the same ReportBuilder, bounded like the other tools.
#include "export/stored_selection.hpp"
#include "report/file_report.hpp"
#include "report/report_json.hpp"
#include "report/store_report.hpp"
#include "tools/catalogue_parts.hpp"
#include "tools/tool_args.hpp"

namespace vcfagent::tools {

namespace {

using nlohmann::json;

json samples_property() {
    return {{"type", "array"},
            {"items", {{"type", "string"}, {"minLength", 1}}},
            {"description", "Samples for the per-sample rows (default: all)"}};
}

Tool file_report() {
    return {"file_report",
            "The numbers of the HTML variant report of a VCF/BCF file in the data directory, "
            "optionally for one region and some samples: bcftools-stats summary (records, SNPs, "
            "indels, ts/tv), substitution types, indel lengths, records per chromosome, "
            "consequence and impact counts and the most-hit genes from SnpEff/VEP annotations, "
            "and per sample (rows) het, hom-alt, het/hom-alt ratio, missing and singletons with "
            "the metrics in which the sample is an outlier (more than 3 scaled MADs from the "
            "median). Lists are cut to `limit` entries.",
            object_schema({{"path", data_file_property()},
                           {"region", filter_properties()["region"]},
                           {"samples", samples_property()},
                           {"limit", filter_properties()["limit"]}},
                          {"path"}),
            [](const json& args, ToolContext& context) {
                const auto file = context.allowed_file(args["path"]);
                vcf::ReaderOptions opts;
                if (args.contains("region"))
                    opts.regions.push_back(parse_one_region(args["region"]));
                opts.samples = string_list(args, "samples");
                auto data = report::file_report(file.string(), opts);
                data.stats.source = args["path"];  // the caller's name, not this machine's path
                json out = report::report_to_json(data, read_limits(args, context).max_rows);
                out["source"] = args["path"];
                return out;
            }};
}

Tool store_report() {
    return {"store_report",
            "The numbers of the HTML variant report of the store's variants (split per ALT "
            "allele), optionally of one loaded file, one region and some samples: the same "
            "sections as file_report, counted from the stored variants and genotypes. Reads "
            "every selected variant: narrow by region or source on a large store.",
            object_schema({{"source", loaded_file_property()},
                           {"region", filter_properties()["region"]},
                           {"samples", samples_property()},
                           {"limit", filter_properties()["limit"]}}),
            [](const json& args, ToolContext& context) {
                const auto selection = stored_selection(args, context);
                const auto data = report::store_report(context.graph(), selection, "store");
                json out = report::report_to_json(data, read_limits(args, context).max_rows);
                out["source"] = selection.source.empty() ? "store" : selection.source;
                return out;
            }};
}

}  // namespace

std::vector<Tool> report_tools() {
    return {file_report(), store_report()};
}

}  // namespace vcfagent::tools
