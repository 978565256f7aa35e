#include "index/ann_index.hpp"

#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexRefine.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/DistanceComputer.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_io.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <random>

#include "common/error.hpp"
#include "index/compute_threads.hpp"

namespace vcfagent::index {

namespace fs = std::filesystem;
using idx_t = faiss::Index::idx_t;

namespace {

// FAISS warns when a centroid gets fewer training points than this; nlist is bounded so
// that never happens with the default sample.
constexpr int kPointsPerCentroid = 39;

// A uniform sample of `want` row numbers out of n, ascending (selection sampling), from a
// fixed seed so a rebuild of the same rows trains the same quantizers.
std::vector<int64_t> sample_rows(int64_t n, int64_t want) {
    std::vector<int64_t> rows;
    rows.reserve(static_cast<size_t>(std::min(n, want)));
    std::mt19937_64 rng(0x5EEDF00Dull);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    int64_t needed = std::min(n, want);
    for (int64_t i = 0; i < n && needed > 0; ++i) {
        if (u(rng) * static_cast<double>(n - i) < static_cast<double>(needed)) {
            rows.push_back(i);
            --needed;
        }
    }
    return rows;
}

faiss::IndexHNSW* as_hnsw(faiss::Index* index) {
    return dynamic_cast<faiss::IndexHNSW*>(index);
}
// IVF-PQ is kept as FAISS's re-ranking pair (so one file holds both code sets), but
// searched through its parts: FAISS 1.7.3's IndexRefine takes no search parameters, so no
// filter and no per-search nprobe.
faiss::IndexRefine* as_refine(faiss::Index* index) {
    return dynamic_cast<faiss::IndexRefine*>(index);
}

template <typename F>
auto faiss_call(const char* what, F&& f) {
    try {
        return f();
    } catch (const faiss::FaissException& e) {
        throw StoreError(std::string("FAISS ") + what + " failed: " + e.what());
    }
}

// Room for `rows` vectors in a flat-coded index (others grow as they go).
void reserve_codes(faiss::Index& index, int64_t rows) {
    if (auto* refine = as_refine(&index)) return reserve_codes(*refine->refine_index, rows);
    if (auto* flat = dynamic_cast<faiss::IndexFlatCodes*>(&index))
        flat->codes.reserve(static_cast<size_t>(rows) * flat->code_size);
}

}  // namespace

std::string_view to_string(IndexKind kind) {
    switch (kind) {
        case IndexKind::Auto:
            return "auto";
        case IndexKind::Flat:
            return "flat";
        case IndexKind::IvfFlat:
            return "ivfflat";
        case IndexKind::IvfSq8:
            return "ivfsq8";
        case IndexKind::IvfPq:
            return "ivfpq";
        case IndexKind::Hnsw:
            return "hnsw";
    }
    return "auto";
}

namespace {
constexpr IndexKind kKinds[] = {IndexKind::Auto,   IndexKind::Flat,  IndexKind::IvfFlat,
                                IndexKind::IvfSq8, IndexKind::IvfPq, IndexKind::Hnsw};
}  // namespace

bool parse_index_kind(std::string_view name, IndexKind& out) {
    for (IndexKind k : kKinds) {
        if (name == to_string(k)) {
            out = k;
            return true;
        }
    }
    return false;
}

std::vector<std::string> index_kind_names() {
    std::vector<std::string> names;
    for (IndexKind k : kKinds) names.emplace_back(to_string(k));
    return names;
}

bool is_ivf(IndexKind kind) {
    return kind == IndexKind::IvfFlat || kind == IndexKind::IvfSq8 || kind == IndexKind::IvfPq;
}

int default_nlist(int64_t rows, int train_rows) {
    // sqrt(n)/2 lists: assigning every row to its list (n x nlist distances through BLAS) is
    // most of an index build, and Debian's generic BLAS makes it the bottleneck (perf: 60% of
    // a 1M-row rebuild at sqrt(n) lists); with nprobe scaled to nlist the recall holds
    // (README "Measured").
    const double want = std::sqrt(static_cast<double>(std::max<int64_t>(rows, 1))) / 2;
    const int by_training = std::max(1, train_rows / kPointsPerCentroid);
    return std::clamp(static_cast<int>(std::lround(want)), 1, std::min(by_training, 65536));
}

// Measured on 1M-variant stores (nlist 511, builtin embeddings; README "Measured"): nprobe 4
// -> recall@10 0.985 against exact search at half the scan of nprobe 8 (0.988), which doubled
// the searches per second under 32 clients; 16 -> 0.996. A floor of 4 lists keeps a margin
// for small or less clustered collections.
int default_nprobe(int nlist) {
    return std::clamp(nlist / 128, std::min(nlist, 4), 256);
}

AnnIndex::AnnIndex(IndexKind kind, int dim, const IndexParams& params)
    : kind_(kind), dim_(dim), params_(params) {}

AnnIndex::~AnnIndex() = default;

std::unique_ptr<AnnIndex> AnnIndex::build(IndexKind kind, int dim,
                                          const std::vector<VectorRun>& runs,
                                          const IndexParams& params) {
    return make(kind, dim, runs, 0, true, params);
}

std::unique_ptr<AnnIndex> AnnIndex::trained(IndexKind kind, int dim,
                                            const std::vector<VectorRun>& sample,
                                            int64_t expected_rows, const IndexParams& params) {
    return make(kind, dim, sample, expected_rows, false, params);
}

std::unique_ptr<AnnIndex> AnnIndex::make(IndexKind kind, int dim,
                                         const std::vector<VectorRun>& runs, int64_t expected_rows,
                                         bool add_them, const IndexParams& params) {
    std::unique_ptr<AnnIndex> a(new AnnIndex(kind, dim, params));
    int64_t n = 0;
    for (const auto& run : runs) n += run.n;
    // The rows the index is sized for: those given, or those announced.
    const int64_t rows_for = std::max(n, expected_rows);
    auto add_runs = [&](faiss::Index& index) {
        if (!add_them) return;
        reserve_codes(index, n);
        for (const auto& run : runs)
            if (run.n > 0) index.add(run.n, run.x);
    };
    // Row r of the whole sequence (for sampling training rows).
    auto row = [&](int64_t r) {
        for (const auto& run : runs) {
            if (r < run.n) return run.x + r * dim;
            r -= run.n;
        }
        throw StoreError("internal: row past the end of the build input");
    };
    faiss_call("index build", [&] {
        switch (kind) {
            case IndexKind::Auto:
                throw StoreError("internal: index kind must be resolved before build");
            case IndexKind::Flat:
                a->index_ = std::make_unique<faiss::IndexFlatL2>(dim);
                add_runs(*a->index_);
                break;
            case IndexKind::Hnsw: {
                auto h = std::make_unique<faiss::IndexHNSWFlat>(dim, params.hnsw_m);
                h->hnsw.efConstruction = params.hnsw_ef_construction;
                h->hnsw.efSearch = std::max(params.hnsw_ef_max, 2 * params.hnsw_ef_search);
                add_runs(*h);
                a->index_ = std::move(h);
                break;
            }
            case IndexKind::IvfFlat:
            case IndexKind::IvfSq8:
            case IndexKind::IvfPq: {
                if (n < kMinIvfRows)
                    throw StoreError("an IVF index needs at least " + std::to_string(kMinIvfRows) +
                                     " rows to train, got " + std::to_string(n));
                // k-means cost grows with sample x nlist: sample ~40 points per wanted list.
                const int64_t want_lists = params.ivf_nlist > 0
                                               ? params.ivf_nlist
                                               : default_nlist(rows_for, params.train_sample_max);
                const int64_t sample = std::min<int64_t>(params.train_sample_max,
                                                         want_lists * (kPointsPerCentroid + 1));
                const auto rows = sample_rows(n, sample);
                std::vector<float> train(rows.size() * static_cast<size_t>(dim));
                for (size_t i = 0; i < rows.size(); ++i)
                    std::copy_n(row(rows[i]), dim, train.data() + i * dim);
                const int nlist = params.ivf_nlist > 0
                                      ? params.ivf_nlist
                                      : default_nlist(rows_for, static_cast<int>(rows.size()));
                auto quantizer = new faiss::IndexFlatL2(dim);
                std::unique_ptr<faiss::IndexIVF> ivf;
                if (kind == IndexKind::IvfFlat) {
                    ivf = std::make_unique<faiss::IndexIVFFlat>(quantizer, dim, nlist);
                } else if (kind == IndexKind::IvfSq8) {
                    ivf = std::make_unique<faiss::IndexIVFScalarQuantizer>(
                        quantizer, dim, nlist, faiss::ScalarQuantizer::QT_8bit);
                } else {
                    // Sub-vectors of 8 dimensions (1M x 64: recall as with 4, half the
                    // time to encode), but at least 4 of them: 2 left 16-d test vectors
                    // too coarse for the re-ranking to recover (recall@10 0.88).
                    const int m =
                        params.pq_m > 0 ? params.pq_m : std::max(std::min(4, dim), dim / 8);
                    if (dim % m != 0)
                        throw StoreError("IVF-PQ needs the dimension (" + std::to_string(dim) +
                                         ") to be a multiple of its sub-quantisers (" +
                                         std::to_string(m) + ")");
                    auto pq = std::make_unique<faiss::IndexIVFPQ>(quantizer, dim, nlist, m, 8);
                    // The codebooks only pre-select candidates (the SQ8 codes re-rank them):
                    // 10 iterations like the lists, not 25.
                    pq->pq.cp.niter = 10;
                    pq->pq.cp.min_points_per_centroid = 1;
                    ivf = std::move(pq);
                }
                ivf->own_fields = true;
                // The sample is sized for the centroids; silence FAISS's advisory warning for
                // small collections where fewer points are all there is.
                ivf->cp.min_points_per_centroid = 1;
                // 10 Lloyd iterations instead of 25: the centroids only route queries to
                // lists (recall is recovered by nprobe), and training dominates the build.
                ivf->cp.niter = 10;
                ivf->nprobe = params.ivf_nprobe > 0 ? params.ivf_nprobe : default_nprobe(nlist);
                if (kind == IndexKind::IvfPq) {
                    auto refine = std::make_unique<faiss::IndexRefine>(
                        ivf.release(),
                        new faiss::IndexScalarQuantizer(dim, faiss::ScalarQuantizer::QT_8bit));
                    refine->own_fields = true;
                    refine->own_refine_index = true;
                    refine->train(static_cast<idx_t>(rows.size()), train.data());
                    a->index_ = std::move(refine);
                } else {
                    ivf->train(static_cast<idx_t>(rows.size()), train.data());
                    // Where each row went (list, offset), so reconstruct() finds it.
                    ivf->make_direct_map(true);
                    a->index_ = std::move(ivf);
                }
                add_runs(*a->index_);
                a->trained_rows_ = rows_for;
                break;
            }
        }
        return 0;
    });
    return a;
}

int64_t AnnIndex::size() const {
    return index_->ntotal;
}

const float* AnnIndex::flat_vectors() const {
    auto* flat = dynamic_cast<const faiss::IndexFlat*>(index_.get());
    return flat ? flat->get_xb() : nullptr;
}

void AnnIndex::add(const float* x, int64_t n, int threads) {
    if (n <= 0) return;
    // A refining index (IVF-PQ) adds to two indexes: only a plain inverted file is split.
    auto* plain_ivf = as_refine(index_.get()) ? nullptr : ivf();
    if (threads <= 1 || !plain_ivf || n < 2 * threads) {
        faiss_call("add", [&] {
            index_->add(n, x);
            return 0;
        });
        return;
    }
    // What IndexIVF::add does, with the assignment (a BLAS product with every centroid) split
    // into contiguous parts; the quantiser's search is const and safe to run concurrently.
    std::vector<idx_t> lists(static_cast<size_t>(n));
    const int64_t part = (n + threads - 1) / threads;
    std::vector<std::future<void>> parts;
    for (int64_t first = 0; first < n; first += part) {
        const int64_t count = std::min(part, n - first);
        parts.push_back(std::async(std::launch::async, [&, first, count] {
            ComputeThreadLimit one_thread(1, false);
            faiss_call("add", [&] {
                plain_ivf->quantizer->assign(count, x + first * dim_, lists.data() + first);
                return 0;
            });
        }));
    }
    for (auto& p : parts) p.get();
    faiss_call("add", [&] {
        plain_ivf->add_core(n, x, nullptr, lists.data());
        return 0;
    });
}

std::vector<int64_t> AnnIndex::assign(const float* x, int64_t n) const {
    auto* plain_ivf = as_refine(index_.get()) ? nullptr : ivf();
    if (!plain_ivf || n <= 0) return {};
    std::vector<idx_t> lists(static_cast<size_t>(n));
    faiss_call("add", [&] {
        plain_ivf->quantizer->assign(n, x, lists.data());
        return 0;
    });
    return {lists.begin(), lists.end()};
}

void AnnIndex::add_assigned(const float* x, int64_t n, const std::vector<int64_t>& lists) {
    auto* plain_ivf = as_refine(index_.get()) ? nullptr : ivf();
    if (!plain_ivf || lists.size() != static_cast<size_t>(n)) return add(x, n);
    static_assert(sizeof(idx_t) == sizeof(int64_t));
    faiss_call("add", [&] {
        plain_ivf->add_core(n, x, nullptr, reinterpret_cast<const idx_t*>(lists.data()));
        return 0;
    });
}

faiss::IndexIVF* AnnIndex::ivf() const {
    if (auto* refine = as_refine(index_.get()))
        return dynamic_cast<faiss::IndexIVF*>(refine->base_index);
    return dynamic_cast<faiss::IndexIVF*>(index_.get());
}

int AnnIndex::nlist() const {
    auto* i = ivf();
    return i ? static_cast<int>(i->nlist) : 0;
}

int AnnIndex::nprobe_default() const {
    auto* i = ivf();
    return i ? static_cast<int>(i->nprobe) : 0;
}

int AnnIndex::rerank_factor() const {
    return kind_ == IndexKind::IvfPq ? std::max(1, params_.pq_rerank) : 1;
}

void AnnIndex::set_search_defaults(const IndexParams& params) {
    params_.hnsw_ef_search = params.hnsw_ef_search;
    params_.hnsw_ef_max = params.hnsw_ef_max;
    params_.ivf_nprobe = params.ivf_nprobe;
    params_.pq_rerank = params.pq_rerank;
    if (auto* h = as_hnsw(index_.get()))
        h->hnsw.efSearch = std::max(params.hnsw_ef_max, 2 * params.hnsw_ef_search);
    if (auto* i = ivf())
        if (params.ivf_nprobe > 0) i->nprobe = params.ivf_nprobe;
}

void AnnIndex::search(const float* query, int k, const faiss::IDSelector* sel, double selectivity,
                      const SearchTuning& tuning, std::vector<Neighbor>& out) const {
    out.clear();
    const int64_t n = size();
    if (n == 0 || k <= 0) return;
    k = static_cast<int>(std::min<int64_t>(k, n));
    selectivity = std::clamp(sel ? selectivity : 1.0, 1e-9, 1.0);
    // FAISS takes a non-const selector pointer but only calls is_member().
    auto* selector = const_cast<faiss::IDSelector*>(sel);

    int fetch = k;
    std::unique_ptr<faiss::SearchParameters> sp;
    switch (kind_) {
        case IndexKind::Auto:
        case IndexKind::Flat:
            sp = std::make_unique<faiss::SearchParameters>();
            break;
        case IndexKind::Hnsw: {
            auto p = std::make_unique<faiss::SearchParametersHNSW>();
            // FAISS sizes the candidate heap max(index efSearch, k) and stops once efSearch
            // candidates are closer than the one it expands; with efSearch near the heap
            // size that rarely happens and the walk runs on, so efSearch stays <= half of it.
            const int capacity =
                std::max(static_cast<const faiss::IndexHNSW*>(index_.get())->hnsw.efSearch, k);
            const int base = std::min(
                std::max(tuning.ef_search > 0 ? tuning.ef_search : params_.hnsw_ef_search, k),
                capacity / 2);
            // Rejected rows still guide the walk but fill no result slot, so the candidate
            // list must grow with 1/selectivity to keep k accepted rows in it.
            const double ef = std::min<double>(base / selectivity, capacity / 2);
            p->efSearch = static_cast<int>(ef);
            sp = std::move(p);
            break;
        }
        case IndexKind::IvfFlat:
        case IndexKind::IvfSq8:
        case IndexKind::IvfPq: {
            const int base = tuning.nprobe > 0 ? tuning.nprobe : nprobe_default();
            const int nl = nlist();
            // The filter is checked inside each probed list, so probing more lists only
            // matters when the probed ones would hold too few accepted rows: aim for four
            // times the candidates wanted (lists hold n / nlist rows on average).
            const double enough = 4.0 * fetch * nl / (selectivity * static_cast<double>(n));
            const auto nprobe = static_cast<size_t>(
                std::clamp<double>(std::ceil(enough), base, std::max(base, nl)));
            ivf_search(query, k, nprobe, selector, out);
            finish_filtered(query, k, sel, selectivity, out);
            return;
        }
    }
    sp->sel = selector;
    std::vector<float> dist(static_cast<size_t>(fetch));
    std::vector<idx_t> ids(static_cast<size_t>(fetch));
    faiss_call("search", [&] {
        index_->search(1, query, fetch, dist.data(), ids.data(), sp.get());
        return 0;
    });
    out.reserve(static_cast<size_t>(fetch));
    for (int i = 0; i < fetch; ++i) {
        if (ids[i] < 0) continue;
        out.push_back({ids[i], dist[i]});
    }
    std::sort(out.begin(), out.end());
    if (out.size() > static_cast<size_t>(k)) out.resize(static_cast<size_t>(k));
    finish_filtered(query, k, sel, selectivity, out);
}

void AnnIndex::finish_filtered(const float* query, int k, const faiss::IDSelector* sel,
                               double selectivity, std::vector<Neighbor>& out) const {
    // A filter whose rows lie away from the query (a gene's variants sit together in the
    // embedding space) can leave the probed lists or the graph walk short of k accepted rows
    // although k exist: then every accepted row is compared, so k come back whenever k match.
    const auto matching =
        static_cast<int64_t>(std::llround(selectivity * static_cast<double>(size())));
    if (sel && static_cast<int64_t>(out.size()) < std::min<int64_t>(k, matching))
        exhaustive_search(query, k, *const_cast<faiss::IDSelector*>(sel), out);
}

void AnnIndex::ivf_search(const float* query, int k, size_t nprobe, faiss::IDSelector* sel,
                          std::vector<Neighbor>& out) const {
    out.clear();
    faiss::SearchParametersIVF p;
    p.nprobe = nprobe;
    p.sel = sel;
    const int fetch = k * rerank_factor();
    std::vector<float> dist(static_cast<size_t>(fetch));
    std::vector<idx_t> ids(static_cast<size_t>(fetch));
    faiss::IndexIVF* lists = ivf();
    faiss_call("search", [&] {
        lists->search(1, query, fetch, dist.data(), ids.data(), &p);
        return 0;
    });
    if (auto* refine = as_refine(index_.get())) {
        // Candidates from the PQ scan, ordered by their SQ8 distances.
        std::unique_ptr<faiss::DistanceComputer> dc(
            faiss_call("search", [&] { return refine->refine_index->get_distance_computer(); }));
        dc->set_query(query);
        for (int i = 0; i < fetch; ++i)
            if (ids[i] >= 0) dist[i] = (*dc)(ids[i]);
    }
    out.reserve(static_cast<size_t>(fetch));
    for (int i = 0; i < fetch; ++i)
        if (ids[i] >= 0) out.push_back({ids[i], dist[i]});
    std::sort(out.begin(), out.end());
    if (out.size() > static_cast<size_t>(k)) out.resize(static_cast<size_t>(k));
}

void AnnIndex::exhaustive_search(const float* query, int k, faiss::IDSelector& sel,
                                 std::vector<Neighbor>& out) const {
    out.clear();
    if (auto* lists = ivf()) {
        // Every list, with the selector: distances only for accepted rows.
        ivf_search(query, k, lists->nlist, &sel, out);
        return;
    } else {
        // Flat storage (the flat index itself, or HNSW's): compare the accepted rows exactly.
        const faiss::IndexFlat* flat = dynamic_cast<const faiss::IndexFlat*>(index_.get());
        if (auto* h = as_hnsw(index_.get()))
            flat = dynamic_cast<const faiss::IndexFlat*>(h->storage);
        if (!flat) return;
        const float* xb = flat->get_xb();
        for (int64_t r = 0; r < flat->ntotal; ++r) {
            if (!sel.is_member(r)) continue;
            const float* x = xb + r * dim_;
            float d = 0;
            for (int j = 0; j < dim_; ++j) d += (x[j] - query[j]) * (x[j] - query[j]);
            out.push_back({r, d});
            if (out.size() > static_cast<size_t>(4 * k)) {
                std::nth_element(out.begin(), out.begin() + k, out.end());
                out.resize(static_cast<size_t>(k));
            }
        }
    }
    std::sort(out.begin(), out.end());
    if (out.size() > static_cast<size_t>(k)) out.resize(static_cast<size_t>(k));
}

size_t AnnIndex::memory_bytes() const {
    size_t bytes = 0;
    if (auto* flat = dynamic_cast<const faiss::IndexFlatCodes*>(index_.get()))
        bytes += flat->codes.capacity();
    if (auto* h = as_hnsw(index_.get())) {
        bytes += static_cast<size_t>(h->ntotal) * dim_ * sizeof(float);
        bytes += h->hnsw.neighbors.capacity() * sizeof(int) + h->hnsw.levels.capacity() * 4 +
                 h->hnsw.offsets.capacity() * 8;
    }
    if (auto* refine = as_refine(index_.get()))
        if (auto* codes = dynamic_cast<const faiss::IndexFlatCodes*>(refine->refine_index))
            bytes += codes->codes.capacity();
    if (auto* lists = ivf()) {
        bytes += static_cast<size_t>(lists->ntotal) * (lists->code_size + sizeof(idx_t));
        bytes += static_cast<size_t>(lists->nlist) * dim_ * sizeof(float);
        if (auto* pq = dynamic_cast<const faiss::IndexIVFPQ*>(lists))
            bytes += pq->precomputed_table.size() * sizeof(float);
        bytes += lists->direct_map.array.capacity() * sizeof(idx_t);
    }
    return bytes;
}

FileDigest AnnIndex::save(const fs::path& path) const {
    HashingWriter w(path);
    faiss_call("write_index", [&] {
        faiss::write_index(index_.get(), &w);
        return 0;
    });
    return w.finish();
}

std::unique_ptr<AnnIndex> AnnIndex::load(const fs::path& path, IndexKind kind,
                                         const FileDigest& digest, const IndexParams& params,
                                         int64_t trained_rows) {
    std::unique_ptr<AnnIndex> a(new AnnIndex(kind, 0, params));
    verify_file(path, digest);
    {
        FileReader r(path);
        a->index_.reset(faiss_call("read_index", [&] { return faiss::read_index(&r); }));
    }
    a->dim_ = a->index_->d;
    bool right_type = false;
    switch (kind) {
        case IndexKind::Auto:
            break;
        case IndexKind::Flat:
            right_type = dynamic_cast<faiss::IndexFlatL2*>(a->index_.get()) != nullptr;
            break;
        case IndexKind::Hnsw:
            right_type = dynamic_cast<faiss::IndexHNSWFlat*>(a->index_.get()) != nullptr;
            break;
        case IndexKind::IvfFlat:
            right_type = dynamic_cast<faiss::IndexIVFFlat*>(a->index_.get()) != nullptr;
            break;
        case IndexKind::IvfSq8:
            right_type = dynamic_cast<faiss::IndexIVFScalarQuantizer*>(a->index_.get()) != nullptr;
            break;
        case IndexKind::IvfPq:
            if (auto* refine = as_refine(a->index_.get()))
                right_type = dynamic_cast<faiss::IndexIVFPQ*>(refine->base_index) &&
                             dynamic_cast<faiss::IndexScalarQuantizer*>(refine->refine_index);
            break;
    }
    if (!right_type)
        throw StoreError(path.string() + " does not hold a " + std::string(to_string(kind)) +
                         " index");
    a->trained_rows_ = trained_rows;
    a->set_search_defaults(params);
    // Files written before inverted files kept their direct map.
    if (auto* plain_ivf = as_refine(a->index_.get()) ? nullptr : a->ivf())
        if (plain_ivf->direct_map.type == faiss::DirectMap::NoMap)
            faiss_call("read_index", [&] {
                plain_ivf->make_direct_map(true);
                return 0;
            });
    return a;
}

bool AnnIndex::reconstruct(int64_t row, float* out) const {
    if (row < 0 || row >= size()) return false;
    faiss_call("reconstruct", [&] {
        if (auto* refine = as_refine(index_.get()))
            refine->refine_index->reconstruct(row, out);
        else
            index_->reconstruct(row, out);
        return 0;
    });
    return true;
}

}  // namespace vcfagent::index
