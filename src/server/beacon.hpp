#pragma once
// A GA4GH Beacon v2-style allele query (GET /v1/g_variants): does the store hold variants at
// referenceName:start-end (0-based start, as Beacon counts) with these bases, answered at the
// granularity asked for (boolean, count or record).
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "store/graph_store.hpp"

namespace vcfagent::server {

// `params`: the request's query parameters. Throws std::invalid_argument with a message for a
// bad request.
nlohmann::json beacon_g_variants(store::GraphStore& graph,
                                 const std::map<std::string, std::string>& params,
                                 const store::ReadLimits& limits);

}  // namespace vcfagent::server
