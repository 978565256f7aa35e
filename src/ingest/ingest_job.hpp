#pragma once
// Loads one VCF/BCF file into both stores in bounded, atomic batches.
// Invariants: each batch commits whole or not at all (GraphStore::write_batch); the Source
// node's records_committed advances in the same transaction, so an interrupted load resumes
// after its last committed batch; re-loading never duplicates nodes or edges.
#include <cstdint>
#include <functional>
#include <string>

#include "store/dual_store.hpp"
#include "vcf/reader.hpp"

namespace vcfagent::ingest {

struct IngestOptions {
    vcf::ReaderOptions reader;
    size_t batch_records = 50000;  // source records per batch (one transaction)
    // ...and at most about this many genotype calls, so a wide file's batch stays within the
    // graph store's buffer pool and the memory budget.
    size_t batch_calls = 400000;
    bool force = false;  // reload a file already loaded (its edges are replaced)
    bool with_genotypes = true;
    std::string genes_file;  // GTF/GFF3/BED: gene overlap for files without annotations
    bool sync = false;       // run read and write one after another (the fallback path)
    // Batches the reader may run ahead of the writer. One is enough: reading is several times
    // faster than writing; 2 cost ~50 MB more peak RSS on 1M x 100 for no speed (57.0 vs 58.9 s).
    size_t queue_depth = 1;
    // Memory budget (0: none). When the process's RSS passes 80% of it after a batch, later
    // batches hold half as many genotype calls (down to a floor); they grow back below 50%.
    uint64_t memory_limit_bytes = 0;
};

struct IngestReport {
    std::string path;
    std::string source_id;
    bool skipped_already_loaded = false;
    bool resumed = false;
    int64_t records = 0;   // source records read in this run
    int64_t variants = 0;  // split variants seen
    int64_t new_variants = 0;
    int64_t new_edges = 0;
    int64_t new_gene_links = 0;
    int64_t batches = 0;
    int64_t records_skipped = 0;  // --skip-invalid
    double seconds = 0;
    // Time per stage (busy time; stages overlap in the concurrent mode).
    double read_seconds = 0;
    double graph_lookup_seconds = 0;
    double graph_stage_seconds = 0;
    double graph_copy_seconds = 0;
    double embed_seconds = 0;
    double vector_seconds = 0;
    int64_t vectors_added = 0;
    uint64_t peak_rss_bytes = 0;   // of the whole process, at the end of the load
    size_t final_batch_calls = 0;  // the genotype-call bound batches ended with
};

// Progress callback: records read so far, bytes read, total bytes (-1 unknown).
using ProgressFn = std::function<void(int64_t records, int64_t bytes, int64_t total)>;

// Throws InputError on bad input after committing the batches before the bad record; the
// report of committed work is then in `partial`.
IngestReport ingest_file(store::DualStore& stores, const std::string& path,
                         const IngestOptions& options, const ProgressFn& progress,
                         IngestReport* partial = nullptr);

}  // namespace vcfagent::ingest
