#pragma once
// Everything the report shows, computed in one pass over the records: the bcftools-stats
// numbers (the same VcfStats `vcf-agent stats` prints) and the report-only parts: variants
// along each chromosome, consequence / impact / gene counts from the functional annotations,
// and the per-sample table with its outliers.
#include <cstdint>
#include <string>
#include <vector>

#include "report/position_histogram.hpp"
#include "report/sample_outliers.hpp"
#include "vcf/stats.hpp"

namespace vcfagent::report {

// One row of the per-sample table: the PSC counts (SNP genotypes, as bcftools) and the
// het/hom-alt ratio, with the metrics that mark the sample as an outlier.
struct SampleRow {
    std::string name;
    uint64_t hets = 0;
    uint64_t hom_alt = 0;
    double het_hom_ratio = 0;  // hets / hom_alt; 0 when there is no hom-alt call
    uint64_t indels = 0;
    uint64_t missing = 0;
    uint64_t singletons = 0;
    std::vector<std::string> outlier_in;  // metric names, e.g. "hets", "missing"
};

// The rule applied to one per-sample metric.
struct MetricRule {
    std::string metric;
    OutlierRule rule;
};

struct NamedCount {
    std::string name;
    uint64_t count = 0;
};

struct GeneCount {
    std::string gene;
    uint64_t alleles = 0;      // ALT alleles annotated with this gene
    uint64_t high_impact = 0;  // ... of which with a HIGH impact on it
};

struct ReportData {
    vcf::VcfStats stats;

    std::vector<PositionHistogram> contigs;  // in order of first appearance

    // Annotations, counted per ALT allele: each consequence term once per allele, its worst
    // impact, each gene once per allele.
    bool has_annotations = false;
    uint64_t annotated_alleles = 0;
    uint64_t alt_alleles = 0;
    std::vector<NamedCount> consequences;  // most frequent first
    std::vector<NamedCount> impacts;       // HIGH, MODERATE, LOW, MODIFIER (all four)
    std::vector<GeneCount> top_genes;      // most hit first, at most ReportOptions::top_genes
    uint64_t genes_hit = 0;                // distinct genes over all annotated alleles

    std::vector<SampleRow> samples;
    std::vector<MetricRule> outlier_rules;
};

}  // namespace vcfagent::report
