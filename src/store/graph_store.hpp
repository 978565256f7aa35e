#pragma once
// The graph store, the only store of record: Variant -CarriedBy-> Sample (one edge per
// non-reference call) and Variant -InGene-> Gene, plus Source (what was loaded) and Meta (schema
// version), held in an embedded Kuzu database. This class reads it and keeps its sources,
// samples and settings; loads write their batches through store/batch_writer.hpp. src/store is
// the only place that talks to Kuzu, so swapping the engine (e.g. for its fork) stays in it.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "query/result_table.hpp"
#include "store/sample_catalogue.hpp"
#include "vcf/pedigree.hpp"
#include "vcf/variant_batches.hpp"

namespace vcfagent::store {

struct GraphStoreOptions {
    uint64_t buffer_pool_mb = 256;  // Kuzu buffer pool; bounds the store's share of RSS
    int threads = 2;                // Kuzu query/COPY threads
    bool read_only = false;
    uint64_t checkpoint_threshold_mb = 64;  // WAL size that triggers a checkpoint
};

// What was loaded from one input file. `id` is the file's sha256 (or a stdin pseudo-id).
struct SourceRecord {
    std::string id;
    int64_t num = 0;  // small number stored on edges/variants; assigned on first put
    std::string path;
    std::string status;             // "loading" until the last batch commits, then "complete"
    int64_t records_committed = 0;  // source records whose batches are committed
    int64_t batches_committed = 0;
    int64_t variants = 0;     // variant rows this source added (new nodes)
    int64_t edges = 0;        // CarriedBy edges this source added
    std::string ingested_at;  // ISO-8601 UTC
};

using vcf::PedigreeMember;

// Query parameters: JSON scalars or arrays of scalars, bound as Kuzu values.
using QueryParams = std::map<std::string, nlohmann::json>;

// Bounds on one read-only statement: rows kept in the result (ResultTable::total still counts
// every row) and Kuzu's query timeout (0: none).
struct ReadLimits {
    size_t max_rows = std::numeric_limits<size_t>::max();
    std::chrono::milliseconds timeout{0};
};

// Cypher that would modify the store, refused by the read-only query path.
class WriteRefused : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// One row of a scan() result, valid during the callback only. Columns by position.
class RowView {
  public:
    virtual ~RowView() = default;
    virtual bool is_null(size_t column) const = 0;
    virtual std::string text(size_t column) const = 0;
    virtual int64_t integer(size_t column) const = 0;
    virtual double real(size_t column) const = 0;
};

class GraphStore {
  public:
    static constexpr int kSchemaVersion = 5;
    // Variant.locus = contig rank * kLocusShift + pos (see graph_store.cpp); positions past
    // kLocusShift - 1 are clamped (no contig is that long).
    static constexpr int64_t kLocusShift = int64_t{1} << 34;
    static constexpr int64_t locus_of(int64_t contig_rank, int64_t pos) {
        return contig_rank * kLocusShift + (pos < kLocusShift ? pos : kLocusShift - 1);
    }
    // Kuzu 0.11 stores a table in node groups of 2^17 rows (StorageConfig::NODE_GROUP_SIZE).
    static constexpr int64_t kNodeGroupRows = int64_t{1} << 17;
    // Genotype calls one batch may hold so that its COPY fits a buffer pool of `pool_mb`.
    // Measured on 1M x 100 loads: 1.4M edges load in 256 MB, 2M do not, nor 1.35M in 180 MB or
    // 650,000 in 128 MB: ~40-55 MB plus ~150 bytes per edge. So 7,000 per MB above 60 MB
    // (256 MB: 1.37M, a full node group of a 100-sample file).
    static constexpr size_t max_batch_calls(uint64_t pool_mb) {
        const uint64_t calls = pool_mb > 60 ? (pool_mb - 60) * 7000 : 0;
        return calls < 20000 ? 20000 : calls > 2000000 ? 2000000 : static_cast<size_t>(calls);
    }
    // Rank of a contig in the store, or -1 when no variant on it was ever loaded.
    int64_t contig_rank(const std::string& chrom) const;
    // The longest end_pos - pos of the contig's variants (0 when none): how far before a
    // region a variant overlapping it can start, so region scans can begin there instead of at
    // the contig's start. Cached; every commit forgets the cache.
    int64_t max_variant_span(const std::string& chrom);

    // Opens (creating the schema on first open) the database in `dir`. Throws StoreError when
    // the directory holds a store of another schema version.
    explicit GraphStore(const std::filesystem::path& dir, GraphStoreOptions options = {});
    ~GraphStore();
    GraphStore(const GraphStore&) = delete;
    GraphStore& operator=(const GraphStore&) = delete;

    // Runs Cypher only if Kuzu's own analysis of the prepared statement says it is read-only;
    // otherwise throws WriteRefused. Safe to call from several threads at once.
    query::ResultTable read_only_query(const std::string& cypher, const QueryParams& params = {},
                                       const ReadLimits& limits = {});
    // A read statement of the product's own (ready-made queries: never user Cypher), as a
    // table within `limits`: no plan check, so one compilation instead of two.
    query::ResultTable read(const std::string& cypher, const QueryParams& params = {},
                            const ReadLimits& limits = {});

    // Runs a read-only statement of the product's own (not user Cypher: no plan check) and
    // hands each row to `row` without converting the result to JSON: the bulk read path
    // (e.g. the variant index reading a batch's rows).
    void scan(const std::string& cypher, const QueryParams& params,
              const std::function<void(const RowView&)>& row);

    std::optional<SourceRecord> find_source(const std::string& id);
    // Creates or replaces the Source node; assigns source.num when it is 0.
    void put_source(SourceRecord& source);
    // Adds the samples not yet in the store; with a source, also records each sample's column
    // in that source's call vectors (SampleOf.idx = its index in `sample_ids`).
    void ensure_samples(const std::vector<std::string>& sample_ids,
                        const SourceRecord* source = nullptr);
    // Records a pedigree on the store's samples in one transaction: family, sex, phenotype,
    // parents' names and extra columns on each Sample, ParentOf edges between samples the
    // store holds (replacing those an earlier pedigree gave). Returns the members that are not
    // samples of the store (left out).
    std::vector<std::string> put_pedigree(const std::vector<PedigreeMember>& members);

    // The id of the last batch committed (BatchWriter::commit_batch; 0 when none). Batch ids grow
    // by one per committed batch; each Variant row records the id of the batch that added it.
    uint64_t last_batch();
    // Counts the writes this process committed to the store (or tried to: a failed commit
    // counts too), without a statement. A copy of rows read after it returned N holds every
    // write committed before, and is current while it still returns N: no other process
    // writes while this one has the store open.
    uint64_t write_generation() const;
    // The samples and sources (store/sample_catalogue.hpp) as of the current write generation:
    // read from the graph once per generation, shared by the readers after.
    std::shared_ptr<const SampleCatalogue> sample_catalogue();
    // Bumped whenever Variant rows are deleted or lose edges outside a batch (undo_source,
    // delete_source_edges): copies derived from the rows (the variant index) compare it to
    // know they must be rebuilt rather than extended.
    uint64_t variant_epoch();

    // Store-wide settings kept in Meta (e.g. the embedder that defines the store's vectors).
    std::optional<std::string> meta(const std::string& key);
    void set_meta(const std::string& key, const std::string& value);
    // Sets Variant.emb (a stored model embedding, see embed/stored_embedding.hpp; NULL until
    // one is stored) for each (key, text) pair, in one transaction.
    void write_embeddings(const std::vector<std::pair<std::string, std::string>>& embeddings);
    // Clears every stored embedding (before the store is embedded with another model).
    void clear_embeddings();
    // Sources whose load did not finish ("loading").
    std::vector<SourceRecord> unfinished_sources();
    // True when the rows a source's committed batches added are all present (Variant rows
    // and CarriedBy edges tagged with its number equal its recorded totals).
    bool source_rows_intact(const SourceRecord& source);
    // Removes every Variant (with its edges) and CarriedBy edge the source added and resets
    // its progress to zero, in one transaction: the roll-back of an interrupted load.
    void undo_source(SourceRecord& source);

    // Removes the CarriedBy edges and call vectors a source added, in one transaction (used
    // by --force reloads).
    void delete_source_edges(const SourceRecord& source);

    // Node and edge counts per table, in schema order.
    std::vector<std::pair<std::string, int64_t>> table_counts();

    const std::filesystem::path& dir() const { return dir_; }
    // Non-empty when opening had to repair the store (its last writer died).
    const std::string& open_note() const { return open_note_; }

  private:
    friend class BatchWriter;  // writes batches through impl_ (batch_writer.hpp)
    // At a writer's open: undoes each unfinished load whose committed rows are not all there.
    void roll_back_damaged_loads();

    struct Impl;
    std::filesystem::path dir_;
    std::string open_note_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vcfagent::store
