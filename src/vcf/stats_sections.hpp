#pragma once
// The rows of the bcftools stats sections derived from the collected counts, in the order and
// with the rounding bcftools prints them: the text output, its JSON form and the HTML report
// all read these, so each number has one definition.
#include <cstdint>
#include <string>
#include <vector>

#include "vcf/stats.hpp"

namespace vcfagent::vcf {

// AF: singletons merged into the lowest frequency bin (as bcftools does after printing SiS),
// empty bins left out. `af` is the bin's lower bound.
struct AlleleFrequencyRow {
    double af = 0;
    AlleleFrequencyBin counts;
};
std::vector<AlleleFrequencyRow> allele_frequency_rows(const VcfStats& s);

// QUAL: one row per non-empty quality bin. `quality` is the bin's lower bound; a missing or
// negative QUAL has its own bin (missing_quality).
struct QualityRow {
    bool missing_quality = false;
    float quality = 0;
    uint64_t ts = 0;  // records whose 1st ALT is a transition SNP
    uint64_t tv = 0;
    uint64_t indels = 0;  // records with an indel ALT
};
std::vector<QualityRow> quality_rows(const VcfStats& s);

// IDD: deletions (negative lengths, longest first), then insertions. `genotypes` and
// `mean_vaf` cover het genotypes with FORMAT/AD (has_vaf false when there are none).
struct IndelLengthRow {
    int length = 0;
    uint64_t sites = 0;
    uint64_t genotypes = 0;
    bool has_vaf = false;
    double mean_vaf = 0;
};
std::vector<IndelLengthRow> indel_length_rows(const VcfStats& s);

// ST: the 12 substitutions in bcftools' order (A>C, A>G, A>T, C>A, ... T>G).
struct SubstitutionRow {
    std::string type;  // e.g. "A>G"
    bool transition = false;
    uint64_t count = 0;
};
std::vector<SubstitutionRow> substitution_rows(const VcfStats& s);

// DP: non-empty depth bins; `label` is "<0", the depth, or ">500".
struct DepthRow {
    std::string label;
    int depth = 0;  // -1 for "<0", kMaxDepth + 1 for the last bin
    uint64_t genotypes = 0;
    double genotype_percent = 0;
    uint64_t sites = 0;
    double site_percent = 0;
};
std::vector<DepthRow> depth_rows(const VcfStats& s);

// HWE: per AF bin with genotypes, the quartiles of the fraction of het calls.
struct HweRow {
    double af = 0;
    uint64_t observations = 0;
    float p25 = 0;
    float median = 0;
    float p75 = 0;
};
std::vector<HweRow> hwe_rows(const VcfStats& s);

}  // namespace vcfagent::vcf
