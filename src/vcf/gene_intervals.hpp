#pragma once
// Gene intervals from a GTF, GFF3 or BED file held in htslib's region index (regidx), used to
// assign genes to variants of files that carry no functional annotations. Lookup is an index
// query per variant, never a scan over all genes.
#include <htslib/regidx.h>

#include <string>
#include <vector>

#include "vcf/variant.hpp"

namespace vcfagent::vcf {

class GeneIntervals {
public:
    // Format by extension: .gtf/.gtf.gz, .gff/.gff3(.gz), otherwise BED (name in column 4).
    explicit GeneIntervals(const std::string& path);
    ~GeneIntervals();
    GeneIntervals(const GeneIntervals&) = delete;
    GeneIntervals& operator=(const GeneIntervals&) = delete;

    // Genes overlapping [beg, end] (1-based inclusive) on chrom.
    std::vector<std::string> overlapping(const std::string& chrom, int64_t beg, int64_t end) const;
    // Adds an Annotation{gene, source "GENES"} for each overlapping gene to variants that have
    // no annotation of their own.
    void annotate(std::vector<Variant>& variants) const;
    size_t size() const;

private:
    regidx_t* idx_ = nullptr;
    regitr_t* itr_ = nullptr;
};

}  // namespace vcfagent::vcf
