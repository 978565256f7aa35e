#pragma once
// Functional annotations per ALT allele from SnpEff ANN, legacy SnpEff EFF, VEP CSQ and
// ClinVar GENEINFO/CLNSIG. The sub-field layout of ANN and CSQ is read from the header's
// Description ("Format: Allele|Consequence|..."), so files with custom VEP field orders work.
#include <htslib/vcf.h>

#include <string>
#include <vector>

#include "vcf/variant.hpp"

namespace vcfagent::vcf {

class AnnotationParser {
public:
    // Reads the header once: which annotation tags exist and their sub-field order.
    explicit AnnotationParser(const bcf_hdr_t* hdr);

    bool has_annotations() const;

    // Fills per_alt (resized to rec->n_allele - 1) with the annotations of each ALT allele,
    // matched by the annotation's Allele field (or ALT index for EFF / GENEINFO which are
    // not allele-specific: they apply to every ALT). rec must be unpacked with BCF_UN_INFO.
    void parse(const bcf_hdr_t* hdr, bcf1_t* rec,
               std::vector<std::vector<Annotation>>& per_alt) const;

private:
    struct Layout;
    std::vector<std::string> ann_fields_;  // ANN sub-field names in order (lower-cased)
    std::vector<std::string> csq_fields_;  // CSQ sub-field names in order (lower-cased)
    bool has_ann_ = false, has_eff_ = false, has_csq_ = false, has_geneinfo_ = false,
         has_clnsig_ = false;
};

}  // namespace vcfagent::vcf
