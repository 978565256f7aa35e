#pragma once
// Summary statistics of a VCF/BCF stream with the semantics of `bcftools stats` (1.16): the SN
// (summary numbers), TSTV, SiS (singletons), AF (by allele frequency), QUAL, IDD (indel
// lengths), ST (substitution types), DP (depth) sections and, when samples are requested, PSC
// (per-sample counts), PSI (per-sample indels) and HWE. Alleles are classified by htslib itself
// (bcf_get_variant_types / bcf_gt_type), so every count agrees with bcftools on the same input.
// Not produced: the sections of bcftools' optional inputs (a second file, --exons, --fasta-ref,
// --user-tstv).
#include <htslib/vcf.h>

#include <array>
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
    // PSI: het genotypes with an inserted / deleted allele (an ins+del het counts in both),
    // hom-alt genotypes of an insertion / deletion.
    uint64_t ins_hets = 0;
    uint64_t del_hets = 0;
    uint64_t ins_homs = 0;
    uint64_t del_homs = 0;
    // bcftools computes the mean in single precision; keeping that makes %.1f round alike.
    float average_depth() const;
};

// Counts of one allele-frequency bin (AF section; bin 0 holds the singletons of SiS).
struct AlleleFrequencyBin {
    uint64_t snps = 0;  // SNP ALT alleles
    uint64_t ts = 0;
    uint64_t tv = 0;
    uint64_t indels = 0;  // indel ALT alleles
};

// A histogram binned as bcftools' dist_t with 5 exact decades: values up to 10^5 have a bin
// each, larger ones 9*10^4 bins per decade. QUAL stores 1 + 10*QUAL (0: missing or negative).
class LogBins {
  public:
    void add(uint32_t value);
    size_t size() const { return bins_.size(); }
    uint64_t count(size_t bin) const { return bins_[bin]; }
    // The smallest value that falls into `bin`.
    uint32_t lower_bound(size_t bin) const;

  private:
    std::vector<uint64_t> bins_;
};

// Indel lengths are counted up to this many bases; longer ones go into the last bin.
inline constexpr int kMaxIndelLength = 60;
// Depths 0..kMaxDepth have a bin each, plus one below (negative) and one above.
inline constexpr int kMaxDepth = 500;

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

    // AF bins: bin 0 the singletons (AC == 1), bin i >= 1 the ALT alleles whose frequency f
    // (AC/AN from INFO, else from the genotypes; no AC at all puts every allele in bin 0) has
    // int(f * (size - 2)) == i - 1. There are max(101, samples in the file + 1) bins.
    std::vector<AlleleFrequencyBin> af;
    LogBins qual_ts;      // QUAL of records whose 1st ALT is a transition SNP
    LogBins qual_tv;      // ... a transversion SNP
    LogBins qual_indels;  // QUAL of records with an indel ALT
    // Indel ALT alleles by length - 1 (the last bin: kMaxIndelLength or longer).
    std::array<uint64_t, kMaxIndelLength> insertions{};
    std::array<uint64_t, kMaxIndelLength> deletions{};
    // Het indel genotypes and the sum of their ALT allele's read fraction (FORMAT/AD), by
    // signed length + kMaxIndelLength (deletions negative); samples requested only.
    std::array<uint64_t, 2 * kMaxIndelLength + 1> vaf_n{};
    std::array<double, 2 * kMaxIndelLength + 1> vaf_sum{};
    // SNP ALT alleles by (REF << 2 | ALT) with A,C,G,T = 0..3.
    std::array<uint64_t, 16> substitutions{};
    // DP section bins: [0] below 0, [1 + d] depth d, [kMaxDepth + 3] above kMaxDepth.
    std::vector<uint64_t> depth_genotypes;  // FORMAT/DP (or sum of AD) of the samples requested
    std::vector<uint64_t> depth_sites;      // INFO/DP
    // HWE: per AF bin (as `af`, singletons in bin 0), 100 bins of the fraction of het calls.
    std::vector<uint64_t> hwe;

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
    ~StatsCollector();
    StatsCollector(const StatsCollector&) = delete;
    StatsCollector& operator=(const StatsCollector&) = delete;

    // Throws std::invalid_argument when a genotype names an allele the record does not have.
    void add(bcf1_t* rec);
    const VcfStats& stats() const { return stats_; }

  private:
    void allele_frequency_bins(bcf1_t* rec);
    // `qual`: the record's QUAL-section value (see LogBins).
    void add_snp_alleles(bcf1_t* rec, uint32_t qual);
    void add_indel_alleles(bcf1_t* rec, uint32_t qual);
    void add_genotypes(bcf1_t* rec);
    void add_depth(bcf1_t* rec);
    void add_site_depth(bcf1_t* rec);

    const bcf_hdr_t* hdr_;
    std::vector<int> columns_;
    VcfStats stats_;
    std::vector<int> af_bin_;     // the AF bin of each allele of the current record
    std::vector<int> counts_;     // scratch: allele counts of the current record
    int32_t* info_dp_ = nullptr;  // htslib-owned buffer of bcf_get_info_int32
    int info_dp_size_ = 0;
};

// Streams `path` through a VcfReader. `samples_wanted`: collect PSC counts for
// opts.samples (all samples when that list is empty); otherwise genotypes are not parsed.
VcfStats compute_stats(const std::string& path, ReaderOptions opts, bool samples_wanted);

// Every section in bcftools' text layout and order, with comment headers; the first line
// carries the phrase MultiQC looks for to recognise a bcftools stats file.
std::string format_stats_text(const VcfStats& s);
// The same numbers as a JSON object (keys in text order); ratios and depths rounded as the
// text prints them. `summary_only`: just SN, TSTV and PSC (a bounded answer for the tools).
nlohmann::ordered_json stats_to_json(const VcfStats& s, bool summary_only = false);

}  // namespace vcfagent::vcf
