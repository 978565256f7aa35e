#include "store/dual_store.hpp"

#include <chrono>
#include <future>
#include <span>
#include <unordered_set>
#include <utility>

#include "common/elapsed.hpp"
#include "common/error.hpp"

namespace vcfagent::store {

DualStore::DualStore(const std::filesystem::path& dir, DualStoreOptions options)
    : options_(std::move(options)) {
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
            throw StoreError(
                "vector store is one batch ahead of the graph and has no previous version to "
                "revert to");
        if (!recovery_note_.empty()) recovery_note_ += "; ";
        recovery_note_ += "repaired an interrupted batch " + std::to_string(v) +
                          ": it was in the vector store only and has been undone";
        v = vectors_->last_committed_batch().value_or(0);
    }
    if (v > g)
        throw StoreError("vector store (batch " + std::to_string(v) +
                         ") is ahead of the graph (batch " + std::to_string(g) +
                         ") by more than one batch: the stores were not written together");
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

namespace {
void add_to(DualBatchResult& sum, const DualBatchResult& part) {
    sum.vectors_added += part.vectors_added;
    sum.embed_seconds += part.embed_seconds;
    sum.vector_seconds += part.vector_seconds;
}
}  // namespace

DualBatchResult DualStore::add_vectors(const vcf::VariantBatch& chunk, size_t begin, size_t end,
                                       uint32_t source_id) {
    DualBatchResult part;
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<size_t> fresh_at;
    std::unordered_set<std::string_view> seen;
    for (size_t i = begin; i < end; ++i) {
        const auto& v = chunk.variants[i];
        if (seen.insert(v.key).second && !vectors_->contains(v.key)) fresh_at.push_back(i);
    }
    if (fresh_at.empty()) return part;
    // A first load has every variant fresh: embed the chunk in place. Otherwise copy the fresh
    // ones without their genotype calls, which the vector half never reads.
    const std::span<const vcf::Variant> range(chunk.variants.data() + begin, end - begin);
    std::vector<vcf::Variant> copies;
    if (fresh_at.size() < range.size()) {
        copies.reserve(fresh_at.size());
        for (size_t i : fresh_at)
            static_cast<vcf::VariantSite&>(copies.emplace_back()) = chunk.variants[i];
    }
    const std::span<const vcf::Variant> fresh =
        copies.empty() ? range : std::span<const vcf::Variant>(copies);
    if (embedder_->needs_training()) {
        embedder_->train(fresh);
        if (const auto* reducer = embedder_->reducer()) vectors_->set_reducer(*reducer);
    }
    std::vector<float> vecs(fresh.size() * static_cast<size_t>(vectors_->dimension()));
    embedder_->embed(fresh, vecs.data());
    part.embed_seconds = seconds_since(t0);
    part.vectors_added = vectors_->add(fresh, vecs.data(), source_id);
    part.vector_seconds = seconds_since(t0) - part.embed_seconds;
    return part;
}

void DualStore::finish_vectors() {
    // Each task waits for the one before it; all are waited for, so none outlives this call.
    std::exception_ptr first;
    for (auto& f : pending_vectors_) {
        try {
            add_to(open_, f.get());
        } catch (...) {
            if (!first) first = std::current_exception();
        }
    }
    pending_vectors_.clear();
    if (first) std::rethrow_exception(first);
}

StageResult DualStore::stage(const std::shared_ptr<const vcf::VariantBatch>& chunk, size_t begin,
                             int64_t max_new_variants, int64_t max_calls,
                             const std::vector<std::string>& sample_ids, const SourceRecord& graph_source,
                             uint32_t vector_source_id) {
    StageResult staged;
    try {
        if (options_.write_graph) {
            staged = graph_->stage(*chunk, begin, max_new_variants, max_calls, sample_ids,
                                   graph_source);
        } else {
            staged.end = chunk->variants.size();
            staged.records = vcf::records_ending_in(*chunk, begin, staged.end);
            for (size_t i = begin; i < staged.end; ++i)
                staged.calls += static_cast<int64_t>(vcf::call_load(chunk->variants[i]));
        }
        if (options_.write_vectors) {
            const size_t end = staged.end;
            if (options_.concurrent) {
                // The vector half may lag by a few chunks (each held until its vectors are
                // added), so that its adds also overlap the graph's COPY at the commit.
                while (pending_vectors_.size() >= kVectorChunksInFlight) {
                    add_to(open_, pending_vectors_.front().get());
                    pending_vectors_.pop_front();
                }
                // Adds stay in chunk order, and start after the previous batch's vector commit.
                std::shared_future<DualBatchResult> before =
                    pending_vectors_.empty() ? vector_commit_ : pending_vectors_.back();
                pending_vectors_.push_back(
                    std::async(std::launch::async, [this, chunk, begin, end, vector_source_id,
                                                    before] {
                        if (before.valid()) before.wait();
                        return add_vectors(*chunk, begin, end, vector_source_id);
                    }).share());
            } else {
                add_to(open_, add_vectors(*chunk, begin, end, vector_source_id));
            }
        }
    } catch (...) {
        discard_batch();
        throw;
    }
    return staged;
}

void DualStore::drop_open_batch() {
    try {
        finish_vectors();
    } catch (...) {  // the batch is dropped anyway
    }
    graph_->discard_batch();
    if (options_.write_vectors) vectors_->rollback();
    open_ = {};
}

void DualStore::discard_batch() {
    try {
        wait_commit();
    } catch (...) {  // wait_commit() dropped the open batch with the failed one
    }
    drop_open_batch();
}

DualBatchResult DualStore::commit_vectors(uint64_t id, DualBatchResult part) {
    const auto t0 = std::chrono::steady_clock::now();
    vectors_->merge_delta_now();
    vectors_->commit(id);
    part.vector_seconds += seconds_since(t0);
    return part;
}

BatchWriteResult DualStore::commit_batch(const SourceRecord& source_after) {
    if (committing_.valid())
        throw StoreError("dual store: the previous batch's commit was not waited for");
    const uint64_t id = last_batch_ + 1;
    // The vector half of the batch is all its chunks' adds; the commit waits for them.
    std::deque<std::shared_future<DualBatchResult>> adds;
    DualBatchResult vector_part;
    if (options_.write_vectors) {
        adds = std::exchange(pending_vectors_, {});
        vector_part = std::exchange(open_, {});
    }
    BatchWriteResult staged;
    try {
        staged = graph_->seal_batch();
    } catch (...) {
        drop_open_batch();
        throw;
    }
    auto vectors_durable = [this, id, adds = std::move(adds), vector_part]() mutable {
        if (!options_.write_vectors) return vector_part;
        for (auto& f : adds) add_to(vector_part, f.get());
        return commit_vectors(id, vector_part);
    };
    committing_id_ = id;
    if (options_.concurrent) {
        // The vector half persists (index training, encoding) while the graph COPYs run; it
        // must be durable before the graph's COMMIT (see the protocol above).
        vector_commit_ = std::async(std::launch::async, std::move(vectors_durable)).share();
        committing_ =
            std::async(std::launch::async, [this, source_after, id, vectors = vector_commit_] {
                DualBatchResult result;
                result.graph =
                    graph_->commit_batch(source_after, id, [&] { result = vectors.get(); });
                return result;
            });
    } else {
        vector_commit_ = std::async(std::launch::deferred, std::move(vectors_durable)).share();
        committing_ = std::async(std::launch::deferred, [this, source_after, id] {
            DualBatchResult result = vector_commit_.get();
            result.graph = graph_->commit_batch(source_after, id);
            return result;
        });
        committing_.wait();  // runs both here, one after the other
    }
    return staged;
}

std::optional<DualBatchResult> DualStore::wait_commit() {
    if (!committing_.valid()) return std::nullopt;
    try {
        DualBatchResult result = committing_.get();
        last_batch_ = committing_id_;
        return result;
    } catch (...) {
        // The graph did not commit the batch (and dropped it); the vector half must not keep
        // it either, nor the batch staged since.
        bool vectors_committed = false;
        try {
            if (vector_commit_.valid()) vector_commit_.get();
            vectors_committed = options_.write_vectors;
        } catch (...) {
        }
        drop_open_batch();
        if (vectors_committed) vectors_->revert_to_previous();
        throw;
    }
}

}  // namespace vcfagent::store
