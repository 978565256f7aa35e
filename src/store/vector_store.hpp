#pragma once
// The vector half of the dual store: variant embeddings with an ANN index (FAISS), columnar
// filter attributes, and versioned, atomically committed files under DB_DIR/vectors/.
//
// Rows are dense int64 ids in insertion order. Rows [0, main_rows) are in the ANN index;
// newer rows sit in an exact flat "delta" that every search also scans, and are merged into
// the index when the delta passes VectorStoreOptions::delta_merge_rows or on compact().
// Deleted rows (remove_source) are tombstones until a rebuild drops them and renumbers.
//
// Thread-safety: any number of concurrent const calls (search, contains, get_vector, ...)
// may run during a mutation (add, remove_source, commit, compact); they see the state before
// or after each mutation, never a mix. Mutations serialise among themselves. One process at
// a time may open a store for writing (an flock on vectors/LOCK); read-only opens never lock.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>  // std::shared_lock
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embed/embedder.hpp"
#include "store/manifest.hpp"
#include "store/fifo_admission.hpp"
#include "store/vector_attributes.hpp"
#include "store/vector_filter.hpp"
#include "store/vector_index.hpp"
#include "store/vector_keys.hpp"
#include "store/vector_segments.hpp"
#include "store/writer_preferring_mutex.hpp"
#include "vcf/variant.hpp"

namespace vcfagent::embed {
class DimensionReducer;
}

namespace vcfagent::store {

// DB_DIR/vectors: where the vector store of a --db directory lives.
std::filesystem::path vectors_dir(const std::filesystem::path& db_dir);

// "builtin (dim 64)", "ollama nomic-embed-text (dim 256, pca)": for messages.
std::string describe_embedder(const embed::EmbedderInfo& info);

struct VectorStoreOptions {
    // Index to build at the next merge/compact; nullopt keeps what the store recorded (a new
    // store: auto). Persisted at commit.
    std::optional<IndexKind> index;
    // Index construction parameters for a new store or a rebuild; search defaults
    // (hnsw_ef_search, ivf_nprobe, refine_factor) apply immediately on open.
    std::optional<IndexParams> params;
    size_t flat_max_rows = 50000;             // auto: exact flat index below this many rows
    IndexKind auto_large = IndexKind::IvfPq;  // auto: index kind at and above flat_max_rows
    size_t delta_merge_rows = 50000;          // merge the delta into the index past this
    double rebuild_deleted_fraction = 0.25;   // rebuild without tombstones past this fraction
    // A filtered search matching at most this many rows scans them exactly (cheaper and
    // exact); above it the ANN index searches with the filter as an IDSelector.
    size_t exact_scan_max_rows = 100000;
    bool read_only = false;
    // Threads FAISS may use to build and merge indexes (0: OpenMP's default). The dual store
    // sets 1 while the graph loads on the same cores.
    int build_threads = 0;
    // When the current version fails verification, open the previous one (see open_note()).
    bool fall_back_to_previous = true;
    // Test hook, called at commit stages: "version_written" (files durable, manifest not yet
    // swapped) and "manifest_written". Throwing from it simulates a crash at that point.
    std::function<void(const std::string& stage)> commit_hook;
};

struct VectorHit {
    std::string key;
    float distance = 0;  // Euclidean (L2) distance to the query
    VariantAttributes attributes;
};

struct VectorStoreStats {
    uint64_t version = 0;  // committed version (0: never committed)
    std::optional<uint64_t> last_batch_id;
    size_t rows = 0;  // live rows
    size_t main_rows = 0, delta_rows = 0, deleted_rows = 0;
    int dimension = 0;
    IndexKind requested_index = IndexKind::Auto;
    IndexKind main_index = IndexKind::Flat;
    int nlist = 0, nprobe = 0, pq_m = 0;
    size_t memory_bytes = 0;  // vectors + index + attributes + keys
};

class VectorStore {
  public:
    static bool exists(const std::filesystem::path& dir);
    // Opens an existing store; StoreError when there is none or it cannot be read.
    static std::unique_ptr<VectorStore> open(const std::filesystem::path& dir,
                                             const VectorStoreOptions& options = {});
    // Opens dir for writing, creating an empty store for `embedder` if there is none. An
    // existing store built with a different embedder is refused (StoreError naming both).
    static std::unique_ptr<VectorStore> open_or_create(const std::filesystem::path& dir,
                                                       const embed::EmbedderInfo& embedder,
                                                       VectorStoreOptions options = {});
    ~VectorStore();
    VectorStore(const VectorStore&) = delete;
    VectorStore& operator=(const VectorStore&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    const embed::EmbedderInfo& embedder_info() const { return embedder_; }
    int dimension() const { return embedder_.dimension; }
    // Throws StoreError naming both embedders unless `info` is the store's embedding space.
    void check_embedder(const embed::EmbedderInfo& info) const;
    // Non-empty when open() found the current version damaged and opened the previous one.
    const std::string& open_note() const { return open_note_; }

    // Appends variants with their vectors (variants.size() x dimension() floats, row-major).
    // Variants whose key is already present (or repeated in the batch) are skipped. Returns
    // the number of rows added. Not durable until commit().
    size_t add(std::span<const vcf::Variant> variants, const float* vectors, uint32_t source_id);
    // Deletes every row loaded from `source_id`; returns how many. Not durable until commit().
    size_t remove_source(uint32_t source_id);
    // Persists the current state as a new version and swaps the manifest atomically; records
    // batch_id as the last committed batch (the dual-store coordinator compares it with the
    // graph's to detect a half-written batch). Without an id the previous one is kept.
    void commit(std::optional<uint64_t> batch_id = std::nullopt);
    // Merges the delta into the index, drops deleted rows and rebuilds the index if the
    // requested kind (or the auto choice for the current size) differs. Call commit() after.
    void compact();
    // Merges the exact delta into the index now, as add() does once the delta passes
    // delta_merge_rows (and with the same retraining rules). The dual store calls it before
    // each batch commit, so searches between batches never scan a long exact delta.
    void merge_delta_now();
    // Discards uncommitted changes by reloading the committed version.
    void rollback();
    // Makes the previous committed version current again (undoing the last commit), e.g. when
    // the graph never committed that batch. False when there is no previous version.
    bool revert_to_previous();
    // Index kind for the next merge/compact (persisted at commit).
    void set_index_kind(IndexKind kind);
    // Id for a source label (e.g. a file path), assigned on first use and persisted at commit.
    uint32_t register_source(const std::string& label);
    std::map<uint32_t, std::string> sources() const;
    // Keeps the embedder's trained dimension reducer with the store (written at the next
    // commit and carried into later versions), so queries are reduced exactly like the rows.
    void set_reducer(const embed::DimensionReducer& reducer);
    // The reducer file to hand to Embedder::load_reducer, verified at open; nullopt if none.
    std::optional<std::filesystem::path> reducer_file() const;

    size_t size() const;  // live rows
    bool contains(std::string_view key) const;
    std::optional<std::vector<float>> get_vector(std::string_view key) const;
    std::optional<VariantAttributes> get_attributes(std::string_view key) const;
    // The k nearest live rows to `query` that pass `filter`, nearest first. Returns k rows
    // whenever at least k rows pass the filter.
    std::vector<VectorHit> search(std::span<const float> query, int k,
                                  const VectorFilter& filter = {},
                                  const SearchTuning& tuning = {}) const;
    std::optional<uint64_t> last_committed_batch() const;
    VectorStoreStats stats() const;

  private:
    struct Data;
    VectorStore(std::filesystem::path dir, VectorStoreOptions options);

    void lock_for_writing();
    void clean_stale_versions() const;
    void load_committed();
    std::unique_ptr<Data> load_version(const ManifestVersion& v) const;
    void install(std::unique_ptr<Data> data);
    void require_writable(const char* what) const;
    IndexKind target_kind(size_t live_rows) const;
    void maybe_merge();
    void merge_delta();
    void rebuild(IndexKind kind);
    int64_t find_row(std::string_view key) const;
    const float* row_vector(int64_t row) const;
    void exact_scan(const float* query, size_t want, const RowBitmap* bits,
                    std::vector<Neighbor>& out) const;
    uint64_t next_version() const;
    // Writes the version's files; `segments` receives the row segments it lists.
    ManifestVersion write_version(uint64_t version, std::optional<uint64_t> batch_id,
                                  std::vector<RowSegment>& segments);

    std::filesystem::path dir_;
    VectorStoreOptions options_;
    int lock_fd_ = -1;
    std::string open_note_;
    embed::EmbedderInfo embedder_;

    // Readers take data_mutex_ shared; mutators hold writer_mutex_ throughout and take
    // data_mutex_ exclusively only while they change what readers see.
    mutable WriterPreferringSharedMutex data_mutex_;
    // Searches run at most hardware_slots() at a time, admitted in arrival order.
    mutable FifoAdmission search_admission_{hardware_slots()};
    std::mutex writer_mutex_;
    std::unique_ptr<Data> data_;
    IndexKind requested_ = IndexKind::Auto;
    IndexParams params_;
    std::map<uint32_t, std::string> sources_;
    std::optional<Manifest> committed_;
    std::optional<uint64_t> last_batch_;
    uint64_t committed_version_ = 0;
    bool main_dirty_ = true;  // main files differ from the committed version's
    std::optional<std::filesystem::path> reducer_file_;
};

}  // namespace vcfagent::store
