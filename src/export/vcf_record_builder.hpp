#pragma once
// Stored variants as htslib records: a VCF header for a StoredRecordReader's contigs, samples
// and FILTER ids, and one bcf1_t per StoredRecord. What `export -O vcf|bcf` writes and what
// the report of a store reads, so both see the same records.
//
// What comes back: the split and trimmed alleles at their position, ID, QUAL, FILTER, INFO/AF,
// END/SVTYPE/SVLEN of structural variants, the gene annotations as a SnpEff-style INFO/ANN,
// and per sample GT (plus DP, GQ, AD where the store holds them). A carrier's GT keeps the
// file's ploidy and phase with this ALT as allele 1 and any other ALT as 0, as `bcftools norm
// -m -any` writes it; for a het call of two ALTs (1/2) the side of this ALT is not stored and
// it is written first. A non-carrier is written from its call-vector code (0/0 or ./.) with the
// record's ploidy (that of its carriers, else 2), unphased.
#include <htslib/vcf.h>

#include "export/stored_records.hpp"

namespace vcfagent::exporting {

class VcfRecordBuilder {
  public:
    explicit VcfRecordBuilder(StoredRecordReader& reader);
    ~VcfRecordBuilder();
    VcfRecordBuilder(const VcfRecordBuilder&) = delete;
    VcfRecordBuilder& operator=(const VcfRecordBuilder&) = delete;

    bcf_hdr_t* header() const { return hdr_; }
    // Replaces `out`'s contents with `rec`.
    void fill(const StoredRecord& rec, bcf1_t* out);
    // Each sample's GT as `fill` writes it, as VCF text ("0|1", "./.").
    std::vector<std::string> genotype_texts(const StoredRecord& rec);

  private:
    bcf_hdr_t* hdr_ = nullptr;
    size_t samples_ = 0;
    std::vector<int32_t> gt_, dp_, gq_, ad_;
    std::vector<int32_t> filters_;
    bcf1_t* scratch_ = nullptr;  // genotype_texts() builds its record here
};

}  // namespace vcfagent::exporting
