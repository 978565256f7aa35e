#pragma once
// Joins strings with a separator: the Cypher WHERE clauses and lists the queries build.
#include <string>
#include <vector>

namespace vcfagent {

inline std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
    return out;
}

}  // namespace vcfagent
