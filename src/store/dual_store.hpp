#pragma once
// The dual store: the Kuzu graph and the FAISS vector store of one --db directory, written
// batch by batch so that a batch is visible in both or in neither.
//
// Protocol (per batch, store-wide batch id N): the vector half is made durable first
// (VectorStore::commit(N)), then the graph transaction — which records N in Meta — commits.
// A crash between the two leaves vectors one batch ahead; opening the store detects
// vectors.last_batch == graph.last_batch + 1 and reverts the vector store to its previous
// version (undo). A crash anywhere else leaves both at the same batch. The interrupted
// source then resumes after its last committed batch on the next ingest.
#include <cstdint>
#include <filesystem>
#include <memory>
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
    bool concurrent = true;     // the two store writes of a batch run at the same time
};

struct DualBatchResult {
    BatchWriteResult graph;
    size_t vectors_added = 0;
    double embed_seconds = 0;
    double vector_seconds = 0;  // add + commit
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

    DualBatchResult write_batch(const vcf::VariantBatch& batch, const std::vector<std::string>& sample_ids,
                                const SourceRecord& source_after, uint32_t vector_source_id);

private:
    void recover();
    // Embeds the batch's variants the vector store lacks, adds and commits them as batch `id`.
    void write_vectors(const vcf::VariantBatch& batch, uint32_t source_id, uint64_t id, DualBatchResult& out);

    DualStoreOptions options_;
    std::unique_ptr<GraphStore> graph_;
    std::unique_ptr<embed::Embedder> embedder_;
    std::unique_ptr<VectorStore> vectors_;
    uint64_t last_batch_ = 0;
    std::string recovery_note_;
};

}  // namespace vcfagent::store
