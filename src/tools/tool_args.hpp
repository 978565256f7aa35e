#pragma once
// The argument vocabulary the tools share (one schema and one meaning for a region, a gene, an
// impact, a variant class, a row limit) and the one shape of a tabular result.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "export/stored_selection.hpp"
#include "query/graph_queries.hpp"
#include "query/result_table.hpp"
#include "store/graph_store.hpp"
#include "tools/tool_context.hpp"

namespace vcfagent::tools {

// The most rows any call returns, whatever it asks for (also ToolLimits::max_rows's default).
inline constexpr size_t kHardMaxRows = 500;

// Schema properties of the variant filter: region, gene, impact, variant_class, limit.
nlohmann::json filter_properties();
// Schema of a VCF/BCF file argument: a path relative to the data directory (see
// ToolContext::allowed_file).
nlohmann::json data_file_property();
// Schema of a loaded file of the store named by the caller (file name, path or sha256 id).
nlohmann::json loaded_file_property();
// A JSON Schema object with `properties` (filter_properties() merged in when `with_filter`),
// `required` and additionalProperties false.
nlohmann::json object_schema(nlohmann::json properties, std::vector<std::string> required = {},
                             bool with_filter = false);

// The variant filter the arguments name (no Cypher LIMIT: rows are capped by read_limits()).
query::VariantFilter variant_filter(const nlohmann::json& args);
// One region "chr:beg-end" or "chr"; ToolError otherwise.
vcf::Region parse_one_region(const std::string& text);
// Row cap (the call's `limit` within the context's bounds) and the statement time limit.
store::ReadLimits read_limits(const nlohmann::json& args, const ToolContext& context);

// {"columns", "rows": [{column: value}], "total", "truncated"}: every table-shaped result.
nlohmann::json table_result(const query::ResultTable& table);

// ToolError naming the samples the store does not have (so a model can correct a typo or tell
// the user the question is outside the store).
void require_samples(ToolContext& context, const std::vector<std::string>& samples);

// The stored variants the arguments select (variant filter, `samples`, a loaded `source`),
// the samples checked to exist: what the tools reading stored records (genotypes, the store's
// report) share.
exporting::StoredSelection stored_selection(const nlohmann::json& args, ToolContext& context);

// A list-of-strings argument; missing means empty.
std::vector<std::string> string_list(const nlohmann::json& args, const char* name);

}  // namespace vcfagent::tools
