#include "support/graph_referee.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "support/test_env.hpp"

namespace vcfagent::test {

std::map<std::string, int64_t> parse_counts(const std::string& text) {
    std::map<std::string, int64_t> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string key;
        int64_t n = 0;
        if (f >> n >> key) out[key] = n;
    }
    return out;
}

std::map<std::string, int64_t> bcftools_nonref_calls(const std::string& vcf) {
    auto r = run_shell("bcftools norm -m- " + vcf +
                       " 2>/dev/null | bcftools query -f '[%SAMPLE\\t%GT\\n]' | "
                       "awk -F'\\t' '$2 ~ /1/ {print $1}' | sort | uniq -c");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return parse_counts(r.out);
}

nlohmann::json graph_json(const std::string& db, const std::string& cypher) {
    auto r = run_agent({"graph", cypher, "--db", db, "-O", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
}

int64_t count_of(const std::string& db, const std::string& cypher) {
    auto j = graph_json(db, cypher);
    return j.at(0).begin()->get<int64_t>();
}

std::map<std::string, int64_t> store_edge_counts(const std::string& db) {
    std::map<std::string, int64_t> out;
    for (const auto& row : graph_json(
             db, "MATCH (s:Sample)<-[h:CarriedBy]-(:Variant) RETURN s.id AS s, count(*) AS n"))
        out[row["s"].get<std::string>()] = row["n"].get<int64_t>();
    return out;
}

}  // namespace vcfagent::test
