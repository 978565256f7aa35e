#pragma once
// One FAISS ANN index over rows [0, size()) of the vector store, with the raw vectors kept
// exactly once: inside the flat index, inside HNSW's flat storage, or (IVF-PQ, whose codes
// are lossy) in a flat table beside it that re-ranks candidates with exact distances. Every
// search therefore returns exact squared L2 distances, whatever the index kind.
#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/impl/IDSelector.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/vector_io.hpp"

namespace vcfagent::store {

enum class IndexKind : uint8_t { Auto, Flat, IvfPq, Hnsw };
std::string_view to_string(IndexKind kind);
// "auto" | "flat" | "ivfpq" | "hnsw"; false for anything else.
bool parse_index_kind(std::string_view name, IndexKind& out);

struct IndexParams {
    int hnsw_m = 32;
    int hnsw_ef_construction = 80;
    int hnsw_ef_search = 128;  // default per search; raised for k and for selective filters
    // HNSW candidate-heap capacity; a search's efSearch is at most half of it. FAISS 1.7.3
    // sizes the heap from the index's own efSearch and ignores a larger per-search value, so
    // the index carries this capacity and each search passes its efSearch as a parameter.
    int hnsw_ef_max = 512;
    int ivf_nlist = 0;      // 0: ~sqrt(rows), bounded by the training sample
    int ivf_nprobe = 0;     // 0: chosen from nlist (see default_nprobe)
    int pq_m = 0;           // sub-vectors; 0: a divisor of the dimension near dim/4
    int refine_factor = 8;  // IVF-PQ candidates per wanted result, re-ranked exactly
    int train_sample_max = 131072;
};

// Per-search overrides; 0 keeps the index default.
struct SearchTuning {
    int ef_search = 0;
    int nprobe = 0;
};

struct Neighbor {
    int64_t row = -1;
    float distance = 0;  // squared L2
    bool operator<(const Neighbor& o) const {
        return distance < o.distance || (distance == o.distance && row < o.row);
    }
};

// A file written for an index: its name inside the version directory and its digest.
struct IndexFile {
    std::string name;
    FileDigest digest;
};

// Rows stored contiguously, row-major: `n` vectors starting at `x`.
struct VectorRun {
    const float* x = nullptr;
    int64_t n = 0;
};

class AnnIndex {
  public:
    // Builds an index of `kind` (not Auto) over the rows of `runs` in order, numbered from 0.
    // Taking runs lets a rebuild read the rows where they are instead of copying them into
    // one array first (a copy the size of the store).
    static std::unique_ptr<AnnIndex> build(IndexKind kind, int dim,
                                           const std::vector<VectorRun>& runs,
                                           const IndexParams& params);
    static std::unique_ptr<AnnIndex> empty_flat(int dim);
    ~AnnIndex();

    IndexKind kind() const { return kind_; }
    int dim() const { return dim_; }
    int64_t size() const;
    // The exact stored vector of a row.
    const float* vector(int64_t row) const;
    // Appends rows (numbered from size()); an IVF-PQ index keeps its trained quantizers.
    void add(const float* x, int64_t n);
    std::unique_ptr<AnnIndex> clone() const;
    void reserve(int64_t rows);

    // Up to k nearest rows accepted by sel (nullptr: all), ascending distance. `selectivity`
    // (accepted / size) widens the search so a selective filter still yields k results.
    void search(const float* query, int k, const faiss::IDSelector* sel, double selectivity,
                const SearchTuning& tuning, std::vector<Neighbor>& out) const;

    // Rows indexed by the trained structures (IVF-PQ), for deciding when to retrain.
    int64_t trained_rows() const { return trained_rows_; }
    int nlist() const;
    int nprobe_default() const;
    int pq_m() const;
    const IndexParams& params() const { return params_; }
    void set_search_defaults(const IndexParams& params);
    size_t memory_bytes() const;

    // Writes `<prefix>.faiss` into dir. An IVF-PQ index's exact vectors are not in it: the
    // vector store persists every row's vector once, in its row segments.
    IndexFile save(const std::filesystem::path& dir, const std::string& prefix) const;
    // Reads a file written by save(), verified against its digest before parsing. IVF-PQ
    // takes its exact vectors (`raw`, one per indexed row) from the caller; other kinds
    // ignore `raw`.
    static std::unique_ptr<AnnIndex> load(const std::filesystem::path& dir, IndexKind kind,
                                          const IndexFile& file, const IndexParams& params,
                                          int64_t trained_rows,
                                          std::unique_ptr<faiss::IndexFlatL2> raw = nullptr);

  private:
    AnnIndex(IndexKind kind, int dim, const IndexParams& params);
    const faiss::IndexFlat& raw_table() const;

    IndexKind kind_;
    int dim_;
    IndexParams params_;
    std::unique_ptr<faiss::Index> index_;
    std::unique_ptr<faiss::IndexFlat> raw_;  // IVF-PQ only
    int64_t trained_rows_ = 0;
};

// Picks defaults from the collection size: nlist ~ sqrt(n) bounded so every list gets
// enough training points; m a divisor of dim near dim/4.
int default_nlist(int64_t rows, int train_rows);
int default_pq_m(int dim);
int default_nprobe(int nlist);

}  // namespace vcfagent::store
