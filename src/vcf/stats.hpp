#pragma once
// Summary statistics of a VCF/BCF stream with the semantics of `bcftools stats` (1.16): the SN
// (summary numbers), TSTV and, when samples are requested, PSC (per-sample counts) sections.
// Alleles are classified by htslib itself (bcf_get_variant_types / bcf_gt_type), so every
// count agrees with bcftools on the same input.
#include <htslib/vcf.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vcf/reader.hpp"

namespace vcfagent::vcf {

// One PSC line. The ref/hom/het and ts/tv columns cover SNP genotypes only (plus hom-ref calls
// at any site); nIndels counts non-ref genotypes carrying an indel allele.
struct SampleStats {
    std::string name;
    uint64_t ref_hom = 0;
    uint64_t non_ref_hom = 0;
    uint64_t hets = 0;
    uint64_t transitions = 0;  // first ALT allele of the genotype only
    uint64_t transversions = 0;
    uint64_t indels = 0;
    uint64_t depth_sum = 0;   // FORMAT/DP, or the sum of FORMAT/AD when DP is absent
    uint64_t depth_n = 0;     // genotypes contributing to depth_sum
    uint64_t singletons = 0;  // sites where this is the only sample with a non-ref diploid call
    uint64_t hap_ref = 0;
    uint64_t hap_alt = 0;
    uint64_t missing = 0;
    // bcftools computes the mean in single precision; keeping that makes %.1f round alike.
    float average_depth() const;
};

struct VcfStats {
    std::string source;         // the input path, "-" for stdin
    int samples_in_header = 0;  // all sample columns of the file, even when a subset is analysed
    uint64_t records = 0;
    uint64_t no_alts = 0;  // records whose ALT is '.' (or only reference-like alleles)
    uint64_t snps = 0;     // records with at least one SNP allele (likewise below)
    uint64_t mnps = 0;
    uint64_t indels = 0;
    uint64_t others = 0;
    uint64_t multiallelic = 0;
    uint64_t multiallelic_snps = 0;  // multi-allelic records whose alleles are all SNPs
    uint64_t ts = 0;                 // over every SNP ALT allele
    uint64_t tv = 0;
    uint64_t ts_alt1 = 0;  // over the first ALT allele only
    uint64_t tv_alt1 = 0;
    bool per_sample = false;
    std::vector<SampleStats> samples;  // in the order requested (header order for "all")

    float ts_tv() const;
    float ts_tv_alt1() const;
};

// Accumulates statistics record by record; holds nothing of the records themselves.
class StatsCollector {
  public:
    // `sample_columns` are indices into the header's (possibly subset) sample list, in output
    // order; empty means no per-sample counts.
    StatsCollector(const bcf_hdr_t* hdr, std::string source, int samples_in_header,
                   std::vector<int> sample_columns, bool per_sample);

    // Throws std::invalid_argument when a genotype names an allele the record does not have.
    void add(bcf1_t* rec);
    const VcfStats& stats() const { return stats_; }

  private:
    void add_snp_alleles(bcf1_t* rec);
    void add_genotypes(bcf1_t* rec);
    void add_depth(bcf1_t* rec);

    const bcf_hdr_t* hdr_;
    std::vector<int> columns_;
    VcfStats stats_;
};

// Streams `path` through a VcfReader. `samples_wanted`: collect PSC counts for
// opts.samples (all samples when that list is empty); otherwise genotypes are not parsed.
VcfStats compute_stats(const std::string& path, ReaderOptions opts, bool samples_wanted);

// The SN, TSTV (and PSC) sections in bcftools' text layout, with its comment headers.
std::string format_stats_text(const VcfStats& s);
// The same numbers as a JSON object (keys in text order); ratios and depths rounded as the
// text prints them.
nlohmann::ordered_json stats_to_json(const VcfStats& s);

}  // namespace vcfagent::vcf
