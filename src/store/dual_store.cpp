#include "store/dual_store.hpp"

#include <chrono>
#include <future>
#include <unordered_set>

#include "common/error.hpp"
#include "common/elapsed.hpp"

namespace vcfagent::store {

DualStore::DualStore(const std::filesystem::path& dir, DualStoreOptions options) : options_(std::move(options)) {
    graph_ = std::make_unique<GraphStore>(dir, options_.graph);
    embedder_ = embed::make_embedder(options_.embedder);
    VectorStoreOptions vopt;
    // The vector half shares the cores with the graph's COPY: its index builds stay on one.
    if (options_.write_graph && options_.concurrent) vopt.build_threads = 1;
    vectors_ = VectorStore::open_or_create(vectors_dir(dir), embedder_->info(), vopt);
    if (embedder_->needs_training())
        if (auto reducer = vectors_->reducer_file()) embedder_->load_reducer(reducer->string());
    recover();
}

DualStore::~DualStore() = default;

void DualStore::recover() {
    recovery_note_ = graph_->open_note();
    uint64_t g = graph_->last_batch();
    uint64_t v = vectors_->last_committed_batch().value_or(0);
    if (v == g + 1) {
        // The vector half of batch v committed, the graph half did not: undo it.
        if (!vectors_->revert_to_previous())
            throw StoreError("vector store is one batch ahead of the graph and has no previous version to revert to");
        if (!recovery_note_.empty()) recovery_note_ += "; ";
        recovery_note_ += "repaired an interrupted batch " + std::to_string(v) +
                          ": it was in the vector store only and has been undone";
        v = vectors_->last_committed_batch().value_or(0);
    }
    if (v > g)
        throw StoreError("vector store (batch " + std::to_string(v) + ") is ahead of the graph (batch " +
                         std::to_string(g) + ") by more than one batch: the stores were not written together");
    // Kuzu 0.11.3 can lose the rows of the last committed COPY when the process dies during
    // the next batch's COPY (its Source/Meta updates survive). Such a load is rolled back
    // whole in both stores; the next ingest of the file loads it again.
    for (auto& source : graph_->unfinished_sources()) {
        if (graph_->source_rows_intact(source)) continue;
        graph_->undo_source(source);
        vectors_->remove_source(vectors_->register_source(source.id));
        vectors_->commit(g);
        if (!recovery_note_.empty()) recovery_note_ += "; ";
        recovery_note_ += "rolled back the interrupted load of " + source.path +
                          " (the graph had lost rows of its last batch); ingest it again to finish";
    }
    last_batch_ = std::max(g, v);
}

void DualStore::write_vectors(const vcf::VariantBatch& batch, uint32_t source_id, uint64_t id, DualBatchResult& out) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<vcf::Variant> fresh;
    std::unordered_set<std::string_view> seen;
    for (const auto& v : batch.variants)
        if (seen.insert(v.key).second && !vectors_->contains(v.key)) fresh.push_back(v);
    if (!fresh.empty()) {
        if (embedder_->needs_training()) {
            embedder_->train(fresh);
            if (const auto* reducer = embedder_->reducer()) vectors_->set_reducer(*reducer);
        }
        std::vector<float> vecs(fresh.size() * static_cast<size_t>(vectors_->dimension()));
        embedder_->embed(fresh, vecs.data());
        out.embed_seconds = seconds_since(t0);
        out.vectors_added = vectors_->add(fresh, vecs.data(), source_id);
    }
    vectors_->commit(id);
    out.vector_seconds = seconds_since(t0) - out.embed_seconds;
}

DualBatchResult DualStore::write_batch(const vcf::VariantBatch& batch, const std::vector<std::string>& sample_ids,
                                       const SourceRecord& source_after, uint32_t vector_source_id) {
    DualBatchResult result;
    const uint64_t id = last_batch_ + 1;
    static const vcf::VariantBatch kEmpty;
    const vcf::VariantBatch& graph_batch = options_.write_graph ? batch : kEmpty;
    bool vectors_committed = false;
    auto vector_part = [&] {
        if (!options_.write_vectors) return;
        write_vectors(batch, vector_source_id, id, result);
        vectors_committed = true;
    };
    try {
        if (options_.concurrent && options_.write_vectors) {
            auto pending = std::async(std::launch::async, vector_part);
            try {
                result.graph = graph_->write_batch(graph_batch, sample_ids, source_after, id, [&] { pending.get(); });
            } catch (...) {
                if (pending.valid()) pending.wait();
                throw;
            }
        } else {
            vector_part();
            result.graph = graph_->write_batch(graph_batch, sample_ids, source_after, id);
        }
    } catch (...) {
        // The graph did not commit batch `id`: the vector half must not stay either.
        if (vectors_committed) vectors_->revert_to_previous();
        else if (options_.write_vectors) vectors_->rollback();
        throw;
    }
    last_batch_ = id;
    return result;
}

}  // namespace vcfagent::store
