// What the store holds: store_overview, and variant_stats for the whole store or a subset.
#include "query/store_overview.hpp"
#include "tools/catalogue_parts.hpp"
#include "tools/tool_args.hpp"

namespace vcfagent::tools {

namespace {

using nlohmann::json;

Tool store_overview() {
    return {"store_overview",
            "What this store holds: loaded files (sources), sample names, chromosomes with "
            "variant counts and position ranges, node/edge counts per table, annotation "
            "impacts present and gene count. `total` is the number of variants; `truncated` "
            "says the sample list was cut to `limit` names (sample_count has them all). Call "
            "this first when unsure what data exists.",
            object_schema({{"limit", filter_properties()["limit"]}}),
            [](const json& args, ToolContext& context) {
                const auto limits = read_limits(args, context);
                return query::store_overview(context.graph(), limits.max_rows, limits);
            }};
}

Tool variant_stats() {
    return {"variant_stats",
            "Summary counts in the style of bcftools stats (SN and TSTV sections) over the "
            "store's variants (multi-allelic records split into one variant per ALT), or over "
            "a subset: a region, a gene, an impact, a class, and/or the variants one sample "
            "carries (then also its calls by zygosity). Gives variants, counts per class "
            "(SNV, INS, DEL, MNV, ...), indels, transitions, transversions and ts/tv.",
            object_schema(
                {{"sample",
                  {{"type", "string"}, {"description", "Only variants this sample carries"}}}},
                {}, true),
            [](const json& args, ToolContext& context) {
                const std::string sample = args.value("sample", "");
                require_samples(context, sample.empty() ? std::vector<std::string>{}
                                                        : std::vector<std::string>{sample});
                query::GraphQueries q(context.graph(), read_limits(args, context));
                const auto s = q.summary(variant_filter(args), sample);
                json by_class = json::object();
                json rows = json::array();
                for (const auto& [cls, n] : s.by_class) {
                    by_class[cls] = n;
                    rows.push_back({{"class", cls}, {"variants", n}});
                }
                auto count = [&](const char* cls) {
                    auto it = s.by_class.find(cls);
                    return it == s.by_class.end() ? int64_t{0} : it->second;
                };
                json out = {
                    {"variants", s.variants},
                    {"by_class", by_class},
                    {"snvs", count("SNV")},
                    {"indels", count("INS") + count("DEL")},
                    {"transitions", s.transitions},
                    {"transversions", s.transversions},
                    {"ts_tv", s.transversions ? json(static_cast<double>(s.transitions) /
                                                     static_cast<double>(s.transversions))
                                              : json(nullptr)},
                    {"rows", rows},
                    {"total", s.variants},
                    {"truncated", false},
                };
                if (!sample.empty()) out["by_zygosity"] = s.by_zygosity;
                return out;
            }};
}

}  // namespace

std::vector<Tool> store_tools() {
    return {store_overview(), variant_stats()};
}

}  // namespace vcfagent::tools
