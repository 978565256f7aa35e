#pragma once
// Which sites of A and B are "the same site": a merge of two position-sorted streams of split
// sites, pairing the sites of one position as bcftools' synced reader pairs records (the logic
// behind `bcftools isec -c` and `bcftools stats -c`), applied to split, trimmed sites:
//  - A site of A and a site of B with the same REF and ALT always pair (letter case aside);
//    duplicates pair in order (the k-th copy in A with the k-th in B).
//  - Under a collapse mode the leftover sites of A, in file order, each take the first
//    leftover site of B of the best allowed class pairing: snps (SNV/MNV with SNV/MNV),
//    indels (indel with indel), both (the two), all (any two sites, preferring the same class,
//    then a SNV or indel with a reference-only site); none and some pair only identical
//    alleles (for split biallelic sites "some ALT matches" is "the ALT matches").
// Differences from isec, by design: sites are compared after trimming alleles to the minimal
// representation (one variant spelled two ways matches), grouped by their trimmed position;
// symbolic alleles are told apart by allele text only (not INFO/END).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compare/compared_site.hpp"
#include "compare/contig_order.hpp"

namespace vcfagent::compare {

enum class CollapseMode { None, Snps, Indels, Both, All, Some };
// Names as bcftools spells them; "any" is accepted for "all". False for an unknown name.
bool parse_collapse_mode(std::string_view name, CollapseMode& out);
std::string_view to_string(CollapseMode mode);

// The pairing of the sites of A and B at one position (indices into the two vectors).
struct PositionPairing {
    std::vector<std::pair<size_t, size_t>> both;
    std::vector<size_t> only_a, only_b;
};
PositionPairing pair_position(const std::vector<ComparedSite>& a,
                              const std::vector<ComparedSite>& b, CollapseMode mode);

// One input read in merge order, checked: the contigs follow `order` (each contiguous) and
// positions never decrease within a contig; every genotype vector has one code per sample.
// A violation is an InputError naming the source and the site.
class SortedSiteStream {
  public:
    SortedSiteStream(SiteSource& source, ContigOrder& order);
    bool done() const { return done_; }
    // (contig rank, position) of the next site; only when !done().
    size_t rank() const { return rank_; }
    int64_t pos() const { return head_.pos; }
    // Moves every site at the current (contig, position) into `out` (cleared first).
    void take_position(std::vector<ComparedSite>& out);
    SiteSource& source() { return source_; }

  private:
    void advance();

    SiteSource& source_;
    ContigOrder& order_;
    ComparedSite head_;
    bool done_ = false;
    size_t rank_ = 0;
    bool started_ = false;
    size_t last_rank_ = 0;
    int64_t last_pos_ = 0;
    std::string last_chrom_;
};

// Receives the outcome of the merge, position by position, in merge order.
class SiteVisitor {
  public:
    virtual ~SiteVisitor() = default;
    virtual void only_a(const ComparedSite& a) = 0;
    virtual void only_b(const ComparedSite& b) = 0;
    virtual void both(const ComparedSite& a, const ComparedSite& b) = 0;
};

// Streams both sources to the end. Holds only one position's sites of each at a time.
// `order` should already hold A's then B's header contigs.
void match_sites(SiteSource& a, SiteSource& b, ContigOrder& order, CollapseMode mode,
                 SiteVisitor& visitor);

}  // namespace vcfagent::compare
