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
    // Positions of the sub-fields we read within one '|'-separated entry; -1 when absent.
    struct Layout {
        int allele = -1;
        int allele_num = -1;  // VEP ALLELE_NUM: 1-based ALT index
        int consequence = -1;
        int impact = -1;
        int gene = -1;
        int gene_id = -1;
        int feature = -1;
        int hgvs_c = -1;
        int hgvs_p = -1;
        int aa_change = -1;  // EFF Amino_Acid_Change, e.g. "p.Val38Ala/c.113T>C" or "V38A"
        int genotype = -1;   // EFF Genotype_Number: 1-based ALT index
    };
    static Layout make_layout(const std::vector<std::string>& fields);

    std::vector<std::string> ann_fields_;  // ANN sub-field names in order (lower-cased)
    std::vector<std::string> csq_fields_;  // CSQ sub-field names in order (lower-cased)
    std::vector<std::string> eff_fields_;  // EFF names inside the parentheses (lower-cased)
    Layout ann_, csq_, eff_;
    bool has_ann_ = false, has_eff_ = false, has_csq_ = false, has_geneinfo_ = false,
         has_clnsig_ = false;
};

}  // namespace vcfagent::vcf
