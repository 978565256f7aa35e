#pragma once
// Ground truth for graph-store tests: per-sample non-reference calls as bcftools counts them,
// and the same counts read back from a store through `vcf-agent graph`.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace vcfagent::test {

// `count name` lines (as `uniq -c` prints them) -> name -> count.
std::map<std::string, int64_t> parse_counts(const std::string& text);

// Per-sample count of non-reference calls per split ALT allele, computed by bcftools:
// after `norm -m-` every record has one ALT, so a call carries it iff its GT has a '1'.
std::map<std::string, int64_t> bcftools_nonref_calls(const std::string& vcf);

// `vcf-agent graph CYPHER --db DB -O json` parsed (a failed command fails the test).
nlohmann::json graph_json(const std::string& db, const std::string& cypher);
// The first column of the first row of a counting query.
int64_t count_of(const std::string& db, const std::string& cypher);
// Sample id -> CarriedBy edges of that sample in the store.
std::map<std::string, int64_t> store_edge_counts(const std::string& db);

}  // namespace vcfagent::test
