#pragma once
// The write side of loading: variants are staged into batches and each batch is committed to
// the graph whole or not at all. A BatchWriter is a handle on its store's one batch pipeline
// (the open batch, the sealed one, the staging counters), which lives as long as the store; the
// store's locks (graph_store_impl.hpp) say which thread may touch what. One load writes
// through it at a time: stage() on the loading thread, commit_batch() on it or on a committer
// thread (ingest/batch_committer.hpp).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/graph_store.hpp"
#include "vcf/variant_batches.hpp"

namespace vcfagent::store {

struct BatchWriteResult {
    int64_t new_variants = 0;
    int64_t new_edges = 0;
    int64_t new_gene_links = 0;
    double lookup_seconds = 0;  // finding variants/edges already in the store
    double stage_seconds = 0;   // writing the staging files
    double copy_seconds = 0;    // Kuzu COPY FROM + commit
};

// What one stage() call did: `end` is the first variant of the chunk it did not stage.
struct StageResult {
    size_t end = 0;
    int64_t records = 0;  // records of the chunk whose variants are now all staged
    int64_t calls = 0;    // genotype calls of the staged variants
    int64_t new_variants = 0;
    std::vector<size_t> new_at;  // the chunk's variants staged as new Variant rows, in order
};

class BatchWriter {
  public:
    explicit BatchWriter(GraphStore& store);

    // A batch is written in two steps, so that it can hold more variants than are in memory at
    // once. stage() adds variants [begin, ...) of one chunk to the open batch: it finds the
    // variants and CarriedBy edges (sample, variant) already in the store or already staged, and
    // appends rows for the rest (Variant nodes, Gene nodes and InGene edges of new variants,
    // CarriedBy edges) to the batch's staging files. It stops once `max_new_variants` new
    // variants are staged, so a batch can end exactly at a node-group boundary, or once the
    // staged variants hold `max_calls` genotype calls, so a batch's COPY fits the buffer pool.
    // `sample_ids[i]` names the sample of SampleCall::sample == i.
    StageResult stage(const vcf::VariantBatch& chunk, size_t begin, int64_t max_new_variants,
                      int64_t max_calls, const std::vector<std::string>& sample_ids,
                      const SourceRecord& source);
    // Closes the open batch for commit_batch(), so that stage() starts the next one at once;
    // returns what it holds (no timings of the COPY yet). At most one batch is sealed or
    // committing at a time.
    BatchWriteResult seal_batch();
    // Loads every row of the sealed batch (sealing the open one if none is) in ONE transaction,
    // with the Source progress (`source_after`, to which the batch's new variants and edges are
    // added) and the batch's store-wide id (Meta last_batch; the same id is on each of its
    // Variant rows): all of it commits or none of it. The batch is closed either way.
    // `before_commit` runs just before COMMIT: a test seam (holding it keeps the commit in
    // progress; throwing from it fails the batch).
    // May run on another thread while stage() fills the next batch (a chunk whose loci reach
    // into the committing batch's waits for its end); when it throws, the caller must discard
    // that next batch too, as it may rely on genes the failed one would have added.
    BatchWriteResult commit_batch(const SourceRecord& source_after,
                                  const std::function<void()>& before_commit = {});
    // Drops the open batch and a sealed one not yet committing (nothing of them reaches the
    // store).
    void discard_batch();
    // New Variant rows the open batch holds.
    int64_t staged_new_variants() const;
    // New Variant rows that would fill the node group the next row goes into. Kuzu writes a
    // batch whose rows start a fresh node group straight to disk; rows appended to a group
    // that is partly filled are held in memory and the group is rewritten at the checkpoint.
    int64_t variants_to_node_group_end() const;

  private:
    GraphStore::Impl& im_;
};

}  // namespace vcfagent::store
