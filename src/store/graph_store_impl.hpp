#pragma once
// Internal to src/store: the state a GraphStore shares between its reading and administrative
// half (graph_store.cpp) and its batch writer (batch_writer.cpp), and the helpers both use.
// Nothing outside src/store includes it.
#include <atomic>
#include <kuzu.hpp>

#include <condition_variable>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/mutex.hpp"
#include "store/batch_writer.hpp"
#include "store/graph_store.hpp"
#include "store/reader_pool.hpp"
#include "store/staging_file.hpp"
#include "store/writer_preferring_mutex.hpp"

namespace vcfagent::store {

namespace kz = kuzu::main;
namespace kc = kuzu::common;

// Runs a statement; a failure is a StoreError naming the statement.
std::unique_ptr<kz::QueryResult> run_cypher(kz::Connection& conn, const std::string& cypher);
std::unordered_map<std::string, std::unique_ptr<kc::Value>> to_kuzu_params(
    const QueryParams& params);
// The Source node's columns as parameters of kSetSource, which creates or updates it.
QueryParams source_params(const SourceRecord& s);
extern const char* const kSetSource;

// Bumps a store's write generation when it goes out of scope: declared after the commit
// gate's lock, it counts the write just before the gate opens.
class GenerationOnExit {
  public:
    explicit GenerationOnExit(std::atomic<uint64_t>& generation) : generation_(generation) {}
    ~GenerationOnExit() { generation_.fetch_add(1); }
    GenerationOnExit(const GenerationOnExit&) = delete;
    GenerationOnExit& operator=(const GenerationOnExit&) = delete;

  private:
    std::atomic<uint64_t>& generation_;
};

struct GraphStore::Impl {
    std::unique_ptr<kz::Database> db;
    // Connections for read statements (scan, read, read_only_query), reused with their
    // prepared statements; made once `db` is final, closed before it.
    std::unique_ptr<ReaderPool> readers;
    // Lock order: stage_mutex, then write_mutex, then commit_gate; extent_mutex,
    // contig_mutex and span_mutex are taken last. The members each one guards are marked
    // (GUARDED_BY), and clang's thread-safety analysis checks every access in the test suite.
    // The constructor and destructor touch them unlocked: the store is not shared yet, or no
    // longer.
    Mutex stage_mutex;  // the open batch and the staging counters
    Mutex write_mutex;  // the writer connection
    std::unique_ptr<kz::Connection> writer PT_GUARDED_BY(write_mutex);  // the only writing one
    // stage()'s look-ups of keys already in the store: a connection of their own, so that they
    // run while the writer COPYs the previous batch.
    std::unique_ptr<kz::Connection> lookup PT_GUARDED_BY(stage_mutex);
    // Kuzu 0.11 checkpoints inside a write commit (always after COPY) and waits, holding the
    // lock a finishing read transaction needs, for every transaction to leave: a reader active
    // at that moment makes the COMMIT fail after a 5 s timeout. So readers hold this shared for
    // their whole statement and every statement that commits writes holds it exclusively;
    // a waiting writer goes ahead of newly arriving readers.
    WriterPreferringSharedMutex commit_gate;
    // Within the writer's open transaction: removes the CarriedBy edges and Calls rows a
    // source added, the variants that keep their rows counting their carriers without them.
    void remove_source_edges(int64_t source_num) REQUIRES(write_mutex);
    // Within the writer's open transaction: copies derived from the Variant rows (the variant
    // index) must start again, since rows or their counts changed outside any batch.
    void new_variant_epoch() REQUIRES(write_mutex);
    // GraphStore::write_generation: bumped just before the commit gate is released by a write
    // that held it exclusively (GenerationOnExit; lock-free: readers compare it without any
    // lock).
    std::atomic<uint64_t> write_generation{0};
    // Contig ranks, committed or registered by a batch not yet committed (`unwritten_contigs`
    // for the open batch, OpenBatch::new_contigs for a sealed one: each batch writes its own
    // Contig nodes). Every change holds stage_mutex as well as contig_mutex, so stage() reads
    // them without contig_mutex (WritersExcluded); readers outside it hold it shared.
    mutable SharedMutex contig_mutex;
    std::unordered_map<std::string, int64_t> contig_rank GUARDED_BY(contig_mutex);
    std::vector<std::pair<std::string, int64_t>> unwritten_contigs GUARDED_BY(contig_mutex);
    // One past the highest rank in contig_rank.
    int64_t next_contig_rank GUARDED_BY(contig_mutex) = 0;
    std::unordered_set<std::string> genes GUARDED_BY(stage_mutex);
    // Reads cached for one write generation (valid while the store's generation is still the
    // one read before reading them): GraphStore::sample_catalogue, and the longest variant
    // span per contig for region scans (GraphStore::max_variant_span).
    Mutex catalogue_mutex;
    std::shared_ptr<const SampleCatalogue> catalogue GUARDED_BY(catalogue_mutex);
    uint64_t catalogue_generation GUARDED_BY(catalogue_mutex) = 0;
    Mutex span_mutex;
    std::unordered_map<std::string, int64_t> max_span GUARDED_BY(span_mutex);
    uint64_t span_generation GUARDED_BY(span_mutex) = 0;
    std::filesystem::path staging;
    std::filesystem::path marker;  // the open-for-writing marker to remove at close
    uint64_t buffer_pool_mb = 0;   // Kuzu's, for messages
    // The next writer must repair the store.
    bool keep_open_marker GUARDED_BY(stage_mutex) = false;

    // The batch being staged: its rows wait in staging files until commit_batch() loads them.
    // Each batch has a directory of its own, so the next one stages while this one COPYs.
    struct StagingDir {  // created first, removed last (after the files in it)
        explicit StagingDir(std::filesystem::path p) : path(std::move(p)) {
            std::filesystem::create_directories(path);
        }
        ~StagingDir() {
            std::error_code ec;
            if (!keep) std::filesystem::remove_all(path, ec);
        }
        std::filesystem::path path;
        bool keep = false;
    };
    struct OpenBatch {
        OpenBatch(const std::filesystem::path& staging_root, uint64_t seq, uint64_t batch_id)
            : id(batch_id),
              dir(staging_root / std::to_string(seq)),
              variants(dir.path / "variants.csv"),
              genes(dir.path / "genes.csv"),
              in_gene(dir.path / "in_gene.csv"),
              carried_by(dir.path / "carried_by.csv"),
              calls(dir.path / "calls.csv"),
              called_in(dir.path / "called_in.csv"),
              recount(dir.path / "recount.csv") {}
        uint64_t id;  // store-wide batch id, recorded on its Variant rows and in Meta
        StagingDir dir;
        StagingFile variants, genes, in_gene, carried_by, calls, called_in;
        // Edges this batch adds to variants whose row was staged before (by an earlier batch,
        // or an earlier record of this one), by key: added to their Variant.carriers once the
        // edges are in (a new row's count is its first record's edges). Written to `recount`
        // when the batch commits.
        StagingFile recount;
        std::unordered_map<std::string, int64_t> added_edges;
        int64_t next_calls_id = 0;  // the id of the next Calls row staged
        // Leaves the staged files on disk, for a batch committed but not checkpointed: Kuzu's
        // WAL may name them (its replay of a committed COPY reads the file again).
        void keep_files() {
            dir.keep = true;
            for (StagingFile* f :
                 {&variants, &genes, &in_gene, &carried_by, &calls, &called_in, &recount})
                f->keep();
        }
        std::unordered_set<std::string> called_keys;  // keys whose call vector is staged
        // Every key staged in this batch -> the range of its staged edges in `edge_samples`,
        // so a key that comes again (records that trim to the same variant, possibly in a
        // later chunk) adds only the edges it lacks. A key whose edges had to be checked keeps
        // them in `checked_edges` instead, with an empty range.
        std::unordered_map<std::string, std::pair<uint32_t, uint32_t>> keys;
        std::vector<uint32_t> edge_samples;
        std::unordered_set<std::string> checked_edges;             // sample \x1f key
        std::vector<std::string> new_genes;                        // to forget if the batch fails
        std::vector<std::pair<std::string, int64_t>> new_contigs;  // name, rank: likewise
        int64_t min_locus = std::numeric_limits<int64_t>::max();   // of the new variants
        int64_t max_locus = std::numeric_limits<int64_t>::min();
        int64_t staged_min_locus = std::numeric_limits<int64_t>::max();  // of all, with edges
        int64_t staged_max_locus = std::numeric_limits<int64_t>::min();
        BatchWriteResult totals;
    };
    std::unique_ptr<OpenBatch> batch GUARDED_BY(stage_mutex);
    // Names the batches' staging directories.
    uint64_t batches_opened GUARDED_BY(stage_mutex) = 0;
    // Offset the next Variant row gets (Kuzu appends rows; offsets are not reused). Advanced
    // when a batch is handed to commit_batch(), taken back if its commit fails.
    int64_t next_variant_offset GUARDED_BY(stage_mutex) = 0;
    // The id the next opened batch gets: one past the last committed or handed over. Same
    // rules as next_variant_offset.
    uint64_t next_batch_id GUARDED_BY(stage_mutex) = 1;
    // The id the next opened batch's first Calls row gets: one past the last row committed or
    // handed over. Not taken back when a commit fails: unused ids are harmless, reused ones
    // would collide with a batch staged meanwhile.
    int64_t next_calls_id GUARDED_BY(stage_mutex) = 0;

    // Loci every committed Variant lies within (empty when min > max): a chunk whose loci lie
    // outside needs no look-up, so a sorted file loaded into a fresh store never queries. From
    // seal_batch() to the end of its commit, `committing` spans the loci of the batch's staged
    // variants: a chunk reaching into them waits for that commit, as their keys and edges are
    // in neither the store nor the open batch until then.
    Mutex extent_mutex;
    std::condition_variable commit_ended;  // `committing` ended
    int64_t min_locus GUARDED_BY(extent_mutex) = std::numeric_limits<int64_t>::max();
    int64_t max_locus GUARDED_BY(extent_mutex) = std::numeric_limits<int64_t>::min();
    std::optional<std::pair<int64_t, int64_t>> committing GUARDED_BY(extent_mutex);
    // Sealed by seal_batch(), not yet taken by commit_batch().
    std::unique_ptr<OpenBatch> sealed GUARDED_BY(extent_mutex);

    std::unique_ptr<kz::QueryResult> run(kz::Connection& conn, const std::string& cypher) {
        return run_cypher(conn, cypher);
    }

    std::unique_ptr<kz::QueryResult> run(kz::Connection& conn, const std::string& cypher,
                                         const QueryParams& params) {
        if (params.empty()) return run(conn, cypher);
        auto stmt = conn.prepare(cypher);
        if (!stmt->isSuccess()) throw StoreError("graph store: " + stmt->getErrorMessage());
        auto r = conn.executeWithParams(stmt.get(), to_kuzu_params(params));
        if (!r->isSuccess()) throw StoreError("graph store: " + r->getErrorMessage());
        return r;
    }

    void load_variant_extent() REQUIRES(stage_mutex, write_mutex) {
        auto r = run(*writer,
                     "MATCH (v:Variant) RETURN coalesce(max(offset(id(v))) + 1, 0), "
                     "coalesce(min(v.locus), $none_min), coalesce(max(v.locus), $none_max)",
                     {{"none_min", std::numeric_limits<int64_t>::max()},
                      {"none_max", std::numeric_limits<int64_t>::min()}});
        auto t = r->getNext();
        MutexLock extent(extent_mutex);
        next_variant_offset = t->getValue(0)->getValue<int64_t>();
        min_locus = t->getValue(1)->getValue<int64_t>();
        max_locus = t->getValue(2)->getValue<int64_t>();
    }

    OpenBatch& open_batch() REQUIRES(stage_mutex) {
        if (!batch) {
            batch = std::make_unique<OpenBatch>(staging, ++batches_opened, next_batch_id);
            batch->next_calls_id = next_calls_id;
        }
        return *batch;
    }

    // Forgets a batch that will not commit; its staging files go with it.
    void forget(std::unique_ptr<OpenBatch>& b) REQUIRES(stage_mutex) {
        if (!b) return;
        for (const auto& g : b->new_genes) genes.erase(g);
        forget_contigs(b->new_contigs);
        b.reset();
    }

    void forget_contigs(std::vector<std::pair<std::string, int64_t>>& contigs) REQUIRES(stage_mutex)
        EXCLUDES(contig_mutex) {
        WriteLock lock(contig_mutex);
        for (const auto& [name, rank] : contigs) contig_rank.erase(name);
        // Ranks of forgotten batches are free again: only committed ranks are in the store.
        if (!contigs.empty()) {
            next_contig_rank = 0;
            for (const auto& [name, rank] : contig_rank)
                next_contig_rank = std::max(next_contig_rank, rank + 1);
        }
        contigs.clear();
    }

    // Waits while a batch with staged variants within [lo, hi] is sealed or committing.
    void wait_for_commit_reaching(int64_t lo, int64_t hi) EXCLUDES(extent_mutex) {
        MutexLock extent(extent_mutex);
        while (committing && hi >= committing->first && lo <= committing->second)
            extent.wait(commit_ended);
    }

    // Variant.locus (see kSchema); registers the contig on first sight.
    int64_t locus(const vcf::Variant& v) REQUIRES(stage_mutex) {
        return locus_of(contig(v.chrom), v.pos);
    }

    int64_t contig(const std::string& name) REQUIRES(stage_mutex) {
        if (auto rank = staged_contig_rank(name)) return *rank;
        WriteLock lock(contig_mutex);
        const int64_t rank = next_contig_rank++;
        contig_rank.emplace(name, rank);
        unwritten_contigs.emplace_back(name, rank);
        return rank;
    }

    std::optional<int64_t> staged_contig_rank(const std::string& name) REQUIRES(stage_mutex) {
        WritersExcluded stable(contig_mutex, stage_mutex);
        auto it = contig_rank.find(name);
        if (it == contig_rank.end()) return std::nullopt;
        return it->second;
    }
};

}  // namespace vcfagent::store
