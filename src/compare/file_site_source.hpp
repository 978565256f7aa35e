#pragma once
// A VCF/BCF file as a SiteSource: records read by VcfReader, split per ALT allele by
// RecordSplitter (genotype codes as after `bcftools norm -m-`), alleles trimmed.
//
// Trimming can move a site right of its record's POS (ACT>AGT at 100 is C>G at 101), so sites
// are not emitted straight away: they wait in a small buffer, sorted by trimmed position, until
// a record starts past them (a later record's sites can never lie before its POS). The buffer
// holds only the sites of records overlapping the current one.
#include <htslib/vcf.h>

#include <memory>
#include <string>
#include <vector>

#include "compare/compared_site.hpp"
#include "vcf/allele_split.hpp"
#include "vcf/reader.hpp"

namespace vcfagent::compare {

class FileSiteSource : public SiteSource {
  public:
    // `options.samples` must be empty: a comparison reads every sample (bcftools counts
    // allele frequencies over all of them). Regions and threads are honoured.
    FileSiteSource(const std::string& path, vcf::ReaderOptions options);
    ~FileSiteSource() override;
    FileSiteSource(const FileSiteSource&) = delete;
    FileSiteSource& operator=(const FileSiteSource&) = delete;

    const std::string& name() const override { return name_; }
    const std::vector<std::string>& samples() const override { return samples_; }
    const std::vector<std::string>& contigs() const override { return contigs_; }
    bool next(ComparedSite& site) override;

  private:
    // Reads one record into the buffer (or, on a new contig, the stash); sets eof_ at the end.
    void read_record();
    // This record's AC per ALT and AN, as bcftools stats reads them (-1 when unknown).
    void allele_counts(bcf1_t* rec, int n_alts);
    // Genotype codes of a record without ALT (hom-ref or missing).
    void reference_only_codes(bcf1_t* rec, std::string& codes);

    std::string name_;
    std::unique_ptr<vcf::VcfReader> reader_;
    std::unique_ptr<vcf::RecordSplitter> splitter_;
    std::vector<std::string> samples_;
    std::vector<std::string> contigs_;
    std::vector<vcf::Variant> split_;
    // Sites waiting for release, sorted by pos (stable), all on `pending_chrom_`.
    std::vector<ComparedSite> pending_;
    size_t pending_begin_ = 0;  // sites before this index were already released
    std::string pending_chrom_;
    int64_t release_below_ = 0;  // sites with pos < this may be released
    bool release_all_ = false;   // end of input or a new contig: release everything pending
    // The sites of the first record of a new contig, waiting for pending_ to drain.
    std::vector<ComparedSite> stash_;
    int64_t stash_pos_ = 0;
    // The previous record, to refuse an unsorted file.
    std::string last_chrom_;
    int64_t last_pos_ = 0;
    bool eof_ = false;
    bool has_ac_an_tags_ = false;
    bool has_gt_tag_ = false;
    std::vector<int32_t> ac_;
    int32_t an_ = -1;
    int32_t* info_ = nullptr;
    int n_info_ = 0;
    int32_t* gt_ = nullptr;
    int n_gt_ = 0;
};

}  // namespace vcfagent::compare
