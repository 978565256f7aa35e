#pragma once
// `vcf-agent compare A B` as a library call: the site sets (only A, only B, both), the
// genotype concordance of paired samples and the swap check, in one pass over two SiteSources.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compare/compared_site.hpp"
#include "compare/contig_order.hpp"
#include "compare/genotype_concordance.hpp"
#include "compare/site_matcher.hpp"
#include "compare/swap_check.hpp"

namespace vcfagent::compare {

struct CompareOptions {
    CollapseMode mode = CollapseMode::None;
    // Explicit sample pairs (A name, B name); empty: the samples the two share by name, in
    // A's order (as `bcftools stats -s -`).
    std::vector<std::pair<std::string, std::string>> pairs;
    bool swap_check = true;
};

// Parses "A1=B1,A2=B2"; throws InputError (usage) on a malformed entry.
std::vector<std::pair<std::string, std::string>> parse_sample_pairs(const std::string& text);

struct CompareResult {
    std::string a_name, b_name;
    CollapseMode mode = CollapseMode::None;
    uint64_t only_a = 0, only_b = 0, both = 0;
    std::vector<std::string> a_samples, b_samples;
    std::unique_ptr<GenotypeConcordance> concordance;  // over the pairs (possibly none)
    std::vector<SwapRow> swaps;                        // one row per sample of A
    std::vector<std::string> contigs;                  // the merge order
};

// Reads both sources to the end. `lists`, when given, also receives every site (to write the
// site lists). Throws InputError for unreadable or unsorted input and unknown pair names.
CompareResult compare_sources(SiteSource& a, SiteSource& b, const CompareOptions& options,
                              SiteVisitor* lists = nullptr);

}  // namespace vcfagent::compare
