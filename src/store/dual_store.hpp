#pragma once
// The dual store: the Kuzu graph and the FAISS vector store of one --db directory, written
// batch by batch so that a batch is visible in both or in neither.
//
// Protocol (per batch, store-wide batch id N): the vector half is made durable first
// (VectorStore::commit(N)), then the graph transaction — which records N in Meta — commits.
// A crash between the two leaves vectors one batch ahead; opening the store detects
// vectors.last_batch == graph.last_batch + 1 and reverts the vector store to its previous
// version (undo). A crash anywhere else leaves both at the same batch. The interrupted
// source then resumes after its last committed batch on the next ingest. Batch N+1 is staged
// while batch N commits, but its vector half commits only after batch N's graph half did, so
// the vectors are never more than one batch ahead.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "embed/embedder.hpp"
#include "store/graph_store.hpp"
#include "store/vector_store.hpp"

namespace vcfagent::store {

struct DualStoreOptions {
    GraphStoreOptions graph;
    embed::EmbedderConfig embedder;
    bool write_graph = true;    // --no-graph: variants/edges are not written (batch ids still are)
    bool write_vectors = true;  // --no-vectors: the vector store is left as it is
    bool concurrent = true;     // the two stores commit a batch at the same time
};

struct DualBatchResult {
    BatchWriteResult graph;
    size_t vectors_added = 0;
    double embed_seconds = 0;
    double vector_seconds = 0;  // add + commit (embedding excluded)
};

class DualStore {
  public:
    DualStore(const std::filesystem::path& dir, DualStoreOptions options);
    ~DualStore();

    GraphStore& graph() { return *graph_; }
    VectorStore& vectors() { return *vectors_; }
    // What opening repaired (empty when the stores agreed).
    const std::string& recovery_note() const { return recovery_note_; }
    uint32_t vector_source(const std::string& label) { return vectors_->register_source(label); }

    // Adds variants [begin, ...) of a chunk to the open batch of both stores (graph rows staged,
    // vectors embedded and added, nothing durable yet); stops after `max_new_variants` new
    // graph variants or `max_calls` calls (GraphStore::stage). The vector half takes the same
    // variants; in the concurrent mode it does so in the background (holding the chunk) while
    // the caller goes on, at most kVectorChunksInFlight chunks behind; commit_batch() waits.
    StageResult stage(const std::shared_ptr<const vcf::VariantBatch>& chunk, size_t begin,
                      int64_t max_new_variants, int64_t max_calls,
                      const std::vector<std::string>& sample_ids, const SourceRecord& graph_source,
                      uint32_t vector_source_id);
    // Hands the open batch over as the next store-wide batch, to become visible in both stores
    // or in neither, and returns what the graph half holds. In the concurrent mode the commit
    // runs in the background while the caller stages the next batch; in the sync mode it is
    // done when this returns. Either way wait_commit() reports how it ended, and must be
    // called before the next commit_batch().
    BatchWriteResult commit_batch(const SourceRecord& source_after);
    // Waits for the batch handed over last: its result, or nullopt when none is pending. If it
    // failed, drops the batch staged since (it may rely on the failed one) and rethrows.
    std::optional<DualBatchResult> wait_commit();
    // Drops the open batch from both stores (after waiting for a commit in progress).
    void discard_batch();

  private:
    void recover();
    // Embeds the variants [begin, end) the vector store lacks and adds them (not durable);
    // returns the vector half's counts and timings.
    DualBatchResult add_vectors(const vcf::VariantBatch& chunk, size_t begin, size_t end,
                                uint32_t source_id);
    // Waits for the background vector work of every pending chunk, adding its counts to
    // `open_`; rethrows the first failure.
    void finish_vectors();
    // Makes the vector half of batch `id` durable (merging the open delta); returns its part.
    DualBatchResult commit_vectors(uint64_t id, DualBatchResult part);
    // Drops the open batch from both stores; no commit is in progress.
    void drop_open_batch();

    DualStoreOptions options_;
    std::unique_ptr<GraphStore> graph_;
    std::unique_ptr<embed::Embedder> embedder_;
    std::unique_ptr<VectorStore> vectors_;
    uint64_t last_batch_ = 0;  // the last batch committed in both stores
    DualBatchResult open_;     // the vector half's share of the open batch
    // Background vector adds of the last chunks, oldest first (each waits for the previous;
    // the first waits for `vector_commit_`, as a commit takes the whole delta).
    static constexpr size_t kVectorChunksInFlight = 2;
    std::deque<std::shared_future<DualBatchResult>> pending_vectors_;
    std::string recovery_note_;
    // The batch handed over last, until wait_commit(): its id, its vector half's commit, and
    // the whole commit (graph COPY, then COMMIT once the vector half is durable). Declared
    // last: destroyed first, each waits for its task.
    uint64_t committing_id_ = 0;
    std::shared_future<DualBatchResult> vector_commit_;
    std::future<DualBatchResult> committing_;
};

}  // namespace vcfagent::store
