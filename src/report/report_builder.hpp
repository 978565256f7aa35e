#pragma once
// Builds the report's numbers from a stream of htslib records the caller supplies, so any
// source works: a file (file_report.hpp), or records read back from a store.
//
//   ReportBuilder builder(hdr, options);
//   while (bcf1_t* rec = next()) builder.add(rec);
//   ReportData data = builder.finish();
//
// The header must outlive the builder. Records need not be unpacked.
#include <htslib/vcf.h>

#include <array>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "report/report_data.hpp"
#include "vcf/annotations.hpp"
#include "vcf/stats.hpp"

namespace vcfagent::report {

struct ReportOptions {
    std::string source;               // shown in the page and the ID line ("-": stdin)
    int samples_in_header = -1;       // the source's sample count; -1: the header's
    std::vector<int> sample_columns;  // header columns for the per-sample table; empty: none
    size_t top_genes = 25;
    size_t bins_per_contig = 120;
};

class ReportBuilder {
  public:
    ReportBuilder(const bcf_hdr_t* hdr, ReportOptions options);
    ~ReportBuilder();
    ReportBuilder(const ReportBuilder&) = delete;
    ReportBuilder& operator=(const ReportBuilder&) = delete;

    // Throws std::invalid_argument for a record the statistics cannot count (a genotype naming
    // an allele the record lacks, AN below the sum of AC).
    void add(bcf1_t* rec);
    // The finished numbers; the builder is spent afterwards.
    ReportData finish();

  private:
    void add_position(bcf1_t* rec);
    void add_annotations(bcf1_t* rec);

    const bcf_hdr_t* hdr_;
    ReportOptions options_;
    vcf::StatsCollector stats_;
    vcf::AnnotationParser annotations_;
    std::vector<std::vector<vcf::Annotation>> per_alt_;
    std::vector<PositionHistogram> contigs_;
    std::unordered_map<int, size_t> contig_index_;  // header contig id -> contigs_ index
    uint64_t alt_alleles_ = 0;
    uint64_t annotated_alleles_ = 0;
    std::map<std::string, uint64_t> consequences_;
    std::array<uint64_t, 4> impacts_{};  // HIGH, MODERATE, LOW, MODIFIER
    std::unordered_map<std::string, GeneCount> genes_;
};

}  // namespace vcfagent::report
