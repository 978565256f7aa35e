#pragma once
// One FAISS ANN index over rows [0, size()) of the variant index. Exact flat below a size,
// otherwise an inverted file (IVF) with exact (IVF-Flat) or 8-bit scalar-quantised codes
// (IVF-SQ8, a quarter of the memory, distances within the quantiser's step), an IVF of
// product-quantised codes whose candidates are re-ranked by their 8-bit scalar-quantised
// codes (IVF-PQ: a list scan reads a few table entries per row instead of decoding all its
// dimensions), or HNSW. The index holds no second copy of the vectors: they are derived from
// the graph (see variant_index.hpp), and a row's vector is read back from the index's own
// codes (an inverted file keeps a direct map from row to list entry for it).
#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexIVF.h>
#include <faiss/impl/IDSelector.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/index_io.hpp"

namespace vcfagent::index {

enum class IndexKind : uint8_t { Auto, Flat, IvfFlat, IvfSq8, IvfPq, Hnsw };
std::string_view to_string(IndexKind kind);
// "auto" | "flat" | "ivfflat" | "ivfsq8" | "ivfpq" | "hnsw"; false for anything else.
bool parse_index_kind(std::string_view name, IndexKind& out);
// Every name parse_index_kind accepts, "auto" first.
std::vector<std::string> index_kind_names();
// The kinds trained on a sample (an inverted file's lists) before rows are added.
bool is_ivf(IndexKind kind);

struct IndexParams {
    int hnsw_m = 32;
    int hnsw_ef_construction = 80;
    int hnsw_ef_search = 128;  // default per search; raised for k and for selective filters
    // HNSW candidate-heap capacity; a search's efSearch is at most half of it. FAISS 1.7.3
    // sizes the heap from the index's own efSearch and ignores a larger per-search value, so
    // the index carries this capacity and each search passes its efSearch as a parameter.
    int hnsw_ef_max = 512;
    int ivf_nlist = 0;   // 0: ~sqrt(rows), bounded by the training sample
    int ivf_nprobe = 0;  // 0: chosen from nlist (see default_nprobe)
    int train_sample_max = 131072;
    // IVF-PQ: sub-quantisers (0: one per 8 dimensions, at least 4) of 8 bits each, and how many
    // candidates per wanted neighbour the PQ scan hands to the SQ8 re-ranking.
    int pq_m = 0;
    int pq_rerank = 8;
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

// Rows stored contiguously, row-major: `n` vectors starting at `x`.
struct VectorRun {
    const float* x = nullptr;
    int64_t n = 0;
};

// Fewest rows an IVF index is trained on (the quantiser needs enough points per list).
inline constexpr int64_t kMinIvfRows = 1024;

class AnnIndex {
  public:
    // Builds an index of `kind` (not Auto) over the rows of `runs` in order, numbered from 0.
    // Taking runs lets a rebuild read the rows where they are instead of copying them into
    // one array first (a copy the size of the store).
    static std::unique_ptr<AnnIndex> build(IndexKind kind, int dim,
                                           const std::vector<VectorRun>& runs,
                                           const IndexParams& params);
    // An empty index of `kind` ready for add(): an IVF kind is trained on `sample` (a sample
    // of the rows to come, spread over all of them) and sized for `expected_rows`.
    static std::unique_ptr<AnnIndex> trained(IndexKind kind, int dim,
                                             const std::vector<VectorRun>& sample,
                                             int64_t expected_rows, const IndexParams& params);
    ~AnnIndex();

    IndexKind kind() const { return kind_; }
    int dim() const { return dim_; }
    int64_t size() const;
    // Row `row`'s vector as the index holds it (exact for flat, HNSW and IVF-Flat; decoded from
    // its 8-bit codes for IVF-SQ8 and IVF-PQ) into `out` (dim() floats); false past size().
    bool reconstruct(int64_t row, float* out) const;
    // The stored vectors of a flat index (size() rows); nullptr for other kinds.
    const float* flat_vectors() const;
    // Appends rows (numbered from size()); an IVF index keeps its trained quantizers.
    // Adds n vectors. `threads` > 1 assigns an inverted file's vectors to their lists on that
    // many threads at once (one BLAS thread each: the caller holds the process to one), which
    // is most of an add; other kinds add on the calling thread.
    void add(const float* x, int64_t n, int threads = 1);
    // The inverted-file list of each of n vectors: most of an add's work, reading only the
    // trained quantiser, so it may run beside searches (outside the lock an add needs). Empty
    // for the kinds without lists of their own to assign (add_assigned then adds as add does).
    std::vector<int64_t> assign(const float* x, int64_t n) const;
    // Adds n vectors whose lists assign() gave.
    void add_assigned(const float* x, int64_t n, const std::vector<int64_t>& lists);

    // Up to k nearest rows accepted by sel (nullptr: all), ascending distance. `selectivity`
    // (accepted / size) widens the search so a selective filter still yields k results.
    void search(const float* query, int k, const faiss::IDSelector* sel, double selectivity,
                const SearchTuning& tuning, std::vector<Neighbor>& out) const;

    // Rows the IVF quantiser was trained for, for deciding when to retrain.
    int64_t trained_rows() const { return trained_rows_; }
    int nlist() const;
    int nprobe_default() const;
    // Re-ranking candidates per neighbour (IVF-PQ; 1 for the other kinds).
    int rerank_factor() const;
    const IndexParams& params() const { return params_; }
    void set_search_defaults(const IndexParams& params);
    size_t memory_bytes() const;

    // Writes the index to `path` (a new file); returns its digest.
    FileDigest save(const std::filesystem::path& path) const;
    // Reads a file written by save(), verified against its digest before parsing.
    static std::unique_ptr<AnnIndex> load(const std::filesystem::path& path, IndexKind kind,
                                          const FileDigest& digest, const IndexParams& params,
                                          int64_t trained_rows);

  private:
    AnnIndex(IndexKind kind, int dim, const IndexParams& params);
    static std::unique_ptr<AnnIndex> make(IndexKind kind, int dim,
                                          const std::vector<VectorRun>& runs, int64_t expected_rows,
                                          bool add_them, const IndexParams& params);
    // Every row `sel` accepts is a candidate (all IVF lists; every stored vector otherwise).
    void exhaustive_search(const float* query, int k, faiss::IDSelector& sel,
                           std::vector<Neighbor>& out) const;
    // After a filtered search: too few accepted rows although k exist -> exhaustive search.
    void finish_filtered(const float* query, int k, const faiss::IDSelector* sel,
                         double selectivity, std::vector<Neighbor>& out) const;
    // The k nearest of an IVF kind over `nprobe` lists: IVF-PQ scans its PQ codes for
    // k x rerank_factor() candidates and orders them by their SQ8 distances.
    void ivf_search(const float* query, int k, size_t nprobe, faiss::IDSelector* sel,
                    std::vector<Neighbor>& out) const;
    // The inverted file: the index itself, or the base of IVF-PQ's re-ranking pair.
    faiss::IndexIVF* ivf() const;
    IndexKind kind_;
    int dim_;
    IndexParams params_;
    std::unique_ptr<faiss::Index> index_;
    int64_t trained_rows_ = 0;
};

// Picks defaults from the collection size: nlist ~ sqrt(n) bounded so every list gets
// enough training points.
int default_nlist(int64_t rows, int train_rows);
int default_nprobe(int nlist);

}  // namespace vcfagent::index
