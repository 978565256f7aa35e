#pragma once
// The variant index: an ANN index (FAISS) with filter columns over the store's variants. It
// is a cache derived from the graph, which is the only store of record: every row comes from
// a Variant row (its vector recomputed by the builtin embedder, or decoded from the model
// embedding stored with it), so the index can always be thrown away and rebuilt.
//
// Files under DB/index/ are stamped with the last graph batch they cover, the store's variant
// epoch (GraphStore::variant_epoch) and its embedder. Opening loads them when whole and current
// and then catches up with the batches committed since; files that are missing, damaged or
// made for other rows are rebuilt from the graph. The stamp is replaced atomically after the
// files it names are durable, so a process killed while saving leaves the previous stamp.
//
// Thread-safety: search, vector_of, size and stats may run from any number of threads, also
// during catch_up, which appends under an exclusive lock one page at a time; catch_up calls
// serialise among themselves. Several processes may open one store's index: each keeps its
// own copy in memory, and only one at a time writes the files (an flock on DB/index/LOCK; the
// others skip saving).
//
// Beside the vectors, the rows answer region lookups and genotype filters (site and call
// columns) while they are the graph's whole at its current write generation.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/mutex.hpp"
#include "embed/embedder.hpp"
#include "index/ann_index.hpp"
#include "index/fifo_admission.hpp"
#include "index/load_feed.hpp"
#include "index/stored_variants.hpp"
#include "index/variant_attributes.hpp"
#include "index/vector_filter.hpp"
#include "query/genotype_filter.hpp"
#include "query/result_table.hpp"
#include "store/graph_store.hpp"
#include "vcf/region_list.hpp"

namespace vcfagent::index {

// The Kuzu buffer pool (MB) for a process whose last work is building the index (after a
// load, `embed`): the build reads the graph once, in windows of loci (for_each_stored_variant)
// whose results fit a small pool, and a store reopened with it gives back the load's pool,
// whose cached pages otherwise stay resident under the index's own memory.
inline constexpr uint64_t kIndexBuildBufferPoolMb = 64;

struct IndexOptions {
    // Auto: exact flat below flat_max_rows, IVF-SQ8 at and above (see README "Measured").
    // Anything else replaces what the files recorded (rebuilding them if they differ).
    IndexKind kind = IndexKind::Auto;
    IndexParams params;
    size_t flat_max_rows = 50000;
    // An IVF index is retrained (rebuilt from the graph) once it would hold this many times the
    // rows it was trained for.
    int retrain_growth = 10;
    bool persist = true;  // write the files after a catch-up (false: memory only)
    // Bytes the call vectors' codes may take (CallColumns); past them genotype filters are
    // the graph's to answer.
    size_t max_call_bytes = CallColumns::kDefaultBudgetBytes;
    // Threads FAISS and BLAS may use for a catch-up: 1 beside a graph writer (the server, a
    // concurrent ingest); 0 (all) when the index is all that runs (after a load, `embed`).
    int build_threads = 1;
};

struct VectorHit {
    std::string key;
    float distance = 0;  // squared Euclidean distance (approximate within IVF-SQ8's step)
    VariantAttributes attributes;
};

struct IndexStats {
    size_t rows = 0;
    uint64_t batch = 0;  // last graph batch covered
    IndexKind kind = IndexKind::Flat;
    int nlist = 0, nprobe = 0;
    int dimension = 0;
    size_t memory_bytes = 0;
    std::string embedder;
    bool from_load = false;  // built from the rows a LoadFeed made (not read from the graph)
    // Region lookups answered from the rows, and declined (the rows were not current).
    uint64_t regions_answered = 0, regions_declined = 0;
    // Genotype filters answered from the call columns, and declined (not current, or the
    // codes not kept for the filter's file).
    uint64_t genotypes_answered = 0, genotypes_declined = 0;
    bool calls_abandoned = false;
};

struct CatchUpReport {
    size_t rows_added = 0;
    bool rebuilt = false;
    size_t unembedded = 0;  // rows left out: their model embedding is not stored yet
    double seconds = 0;
    bool saved = false;
};

class VariantIndex {
  public:
    // DB/index: where the index files of a --db directory live.
    static std::filesystem::path dir_of(const std::filesystem::path& db);
    // Rows the saved files of a store cover, from their stamp alone (0 when there are none).
    static size_t stamped_rows(const std::filesystem::path& db);

    // Loads the files (see above) and catches up with the graph. `embedder` is the store's
    // (index::open_store_embedder). Rows a LoadFeed made during the loads are taken when there
    // are no usable files and they are the graph's rows (as many as it holds, at the epoch and
    // with the embedder they were made at): the index is then built from them alone.
    VariantIndex(store::GraphStore& graph, std::unique_ptr<embed::Embedder> embedder,
                 IndexOptions options = {}, std::unique_ptr<FedRows> fed = nullptr);
    ~VariantIndex();
    VariantIndex(const VariantIndex&) = delete;
    VariantIndex& operator=(const VariantIndex&) = delete;

    // Adds the rows of the batches the graph committed since the index's stamp (rebuilding
    // when the stamp is not for the graph's rows), then saves the files if persisting.
    CatchUpReport catch_up() EXCLUDES(catch_up_mutex_);

    // The k nearest rows to `query` passing `filter`, nearest first.
    std::vector<VectorHit> search(std::span<const float> query, int k,
                                  const VectorFilter& filter = {},
                                  const SearchTuning& tuning = {}) const;
    // The vector of a stored variant: its index row's as the ANN index holds it (see
    // AnnIndex::reconstruct), or, for a variant committed since the last catch-up, computed
    // from the graph as its row will be; nullopt when the graph has no such variant (or, for
    // a model embedder, no stored embedding of it).
    std::optional<std::vector<float>> vector_of(const std::string& key);

    // The variants overlapping `region` (of class `vtype` when not empty) as the graph's
    // `variants_in_region` returns them (query::GraphQueries::region_variants: the same columns,
    // values and order; the first `max_rows` rows, `total` counting all), read from the rows
    // alone; nullopt unless the rows are the graph's whole at its current write generation
    // (then the graph must answer).
    std::optional<query::ResultTable> region_variants(const vcf::Region& region,
                                                      const std::string& vtype,
                                                      size_t max_rows) const;

    // The variants passing genotype filter `calls` (query::genotype_calls), within `region`
    // when set and of class `vtype` when not empty, as the graph's `genotype_filter` returns
    // them (query::GraphQueries::genotype_filter without DP/GQ thresholds or gene/impact
    // filters: the same columns, values and order; the first `max_rows` rows, `total`
    // counting all), read from the rows alone; nullopt unless the rows are the graph's whole
    // and the codes of the filter's file are kept (then the graph must answer).
    std::optional<query::ResultTable> genotype_filter(const query::GenotypeCalls& calls,
                                                      const std::optional<vcf::Region>& region,
                                                      const std::string& vtype,
                                                      size_t max_rows) const;

    // The rows are the graph's whole now (region_variants answers).
    bool current() const;
    // Rows a search can find now.
    size_t size() const;
    int dimension() const;
    IndexStats stats() const;
    embed::Embedder& embedder() { return *embedder_; }
    // Non-empty when opening found the files unusable and rebuilt them (says why).
    std::string open_note() const EXCLUDES(catch_up_mutex_) {
        MutexLock lock(catch_up_mutex_);
        return open_note_;
    }

  private:
    struct Rows;
    bool current_locked() const REQUIRES_SHARED(rows_mutex_);
    std::unique_ptr<Rows> load_files(std::string& why_not) const;
    // The rows built from fed ones (trained on a sample of their vectors, which are then
    // added); nullptr when they are not the graph's rows.
    std::unique_ptr<Rows> adopt(FedRows& fed) const;
    CatchUpReport extend(bool rebuild) REQUIRES(catch_up_mutex_);
    // After extend: re-reads the carriers counts changed since the rows' carriers_batch, puts
    // new rows in order, and marks the rows current at `generation` (read before extend read
    // the graph) when they cover the graph's last batch.
    // Also reads the codes of the Calls rows committed since the rows' codes were read.
    // True when counts or codes changed (the files are saved again).
    bool settle(uint64_t generation) REQUIRES(catch_up_mutex_);
    // Empty rows, their codes bounded by the options.
    std::unique_ptr<Rows> empty_rows() const;
    bool save(const Rows& rows) const;
    IndexKind target_kind(size_t rows) const;
    // Adds n vectors (their attribute rows appended by the caller) to rows.ann, assigning
    // them to an inverted file's lists on `threads` threads.
    void add_vectors(Rows& rows, const float* x, int64_t n, int threads = 1) const;
    // The trained index the rows need once `new_rows` rows of `range` (a Cypher predicate)
    // are added, holding the flat rows so far; nullptr when the current one serves.
    std::unique_ptr<AnnIndex> prepare_kind(const Rows& rows, const std::string& range,
                                           size_t new_rows);
    // The vectors of stored variants: builtin-embedded, or decoded from their stored text.
    void vectors_of(std::vector<StoredVariant>& chunk, float* out) const;

    store::GraphStore& graph_;
    std::unique_ptr<embed::Embedder> embedder_;
    // The store's embedding space as the graph records it (the embedder's own info() when it
    // records none): read once, so opening never has to ask an embedding server.
    embed::EmbedderInfo identity_;
    IndexOptions options_;
    std::filesystem::path dir_;
    // Serialises catch_up (and so the files' writer). Every change to rows_ holds it as well
    // as rows_mutex_, so the catch-up reads rows_ without rows_mutex_ (WritersExcluded).
    mutable Mutex catch_up_mutex_;
    std::string open_note_ GUARDED_BY(catch_up_mutex_);
    bool from_load_ = false;  // set by the constructor only
    // Guards rows_: shared to read, exclusive to change. Taken after the graph's own locks
    // (a page is appended while GraphStore::scan holds its commit gate), never before them.
    mutable SharedMutex rows_mutex_ ACQUIRED_AFTER(catch_up_mutex_);
    std::unique_ptr<Rows> rows_ GUARDED_BY(rows_mutex_) PT_GUARDED_BY(rows_mutex_);
    // Searches run at most hardware_slots() at a time, admitted in arrival order (see
    // fifo_admission.hpp for the p95 this buys under many concurrent clients).
    mutable FifoAdmission search_admission_{hardware_slots()};
    // For stats(): region_variants calls answered and declined (lock-free counters).
    mutable std::atomic<uint64_t> regions_answered_{0}, regions_declined_{0};
    mutable std::atomic<uint64_t> genotypes_answered_{0}, genotypes_declined_{0};
};

}  // namespace vcfagent::index
