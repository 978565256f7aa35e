#include "server/openapi.hpp"

namespace vcfagent::server {

using nlohmann::json;

namespace {

json error_responses() {
    json err = {{"description", "Error"},
                {"content",
                 {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    return {{"400", err}, {"401", err}, {"403", err}, {"404", err},
            {"413", err}, {"429", err}, {"503", err}};
}

json ok_response(const std::string& description) {
    return {{"description", description},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Result"}}}}}}}};
}

json query_parameter(const std::string& name, const json& schema, bool required,
                     const std::string& description) {
    return {{"name", name},
            {"in", "query"},
            {"required", required},
            {"schema", schema},
            {"description", description}};
}

json with_errors(json responses) {
    const json errors = error_responses();  // outlives the loop over its items
    for (const auto& [code, r] : errors.items()) responses[code] = r;
    return responses;
}

}  // namespace

json openapi_document(const tools::ToolRegistry& registry, const std::string& version) {
    json paths = json::object();
    for (const auto& t : registry.tools()) {
        json op = {{"operationId", t.name},
                   {"summary", t.description},
                   {"tags", {"tools"}},
                   {"requestBody",
                    {{"required", true},
                     {"content", {{"application/json", {{"schema", t.input_schema}}}}}}},
                   {"responses", with_errors({{"200", ok_response("The tool's result")}})}};
        paths["/v1/tools/" + t.name] = {{"post", op}};
    }
    paths["/v1/tools"] = {{"get",
                           {{"operationId", "list_tools"},
                            {"summary", "The tool catalogue with argument schemas"},
                            {"responses", with_errors({{"200", {{"description", "Tools"}}}})}}}};
    const json str = {{"type", "string"}}, integer = {{"type", "integer"}, {"minimum", 1}};
    paths["/v1/variants"] = {
        {"get",
         {{"operationId", "variants"},
          {"summary", "Variants overlapping a region (as variants_in_region)"},
          {"parameters",
           {query_parameter("region", str, true, "chrom:begin-end or chrom"),
            query_parameter("gene", str, false, "gene symbol"),
            query_parameter("impact", str, false, "HIGH, MODERATE, LOW or MODIFIER"),
            query_parameter("variant_class", str, false, "SNV, INS, DEL, ..."),
            query_parameter("limit", integer, false, "rows (default 50, at most 500)")}},
          {"responses", with_errors({{"200", ok_response("Variants")}})}}}};
    paths["/v1/search"] = {{"get",
                            {{"operationId", "search"},
                             {"summary", "Variants similar to a stored one (as similar_variants)"},
                             {"parameters",
                              {query_parameter("like", str, true, "variant key chrom:pos:ref:alt"),
                               query_parameter("k", integer, false, "neighbours (default 10)"),
                               query_parameter("chroms", str, false, "comma-separated"),
                               query_parameter("classes", str, false, "comma-separated"),
                               query_parameter("genes", str, false, "comma-separated"),
                               query_parameter("impacts", str, false, "comma-separated")}},
                             {"responses", with_errors({{"200", ok_response("Neighbours")}})}}}};
    paths["/v1/g_variants"] = {
        {"get",
         {{"operationId", "g_variants"},
          {"summary", "GA4GH Beacon v2-style allele query"},
          {"parameters",
           {query_parameter("referenceName", str, true, "chromosome"),
            query_parameter("start", {{"type", "integer"}, {"minimum", 0}}, true, "0-based start"),
            query_parameter("end", integer, false, "end (default start + 1)"),
            query_parameter("referenceBases", str, false, "REF"),
            query_parameter("alternateBases", str, false, "ALT"),
            query_parameter("requestedGranularity",
                            {{"type", "string"}, {"enum", {"boolean", "count", "record"}}}, false,
                            "default boolean")}},
          {"responses", with_errors({{"200", {{"description", "Beacon response"}}}})}}}};
    paths["/v1/cypher"] = {
        {"post",
         {{"operationId", "cypher_query"},
          {"summary", "Read-only Cypher (writes are refused with 403)"},
          {"requestBody",
           {{"required", true},
            {"content",
             {{"application/json", {{"schema", registry.find("cypher")->input_schema}}}}}}},
          {"responses", with_errors({{"200", ok_response("Rows")}})}}}};
    paths["/v1/ask"] = {
        {"post",
         {{"operationId", "ask"},
          {"summary", "A question in plain language, answered by the agent through the tools"},
          {"requestBody",
           {{"required", true},
            {"content",
             {{"application/json",
               {{"schema",
                 {{"type", "object"},
                  {"properties", {{"question", str}}},
                  {"required", {"question"}}}}}}}}}},
          {"responses", with_errors({{"200", {{"description", "Answer and tool calls"}}}})}}}};
    paths["/health"] = {
        {"get",
         {{"operationId", "health"},
          {"security", json::array()},
          {"responses", {{"200", {{"description", "ok or degraded, with reasons"}}}}}}}};
    paths["/metrics"] = {{"get",
                          {{"operationId", "metrics"},
                           {"responses", {{"200", {{"description", "Prometheus text format"}}}}}}}};
    paths["/openapi.json"] = {{"get",
                               {{"operationId", "openapi"},
                                {"security", json::array()},
                                {"responses", {{"200", {{"description", "This document"}}}}}}}};
    paths["/"] = {{"get",
                   {{"operationId", "web_page"},
                    {"security", json::array()},
                    {"responses", {{"200", {{"description", "The web page"}}}}}}}};
    paths["/v1/admin/alerts"] = {
        {"put",
         {{"operationId", "set_alert_thresholds"},
          {"summary", "Alert thresholds (writer tokens only)"},
          {"requestBody",
           {{"required", true},
            {"content",
             {{"application/json",
               {{"schema",
                 {{"type", "object"},
                  {"properties",
                   {{"memory_mb", {{"type", "integer"}}},
                    {"error_rate", {{"type", "number"}}},
                    {"p95_latency_ms", {{"type", "number"}}}}}}}}}}}}},
          {"responses", with_errors({{"200", {{"description", "The thresholds now"}}}})}}}};
    return {{"openapi", "3.0.3"},
            {"info",
             {{"title", "vcf-agent"},
              {"version", version},
              {"description", "Read-only questions over a VCF store: the tool registry as REST."}}},
            {"paths", paths},
            {"security", {{{"bearer", json::array()}}}},
            {"components",
             {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
              {"schemas",
               {{"Error",
                 {{"type", "object"},
                  {"properties",
                   {{"error",
                     {{"type", "object"},
                      {"properties", {{"code", str}, {"message", str}}},
                      {"required", {"code", "message"}}}}}},
                  {"required", {"error"}}}},
                {"Result",
                 {{"type", "object"},
                  {"properties",
                   {{"columns", {{"type", "array"}, {"items", str}}},
                    {"rows", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                    {"total", {{"type", "integer"}}},
                    {"truncated", {{"type", "boolean"}}}}},
                  {"required", {"total", "truncated"}}}}}}}}};
}

}  // namespace vcfagent::server
