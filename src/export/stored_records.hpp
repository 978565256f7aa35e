#pragma once
// The variants of a store that pass a selection, read back in locus order with every chosen
// sample's call and the variant's gene annotations: the one read path of `export` (VCF/BCF and
// tables), of the report of a store and of a comparison against a stored source.
//
// Reading is windowed: each contig is read in position windows whose bounds are written into
// the statements as literals (Kuzu prunes node groups by zone maps only for literals) and
// whose width adapts so a window holds a bounded number of rows; memory is one window.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "export/stored_selection.hpp"
#include "store/graph_store.hpp"
#include "store/locus_windows.hpp"

namespace vcfagent::exporting {

// One sample's call at a variant. `code` is the call vector's code ('0' hom-ref, '1' het,
// '2' hom-alt or haploid ALT, '.' missing or unknown); a carrier also has its record's GT
// text and phase. Depths are -1 when the store holds none.
struct StoredCall {
    char code = '.';
    std::string gt;  // the carrier's GT text as the file had it (e.g. "1|2"); empty otherwise
    bool phased = false;
    int32_t dp = -1, gq = -1, ad_ref = -1, ad_alt = -1;
};

// One InGene edge of a variant.
struct StoredAnnotation {
    std::string gene, gene_id, consequence, impact, feature, hgvs_c, hgvs_p;
};

struct StoredRecord {
    std::string key, chrom;
    int64_t pos = 0;  // 1-based, of the split and trimmed alleles
    std::string ref, alt, rsid;
    double qual = std::numeric_limits<double>::quiet_NaN();  // NaN: missing
    std::string filter;                                      // as stored: "PASS", "a;b" or empty
    std::string vtype;
    std::optional<double> af;
    int64_t end_pos = 0;
    std::string svtype;
    int64_t svlen = 0;
    int64_t n_alts = 1;             // ALT alleles of the record the variant was split from
    std::vector<StoredCall> calls;  // one per StoredRecordReader::samples(), in that order
    std::vector<StoredAnnotation> annotations;
};

class StoredRecordReader {
  public:
    // Resolves the selection (unknown sample or source: InputError naming it).
    StoredRecordReader(store::GraphStore& graph, StoredSelection selection);

    const std::vector<std::string>& samples() const { return samples_; }
    // Contigs of the store that variants were loaded on, in rank (load) order.
    const std::vector<std::string>& contigs() const { return windows_->contigs(); }
    // Distinct FILTER ids of the selected variants' store (for a VCF header).
    std::vector<std::string> filter_ids();

    // The next record, or false at the end.
    bool next(StoredRecord& out);
    // How many variants the selection matches (its limit aside), by one count statement with
    // the conditions the windows apply.
    int64_t count();

  private:
    struct SampleColumn {
        int64_t source = 0;  // Source.num
        int64_t idx = 0;     // column in that source's call vectors
    };
    void resolve_samples();
    bool read_window();

    store::GraphStore& graph_;
    query::GraphQueries queries_;
    StoredSelection selection_;
    std::optional<int64_t> source_num_;
    std::vector<std::string> samples_;
    std::vector<std::vector<SampleColumn>> columns_;  // per exported sample
    std::optional<store::LocusWindows> windows_;      // set once the samples are known
    std::vector<StoredRecord> window_;
    size_t window_i_ = 0;
    size_t returned_ = 0;  // records next() handed out (the selection's limit bounds it)
};

}  // namespace vcfagent::exporting
