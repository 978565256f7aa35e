#pragma once
// The unit `vcf-agent compare` works on, and the one interface its inputs implement.
//
// A ComparedSite is one split variant (one ALT allele of a record, as after
// `bcftools norm -m-`) with every sample's genotype reduced to a code. A SiteSource produces
// them position-sorted; the comparison core (site matcher, concordance, swap check) reads
// nothing else, so a VCF/BCF file (file_site_source.hpp) and a source held in a store are
// compared by the same code.
//
// Contract for a SiteSource implementation:
//  - samples() and contigs() are fixed before the first next() and do not change.
//  - next() yields the sites in the order of contigs() (contigs missing from it may follow in
//    any order, each one contiguous), by non-decreasing `pos` within a contig. The core checks
//    this and fails with an error naming the source and `where` of the offending site; a
//    source need not check it itself.
//  - Each site's `gt` holds exactly samples().size() codes (or is empty when the source has no
//    genotypes at this site).
//  - Memory: a source streams; the core holds only the sites of one position at a time.
#include <cstdint>
#include <string>
#include <vector>

#include "vcf/variant.hpp"

namespace vcfagent::compare {

// Genotype codes, the same as vcf::CallVector::gt and the store's CalledIn.gt: another ALT of a
// multi-allelic record counts as REF; a call with any missing allele is missing.
inline constexpr char kGtHomRef = '0';   // every allele REF (haploid REF too)
inline constexpr char kGtHet = '1';      // some but not all alleles are this ALT
inline constexpr char kGtHomAlt = '2';   // every allele is this ALT (haploid ALT too)
inline constexpr char kGtMissing = '.';  // no call, or any allele missing

struct ComparedSite {
    std::string chrom;
    int64_t pos = 0;  // 1-based, after trimming REF/ALT to the minimal representation
    std::string ref;  // trimmed alleles; ALT "." for a reference-only record
    std::string alt;
    std::string key;  // vcf::make_variant_key(chrom, pos, ref, alt)
    vcf::VariantClass vclass = vcf::VariantClass::Snv;
    std::string id;  // the record's ID ('.' -> empty); only written to VCF output
    // This ALT's allele count and the total allele number, as `bcftools stats` reads them for
    // its allele-frequency bins: INFO/AC (this allele's value) and INFO/AN when the record has
    // both, else counted from every sample's GT (other ALTs counting as REF). -1 when unknown
    // (such sites fall in bcftools' singleton/unknown bin).
    int32_t ac = -1;
    int32_t an = -1;
    // One genotype code per sample, in SiteSource::samples() order (a reference-only site's
    // calls are hom-ref or missing); empty when the site has no genotypes.
    std::string gt;
    // Where the site came from, for error messages: "line 12", "record 7 (22:1234)"; a store
    // source may say e.g. "variant 22:1234:A:G".
    std::string where;
};

class SiteSource {
  public:
    virtual ~SiteSource() = default;
    // How the source is named in messages and output: a file path, or a store source.
    virtual const std::string& name() const = 0;
    virtual const std::vector<std::string>& samples() const = 0;
    // Contig order of the source (its header's contigs); may be empty.
    virtual const std::vector<std::string>& contigs() const = 0;
    // The next site into `site` (its fields are all overwritten); false at the end.
    // Throws InputError (common/error.hpp) for unreadable input.
    virtual bool next(ComparedSite& site) = 0;
};

}  // namespace vcfagent::compare
