#pragma once
// The data model every later stage consumes: one Variant per (record, ALT allele) after
// splitting multi-allelic records, with its annotations and its non-reference calls.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace vcfagent::vcf {

// Class of one ALT allele relative to REF (after trimming shared prefix/suffix).
enum class VariantClass : uint8_t {
    Snv,               // single base substitution
    Mnv,               // equal-length substitution of 2+ bases
    Insertion,         // ALT longer, REF is a prefix/suffix anchor
    Deletion,          // REF longer, ALT is a prefix/suffix anchor
    Complex,           // length change plus substitution
    Symbolic,          // <DEL>, <INS>, <DUP>, <INV>, <CNV>, <*> ... (SVTYPE/END/SVLEN carried)
    Breakend,          // VCF 4.x breakend notation: N[chr:pos[, ]chr:pos]N, .N, N.
    SpanningDeletion,  // ALT '*'
    NoAlt,             // ALT '.', a reference-only site
};
std::string_view to_string(VariantClass c);
// Inverse of to_string; returns false for an unknown name.
bool parse_variant_class(std::string_view name, VariantClass& out);

// Genotype of one sample with respect to one split ALT allele.
enum class Zygosity : uint8_t {
    HomRef,      // all called alleles are REF (never stored as an edge)
    Het,         // REF + this ALT
    HomAlt,      // every allele is this ALT (diploid or higher ploidy)
    Hemizygous,  // haploid call of this ALT
    HetAlt,      // this ALT together with a different ALT (e.g. 1/2)
    OtherAlt,    // carries only other ALT alleles, not this one (no edge for this allele)
    Missing,     // any allele missing ('.'); no edge unless this ALT is also present
};
std::string_view to_string(Zygosity z);

// A functional annotation of one ALT allele (SnpEff ANN/EFF, VEP CSQ, ClinVar GENEINFO/CLNSIG).
struct Annotation {
    std::string gene;         // gene symbol (may be empty when the source gives none)
    std::string gene_id;      // e.g. Ensembl/Entrez id when present
    std::string consequence;  // SO term(s), '&'-joined as in the source
    std::string impact;       // HIGH / MODERATE / LOW / MODIFIER (SnpEff/VEP); empty if unknown
    std::string feature;      // transcript / feature id when present
    std::string hgvs_c;       // coding HGVS when present
    std::string hgvs_p;       // protein HGVS when present
    std::string clinsig;      // ClinVar clinical significance when present
    std::string source;       // "ANN", "EFF", "CSQ" or "GENEINFO"
};

// One non-reference call of one sample for one split allele. Only calls that carry the
// allele are kept (Het, HomAlt, Hemizygous, HetAlt); missing and hom-ref calls make no call.
struct SampleCall {
    uint32_t sample = 0;  // index into the reader's (possibly subset) sample list
    Zygosity zygosity = Zygosity::Het;
    bool phased = false;
    int32_t dp = -1;  // FORMAT/DP, -1 when absent
    int32_t gq = -1;  // FORMAT/GQ, -1 when absent
    std::string gt;   // the original GT text of the record, e.g. "1|2"
};

// A split variant without its genotype calls: what the variant index and the embedders read.
struct VariantSite {
    std::string chrom;
    int64_t pos = 0;  // 1-based, after trimming to the minimal representation
    std::string ref;
    std::string alt;
    std::string key;  // chrom:pos:ref:alt, long alleles hashed (see variant_key.hpp)
    std::string id;   // the record's ID column ('.' -> empty), e.g. rsID
    float qual = std::numeric_limits<float>::quiet_NaN();
    std::string filter;  // ';'-joined FILTER ids, "PASS", or empty when '.'
    VariantClass vclass = VariantClass::Snv;
    int alt_index = 1;       // 1-based index of this ALT in the original record
    int n_alts = 1;          // number of ALT alleles in the original record
    int64_t record_pos = 0;  // POS of the original record (before trimming)
    int64_t end = 0;         // INFO/END or pos + len(ref) - 1
    int64_t svlen = 0;       // INFO/SVLEN for this allele when present, else 0
    std::string svtype;      // INFO/SVTYPE when present
    float af = std::numeric_limits<float>::quiet_NaN();  // INFO/AF for this allele when present
    bool transition = false;                             // SNV only: A<->G or C<->T
    std::vector<Annotation> annotations;
    int64_t line = 0;  // line (text VCF) or record ordinal (BCF) of the source record
};

// Every sample's genotype at one split variant, in the reader's sample order, hom-ref and
// missing calls included (edges hold only the carriers): what family analysis and exact
// hom-ref tests read, as GEMINI's gt_types / gt_depths / gt_quals / gt_*_depths do.
// Multi-allelic records are re-expressed per ALT as `bcftools norm -m-` does: another ALT
// counts as REF.
struct CallVector {
    // One code per sample: '0' hom-ref (haploid REF too), '1' het (some but not all alleles
    // are this ALT), '2' every allele is this ALT (haploid ALT too), '.' any allele missing.
    std::string gt;
    // FORMAT/DP, FORMAT/GQ and this variant's FORMAT/AD entries (REF and this ALT), one per
    // sample (-1 missing), or empty when the file has no such field.
    std::vector<int32_t> dp, gq, ad_ref, ad_alt;
    bool empty() const { return gt.empty(); }
};

struct Variant : VariantSite {
    std::vector<SampleCall> calls;
    CallVector call_vector;  // empty for sites-only loads
};

// A variant's share of a batch's load, in genotype calls: its edges plus its call vector,
// counted as one call per 150 bytes of the vector's staged text (a genotype code per sample,
// about 4 bytes per number), as an edge costs the COPY about 150 bytes of buffer pool.
// Batches and chunks are bounded in this unit, so a wide file's vectors count as well as its
// edges. (Per-sample depths need a larger pool besides: see IngestOptions::call_depths.)
inline size_t call_load(const Variant& v) {
    const auto& c = v.call_vector;
    const size_t bytes =
        c.gt.size() + 4 * (c.dp.size() + c.gq.size() + c.ad_ref.size() + c.ad_alt.size());
    return v.calls.size() + bytes / 150;
}

}  // namespace vcfagent::vcf
