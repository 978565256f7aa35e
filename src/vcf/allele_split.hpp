#pragma once
// Splits one htslib record into one Variant per ALT allele (bcftools norm -m- semantics):
// alleles trimmed to the minimal representation, per-allele INFO (AF, SVLEN), annotations
// matched to their allele, and each sample's genotype re-expressed against that allele.
#include <htslib/vcf.h>

#include <vector>

#include "vcf/annotations.hpp"
#include "vcf/variant.hpp"

namespace vcfagent::vcf {

class RecordSplitter {
public:
    // with_genotypes=false skips FORMAT decoding entirely (sites-only loads); with_depths
    // fills the call vectors' per-sample DP/GQ/AD as well as their genotype codes.
    RecordSplitter(const bcf_hdr_t* hdr, bool with_genotypes, bool with_depths = false);
    ~RecordSplitter();
    RecordSplitter(const RecordSplitter&) = delete;
    RecordSplitter& operator=(const RecordSplitter&) = delete;

    // Appends the record's variants to `out` (one per ALT; a single NoAlt variant when ALT
    // is '.'). `line` is stored on every variant for error messages and provenance.
    void split(bcf1_t* rec, int64_t line, std::vector<Variant>& out);

private:
    void add_calls(bcf1_t* rec, size_t first_variant, std::vector<Variant>& out);

    const bcf_hdr_t* hdr_;
    bool with_genotypes_;
    bool with_depths_;
    AnnotationParser annotations_;
    std::vector<std::vector<Annotation>> per_alt_annotations_;
    // htslib-managed scratch buffers, reused across records.
    int32_t* gt_ = nullptr;
    int n_gt_ = 0;
    int32_t* dp_ = nullptr;
    int n_dp_ = 0;
    int32_t* gq_ = nullptr;
    int n_gq_ = 0;
    float* gq_float_ = nullptr;
    int n_gq_float_ = 0;
    int32_t* ad_ = nullptr;
    int n_ad_ = 0;
    float* af_ = nullptr;
    int n_af_ = 0;
    int32_t* svlen_ = nullptr;
    int n_svlen_ = 0;
    char* svtype_ = nullptr;
    int n_svtype_ = 0;
};

}  // namespace vcfagent::vcf
