#pragma once
// Inheritance questions over the pedigree and the call vectors a store holds (GEMINI's
// de_novo / autosomal_recessive / autosomal_dominant / x_linked_* / comp_hets / mendel_errors,
// slivar's trio expressions): each runs inside the store, one pass over the matching
// variants' call vectors per source, never re-reading a VCF.
//
// Genotype codes are those of vcf::CallVector ('0' hom-ref, '1' het, '2' hom-alt or haploid
// ALT, '.' missing). Thresholds apply to the calls a pattern relies on; a threshold on a
// FORMAT field the source does not have is not applied, and the result's notes say so.
#include <string>
#include <vector>

#include "query/graph_queries.hpp"
#include "query/result_table.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::query {

enum class InheritanceMode {
    DeNovo,        // child carries, both parents hom-ref
    Recessive,     // affected hom-alt, their unaffected parents het, unaffected not hom-alt
    Dominant,      // affected carry, unaffected hom-ref
    XRecessive,    // on X outside the PARs: affected females hom-alt, affected males carry, ...
    XDominant,     // on X outside the PARs: affected carry, unaffected hom-ref, ...
    XDeNovo,       // on X outside the PARs: child carries, mother (and a girl's father) hom-ref
    CompHet,       // two or more hets in one gene of an affected child, in trans if known
    MendelErrors,  // genotypes a trio cannot have under Mendelian transmission
};
// "de-novo", "recessive", ... as the CLI spells them; false for an unknown name.
bool parse_inheritance_mode(const std::string& name, InheritanceMode& out);
std::string to_string(InheritanceMode mode);

// Quality a call must have to count (GQ, DP; allele balance ALT/(REF+ALT) for a het).
struct CallThresholds {
    int min_gq = 20;
    int min_dp = 6;
    double min_het_ab = 0.2;
    double max_het_ab = 0.8;
};

struct FamilyOptions {
    VariantFilter filter;  // region, gene, impact, class, AF range, limit
    int min_kindreds = 1;  // families in which the pattern must hold
    // No thresholds, and a child may be hom-alt where a het is asked for (de novo).
    bool lenient = false;
    CallThresholds child;   // the child / affected members
    CallThresholds parent;  // parents and unaffected members
    // Alternate reads both parents of a de novo child may show together at most (FORMAT/AD).
    int max_parent_alt_reads = 1;
    std::string build = "GRCh37";           // pseudo-autosomal regions of X: GRCh37 or GRCh38
    std::vector<std::string> families;      // only these families (empty: all)
    bool comp_het_without_parents = false;  // comp-het: ignore parents, phase unknown
};

struct FamilyResult {
    ResultTable variants;            // one row per variant, key first
    ResultTable samples;             // mendel-errors: one row per child (checked, errors by type)
    std::vector<std::string> notes;  // thresholds not applied, families left out, ...
};

// Runs `mode` over every family of the store's pedigree (or those in options.families).
// Throws StoreError when the store has no pedigree or none of the families can be checked.
FamilyResult analyse_families(store::GraphStore& store, InheritanceMode mode,
                              const FamilyOptions& options, const store::ReadLimits& limits = {});

// GRCh37 / GRCh38 pseudo-autosomal regions of X: true when `pos` on `chrom` is on X (X or
// chrX) outside them. Throws std::invalid_argument for another build.
bool in_x_nonpar(const std::string& chrom, int64_t pos, const std::string& build);

}  // namespace vcfagent::query
