#include "index/variant_index.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/bounded_queue.hpp"
#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "index/compute_threads.hpp"
#include "index/index_io.hpp"
#include "index/row_columns.hpp"
#include "index/store_embedder.hpp"
#include "index/stored_variants.hpp"
#include "index/stored_vectors.hpp"
#include "store/call_rows.hpp"

namespace vcfagent::index {

namespace fs = std::filesystem;

namespace {
constexpr int kFormat = 4;
constexpr const char* kStamp = "stamp.json";
constexpr const char* kRowsMagic = "VCFAGENT-INDEX-ROWS";
// Rows read from the graph per page: a page is whole batches, so the span of batches grows
// or shrinks to keep pages near this size (bounded memory for any batch size).
constexpr size_t kPageRows = 65536;
// Variants embedded and added at a time within a page: bounds the rows held in memory.
constexpr size_t kChunkRows = 8192;
// Calls rows read per statement when the codes catch up (a row holds at most
// kSamplesPerCallsRow codes): bounds the result Kuzu holds in its buffer pool.
constexpr int64_t kCallsRowsPerRead = 32768;
// Rows an IVF quantiser is trained on (about: a sample of every M-th position).
constexpr size_t kTrainSampleRows = 65536;

// An advisory lock on DB/index/LOCK, held while the files are written; try-only.
class FileLock {
  public:
    explicit FileLock(const fs::path& path) {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~FileLock() {
        if (fd_ >= 0) ::close(fd_);
    }
    bool held() const { return fd_ >= 0; }

  private:
    int fd_ = -1;
};

nlohmann::json digest_json(const std::string& name, const FileDigest& d) {
    return {{"name", name}, {"size", d.size}, {"hash", hash_hex(d.hash)}};
}
FileDigest digest_of(const nlohmann::json& j) {
    FileDigest d;
    d.size = j.at("size").get<uint64_t>();
    d.hash = std::stoull(j.at("hash").get<std::string>(), nullptr, 16);
    return d;
}
}  // namespace

struct VariantIndex::Rows : RowColumns {
    std::unique_ptr<AnnIndex> ann;  // null while empty
    uint64_t batch = 0;             // last graph batch covered
    uint64_t epoch = 0;             // the graph's variant epoch they were read at
    uint64_t generation = 0;        // names the files of a save
    // Carriers counts hold every change through this batch (Variant.carriers_batch).
    uint64_t carriers_batch = 0;
    // The graph's write_generation at which these rows are the graph's whole (every row,
    // every count, in order); unset while they may not be.
    std::optional<uint64_t> current_at;
    // Every contig code of the rows, in the graph's order of contigs (their ranks: the order
    // of `ORDER BY v.locus`); set with current_at.
    std::vector<uint32_t> contigs_in_order;
};

fs::path VariantIndex::dir_of(const fs::path& db) {
    return db / "index";
}

size_t VariantIndex::stamped_rows(const fs::path& db) {
    std::ifstream in(dir_of(db) / kStamp);
    if (!in) return 0;
    const auto stamp = nlohmann::json::parse(in, nullptr, false);
    return stamp.is_object() ? stamp.value("rows", size_t{0}) : 0;
}

VariantIndex::VariantIndex(store::GraphStore& graph, std::unique_ptr<embed::Embedder> embedder,
                           IndexOptions options, std::unique_ptr<FedRows> fed)
    : graph_(graph),
      embedder_(std::move(embedder)),
      options_(std::move(options)),
      dir_(dir_of(graph.dir())) {
    const auto recorded = recorded_embedder(graph_);
    identity_ = recorded ? *recorded : embedder_->info();
    std::string why_not;
    rows_ = load_files(why_not);
    if (!rows_ && !why_not.empty()) open_note_ = why_not + "; rebuilt it from the graph";
    if (!rows_ && fed) {
        try {
            rows_ = adopt(*fed);
            from_load_ = rows_ != nullptr;
        } catch (const std::exception& e) {
            // The graph is whole whatever happened to the fed rows: build from it instead.
            open_note_ = std::string("the index rows made during the load could not be used (") +
                         e.what() + "); built the index from the graph";
        }
    }
    fed.reset();  // its temporary vector file goes now
    const auto report = catch_up();
    // Fed rows are whole: the catch-up found nothing to add, and saved them only if counts
    // changed by later batches were read again; otherwise they are saved here.
    if (from_load_ && !report.saved && report.rows_added == 0 && !report.rebuilt &&
        options_.persist) {
        try {
            ReadLock read(rows_mutex_);
            save(*rows_);
        } catch (const std::exception& e) {
            MutexLock lock(catch_up_mutex_);
            open_note_ = std::string("could not save the index files: ") + e.what();
        }
    }
}

std::unique_ptr<VariantIndex::Rows> VariantIndex::adopt(FedRows& fed) const {
    const size_t n = fed.size();
    if (fed.identity != identity_ || fed.epoch != graph_.variant_epoch() ||
        fed.attributes.size() != n || fed.vectors->rows() != n || !fed.sites_parked)
        return nullptr;
    size_t stored = 0;
    graph_.scan("MATCH (v:Variant) RETURN count(*)", {},
                [&](const store::RowView& r) { stored = static_cast<size_t>(r.integer(0)); });
    if (stored != n) return nullptr;
    // One BLAS thread, and the assignment of vectors to lists split over the build's threads
    // (AnnIndex::add): BLAS's own threads beside OpenMP's left a core spinning (perf), and the
    // add took longer than on one thread.
    ComputeThreadLimit one_thread(1, true);
    const int threads = options_.build_threads > 0
                            ? options_.build_threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto rows = std::make_unique<Rows>();
    rows->generation = 1;
    rows->batch = graph_.last_batch();
    rows->epoch = fed.epoch;
    const VectorSpill& spill = *fed.vectors;
    const bool calls_whole = fed.calls_whole && !fed.calls.abandoned() && fed.calls_parked;
    static_cast<RowColumns&>(*rows) = std::move(fed);  // the columns; the spills stay in fed
    // The fed codes stand for every Calls row there is, or are read from the graph (settle).
    CallColumns calls(options_.max_call_bytes);
    if (calls_whole) {
        rows->calls.unpark(*fed.calls_parked);
        calls.merge(std::move(rows->calls));
        graph_.scan("MATCH (c:Calls) RETURN max(c.id)", {}, [&](const store::RowView& r) {
            if (!r.is_null(0)) calls.covered = r.integer(0);
        });
    }
    rows->calls = std::move(calls);
    rows->calls.settle();
    rows->sites.unpark(*fed.sites_parked);
    rows->index_keys();
    const int dim = identity_.dimension;
    const IndexKind want = target_kind(n);
    if (is_ivf(want) && n >= static_cast<size_t>(kMinIvfRows)) {
        // Every M-th row: a sorted load's rows in order, so every contig is in the sample.
        const size_t every = std::max<size_t>(1, n / kTrainSampleRows);
        std::vector<float> sample;
        sample.reserve((n / every + 1) * static_cast<size_t>(dim));
        for (size_t r = 0; r < n; r += every) {
            sample.resize(sample.size() + static_cast<size_t>(dim));
            spill.read(r, 1, sample.data() + sample.size() - dim);
        }
        rows->ann = AnnIndex::trained(want, dim,
                                      {{sample.data(), static_cast<int64_t>(sample.size() / dim)}},
                                      static_cast<int64_t>(n), options_.params);
    }
    std::vector<float> chunk;
    for (size_t first = 0; first < n; first += kPageRows) {
        const size_t count = std::min(kPageRows, n - first);
        chunk.resize(count * static_cast<size_t>(dim));
        spill.read(first, count, chunk.data());
        add_vectors(*rows, chunk.data(), static_cast<int64_t>(count), threads);
    }
    return rows;
}

VariantIndex::~VariantIndex() = default;

std::unique_ptr<VariantIndex::Rows> VariantIndex::empty_rows() const {
    auto rows = std::make_unique<Rows>();
    rows->calls = CallColumns(options_.max_call_bytes);
    return rows;
}

IndexKind VariantIndex::target_kind(size_t rows) const {
    if (options_.kind != IndexKind::Auto) return options_.kind;
    return rows < options_.flat_max_rows ? IndexKind::Flat : IndexKind::IvfSq8;
}

std::unique_ptr<VariantIndex::Rows> VariantIndex::load_files(std::string& why_not) const {
    const fs::path stamp_path = dir_ / kStamp;
    if (!fs::exists(stamp_path)) return nullptr;
    try {
        std::ifstream in(stamp_path);
        const auto stamp = nlohmann::json::parse(in);
        if (stamp.at("format").get<int>() != kFormat) {
            why_not = "the index files have another format";
            return nullptr;
        }
        if (stamp.at("embedder").get<std::string>() != identity_.to_string()) {
            why_not = "the index files were made with " + stamp.at("embedder").get<std::string>();
            return nullptr;
        }
        auto rows = empty_rows();
        rows->batch = stamp.at("batch").get<uint64_t>();
        rows->epoch = stamp.at("epoch").get<uint64_t>();
        rows->generation = stamp.at("generation").get<uint64_t>();
        rows->carriers_batch = stamp.at("carriers_batch").get<uint64_t>();
        const auto count = stamp.at("rows").get<uint64_t>();
        {
            const auto& f = stamp.at("rows_file");
            const fs::path path = dir_ / f.at("name").get<std::string>();
            verify_file(path, digest_of(f));
            FileReader r(path);
            read_header(r, kRowsMagic, kFormat);
            rows->attributes.read(r);
            rows->keys.read(r, count);
            if (rows->attributes.size() != count)
                throw StoreError(path.string() + ": row counts disagree");
            rows->sites.read(r, count);
            rows->calls.read(r);
            r.expect_end();
            rows->index_keys();
            rows->order_sites();
        }
        if (count > 0) {
            IndexKind kind;
            const auto& f = stamp.at("ann_file");
            if (!parse_index_kind(stamp.at("kind").get<std::string>(), kind))
                throw StoreError("unknown index kind in " + stamp_path.string());
            rows->ann = AnnIndex::load(dir_ / f.at("name").get<std::string>(), kind, digest_of(f),
                                       options_.params, stamp.at("trained_rows").get<int64_t>());
            if (rows->ann->size() != static_cast<int64_t>(count) ||
                rows->ann->dim() != identity_.dimension)
                throw StoreError("the ANN index does not match its rows");
        }
        return rows;
    } catch (const std::exception& e) {
        why_not = std::string("the index files could not be used (") + e.what() + ")";
        return nullptr;
    }
}

bool VariantIndex::save(const Rows& rows) const {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    FileLock lock(dir_ / "LOCK");
    if (!lock.held()) return false;  // another process is writing them
    const std::string gen = std::to_string(rows.generation);
    nlohmann::json stamp = {{"format", kFormat},
                            {"embedder", identity_.to_string()},
                            {"batch", rows.batch},
                            {"epoch", rows.epoch},
                            {"generation", rows.generation},
                            {"rows", rows.size()},
                            {"carriers_batch", rows.carriers_batch}};
    const std::string rows_name = "rows-" + gen + ".bin";
    fs::remove(dir_ / rows_name, ec);
    {
        HashingWriter w(dir_ / rows_name);
        write_header(w, kRowsMagic, kFormat);
        rows.attributes.write(w);
        rows.keys.write(w);
        rows.sites.write(w);
        rows.calls.write(w);
        stamp["rows_file"] = digest_json(rows_name, w.finish());
    }
    if (rows.ann) {
        const std::string ann_name = "ann-" + gen + ".faiss";
        fs::remove(dir_ / ann_name, ec);
        stamp["ann_file"] = digest_json(ann_name, rows.ann->save(dir_ / ann_name));
        stamp["kind"] = std::string(to_string(rows.ann->kind()));
        stamp["trained_rows"] = rows.ann->trained_rows();
    }
    atomic_write_file(dir_ / kStamp, stamp.dump(2));
    // Files of earlier saves are no longer named by the stamp.
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        const std::string name = entry.path().filename().string();
        if (name == kStamp || name == "LOCK" || name == rows_name ||
            (stamp.contains("ann_file") && name == stamp["ann_file"]["name"]))
            continue;
        fs::remove(entry.path(), ec);
    }
    return true;
}

void VariantIndex::add_vectors(Rows& rows, const float* x, int64_t n, int threads) const {
    if (n <= 0) return;
    if (rows.ann) {
        rows.ann->add(x, n, threads);
        return;
    }
    // No trained kind was prepared (prepare_kind): a small index is exact flat (or HNSW).
    const IndexKind kind = options_.kind == IndexKind::Hnsw ? IndexKind::Hnsw : IndexKind::Flat;
    rows.ann = AnnIndex::build(kind, identity_.dimension, {{x, n}}, options_.params);
}

std::unique_ptr<AnnIndex> VariantIndex::prepare_kind(const Rows& rows, const std::string& range,
                                                     size_t new_rows) {
    const size_t expected = rows.size() + new_rows;
    const IndexKind want = target_kind(expected);
    const bool ivf = is_ivf(want);
    if (!ivf || expected < static_cast<size_t>(kMinIvfRows)) return nullptr;
    if (rows.ann && rows.ann->kind() == want) return nullptr;  // trained already
    // Train on a sample spread over all the new rows (every M-th position, so every contig
    // and region is in it), not on the first rows, which are one contig of a sorted file.
    const size_t every = std::max<size_t>(1, new_rows / kTrainSampleRows);
    const std::string where =
        every > 1 ? range + " AND v.pos % " + std::to_string(every) + " = 0" : range;
    const int dim = identity_.dimension;
    std::vector<float> sample;
    for_each_stored_variant(graph_, where, kChunkRows, [&](std::vector<StoredVariant>& chunk) {
        const size_t at = sample.size();
        sample.resize(at + chunk.size() * static_cast<size_t>(dim));
        vectors_of(chunk, sample.data() + at);
    });
    // The flat rows so far are part of the sample too.
    std::vector<VectorRun> runs{{sample.data(), static_cast<int64_t>(sample.size() / dim)}};
    if (rows.ann && rows.ann->flat_vectors())
        runs.push_back({rows.ann->flat_vectors(), rows.ann->size()});
    int64_t sample_rows = 0;
    for (const auto& r : runs) sample_rows += r.n;
    if (sample_rows < kMinIvfRows) return nullptr;
    auto ann = AnnIndex::trained(want, dim, runs, static_cast<int64_t>(expected), options_.params);
    if (rows.ann && rows.ann->flat_vectors()) ann->add(rows.ann->flat_vectors(), rows.ann->size());
    return ann;
}

void VariantIndex::vectors_of(std::vector<StoredVariant>& chunk, float* out) const {
    stored_vectors(*embedder_, identity_, chunk, out);
}

CatchUpReport VariantIndex::catch_up() {
    const auto t0 = std::chrono::steady_clock::now();
    MutexLock serial(catch_up_mutex_);
    // Beside a graph writer, idle OpenMP/BLAS workers spin between FAISS calls and took a
    // quarter of the cycles on 2 cores (perf): such catch-ups run on one thread. Only this
    // thread sets the process-wide BLAS limit (catch-ups are serialised).
    ComputeThreadLimit threads(options_.build_threads, true);
    // Read before anything else of the graph: rows made from later reads hold every write
    // committed before it (GraphStore::write_generation).
    const uint64_t generation = graph_.write_generation();
    // The graph is asked before rows_mutex_ is taken: the lock order is the graph's locks
    // (its commit gate, held while a page is read) before rows_mutex_, never the reverse.
    const uint64_t epoch = graph_.variant_epoch();
    const uint64_t last = graph_.last_batch();
    bool rebuild;
    {
        WritersExcluded stable(rows_mutex_, catch_up_mutex_);
        rebuild = !rows_ || rows_->epoch != epoch || rows_->batch > last ||
                  (options_.kind != IndexKind::Auto && rows_->ann &&
                   rows_->ann->kind() != options_.kind && rows_->size() >= options_.flat_max_rows);
    }
    auto report = extend(rebuild);
    const bool settled_changes = settle(generation);
    if (options_.persist && (report.rows_added > 0 || report.rebuilt || settled_changes)) {
        try {
            ReadLock read(rows_mutex_);
            report.saved = save(*rows_);
        } catch (const std::exception& e) {
            open_note_ = std::string("could not save the index files: ") + e.what();
        }
    }
    report.seconds += seconds_since(t0);
    return report;
}

bool VariantIndex::settle(uint64_t generation) {
    // Counts changed since the rows' carriers_batch (edges added to variants the rows hold)
    // are read again, and the Calls rows committed since the codes' `covered`; the graph is
    // read before rows_mutex_ is taken (the lock order).
    uint64_t from, last;
    int64_t calls_from;
    bool calls_kept;
    {
        WritersExcluded stable(rows_mutex_, catch_up_mutex_);
        if (!rows_) return false;
        from = rows_->carriers_batch;
        last = rows_->batch;
        calls_from = rows_->calls.covered;
        calls_kept = !rows_->calls.abandoned();
    }
    std::vector<std::pair<std::string, int64_t>> changed;
    if (from < last)
        graph_.scan(
            "MATCH (v:Variant) WHERE v.carriers_batch > " + std::to_string(from) +
                " AND v.carriers_batch <= " + std::to_string(last) + " RETURN v.id, v.carriers",
            {}, [&](const store::RowView& r) { changed.emplace_back(r.text(0), r.integer(1)); });
    // The codes are read beside readers: only this catch-up changes the rows, so it reads
    // them without the lock (WritersExcluded).
    CallColumns new_calls(options_.max_call_bytes);
    bool calls_whole = true;
    if (calls_kept) {
        WritersExcluded stable(rows_mutex_, catch_up_mutex_);
        const Rows& rows = *rows_;
        new_calls.covered = calls_from;
        int64_t last_id = calls_from;
        graph_.scan("MATCH (c:Calls) RETURN max(c.id)", {}, [&](const store::RowView& r) {
            if (!r.is_null(0)) last_id = r.integer(0);
        });
        // Kuzu holds a statement's whole result in its buffer pool: the Calls rows are read
        // a window of ids at a time (Calls ids rise with every row a batch stages).
        for (int64_t lo = calls_from; lo < last_id && calls_whole && !new_calls.abandoned();
             lo += kCallsRowsPerRead) {
            const int64_t hi = std::min(last_id, lo + kCallsRowsPerRead);
            graph_.scan("MATCH (v:Variant)-[:CalledIn]->(c:Calls) WHERE c.id > " +
                            std::to_string(lo) + " AND c.id <= " + std::to_string(hi) +
                            " RETURN v.id, c.id, c.source, c.first, c.gt",
                        {}, [&](const store::RowView& r) {
                            const int64_t row = rows.find(r.text(0));
                            // A variant committed since the rows were read: its codes (and
                            // every later Calls row's) wait for the next catch-up.
                            if (row < 0) calls_whole = false;
                            if (!calls_whole) return;
                            new_calls.add(static_cast<uint32_t>(row),
                                          static_cast<uint32_t>(r.integer(2)),
                                          static_cast<uint32_t>(r.integer(3)), r.text(4));
                        });
            new_calls.covered = hi;
        }
        new_calls.settle();
    }
    const bool whole = graph_.last_batch() == last && calls_whole;
    // The new rows' order is made beside readers (only this catch-up changes the rows), and
    // the contigs' ranks are read from the graph before rows_mutex_ (the lock order).
    SiteColumns::Order order;
    std::vector<std::pair<int64_t, uint32_t>> ranked;  // (rank, contig code)
    {
        WritersExcluded stable(rows_mutex_, catch_up_mutex_);
        order = rows_->next_site_order();
        const auto& chroms = rows_->attributes.chroms();
        for (uint32_t c = 0; c < chroms.size(); ++c)
            ranked.emplace_back(graph_.contig_rank(chroms.name(c)), c);
    }
    std::sort(ranked.begin(), ranked.end());
    WriteLock write(rows_mutex_);
    for (const auto& [key, n] : changed) {
        const int64_t r = rows_->find(key);
        if (r >= 0) rows_->sites.set_carriers(static_cast<size_t>(r), n);
    }
    rows_->carriers_batch = std::max(from, last);
    rows_->sites.set_order(std::move(order));
    const bool new_codes = calls_whole && new_calls.covered > calls_from;
    if (new_codes) {
        rows_->calls.merge(std::move(new_calls));
        rows_->calls.settle();
    }
    rows_->contigs_in_order.clear();
    for (const auto& [rank, c] : ranked) rows_->contigs_in_order.push_back(c);
    // Rows that stop short of the graph's last batch (a model embedder's rows whose embeddings
    // are not stored yet) are not the graph's whole.
    if (whole) rows_->current_at = generation;
    return !changed.empty() || new_codes;
}

CatchUpReport VariantIndex::extend(bool rebuild) {
    CatchUpReport report;
    report.rebuilt = rebuild;
    const uint64_t last = graph_.last_batch();
    const uint64_t epoch = graph_.variant_epoch();
    // A rebuild fills a private copy and swaps it in at the end; an extension appends to the
    // live rows page by page (searches see whole pages only).
    std::unique_ptr<Rows> fresh;
    uint64_t from;
    {
        WritersExcluded stable(rows_mutex_, catch_up_mutex_);
        if (rebuild || !rows_) {
            fresh = empty_rows();
            fresh->generation = rows_ ? rows_->generation + 1 : 1;
            from = 0;
        } else {
            if (rows_->batch >= last) return report;
            from = rows_->batch + 1;
        }
    }
    if (!fresh) {
        WriteLock write(rows_mutex_);
        rows_->current_at.reset();  // pages are appended to the live rows from here on
    }
    auto count_rows = [&](const std::string& where) {
        size_t n = 0;
        graph_.scan("MATCH (v:Variant) WHERE " + where + " RETURN count(*)", {},
                    [&](const store::RowView& r) { n = static_cast<size_t>(r.integer(0)); });
        return n;
    };
    auto range_of = [](uint64_t lo, uint64_t hi) {
        return "v.batch >= " + std::to_string(lo) + " AND v.batch <= " + std::to_string(hi);
    };
    size_t new_rows = count_rows(range_of(from, last));
    if (!fresh) {
        // An IVF index trained for far fewer rows than it would hold is retrained: rebuilt.
        WritersExcluded stable(rows_mutex_, catch_up_mutex_);
        const auto& ann = rows_->ann;
        if (ann && ann->trained_rows() > 0 &&
            rows_->size() + new_rows > static_cast<size_t>(options_.retrain_growth) *
                                           static_cast<size_t>(ann->trained_rows())) {
            fresh = empty_rows();
            fresh->generation = rows_->generation + 1;
            from = 0;
            report.rebuilt = true;
        }
    }
    if (fresh && from == 0) new_rows = count_rows(range_of(0, last));
    const bool stored = identity_.kind != "builtin";
    if (stored) {
        // Model embeddings are computed after the rows commit (embedding_fill): index only the
        // batches whose rows all have one; a later catch-up takes the rest once they are in.
        const size_t missing = count_rows(range_of(from, last) + " AND v.emb IS NULL");
        if (missing > 0) {
            report.unembedded = missing;
            new_rows -= std::min(new_rows, missing);
        }
    }
    // Changes the rows being built: a rebuild's private copy, or the live rows (locked: searches
    // read them meanwhile).
    auto change_rows = [&](auto&& change) {
        if (fresh) return change(*fresh);
        WriteLock write(rows_mutex_);
        return change(*rows_);
    };
    std::unique_ptr<AnnIndex> prepared;
    {
        // The trained kind for the rows to come, prepared before any is added (a live
        // extension swaps it in under the lock).
        WritersExcluded stable(rows_mutex_, catch_up_mutex_);
        prepared = prepare_kind(fresh ? *fresh : *rows_, range_of(from, last), new_rows);
    }
    change_rows([&](Rows& rows) {
        if (prepared) rows.ann = std::move(prepared);
        // Room for the new rows at once, instead of doubling (and copying) column by column.
        const size_t total = rows.size() + new_rows;
        rows.attributes.reserve(total);
        rows.sites.reserve(total);
        rows.keys.reserve(total, 16);
    });
    const int dim = identity_.dimension;
    // Reading (Kuzu scans, on this thread) and adding (embedding, the attribute columns, then
    // list assignment through BLAS, on a second thread) overlap chunk by chunk: one after the
    // other left a core idle through half of a rebuild. The queue holds at most two chunks
    // between them, so memory stays at a few chunks whatever the page size.
    struct AddChunk {
        std::vector<StoredVariant> variants;
        std::optional<uint64_t> page_end;  // set on the marker that ends a page of batches
    };
    BoundedQueue<AddChunk> to_add(2);
    // BLAS threads are process-wide: the adder is the only BLAS user while it runs.
    ComputeThreadLimit one_blas_thread(1, true);
    auto adder = std::async(std::launch::async, [&] {
        try {
            // One thread per stage: the reader keeps the other core busy, and an OpenMP team
            // here would spin-wait between FAISS calls on it (a quarter more CPU for the same
            // rebuild, measured). The OpenMP limit is per thread: this one sets its own.
            ComputeThreadLimit threads(1, false);
            AddChunk c;
            std::vector<float> vectors;
            while (to_add.pop(c)) {
                std::vector<int64_t> lists;
                const auto n = static_cast<int64_t>(c.variants.size());
                if (!c.page_end) {
                    vectors.resize(c.variants.size() * static_cast<size_t>(dim));
                    vectors_of(c.variants, vectors.data());
                    if (!fresh) {
                        // The vectors' lists are found beside searches (a shared lock), so the
                        // exclusive one below is held only to append.
                        ReadLock read(rows_mutex_);
                        if (rows_->ann) lists = rows_->ann->assign(vectors.data(), n);
                    }
                }
                change_rows([&](Rows& rows) {
                    if (c.page_end) {
                        rows.batch = *c.page_end;
                        rows.epoch = epoch;
                        return;
                    }
                    // The columns before the vectors: a search sees only rows with both.
                    for (const auto& sv : c.variants) rows.append(sv);
                    rows.index_keys();
                    if (!lists.empty())
                        rows.ann->add_assigned(vectors.data(), n, lists);
                    else
                        add_vectors(rows, vectors.data(), n);
                });
            }
        } catch (...) {
            to_add.close();  // the reader's next push fails and it collects this error
            throw;
        }
    });
    try {
        auto send = [&](AddChunk c) {
            if (!to_add.push(std::move(c))) {
                adder.get();  // rethrows the adder's error
                throw std::logic_error("the variant index's add stage stopped");
            }
        };
        uint64_t span = 1;
        for (uint64_t lo = from; lo <= last;) {
            const uint64_t hi = std::min(last, lo + span - 1);
            const std::string where = range_of(lo, hi);
            if (stored && count_rows(where + " AND v.emb IS NULL") > 0) break;
            size_t page_rows = 0;
            for_each_stored_variant(graph_, where, kChunkRows,
                                    [&](std::vector<StoredVariant>& chunk) {
                                        AddChunk c;
                                        page_rows += chunk.size();
                                        c.variants = std::move(chunk);
                                        chunk.clear();
                                        send(std::move(c));
                                    });
            send({{}, hi});
            report.rows_added += page_rows;
            if (page_rows < kPageRows / 4)
                span *= 2;
            else if (page_rows > kPageRows * 2 && span > 1)
                span /= 2;
            lo = hi + 1;
        }
        to_add.close();
        adder.get();
    } catch (...) {
        // The adder uses this frame: it stops (its queue closed) before the frame goes.
        to_add.close();
        if (adder.valid()) adder.wait();
        // A live extension may have taken part of a page: the rows no longer match any stamp,
        // so the next catch-up rebuilds them.
        if (!fresh) {
            WriteLock write(rows_mutex_);
            rows_->epoch = std::numeric_limits<uint64_t>::max();
        }
        throw;
    }
    {
        WriteLock write(rows_mutex_);
        if (fresh) {
            fresh->epoch = epoch;
            // Every count was read after the batches it covers committed.
            fresh->carriers_batch = fresh->batch;
            rows_ = std::move(fresh);
        }
        if (report.rows_added > 0 || report.rebuilt) rows_->generation += 1;
    }
    return report;
}

std::vector<VectorHit> VariantIndex::search(std::span<const float> query, int k,
                                            const VectorFilter& filter,
                                            const SearchTuning& tuning) const {
    if (static_cast<int>(query.size()) != identity_.dimension)
        throw InputError("query vector", 0,
                         "has " + std::to_string(query.size()) +
                             " dimensions; the store's vectors (" + identity_.to_string() +
                             ") have " + std::to_string(identity_.dimension),
                         kExitInvalid);
    FifoAdmission::Slot slot(search_admission_);
    // One query per call: an OpenMP team would only add start-up cost.
    ComputeThreadLimit one_thread(1, false);
    ReadLock read(rows_mutex_);
    std::vector<VectorHit> hits;
    if (!rows_ || !rows_->ann || k <= 0) return hits;
    std::vector<Neighbor> found;
    if (filter.empty()) {
        rows_->ann->search(query.data(), k, nullptr, 1.0, tuning, found);
    } else {
        const RowBitmap bits = select_rows(rows_->attributes, filter);
        // A chunk's columns are appended before its vectors (extend), and an add that failed
        // between them leaves rows without vectors until the next rebuild: count only the
        // indexed ones.
        const auto indexed = static_cast<size_t>(rows_->ann->size());
        const size_t matching = bits.count(0, indexed);
        if (matching == 0) return hits;
        BitmapSelector selector(bits, 0);
        rows_->ann->search(query.data(), k, &selector,
                           static_cast<double>(matching) / static_cast<double>(indexed), tuning,
                           found);
    }
    hits.reserve(found.size());
    for (const auto& n : found)
        hits.push_back({rows_->key(n.row), n.distance, rows_->attributes.row(n.row)});
    return hits;
}

std::optional<std::vector<float>> VariantIndex::vector_of(const std::string& key) {
    std::vector<float> v(static_cast<size_t>(identity_.dimension));
    {
        ReadLock read(rows_mutex_);
        // Only a row with its vector added (see search) can be read back.
        if (rows_ && rows_->ann && rows_->ann->reconstruct(rows_->find(key), v.data())) return v;
    }
    // A variant the index does not hold yet (committed since its last catch-up): from the graph.
    auto stored = read_stored_variant(graph_, key);
    // A model embedding not stored yet: the variant has no vector (yet).
    if (!stored || (identity_.kind != "builtin" && stored->emb.empty())) return std::nullopt;
    std::vector<StoredVariant> one;
    one.push_back(std::move(*stored));
    vectors_of(one, v.data());
    return v;
}

bool VariantIndex::current() const {
    ReadLock read(rows_mutex_);
    return current_locked();
}

bool VariantIndex::current_locked() const {
    return rows_ && rows_->current_at == graph_.write_generation() && rows_->sites.ordered();
}

namespace {
// The columns of query::GraphQueries' kVariantColumns.
const std::vector<std::string> kVariantColumns = {"key",  "chrom", "pos",  "ref",    "alt",
                                                  "rsid", "vtype", "qual", "filter", "af"};

// Row r as the graph's queries over variants return it: kVariantColumns' values, then the
// record's POS when `record_pos`, then the carriers count.
std::vector<nlohmann::json> site_row(const RowColumns& rows, size_t r, const std::string& chrom,
                                     bool record_pos) {
    const auto& at = rows.attributes;
    const SiteColumns& sites = rows.sites;
    auto text_or_null = [](std::string_view t) {
        return t.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::string(t));
    };
    auto real_or_null = [](double x) {
        return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x);
    };
    std::vector<nlohmann::json> row = {
        std::string(rows.key_view(static_cast<int64_t>(r))),
        chrom,
        at.pos()[r],
        std::string(sites.ref(r)),
        std::string(sites.alt(r)),
        text_or_null(sites.rsid(r)),
        std::string(vcf::to_string(static_cast<vcf::VariantClass>(at.vclass()[r]))),
        real_or_null(sites.qual(r)),
        text_or_null(sites.filter(r)),
        real_or_null(sites.af(r))};
    if (record_pos) row.emplace_back(sites.record_pos(r, at.pos()[r]));
    row.emplace_back(sites.carriers(r));
    return row;
}
}  // namespace

std::optional<query::ResultTable> VariantIndex::region_variants(const vcf::Region& region,
                                                                const std::string& vtype,
                                                                size_t max_rows) const {
    ReadLock read(rows_mutex_);
    if (!current_locked()) {
        ++regions_declined_;
        return std::nullopt;
    }
    ++regions_answered_;
    const Rows& rows = *rows_;
    const auto& at = rows.attributes;
    query::ResultTable table;
    table.columns = kVariantColumns;
    table.columns.insert(table.columns.end(), {"record_pos", "carriers"});
    vcf::VariantClass wanted{};
    if (!vtype.empty() && !vcf::parse_variant_class(vtype, wanted)) return table;  // none has it
    const uint32_t chrom = at.chroms().find(region.chrom);
    if (chrom == StringDictionary::kNotFound) return table;
    rows.sites.overlapping(at, chrom, region.beg, region.end, [&](size_t r) {
        if (!vtype.empty() && at.vclass()[r] != static_cast<uint8_t>(wanted)) return true;
        ++table.total;
        if (table.rows.size() < max_rows)
            table.rows.push_back(site_row(rows, r, region.chrom, true));
        return true;
    });
    return table;
}

std::optional<query::ResultTable> VariantIndex::genotype_filter(
    const query::GenotypeCalls& calls, const std::optional<vcf::Region>& region,
    const std::string& vtype, size_t max_rows) const {
    ReadLock read(rows_mutex_);
    if (!current_locked() ||
        (calls.source && !rows_->calls.usable(static_cast<uint32_t>(*calls.source)))) {
        ++genotypes_declined_;
        return std::nullopt;
    }
    ++genotypes_answered_;
    const Rows& rows = *rows_;
    const auto& at = rows.attributes;
    const CallColumns& codes = rows.calls;
    query::ResultTable table;
    table.columns = kVariantColumns;
    table.columns.push_back("carriers");
    vcf::VariantClass wanted{};
    if (!vtype.empty() && !vcf::parse_variant_class(vtype, wanted)) return table;  // none has it
    // The parts of the file's vectors the conditions read (part 0 when none is named: a
    // variant passes only with a vector of the file).
    std::map<uint32_t, const uint8_t*> parts;
    if (calls.source) {
        parts[0] = nullptr;
        for (const auto& [sample, col] : calls.columns)
            parts[static_cast<uint32_t>(store::calls_row_first(col))] = nullptr;
    }
    const auto source = static_cast<uint32_t>(calls.source.value_or(0));
    auto passes = [&](size_t r) {
        if (!vtype.empty() && at.vclass()[r] != static_cast<uint8_t>(wanted)) return false;
        if (!calls.source) return rows.sites.carriers(r) >= calls.min_carriers;
        const auto row = static_cast<uint32_t>(r);
        for (auto& [first, packed] : parts)
            if (!(packed = codes.part(source, first, row))) return false;
        return query::calls_pass(
            calls,
            [&](int64_t col) {
                const int64_t first = store::calls_row_first(col);
                return CallColumns::code(parts.at(static_cast<uint32_t>(first)),
                                         static_cast<uint32_t>(col - first));
            },
            calls.min_carriers > 0 ? codes.carriers(source, row) : 0);
    };
    auto visit = [&](uint32_t chrom, int64_t beg, int64_t end) {
        const std::string& name = at.chroms().name(chrom);
        rows.sites.overlapping(at, chrom, beg, end, [&](size_t r) {
            if (!passes(r)) return true;
            ++table.total;
            if (table.rows.size() < max_rows) table.rows.push_back(site_row(rows, r, name, false));
            return true;
        });
    };
    if (region) {
        const uint32_t chrom = at.chroms().find(region->chrom);
        if (chrom != StringDictionary::kNotFound) visit(chrom, region->beg, region->end);
    } else {
        for (const uint32_t chrom : rows.contigs_in_order)
            visit(chrom, std::numeric_limits<int64_t>::min() / 2,
                  std::numeric_limits<int64_t>::max() / 2);
    }
    return table;
}

size_t VariantIndex::size() const {
    ReadLock read(rows_mutex_);
    // Rows can have columns without vectors (see search): count what a search can find.
    if (!rows_ || !rows_->ann) return 0;
    return std::min(rows_->size(), static_cast<size_t>(std::max<int64_t>(0, rows_->ann->size())));
}

int VariantIndex::dimension() const {
    return identity_.dimension;
}

IndexStats VariantIndex::stats() const {
    ReadLock read(rows_mutex_);
    IndexStats s;
    s.dimension = identity_.dimension;
    s.embedder = identity_.to_string();
    s.from_load = from_load_;
    s.regions_answered = regions_answered_.load();
    s.regions_declined = regions_declined_.load();
    s.genotypes_answered = genotypes_answered_.load();
    s.genotypes_declined = genotypes_declined_.load();
    if (!rows_) return s;
    s.calls_abandoned = rows_->calls.abandoned();
    s.rows = rows_->size();
    s.batch = rows_->batch;
    s.memory_bytes = rows_->memory_bytes();
    if (rows_->ann) {
        s.kind = rows_->ann->kind();
        s.nlist = rows_->ann->nlist();
        s.nprobe = rows_->ann->nprobe_default();
        s.memory_bytes += rows_->ann->memory_bytes();
    }
    return s;
}

}  // namespace vcfagent::index
