#include "store/vector_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <queue>
#include <unordered_set>

#include "common/error.hpp"
#include "embed/dimension_reducer.hpp"
#include "store/compute_threads.hpp"
#include "store/vector_distance.hpp"
#include "store/vector_segments.hpp"

namespace vcfagent::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDictMagic = "VCFAVDIC";
constexpr const char* kDeletedMagic = "VCFAVDEL";
constexpr uint32_t kFileFormat = 1;
constexpr const char* kLockName = "LOCK";
constexpr const char* kReducerName = "reducer.faiss";
// Saved by set_reducer until the next commit moves it into the version; the .tmp suffix
// makes a crash leave nothing a later open would not clean.
constexpr const char* kPendingReducerName = "reducer.pending.tmp";
// IVF-PQ trains 256-centroid sub-quantizers; below this many rows an exact index is used.
constexpr size_t kMinIvfRows = 1024;
// IVF-PQ coarse centroids go stale as the collection grows; retrain past this growth.
constexpr int64_t kRetrainGrowth = 4;
// Past this many row segments a commit rewrites them as one (amortised: 1/kMaxSegments of
// the store per commit), so a store loaded in many small batches keeps few files.
constexpr size_t kMaxSegments = 64;


std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

struct VectorStore::Data {
    std::unique_ptr<AnnIndex> main;   // rows [0, main->size())
    std::unique_ptr<AnnIndex> delta;  // exact; rows [main->size(), rows())
    AttributeColumns attrs;
    KeyTable keys;
    RowBitmap deleted;
    size_t deleted_count = 0;
    // Segments of the committed version that hold rows of this numbering (writer only).
    std::vector<RowSegment> persisted;

    size_t rows() const { return keys.size(); }
    size_t main_rows() const { return static_cast<size_t>(main->size()); }
    size_t live_rows() const { return rows() - deleted_count; }
};

fs::path vectors_dir(const fs::path& db_dir) {
    return db_dir / "vectors";
}

std::string describe_embedder(const embed::EmbedderInfo& info) {
    std::string s = info.kind.empty() ? "unknown" : info.kind;
    if (!info.model.empty()) s += " " + info.model;
    s += " (dim " + std::to_string(info.dimension);
    if (!info.reduction.empty()) s += ", " + info.reduction;
    return s + ")";
}

VectorStore::VectorStore(fs::path dir, VectorStoreOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {}

VectorStore::~VectorStore() {
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

bool VectorStore::exists(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / kManifestName, ec);
}

std::unique_ptr<VectorStore> VectorStore::open(const fs::path& dir,
                                               const VectorStoreOptions& options) {
    if (!exists(dir))
        throw StoreError("no vector store at " + dir.string() +
                         " (fill it with `vcf-agent embed FILE --db DIR` or `ingest`)");
    std::unique_ptr<VectorStore> s(new VectorStore(dir, options));
    if (!options.read_only) s->lock_for_writing();
    s->load_committed();
    return s;
}

std::unique_ptr<VectorStore> VectorStore::open_or_create(const fs::path& dir,
                                                         const embed::EmbedderInfo& embedder,
                                                         VectorStoreOptions options) {
    options.read_only = false;
    if (exists(dir)) {
        auto s = open(dir, options);
        s->check_embedder(embedder);
        return s;
    }
    if (embedder.dimension <= 0)
        throw StoreError("cannot create a vector store at " + dir.string() + " for embedder " +
                         describe_embedder(embedder) + ": dimension must be positive");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw StoreError("cannot create " + dir.string() + ": " + ec.message());
    std::unique_ptr<VectorStore> s(new VectorStore(dir, options));
    s->lock_for_writing();
    // Another process may have created it while we waited for the lock.
    if (exists(dir)) {
        s->load_committed();
        s->check_embedder(embedder);
        return s;
    }
    s->embedder_ = embedder;
    s->requested_ = options.index.value_or(IndexKind::Auto);
    s->params_ = options.params.value_or(IndexParams{});
    auto data = std::make_unique<Data>();
    data->main = AnnIndex::empty_flat(embedder.dimension);
    data->delta = AnnIndex::empty_flat(embedder.dimension);
    s->install(std::move(data));
    s->clean_stale_versions();
    s->commit();
    return s;
}

void VectorStore::lock_for_writing() {
    const fs::path path = dir_ / kLockName;
    lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0)
        throw StoreError(path.string() + ": cannot open lock file: " + std::strerror(errno));
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        lock_fd_ = -1;
        throw StoreError("vector store " + dir_.string() +
                         " is open for writing by another process");
    }
}

void VectorStore::require_writable(const char* what) const {
    if (options_.read_only)
        throw StoreError("vector store " + dir_.string() + " was opened read-only; cannot " + what);
}

void VectorStore::check_embedder(const embed::EmbedderInfo& info) const {
    if (info == embedder_) return;
    throw StoreError("vector store " + dir_.string() + " was built with embedder " +
                     describe_embedder(embedder_) + ", not " + describe_embedder(info) +
                     ": vectors from different embedders are not comparable (use the store's "
                     "embedder, or embed into another --db)");
}

void VectorStore::clean_stale_versions() const {
    // Only the writer (holding the lock) deletes, so a reader never loses files mid-read
    // except versions older than the previous one, which it retries past.
    std::error_code ec;
    std::vector<std::string> keep;
    if (committed_) {
        keep.push_back(committed_->current.dir);
        if (committed_->previous) keep.push_back(committed_->previous->dir);
    }
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        const std::string name = entry.path().filename().string();
        uint64_t v;
        const bool stale_version = parse_version_dir_name(name, v) &&
                                   std::find(keep.begin(), keep.end(), name) == keep.end();
        const bool stale_tmp = name.size() > 4 && name.ends_with(".tmp");
        if (stale_version || stale_tmp) fs::remove_all(entry.path(), ec);
    }
}

std::unique_ptr<VectorStore::Data> VectorStore::load_version(const ManifestVersion& v) const {
    const fs::path vdir = dir_ / v.dir;
    auto need = [&](const std::string& name) -> const ManifestFile& {
        const ManifestFile* f = v.file(name);
        if (!f) throw StoreError(vdir.string() + ": manifest lists no " + name);
        return *f;
    };
    auto open_verified = [&](const std::string& name) {
        const ManifestFile& f = need(name);
        verify_file(vdir / name, f.digest);
        return std::make_unique<FileReader>(vdir / name);
    };

    auto data = std::make_unique<Data>();
    data->persisted = segments_of(v, vdir);
    const int dim = v.embedder.dimension;
    // Rows below main_rows are in the main index; IVF-PQ keeps their exact vectors beside its
    // codes, the other kinds inside the index file. Newer rows form the exact delta.
    std::unique_ptr<faiss::IndexFlatL2> raw;
    if (v.main_index == IndexKind::IvfPq) {
        raw = std::make_unique<faiss::IndexFlatL2>(dim);
        raw->codes.reserve(v.main_rows * static_cast<size_t>(dim) * sizeof(float));
    }
    data->delta = AnnIndex::empty_flat(dim);
    for (const auto& seg : data->persisted)
        read_segment_vectors(vdir, seg, dim, [&](uint64_t row, int64_t n, const float* x) {
            const int64_t in_main =
                std::clamp<int64_t>(static_cast<int64_t>(v.main_rows) - static_cast<int64_t>(row), 0, n);
            if (raw && in_main > 0) raw->add(in_main, x);
            if (in_main < n) data->delta->add(x + in_main * dim, n - in_main);
        });
    data->main = AnnIndex::load(vdir, v.main_index, {"main.faiss", need("main.faiss").digest}, v.params,
                                v.trained_rows, std::move(raw));
    if (data->main->dim() != dim || data->delta->dim() != dim)
        throw StoreError(vdir.string() + ": index dimension does not match the embedder's " +
                         std::to_string(dim));
    if (data->main_rows() != v.main_rows ||
        data->main_rows() + static_cast<size_t>(data->delta->size()) != v.rows)
        throw StoreError(vdir.string() + ": index row counts do not match the manifest");

    {
        auto r = open_verified("dicts.bin");
        read_header(*r, kDictMagic, kFileFormat);
        data->attrs.read_dictionaries(*r);
        r->expect_end();
    }
    data->attrs.reserve(v.rows);
    for (const auto& seg : data->persisted) read_segment_columns(vdir, seg, data->keys, data->attrs);
    if (const ManifestFile* f = v.file(kReducerName)) verify_file(vdir / kReducerName, f->digest);
    {
        auto r = open_verified("deleted.bin");
        read_header(*r, kDeletedMagic, kFileFormat);
        data->deleted = RowBitmap(v.rows);
        auto& words = data->deleted.words();
        words.clear();
        read_array_append(*r, words, (v.rows + 63) / 64);
        r->expect_end();
        data->deleted.resize(v.rows);
        data->deleted_count = data->deleted.count();
        if (data->deleted_count != v.deleted_rows)
            throw StoreError(vdir.string() + ": deleted row count does not match the manifest");
    }
    return data;
}

void VectorStore::load_committed() {
    // A read-only open can race a writer that removes an old version right after swapping the
    // manifest; re-reading the manifest once resolves that.
    for (int attempt = 0;; ++attempt) {
        auto manifest = read_manifest(dir_);
        if (!manifest) throw StoreError("no vector store at " + dir_.string());
        Manifest m = *manifest;
        std::unique_ptr<Data> data;
        std::string note;
        try {
            data = load_version(m.current);
        } catch (const StoreError& e) {
            if (options_.read_only && attempt == 0) {
                auto again = read_manifest(dir_);
                if (again && again->current.version != m.current.version) continue;
            }
            if (!options_.fall_back_to_previous || !m.previous) throw;
            data = load_version(*m.previous);  // throws if the previous is damaged too
            note = "version " + std::to_string(m.current.version) + " is damaged (" + e.what() +
                   "); opened the previous version " + std::to_string(m.previous->version);
            if (m.previous->last_batch_id)
                note += " (last batch " + std::to_string(*m.previous->last_batch_id) + ")";
            m.current = *m.previous;
            m.previous.reset();
            if (!options_.read_only) {
                // Make the fallback durable so the next commit builds on a readable version.
                write_manifest(dir_, m);
                note += "; the manifest now names it";
            }
        }
        const ManifestVersion& v = m.current;
        IndexParams params = v.params;
        if (options_.params) {
            // Construction parameters of an existing index stay; search defaults apply now.
            params.hnsw_ef_search = options_.params->hnsw_ef_search;
            params.hnsw_ef_max = options_.params->hnsw_ef_max;
            params.ivf_nprobe = options_.params->ivf_nprobe;
            params.refine_factor = options_.params->refine_factor;
            data->main->set_search_defaults(params);
        }
        {
            std::unique_lock lock(data_mutex_);
            // Readers use embedder_ without the lock; it never changes once set.
            if (!(embedder_ == v.embedder)) embedder_ = v.embedder;
            requested_ = options_.index.value_or(v.requested_index);
            params_ = params;
            sources_ = v.sources;
            last_batch_ = v.last_batch_id;
            committed_version_ = v.version;
            reducer_file_.reset();
            if (v.file(kReducerName)) reducer_file_ = dir_ / v.dir / kReducerName;
            data_ = std::move(data);
        }
        committed_ = m;
        main_dirty_ = false;
        open_note_ = note;
        if (!options_.read_only) clean_stale_versions();
        return;
    }
}

void VectorStore::install(std::unique_ptr<Data> data) {
    std::unique_lock lock(data_mutex_);
    data_ = std::move(data);
}

IndexKind VectorStore::target_kind(size_t live_rows) const {
    switch (requested_) {
        case IndexKind::Auto:
            return live_rows < options_.flat_max_rows ? IndexKind::Flat : options_.auto_large;
        case IndexKind::IvfPq:
            return live_rows < kMinIvfRows ? IndexKind::Flat : IndexKind::IvfPq;
        default:
            return requested_;
    }
}

int64_t VectorStore::find_row(std::string_view key) const {
    const Data& d = *data_;
    return d.keys.find(key, [&](int64_t r) { return !d.deleted.test(r); });
}

const float* VectorStore::row_vector(int64_t row) const {
    const Data& d = *data_;
    const auto main_rows = static_cast<int64_t>(d.main_rows());
    return row < main_rows ? d.main->vector(row) : d.delta->vector(row - main_rows);
}

size_t VectorStore::add(std::span<const vcf::Variant> variants, const float* vectors,
                        uint32_t source_id) {
    std::lock_guard writer(writer_mutex_);
    ComputeThreadLimit threads(options_.build_threads, true);
    require_writable("add variants");
    const int dim = dimension();
    // Decide what to add without blocking readers: only this thread mutates.
    std::vector<size_t> take;
    take.reserve(variants.size());
    std::unordered_set<std::string_view> in_batch;
    for (size_t i = 0; i < variants.size(); ++i) {
        const auto& v = variants[i];
        if (v.key.empty())
            throw StoreError("variant at " + v.chrom + ":" + std::to_string(v.pos) +
                             " has no key; cannot add it to the vector store");
        const float* x = vectors + i * static_cast<size_t>(dim);
        for (int j = 0; j < dim; ++j)
            if (!std::isfinite(x[j]))
                throw StoreError("embedding of " + v.key + " holds a non-finite value");
        if (find_row(v.key) >= 0 || !in_batch.insert(v.key).second) continue;
        take.push_back(i);
    }
    if (take.empty()) return 0;
    std::vector<float> rows(take.size() * static_cast<size_t>(dim));
    for (size_t t = 0; t < take.size(); ++t)
        std::copy_n(vectors + take[t] * dim, dim, rows.data() + t * dim);
    {
        std::unique_lock lock(data_mutex_);
        Data& d = *data_;
        for (size_t i : take) {
            d.keys.append(variants[i].key);
            d.attrs.append(variants[i], source_id);
        }
        d.delta->add(rows.data(), static_cast<int64_t>(take.size()));
        d.deleted.resize(d.rows());
    }
    maybe_merge();
    return take.size();
}

size_t VectorStore::remove_source(uint32_t source_id) {
    std::lock_guard writer(writer_mutex_);
    ComputeThreadLimit threads(options_.build_threads, true);
    require_writable("remove a source");
    std::vector<int64_t> rows;
    {
        const Data& d = *data_;
        const auto& source = d.attrs.source();
        for (size_t r = 0; r < d.rows(); ++r)
            if (source[r] == source_id && !d.deleted.test(static_cast<int64_t>(r)))
                rows.push_back(static_cast<int64_t>(r));
    }
    {
        std::unique_lock lock(data_mutex_);
        for (int64_t r : rows) data_->deleted.set(r);
        data_->deleted_count += rows.size();
        sources_.erase(source_id);
    }
    const Data& d = *data_;
    if (d.rows() > 0 && static_cast<double>(d.deleted_count) >=
                            options_.rebuild_deleted_fraction * static_cast<double>(d.rows()))
        rebuild(target_kind(d.live_rows()));
    return rows.size();
}

void VectorStore::maybe_merge() {
    if (static_cast<size_t>(data_->delta->size()) >= options_.delta_merge_rows) merge_delta();
}

void VectorStore::merge_delta() {
    const Data& d = *data_;
    const IndexKind target = target_kind(d.live_rows());
    const bool retrain = d.main->kind() == IndexKind::IvfPq &&
                         static_cast<int64_t>(d.rows()) > kRetrainGrowth * d.main->trained_rows();
    const bool too_many_deleted = d.deleted_count > 0 && static_cast<double>(d.deleted_count) >=
                                                             options_.rebuild_deleted_fraction *
                                                                 static_cast<double>(d.rows());
    if (d.main->kind() != target || retrain || too_many_deleted) {
        rebuild(target);
        return;
    }
    if (d.delta->size() == 0) return;
    const float* x = d.delta->vector(0);
    const int64_t n = d.delta->size();
    auto fresh_delta = AnnIndex::empty_flat(dimension());
    if (d.main->kind() == IndexKind::Hnsw) {
        // Inserting into HNSW takes seconds; do it on a copy so searches are not held up.
        auto merged = d.main->clone();
        merged->add(x, n);
        std::unique_lock lock(data_mutex_);
        data_->main = std::move(merged);
        data_->delta = std::move(fresh_delta);
    } else {
        std::unique_lock lock(data_mutex_);
        data_->main->add(x, n);
        data_->delta = std::move(fresh_delta);
    }
    main_dirty_ = true;
}

void VectorStore::rebuild(IndexKind kind) {
    const Data& d = *data_;
    const int dim = dimension();
    std::vector<uint8_t> keep(d.rows());
    for (size_t r = 0; r < d.rows(); ++r) keep[r] = !d.deleted.test(static_cast<int64_t>(r));
    auto next = std::make_unique<Data>();
    next->keys = d.keys;
    next->keys.compact(keep);
    next->attrs = d.attrs;
    next->attrs.compact(keep);
    const size_t live = next->rows();
    if (kind == IndexKind::IvfPq && live < kMinIvfRows) kind = IndexKind::Flat;
    if (live == d.rows()) {
        // Nothing to drop: build from the rows where they are (the main index, then the delta).
        next->main = AnnIndex::build(kind, dim,
                                     {{d.main_rows() ? d.main->vector(0) : nullptr, d.main->size()},
                                      {d.delta->size() ? d.delta->vector(0) : nullptr, d.delta->size()}},
                                     params_);
    } else {
        std::vector<float> x(live * static_cast<size_t>(dim));
        size_t out = 0;
        for (size_t r = 0; r < d.rows(); ++r)
            if (keep[r]) std::copy_n(row_vector(static_cast<int64_t>(r)), dim, x.data() + out++ * dim);
        next->main = AnnIndex::build(kind, dim, {{x.data(), static_cast<int64_t>(live)}}, params_);
    }
    next->delta = AnnIndex::empty_flat(dim);
    next->deleted = RowBitmap(live);
    // Without deletions the rows keep their numbers, so the written segments stay valid.
    if (live == d.rows()) next->persisted = d.persisted;
    install(std::move(next));
    main_dirty_ = true;
}

void VectorStore::merge_delta_now() {
    std::lock_guard writer(writer_mutex_);
    ComputeThreadLimit threads(options_.build_threads, true);
    require_writable("merge the delta");
    merge_delta();
}

void VectorStore::compact() {
    std::lock_guard writer(writer_mutex_);
    ComputeThreadLimit threads(options_.build_threads, true);
    require_writable("compact");
    const Data& d = *data_;
    if (d.deleted_count > 0 || d.main->kind() != target_kind(d.live_rows()))
        rebuild(target_kind(d.live_rows()));
    else
        merge_delta();
}

void VectorStore::rollback() {
    std::lock_guard writer(writer_mutex_);
    load_committed();
}

bool VectorStore::revert_to_previous() {
    std::lock_guard writer(writer_mutex_);
    require_writable("revert to the previous version");
    if (!committed_ || !committed_->previous) return false;
    auto data = load_version(*committed_->previous);
    Manifest m;
    m.current = *committed_->previous;
    write_manifest(dir_, m);
    committed_ = m;
    {
        std::unique_lock lock(data_mutex_);
        requested_ = options_.index.value_or(m.current.requested_index);
        sources_ = m.current.sources;
        last_batch_ = m.current.last_batch_id;
        committed_version_ = m.current.version;
        reducer_file_.reset();
        if (m.current.file(kReducerName)) reducer_file_ = dir_ / m.current.dir / kReducerName;
        data_ = std::move(data);
    }
    main_dirty_ = false;
    clean_stale_versions();
    return true;
}

void VectorStore::set_index_kind(IndexKind kind) {
    std::lock_guard writer(writer_mutex_);
    std::unique_lock lock(data_mutex_);
    requested_ = kind;
}

uint32_t VectorStore::register_source(const std::string& label) {
    std::lock_guard writer(writer_mutex_);
    for (const auto& [id, l] : sources_)
        if (l == label) return id;
    uint32_t id = 1;
    if (!sources_.empty()) id = sources_.rbegin()->first + 1;
    for (uint32_t s : data_->attrs.source()) id = std::max(id, s + 1);
    std::unique_lock lock(data_mutex_);
    sources_[id] = label;
    return id;
}

std::map<uint32_t, std::string> VectorStore::sources() const {
    std::shared_lock lock(data_mutex_);
    return sources_;
}

void VectorStore::set_reducer(const embed::DimensionReducer& reducer) {
    std::lock_guard writer(writer_mutex_);
    require_writable("keep a dimension reducer");
    const fs::path pending = dir_ / kPendingReducerName;
    std::error_code ec;
    fs::remove(pending, ec);
    reducer.save(pending.string());
    std::unique_lock lock(data_mutex_);
    reducer_file_ = pending;
}

std::optional<fs::path> VectorStore::reducer_file() const {
    std::shared_lock lock(data_mutex_);
    return reducer_file_;
}

uint64_t VectorStore::next_version() const {
    uint64_t v = committed_ ? committed_->current.version : 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        uint64_t n;
        if (parse_version_dir_name(entry.path().filename().string(), n)) v = std::max(v, n);
    }
    return v + 1;
}

ManifestVersion VectorStore::write_version(uint64_t version, std::optional<uint64_t> batch_id,
                                           std::vector<RowSegment>& segments) {
    const Data& d = *data_;
    ManifestVersion v;
    v.version = version;
    v.dir = version_dir_name(version);
    v.last_batch_id = batch_id ? batch_id : last_batch_;
    v.committed_at = utc_now();
    v.rows = d.rows();
    v.main_rows = d.main_rows();
    v.deleted_rows = d.deleted_count;
    v.embedder = embedder_;
    v.requested_index = requested_;
    v.main_index = d.main->kind();
    v.params = params_;
    v.trained_rows = d.main->trained_rows();
    v.sources = sources_;

    const fs::path vdir = dir_ / v.dir;
    std::error_code ec;
    fs::remove_all(vdir, ec);
    if (!fs::create_directory(vdir, ec) || ec)
        throw StoreError("cannot create " + vdir.string() + ": " + ec.message());

    auto add_file = [&](const std::string& name, const FileDigest& digest) {
        v.files.push_back({name, digest});
    };
    auto share = [&](const ManifestVersion& from, const ManifestFile& f) {
        link_or_copy(dir_ / from.dir / f.name, vdir / f.name);
        add_file(f.name, f.digest);
    };

    const ManifestVersion* prev = committed_ ? &committed_->current : nullptr;
    const ManifestFile* prev_main = prev ? prev->file("main.faiss") : nullptr;
    if (!main_dirty_ && prev_main && prev->main_index == v.main_index && prev->main_rows == v.main_rows) {
        share(*prev, *prev_main);
    } else {
        const IndexFile f = d.main->save(vdir, "main");
        add_file(f.name, f.digest);
    }
    // Rows already in the committed version's segments are shared; only newer rows are written.
    segments.clear();
    const bool consolidate = !prev || d.persisted.size() >= kMaxSegments ||
                             (!d.persisted.empty() && d.persisted.back().end > d.rows());
    if (!consolidate)
        for (const auto& seg : d.persisted) {
            share(*prev, seg.cols);
            share(*prev, seg.vectors);
            segments.push_back(seg);
        }
    const uint64_t from = segments.empty() ? 0 : segments.back().end;
    if (d.rows() > from) {
        const auto main_rows = static_cast<int64_t>(d.main_rows());
        const auto rows = static_cast<int64_t>(d.rows());
        auto seg = write_segment(
            vdir, from, d.rows(), d.keys, d.attrs, dimension(), [&](int64_t r) { return row_vector(r); },
            [&](int64_t r) { return r < main_rows ? main_rows : rows; });
        add_file(seg.cols.name, seg.cols.digest);
        add_file(seg.vectors.name, seg.vectors.digest);
        segments.push_back(std::move(seg));
    }
    {
        HashingWriter w(vdir / "dicts.bin");
        write_header(w, kDictMagic, kFileFormat);
        d.attrs.write_dictionaries(w);
        add_file("dicts.bin", w.finish());
    }
    if (reducer_file_) {
        link_or_copy(*reducer_file_, vdir / kReducerName);
        fsync_file(vdir / kReducerName);
        add_file(kReducerName, digest_file(vdir / kReducerName));
    }
    {
        HashingWriter w(vdir / "deleted.bin");
        write_header(w, kDeletedMagic, kFileFormat);
        const auto& words = d.deleted.words();
        write_array(w, words.data(), words.size());
        add_file("deleted.bin", w.finish());
    }
    fsync_directory(vdir);
    fsync_directory(dir_);
    return v;
}

void VectorStore::commit(std::optional<uint64_t> batch_id) {
    std::lock_guard writer(writer_mutex_);
    require_writable("commit");
    // Readers keep searching while the files are written: nothing they see changes here.
    std::vector<RowSegment> segments;
    ManifestVersion v = write_version(next_version(), batch_id, segments);
    if (options_.commit_hook) options_.commit_hook("version_written");
    Manifest m;
    m.current = v;
    if (committed_) m.previous = committed_->current;
    write_manifest(dir_, m);
    if (options_.commit_hook) options_.commit_hook("manifest_written");
    committed_ = m;
    main_dirty_ = false;
    data_->persisted = std::move(segments);
    {
        std::unique_lock lock(data_mutex_);
        last_batch_ = v.last_batch_id;
        committed_version_ = v.version;
        if (v.file(kReducerName)) reducer_file_ = dir_ / v.dir / kReducerName;
    }
    clean_stale_versions();
}

size_t VectorStore::size() const {
    std::shared_lock lock(data_mutex_);
    return data_->live_rows();
}

bool VectorStore::contains(std::string_view key) const {
    std::shared_lock lock(data_mutex_);
    return find_row(key) >= 0;
}

std::optional<std::vector<float>> VectorStore::get_vector(std::string_view key) const {
    std::shared_lock lock(data_mutex_);
    const int64_t row = find_row(key);
    if (row < 0) return std::nullopt;
    const float* x = row_vector(row);
    return std::vector<float>(x, x + dimension());
}

std::optional<VariantAttributes> VectorStore::get_attributes(std::string_view key) const {
    std::shared_lock lock(data_mutex_);
    const int64_t row = find_row(key);
    if (row < 0) return std::nullopt;
    return data_->attrs.row(row);
}

std::optional<uint64_t> VectorStore::last_committed_batch() const {
    std::shared_lock lock(data_mutex_);
    return last_batch_;
}

void VectorStore::exact_scan(const float* query, size_t want, const RowBitmap* bits,
                             std::vector<Neighbor>& out) const {
    const Data& d = *data_;
    const int dim = dimension();
    std::vector<int64_t> rows;
    if (bits) {
        rows.reserve(bits->count());
        bits->for_each_set(0, d.rows(), [&](int64_t r) { rows.push_back(r); });
    } else {
        rows.reserve(d.live_rows());
        for (size_t r = 0; r < d.rows(); ++r)
            if (!d.deleted.test(static_cast<int64_t>(r))) rows.push_back(static_cast<int64_t>(r));
    }
    // Matching rows are scattered over the vector table, so each one is a cache miss;
    // prefetching a few rows ahead overlaps those misses with the distance work.
    constexpr size_t kAhead = 8;
    const size_t row_bytes = static_cast<size_t>(dim) * sizeof(float);
    auto prefetch = [&](int64_t r) {
        const char* p = reinterpret_cast<const char*>(row_vector(r));
        for (size_t off = 0; off < row_bytes; off += 64) __builtin_prefetch(p + off);
    };
    for (size_t i = 0; i < std::min(kAhead, rows.size()); ++i) prefetch(rows[i]);
    std::priority_queue<Neighbor> heap;  // the best `want` so far, worst on top
    for (size_t i = 0; i < rows.size(); ++i) {
        if (i + kAhead < rows.size()) prefetch(rows[i + kAhead]);
        const Neighbor n{rows[i], l2_squared(query, row_vector(rows[i]), dim)};
        if (heap.size() < want) {
            heap.push(n);
        } else if (n < heap.top()) {
            heap.pop();
            heap.push(n);
        }
    }
    out.clear();
    while (!heap.empty()) {
        out.push_back(heap.top());
        heap.pop();
    }
    std::reverse(out.begin(), out.end());
}

std::vector<VectorHit> VectorStore::search(std::span<const float> query, int k,
                                           const VectorFilter& filter,
                                           const SearchTuning& tuning) const {
    if (static_cast<int>(query.size()) != dimension())
        throw StoreError("query vector has " + std::to_string(query.size()) +
                         " dimensions; vector store " + dir_.string() + " (embedder " +
                         describe_embedder(embedder_) + ") holds " + std::to_string(dimension()));
    std::vector<VectorHit> hits;
    if (k <= 0) return hits;
    FifoAdmission::Slot slot(search_admission_);
    // One query per call: an OpenMP team would only add start-up and per-thread tables.
    ComputeThreadLimit single_threaded(1, false);
    std::shared_lock lock(data_mutex_);
    const Data& d = *data_;
    const size_t rows = d.rows(), main_rows = d.main_rows();

    std::optional<RowBitmap> bits;
    size_t main_matches = main_rows - d.deleted.count(0, main_rows);
    size_t delta_matches = rows - main_rows - d.deleted.count(main_rows, rows);
    if (!filter.empty() || d.deleted_count > 0) {
        bits = select_rows(d.attrs, d.deleted, filter);
        main_matches = bits->count(0, main_rows);
        delta_matches = bits->count(main_rows, rows);
    }
    const size_t matches = main_matches + delta_matches;
    if (matches == 0) return hits;
    const size_t want = std::min(static_cast<size_t>(k), matches);
    const RowBitmap* selection = bits ? &*bits : nullptr;

    std::vector<Neighbor> found;
    // Scanning just the matching rows beats any index for a selective filter, and always
    // beats a flat index (which would test the selector on every row).
    if (bits && (matches <= options_.exact_scan_max_rows || d.main->kind() == IndexKind::Flat)) {
        exact_scan(query.data(), want, selection, found);
    } else {
        std::vector<Neighbor> part;
        const RowBitmap no_bits;
        if (main_matches > 0) {
            BitmapSelector sel(bits ? *bits : no_bits, 0);
            d.main->search(query.data(), static_cast<int>(want), bits ? &sel : nullptr,
                           static_cast<double>(main_matches) / static_cast<double>(main_rows),
                           tuning, found);
        }
        if (delta_matches > 0) {
            BitmapSelector sel(bits ? *bits : no_bits, static_cast<int64_t>(main_rows));
            d.delta->search(query.data(), static_cast<int>(want), bits ? &sel : nullptr, 1.0,
                            tuning, part);
            for (auto& n : part)
                found.push_back({n.row + static_cast<int64_t>(main_rows), n.distance});
        }
        std::sort(found.begin(), found.end());
        if (found.size() > want) found.resize(want);
        // An approximate index may come back short under a selective filter; the exact scan
        // keeps the promise of k results whenever k rows match.
        if (found.size() < want) exact_scan(query.data(), want, selection, found);
    }
    hits.reserve(found.size());
    for (const auto& n : found)
        hits.push_back({std::string(d.keys.key(n.row)), std::sqrt(std::max(0.0f, n.distance)),
                        d.attrs.row(n.row)});
    return hits;
}

VectorStoreStats VectorStore::stats() const {
    std::shared_lock lock(data_mutex_);
    const Data& d = *data_;
    VectorStoreStats s;
    // committed_ belongs to the writer; last_batch_ mirrors what readers may see.
    s.version = committed_version_;
    s.last_batch_id = last_batch_;
    s.rows = d.live_rows();
    s.main_rows = d.main_rows();
    s.delta_rows = static_cast<size_t>(d.delta->size());
    s.deleted_rows = d.deleted_count;
    s.dimension = dimension();
    s.requested_index = requested_;
    s.main_index = d.main->kind();
    s.nlist = d.main->nlist();
    s.nprobe = d.main->nprobe_default();
    s.pq_m = d.main->pq_m();
    s.memory_bytes = d.main->memory_bytes() + d.delta->memory_bytes() + d.attrs.memory_bytes() +
                     d.keys.memory_bytes() + d.deleted.words().capacity() * 8;
    return s;
}

}  // namespace vcfagent::store
