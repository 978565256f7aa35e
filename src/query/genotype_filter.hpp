#pragma once
// A GEMINI-style genotype filter and which calls it compares: the one definition of its
// conditions, of the loaded file whose call vectors it reads and of when a call matches a
// genotype class. The graph evaluates it as Cypher (GraphQueries::genotype_conditions), the
// variant index over its call columns (VariantIndex::genotype_filter); both take the file and
// the sample columns from genotype_calls().
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/sample_catalogue.hpp"

namespace vcfagent::query {

// A condition on a group of samples, GEMINI's --gt-filter quantifiers: all / any / none of
// them, or at least N, have the genotype (het, hom_alt, hom_ref, carrier or missing).
struct GenotypeGroup {
    enum class Quantifier { All, Any, None, AtLeast };
    Quantifier quantifier = Quantifier::All;
    int64_t at_least = 1;
    std::string genotype;
    std::vector<std::string> samples;
};
// "all:het:A,B", "any:carrier:A,B", "none:hom_alt:C", "2:carrier:A,B,C" (at least 2).
// Throws std::invalid_argument naming what is wrong.
GenotypeGroup parse_genotype_group(const std::string& text);

// Every listed sample must match its genotype class, every group its quantifier. Hom-ref means
// a called REF/REF genotype (a missing call is not hom-ref), read from the call vectors. DP/GQ
// thresholds apply to every call a condition names: a call below them does not match.
struct GenotypeFilter {
    std::vector<std::string> het, hom_alt, hom_ref, carrier, non_carrier;
    std::vector<GenotypeGroup> groups;
    int64_t min_carriers = 0;      // at least this many samples carry the variant
    int min_dp = -1, min_gq = -1;  // -1: no threshold
};

// The calls a genotype filter compares.
struct GenotypeCalls {
    // The loaded file (Source.num) whose call vectors hold every named sample: a variant
    // passes only with a call vector of this file. Unset when the filter names no sample and
    // counts carriers across the store's files (then Variant.carriers >= min_carriers).
    std::optional<int64_t> source;
    std::map<std::string, int64_t> columns;  // named sample -> its column in the vectors
    // Every condition as a group (the lists of GenotypeFilter are "all of them").
    std::vector<GenotypeGroup> groups;
    // With `source`: at least this many of the vector's codes are carriers ('1' or '2').
    int64_t min_carriers = 0;
};

// Throws StoreError when a named sample has no call vectors, or the named samples are not all
// in one loaded file.
GenotypeCalls genotype_calls(const store::SampleCatalogue& catalogue, const GenotypeFilter& g);

// A call vector's code ('0', '1', '2', '.'; see vcf::CallVector) matches a genotype class.
bool code_matches(char code, const std::string& genotype);
// Whether a variant whose call vector of `calls.source` has code `code(column)` in each
// column passes every group and the carriers bound (`carriers`: its '1'/'2' codes).
bool calls_pass(const GenotypeCalls& calls, const std::function<char(int64_t)>& code,
                int64_t carriers);

}  // namespace vcfagent::query
