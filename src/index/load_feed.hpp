#pragma once
// The variant index's rows, made from a load's own variants while it loads. Built after the
// load, the first index of a store would read every row back from the graph (Kuzu scans and
// annotation joins: most of its time, on 1M variants several seconds) once the load is over,
// while through the load itself a core is partly idle. A LoadFeed takes each chunk the load has
// staged (IngestOptions::staged_chunks) and, on a thread of its own, turns the variants that
// became new rows into index rows as the graph will return them (stored_form): the filter
// columns, keys and the site columns' text into memory, the vectors, the site columns'
// fixed-width part and the call vectors' codes into unnamed files. The index built after the load
// (VariantIndex's `fed` argument) trains on a sample of the spill and adds from it, without
// reading the graph.
//
// Fed rows stand for the graph's rows only when the feed saw every row: the store had no
// batches when it started (worth_feeding) and every load it was given completed. VariantIndex
// checks the rest (the graph's variant count and epoch) before it takes them.
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/bounded_queue.hpp"
#include "embed/embedder.hpp"
#include "index/row_columns.hpp"
#include "index/vector_spill.hpp"
#include "store/graph_store.hpp"
#include "vcf/variant_batches.hpp"

namespace vcfagent::index {

// Index rows in the order the index adds them: row r's columns and spilled vector r (only the
// columns count in memory_bytes()). `epoch` is the graph's variant epoch when the feed started.
struct FedRows : RowColumns {
    embed::EmbedderInfo identity;
    uint64_t epoch = 0;
    std::unique_ptr<VectorSpill> vectors;
    // The site columns' fixed-width part, parked while the load runs (SiteColumns::park).
    std::unique_ptr<SpillFile> sites_parked;
    // `calls` hold the call vectors of every Calls row the loads made: false when a record
    // repeated a variant already loaded (its vector is another Calls row of the variant, which
    // the feed does not see) or the codes passed their budget.
    bool calls_whole = true;
    // The codes of `calls`, parked while the load runs (CallColumns::park).
    std::unique_ptr<SpillFile> calls_parked;
};

class LoadFeed {
  public:
    // Whether the index of `graph` can be fed by its next loads: the store has no batches yet
    // and no index files, and `embedder` (the store's) is builtin: a model embedder's vectors
    // are computed and stored after the load (embedding_fill).
    static bool worth_feeding(store::GraphStore& graph, const embed::Embedder& embedder);

    // `embedder` is the store's and must outlive the feed. Rows holding more than
    // `max_memory_bytes` (0: no bound) are given up, memory and all: finish() then returns
    // nullptr and the index is built from the graph after the load.
    LoadFeed(store::GraphStore& graph, embed::Embedder& embedder, size_t max_memory_bytes = 0);
    // Stops the thread and drops the rows.
    ~LoadFeed();
    LoadFeed(const LoadFeed&) = delete;
    LoadFeed& operator=(const LoadFeed&) = delete;

    // IngestOptions::staged_chunks: queues the chunk for the thread (waits while two wait).
    void add(std::unique_ptr<vcf::VariantBatch> chunk, std::vector<size_t> new_at, uint32_t source);
    // Waits for the queued chunks and hands the rows over; nullptr when making them failed or
    // they passed the memory bound (`error()` says why; the index is then built from the graph).
    std::unique_ptr<FedRows> finish();
    std::string error() const { return error_; }

  private:
    struct Staged {
        std::unique_ptr<vcf::VariantBatch> chunk;
        std::vector<size_t> new_at;
        uint32_t source = 0;
    };
    void run();

    embed::Embedder& embedder_;
    const size_t max_memory_bytes_;
    BoundedQueue<Staged> queue_;
    // Written by the thread until it is joined; read after.
    std::unique_ptr<FedRows> rows_;
    std::string error_;
    std::thread thread_;
};

}  // namespace vcfagent::index
