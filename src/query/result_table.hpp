#pragma once
// A query result as typed cells (JSON values), printed as an aligned table, TSV or JSON.
// Every query path (Cypher, ready-made queries, search) renders through this one type.
#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace vcfagent::query {

struct ResultTable {
    std::vector<std::string> columns;
    std::vector<std::vector<nlohmann::json>> rows;
    // Rows the query produced; more than rows.size() when the reader kept only the first ones.
    uint64_t total = 0;
    bool truncated() const { return total > rows.size(); }

    // Renders as "table" (aligned, human), "tsv" (header line + rows) or "json" (array of objects).
    void print(std::ostream& out, const std::string& format) const;
    nlohmann::json to_json() const;  // [{column: value, ...}, ...]
};

// Text of one cell for table/TSV output: strings unquoted, null as '.', floats compact.
std::string cell_text(const nlohmann::json& cell);

}  // namespace vcfagent::query
