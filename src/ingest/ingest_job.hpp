#pragma once
// Loads one VCF/BCF file into the graph in bounded, atomic batches (the variant index is
// derived from the graph afterwards: index/variant_index.hpp).
// Invariants: each batch commits whole or not at all (store::BatchWriter::commit_batch); the Source
// node's records_committed advances in the same transaction, so an interrupted load resumes
// after its last committed batch; re-loading never duplicates nodes or edges.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/graph_store.hpp"
#include "vcf/reader.hpp"
#include "vcf/variant_batches.hpp"

namespace vcfagent::ingest {

// A batch (one transaction in both stores) is read in chunks: only a chunk, not the batch,
// is in memory at a time; the graph stages each chunk's rows in files and loads the batch at
// its commit, which runs while the next batch is read and staged. A batch ends at the graph's next
// node-group boundary (BatchWriter::variants_to_node_group_end), after `batch_records` records or
// about `batch_calls` genotype calls, whichever comes first.
struct IngestOptions {
    vcf::ReaderOptions reader;
    size_t batch_records = 0;  // source records per batch at most (0: no bound)
    // Genotype calls per batch at most (about: it may pass by one variant's calls), so a wide
    // file's batch stays within the graph store's buffer pool and the memory budget.
    size_t batch_calls =
        store::GraphStore::max_batch_calls(store::GraphStoreOptions{}.buffer_pool_mb);
    // A chunk holds at most this many records and about this many genotype calls (records
    // are not split); chunks also end where a batch of `batch_records` ends.
    size_t chunk_records = 20000;
    size_t chunk_calls = 200000;
    bool force = false;  // reload a file already loaded (its edges are replaced)
    bool with_genotypes = true;
    // Also keep every sample's DP/GQ/AD in the call vectors (family thresholds need them). Off
    // by default: Kuzu 0.11.3 loads the extra text slowly (1M x 100: ingest 52 -> 111 s).
    bool call_depths = false;
    std::string genes_file;  // GTF/GFF3/BED: gene overlap for files without annotations
    bool sync = false;       // run read and write one after another (the fallback path)
    // Finished chunks that may wait for the writer. 0 is a hand-off: the reader finishes the
    // next chunk while the writer stages one, then waits until it is taken, so the pipeline
    // holds two chunks. Reading is several times
    // faster than writing, so waiting costs no speed.
    size_t queue_depth = 0;
    // Memory budget (0: none). When the process's RSS passes 80% of it after a batch, later
    // batches hold half as many genotype calls (down to a floor); they grow back below 50%.
    uint64_t memory_limit_bytes = 0;
    // Checked after each chunk: once set, the open batch commits and the load returns with
    // IngestReport::interrupted. The file's Source stays unfinished ("loading"), so the next
    // ingest of it resumes after the last committed batch; nothing committed is undone.
    const std::atomic<bool>* stop_requested = nullptr;
    // Given each chunk once it is staged (and the chunk is no longer needed here): the
    // positions of its variants that became new Variant rows, and the load's Source.num. Runs
    // on the loading thread; it may block (a bounded queue behind it) but must not fail the
    // load. A load that throws may have staged rows that never commit.
    std::function<void(std::unique_ptr<vcf::VariantBatch> chunk, std::vector<size_t> new_at,
                       uint32_t source)>
        staged_chunks;
};

struct IngestReport {
    std::string path;
    std::string source_id;
    bool skipped_already_loaded = false;
    bool resumed = false;
    bool interrupted = false;  // stopped on IngestOptions::stop_requested before the file's end
    int64_t records = 0;       // source records read in this run
    int64_t variants = 0;      // split variants seen
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
    uint64_t peak_rss_bytes = 0;   // of the whole process, at the end of the load
    size_t final_batch_calls = 0;  // the genotype-call bound batches ended with
};

// Progress callback: records read so far, bytes read, total bytes (-1 unknown).
using ProgressFn = std::function<void(int64_t records, int64_t bytes, int64_t total)>;

// Throws InputError on bad input after committing the batches before the bad record; the
// report of committed work is then in `partial`.
IngestReport ingest_file(store::GraphStore& graph, const std::string& path,
                         const IngestOptions& options, const ProgressFn& progress,
                         IngestReport* partial = nullptr);

}  // namespace vcfagent::ingest
