#include "server/beacon.hpp"

#include "common/version.hpp"
#include "query/graph_queries.hpp"

namespace vcfagent::server {

using nlohmann::json;

json beacon_g_variants(store::GraphStore& graph, const std::map<std::string, std::string>& params,
                       const store::ReadLimits& limits) {
    auto get = [&](const char* name) {
        auto it = params.find(name);
        return it == params.end() ? std::string() : it->second;
    };
    auto integer = [&](const char* name) -> int64_t {
        const std::string v = get(name);
        size_t used = 0;
        int64_t n = -1;
        try {
            n = std::stoll(v, &used);
        } catch (const std::exception&) {
        }
        if (used != v.size() || n < 0)
            throw std::invalid_argument(std::string(name) + "=" + v +
                                        " is not a non-negative integer");
        return n;
    };
    const std::string chrom = get("referenceName");
    if (chrom.empty() || get("start").empty())
        throw std::invalid_argument("referenceName and start are required");
    const int64_t start = integer("start");  // 0-based
    const int64_t end = get("end").empty() ? start + 1 : integer("end");
    if (end <= start) throw std::invalid_argument("end must be greater than start");
    std::string granularity = get("requestedGranularity");
    if (granularity.empty()) granularity = "boolean";
    if (granularity != "boolean" && granularity != "count" && granularity != "record")
        throw std::invalid_argument("requestedGranularity must be boolean, count or record");

    query::VariantFilter f;
    f.region = vcf::Region{chrom, start + 1, end};
    f.ref = get("referenceBases");
    f.alt = get("alternateBases");
    store::ReadLimits l = limits;
    if (granularity != "record") l.max_rows = 0;
    query::GraphQueries q(graph, l);
    const auto table = q.region_variants(*f.region, f);

    json results = json::array();
    for (const auto& row : table.rows) {
        json r;
        for (size_t i = 0; i < table.columns.size(); ++i) r[table.columns[i]] = row[i];
        const int64_t pos = r["pos"].get<int64_t>();
        const int64_t ref_len = static_cast<int64_t>(r["ref"].get<std::string>().size());
        results.push_back({{"variantInternalId", r["key"]},
                           {"variation",
                            {{"referenceBases", r["ref"]},
                             {"alternateBases", r["alt"]},
                             {"variantType", r["vtype"]},
                             {"location",
                              {{"type", "SequenceLocation"},
                               {"sequence_id", r["chrom"]},
                               {"interval",
                                {{"type", "SequenceInterval"},
                                 {"start", {{"type", "Number"}, {"value", pos - 1}}},
                                 {"end", {{"type", "Number"}, {"value", pos - 1 + ref_len}}}}}}}}},
                           {"identifiers", {{"defaultIdentifier", r["rsid"]}}}});
    }
    const bool exists = table.total > 0;
    json result_set = {{"id", "vcf-agent"}, {"setType", "dataset"}, {"exists", exists}};
    if (granularity != "boolean") result_set["resultsCount"] = table.total;
    if (granularity == "record") result_set["results"] = results;
    json summary = {{"exists", exists}};
    if (granularity != "boolean") summary["numTotalResults"] = table.total;
    json request = json::object();
    for (const auto& [k, v] : params) request[k] = v;
    return {{"meta",
             {{"beaconId", "vcf-agent"},
              {"apiVersion", "v2.0.0"},
              {"returnedGranularity", granularity},
              {"receivedRequestSummary",
               {{"requestParameters", request}, {"requestedGranularity", granularity}}}}},
            {"responseSummary", summary},
            {"response", {{"resultSets", json::array({result_set})}}}};
}

}  // namespace vcfagent::server
