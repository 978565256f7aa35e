#pragma once
// What `vcf-agent compare` prints: a text report, a JSON document, and the site lists
// (TSV of keys, or isec-style VCF files).
#include <fstream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "compare/comparison.hpp"

namespace vcfagent::compare {

// Summary, per-sample genotype tables, overall concordance and swap check, then the
// `bcftools stats -s - A B` sections (GCsAF ... GCTi) exactly as bcftools prints them.
std::string format_text(const CompareResult& result);

// only_a, only_b, both, per-sample concordance (genotype table, concordance, NRD, r²), the
// overall NRD, the allele-frequency bins and the swap check. At most `max_rows` entries in each
// of the per-sample and swap-check lists; `truncated` says whether any list was cut.
nlohmann::json to_json(const CompareResult& result,
                       size_t max_rows = std::numeric_limits<size_t>::max());

// One line per site: set (only_a, only_b, both), chrom, pos (of A's site when in both), key in A,
// key in B ('.' when absent), after a '#' header line.
class TsvSiteWriter : public SiteVisitor {
  public:
    explicit TsvSiteWriter(std::ostream& out);
    void only_a(const ComparedSite& a) override;
    void only_b(const ComparedSite& b) override;
    void both(const ComparedSite& a, const ComparedSite& b) override;

  private:
    void line(const char* set, const ComparedSite& at, const std::string& key_a,
              const std::string& key_b);
    std::ostream& out_;
};

// The four files of `bcftools isec -p DIR` as sites-only VCF (CHROM POS ID REF ALT, split and
// trimmed): 0000.vcf sites only in A, 0001.vcf only in B, 0002.vcf A's sites in both,
// 0003.vcf B's sites in both. Creates `dir`; throws InputError when it cannot write there.
class VcfSiteWriter : public SiteVisitor {
  public:
    VcfSiteWriter(const std::string& dir, const std::vector<std::string>& contigs,
                  const std::string& a_name, const std::string& b_name);
    void only_a(const ComparedSite& a) override;
    void only_b(const ComparedSite& b) override;
    void both(const ComparedSite& a, const ComparedSite& b) override;
    // Flushes and closes the files; throws InputError on a write error.
    void finish();

  private:
    void write(int file, const ComparedSite& site);
    std::string dir_;
    std::ofstream files_[4];
};

}  // namespace vcfagent::compare
