#pragma once
// The OpenAPI 3.0 document of the REST API, generated from the tool registry's schemas so an
// endpoint's arguments are described in exactly one place.
#include <nlohmann/json.hpp>

#include "tools/tool_registry.hpp"

namespace vcfagent::server {

nlohmann::json openapi_document(const tools::ToolRegistry& registry, const std::string& version);

}  // namespace vcfagent::server
