#include "index/load_feed.hpp"

#include <algorithm>
#include <string>

#include "common/error.hpp"
#include "index/compute_threads.hpp"
#include "index/store_embedder.hpp"
#include "index/stored_variants.hpp"
#include "index/stored_vectors.hpp"
#include "index/variant_index.hpp"

namespace vcfagent::index {

namespace {
// Chunks that may wait for the thread: the loading thread runs ahead by this much at most.
constexpr size_t kQueuedChunks = 2;
}  // namespace

bool LoadFeed::worth_feeding(store::GraphStore& graph, const embed::Embedder& embedder) {
    return embedder.info().kind == "builtin" && !embedder.needs_training() &&
           VariantIndex::stamped_rows(graph.dir()) == 0 && graph.last_batch() == 0;
}

LoadFeed::LoadFeed(store::GraphStore& graph, embed::Embedder& embedder, size_t max_memory_bytes)
    : embedder_(embedder),
      max_memory_bytes_(max_memory_bytes),
      queue_(kQueuedChunks),
      rows_(std::make_unique<FedRows>()) {
    // Codes past half the rows' budget are given up (the index reads them from the graph).
    if (max_memory_bytes_ > 0) rows_->calls = CallColumns(max_memory_bytes_ / 2);
    const auto recorded = recorded_embedder(graph);
    rows_->identity = recorded ? *recorded : embedder_.info();
    rows_->epoch = graph.variant_epoch();
    rows_->vectors =
        std::make_unique<VectorSpill>(VariantIndex::dir_of(graph.dir()), rows_->identity.dimension);
    rows_->sites_parked = std::make_unique<SpillFile>(VariantIndex::dir_of(graph.dir()), "row");
    rows_->calls_parked =
        std::make_unique<SpillFile>(VariantIndex::dir_of(graph.dir()), "genotype code");
    thread_ = std::thread([this] { run(); });
}

LoadFeed::~LoadFeed() {
    queue_.close();
    if (thread_.joinable()) thread_.join();
}

void LoadFeed::add(std::unique_ptr<vcf::VariantBatch> chunk, std::vector<size_t> new_at,
                   uint32_t source) {
    // A chunk without new rows still matters when it holds call vectors (see calls_whole).
    if (new_at.empty() &&
        std::none_of(chunk->variants.begin(), chunk->variants.end(),
                     [](const vcf::Variant& v) { return !v.call_vector.empty(); }))
        return;
    // False once the thread has failed: the chunk is dropped, finish() reports the error.
    (void)queue_.push({std::move(chunk), std::move(new_at), source});
}

void LoadFeed::run() {
    // The embedder is the only computing done here: no OpenMP team beside the load.
    ComputeThreadLimit one_thread(1, false);
    FedRows& rows = *rows_;
    const int dim = rows.identity.dimension;
    std::vector<StoredVariant> stored;
    std::vector<float> vectors;
    try {
        Staged s;
        while (queue_.pop(s)) {
            stored.clear();
            const auto& variants = s.chunk->variants;
            for (size_t at : s.new_at) {
                rows.calls.add_vector(static_cast<uint32_t>(rows.size() + stored.size()), s.source,
                                      variants[at].call_vector.gt);
                stored.push_back(stored_form(variants[at], s.source));
            }
            if (s.new_at.size() < variants.size())
                for (size_t at = 0, next = 0; at < variants.size(); ++at) {
                    if (next < s.new_at.size() && s.new_at[next] == at) {
                        ++next;
                        continue;
                    }
                    if (!variants[at].call_vector.empty()) rows.calls_whole = false;
                }
            s.chunk.reset();  // its memory goes back before the next chunk is read
            vectors.resize(stored.size() * static_cast<size_t>(dim));
            stored_vectors(embedder_, rows.identity, stored, vectors.data());
            rows.vectors->append(vectors.data(), stored.size());
            for (const auto& sv : stored) rows.append(sv);
            rows.sites.park(*rows.sites_parked);
            rows.calls.park(*rows.calls_parked);
            if (max_memory_bytes_ > 0 && rows.memory_bytes() > max_memory_bytes_)
                throw StoreError("the rows passed the " +
                                 std::to_string((max_memory_bytes_ + (1u << 20) - 1) >> 20) +
                                 " MB of the memory budget they may hold during the load");
        }
    } catch (const std::exception& e) {
        error_ = e.what();
        rows_.reset();   // the memory and the vector file go back now, not after the load
        queue_.close();  // the loading thread's next add() returns at once
    }
}

std::unique_ptr<FedRows> LoadFeed::finish() {
    queue_.close();
    if (thread_.joinable()) thread_.join();
    if (!error_.empty()) return nullptr;
    return std::move(rows_);
}

}  // namespace vcfagent::index
