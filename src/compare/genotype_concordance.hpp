#pragma once
// Genotype concordance of paired samples over the sites both inputs have, computed as
// `bcftools stats -s - A B` computes its GCsAF/GCiAF, NRDs/NRDi, GCsS/GCiS and GCTs/GCTi
// sections (bcftools 1.16, vcfstats.c), so every number can be checked against it:
//  - Only sites present in both count; the site's class and allele frequency are A's.
//    SNVs go to the SNP tables; every other class (indels, MNVs, symbolic, reference-only) to
//    the "indel" tables, as bcftools files any record without a SNP there. Sites without
//    genotypes in either input are not compared. A reference-only site of A (paired under
//    -c all) has no allele frequency: it goes to the singleton/unknown bin, where bcftools
//    reuses the bin of the record before it; the difference can only show in a GCiAF line.
//  - Genotypes: hom-ref, het, hom-alt, missing (codes of compared_site.hpp); bcftools' fourth
//    class "AA het" (two different ALTs) cannot occur after splitting and stays 0.
//  - Allele-frequency bins: AC == 1 (or AC/AN unknown) is the singleton bin 0; AN == 0 bin 1;
//    else bin 1 + (int)(AC/AN * (n_bins - 2)) with n_bins = max(101, samples of A + 1,
//    samples of B + 1). Bin 0's r² sums (all but the B dosage sum, as bcftools does) are
//    merged into bin 1 when reported; its genotype counts only enter the NRD totals.
//  - Dosage r²: A's dosage is y, B's is x (0/1/2), over pairs where both are called. A
//    haploid ALT counts as dosage 2 here (bcftools: 1, and it skips haploid-vs-diploid pairs):
//    the genotype codes do not carry ploidy.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "compare/compared_site.hpp"

namespace vcfagent::compare {

// Row/column order of a genotype table: bcftools' RR, RA, AA, "AA het", missing.
enum GenotypeClass : int { kHomRef = 0, kHet = 1, kHomAlt = 2, kHetAlt = 3, kMissing = 4 };
int genotype_class(char code);

struct GenotypeTable {
    std::array<std::array<uint64_t, 5>, 5> n{};  // n[class in A][class in B]
    // Sums for the dosage r² (y: A's dosage, x: B's), and the number of pairs they cover.
    double x = 0, xx = 0, y = 0, yy = 0, yx = 0, count = 0;

    uint64_t matches() const;     // both called, same class
    uint64_t mismatches() const;  // both called, different class
    uint64_t compared() const { return matches() + mismatches(); }
    // bcftools' per-sample non-reference discordance (GCsS column 4), in percent.
    double nrd_percent() const;
    // Dosage r² (NaN when undefined).
    double r_squared() const;
};

struct SamplePair {
    std::string a, b;    // names
    size_t a_index = 0;  // index in A's samples()
    size_t b_index = 0;  // index in B's samples()
};

class GenotypeConcordance {
  public:
    GenotypeConcordance(std::vector<SamplePair> pairs, size_t samples_a, size_t samples_b);

    // One site of both inputs (A's site first).
    void add(const ComparedSite& a, const ComparedSite& b);

    // Kind 0: SNPs, kind 1: everything else ("indels" in bcftools' section names).
    static constexpr int kSnps = 0, kIndels = 1;
    const std::vector<SamplePair>& pairs() const { return pairs_; }
    const std::vector<GenotypeTable>& by_sample(int kind) const { return by_sample_[kind]; }
    const std::vector<GenotypeTable>& by_af_bin(int kind) const { return by_af_[kind]; }
    size_t af_bins() const { return n_bins_; }
    // The bin a site of A falls in, and the allele frequency bcftools prints for bin i >= 1.
    int af_bin(const ComparedSite& site) const;
    double bin_af(size_t i) const;
    uint64_t sites_compared(int kind) const { return sites_[kind]; }

    // The summary over all bins (the NRDs/NRDi line): NRD and RR/RA/AA discordance, percent.
    struct Discordance {
        double nrd = 0, rr = 0, ra = 0, aa = 0;
        uint64_t matches = 0, mismatches = 0;  // over called pairs, all classes
    };
    Discordance overall(int kind) const;

    // The reported allele-frequency bins (GCsAF/GCiAF lines): bins >= 1 with genotypes.
    struct AfRow {
        double af = 0;
        uint64_t matches[3] = {0, 0, 0};     // RR, RA, AA
        uint64_t mismatches[3] = {0, 0, 0};  // RR, RA, AA
        GenotypeTable table;                 // bin 1 with the singleton bin's r² sums merged
    };
    std::vector<AfRow> af_rows(int kind) const;

    // The bcftools stats lines (GCsAF, GCiAF, NRDs, NRDi, GCsS, GCiS, GCTs, GCTi), each
    // section introduced by bcftools' comment header, byte for byte as bcftools prints them.
    std::string bcftools_sections() const;

  private:
    std::vector<SamplePair> pairs_;
    size_t n_bins_;
    std::vector<GenotypeTable> by_sample_[2];
    std::vector<GenotypeTable> by_af_[2];
    uint64_t sites_[2] = {0, 0};
};

}  // namespace vcfagent::compare
