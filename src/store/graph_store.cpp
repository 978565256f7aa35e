#include "store/graph_store.hpp"

#include <kuzu.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "common/mutex.hpp"
#include "store/call_rows.hpp"
#include "store/graph_store_impl.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::store {

namespace {

// Schema, created once per store. Edges are stored on the Variant side only: a batch then
// appends adjacency lists of new variants instead of rewriting the ever-growing lists of the
// same few samples (or genes) at every commit, which made batch cost grow with the store.
// Sample-side traversals still work (Kuzu scans the stored direction). Variant.locus = contig rank
// * 2^34 + pos: one sortable integer per position, so a batch's existing variants are found by a
// range filter that Kuzu answers from its per-node-group zone maps instead of a full scan.
// Every sample's call at a variant (vcf::CallVector), per source: Calls rows of at most
// kSamplesPerCallsRow samples (store/call_rows.hpp says why and how), one CalledIn edge from
// the variant to each. Kept beside CarriedBy because hom-ref and missing calls, and the depths
// of non-carriers, are what inheritance checks read. The per-sample numbers are comma-separated
// text (-1 missing), not INT32[] lists: Kuzu 0.11.3 parses and appends list columns element by
// element, which made a 1M x 100 COPY minutes instead of seconds.
const char* const kCallsTable =
    "CREATE NODE TABLE Calls(id INT64 PRIMARY KEY, source INT64, first INT64, carriers INT64, "
    "gt STRING, dp STRING, gq STRING, ad_ref STRING, ad_alt STRING)";
// Stored in both directions (one edge per Calls row either way): Kuzu deletes a node only
// through the stored side of its edges.
const char* const kCalledInTable = "CREATE REL TABLE CalledIn(FROM Variant TO Calls)";
// A sample's column in its source's call vectors (0-based).
const char* const kSampleOfTable = "CREATE REL TABLE SampleOf(FROM Sample TO Source, idx INT64)";
// Pedigree: parent -> child, role 'father' or 'mother'.
const char* const kParentOfTable = "CREATE REL TABLE ParentOf(FROM Sample TO Sample, role STRING)";
const char* const kSchema[] = {
    "CREATE NODE TABLE Meta(key STRING PRIMARY KEY, value STRING)",
    "CREATE NODE TABLE Contig(name STRING PRIMARY KEY, rank INT64)",
    "CREATE NODE TABLE Source(id STRING PRIMARY KEY, num INT64, path STRING, status STRING, "
    "records_committed INT64, "
    "batches_committed INT64, variants INT64, edges INT64, ingested_at STRING)",
    "CREATE NODE TABLE Sample(id STRING PRIMARY KEY, family STRING, sex INT64, phenotype INT64, "
    "father STRING, mother STRING, ped_extra STRING)",
    "CREATE NODE TABLE Variant(id STRING PRIMARY KEY, chrom STRING, pos INT64, ref STRING, alt "
    "STRING, "
    "rsid STRING, qual DOUBLE, filter STRING, vtype STRING, af DOUBLE, end_pos INT64, svtype "
    "STRING, "
    "svlen INT64, n_alts INT64, rec_pos INT64, locus INT64, source INT64, batch INT64, emb "
    "STRING, carriers INT64, carriers_batch INT64)",
    "CREATE NODE TABLE Gene(symbol STRING PRIMARY KEY, gene_id STRING)",
    "CREATE REL TABLE CarriedBy(FROM Variant TO Sample, gt STRING, zygosity STRING, dp INT32, gq "
    "INT32, "
    "phased BOOLEAN, source INT64) WITH (storage_direction = 'fwd')",
    "CREATE REL TABLE InGene(FROM Variant TO Gene, consequence STRING, impact STRING, feature "
    "STRING, "
    "hgvs_c STRING, hgvs_p STRING, clinsig STRING, annotation_source STRING) WITH "
    "(storage_direction = 'fwd')",
    kCallsTable,
    kCalledInTable,
    kSampleOfTable,
    kParentOfTable,
};
// Schema version 1 lacked the call vectors and the pedigree; a writer upgrades it in place.
const char* const kUpgradeFrom1[] = {
    "ALTER TABLE Sample ADD family STRING",
    "ALTER TABLE Sample ADD sex INT64",
    "ALTER TABLE Sample ADD phenotype INT64",
    "ALTER TABLE Sample ADD father STRING",
    "ALTER TABLE Sample ADD mother STRING",
    "ALTER TABLE Sample ADD ped_extra STRING",
    kCallsTable,
    kCalledInTable,
    kSampleOfTable,
    kParentOfTable,
};
// Schema version 2 lacked Variant.batch (the batch that added the row: what the variant index
// catches up from) and Variant.emb (stored model embeddings). Rows loaded before get batch 0,
// which a rebuild of the index reads like any other.
const char* const kUpgradeFrom2[] = {
    "ALTER TABLE Variant ADD batch INT64 DEFAULT 0",
    "ALTER TABLE Variant ADD emb STRING",
};
// Schema version 4 lacked Variant.carriers (its CarriedBy edges, counted by the writer that adds
// them, so no reader counts edges) and Variant.carriers_batch (the last batch that added edges to
// a variant it did not add, 0 for none: what a cache of the counts catches up from). Counted once
// here for the rows loaded before.
const char* const kUpgradeFrom4[] = {
    "ALTER TABLE Variant ADD carriers INT64 DEFAULT 0",
    "ALTER TABLE Variant ADD carriers_batch INT64 DEFAULT 0",
    "MATCH (v:Variant)-[:CarriedBy]->(:Sample) WITH v, count(*) AS n SET v.carriers = n",
};
const char* const kNodeTables[] = {"Sample", "Variant", "Gene", "Source", "Calls"};
const char* const kRelTables[] = {"CarriedBy", "InGene", "CalledIn", "SampleOf", "ParentOf"};

std::string now_iso8601() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

std::unique_ptr<kc::Value> to_kuzu_value(const nlohmann::json& j) {
    if (j.is_string()) return std::make_unique<kc::Value>(j.get<std::string>());
    if (j.is_boolean()) return std::make_unique<kc::Value>(j.get<bool>());
    if (j.is_number_integer())
        return std::make_unique<kc::Value>(static_cast<int64_t>(j.get<int64_t>()));
    if (j.is_number()) return std::make_unique<kc::Value>(j.get<double>());
    if (j.is_array()) {
        std::vector<std::unique_ptr<kc::Value>> children;
        kc::LogicalType child_type = kc::LogicalType::STRING();
        for (const auto& e : j) children.push_back(to_kuzu_value(e));
        if (!children.empty()) child_type = children.front()->getDataType().copy();
        return std::make_unique<kc::Value>(kc::LogicalType::LIST(std::move(child_type)),
                                           std::move(children));
    }
    return std::make_unique<kc::Value>(kc::Value::createNullValue());
}

std::unordered_map<std::string, std::unique_ptr<kc::Value>> to_kuzu_params(
    const QueryParams& params) {
    std::unordered_map<std::string, std::unique_ptr<kc::Value>> values;
    for (const auto& [k, v] : params) values.emplace(k, to_kuzu_value(v));
    return values;
}

namespace {

nlohmann::json from_kuzu_value(const kc::Value& v) {
    if (v.isNull()) return nullptr;
    using ID = kc::LogicalTypeID;
    switch (v.getDataType().getLogicalTypeID()) {
        case ID::BOOL:
            return v.getValue<bool>();
        case ID::INT64:
        case ID::SERIAL:
            return v.getValue<int64_t>();
        case ID::INT128: {  // sum() of integers
            const auto wide = v.getValue<kc::int128_t>();
            try {
                return static_cast<int64_t>(wide);
            } catch (const std::overflow_error&) {
                return v.toString();
            }
        }
        case ID::INT32:
            return v.getValue<int32_t>();
        case ID::INT16:
            return v.getValue<int16_t>();
        case ID::INT8:
            return v.getValue<int8_t>();
        case ID::UINT64:
            return v.getValue<uint64_t>();
        case ID::UINT32:
            return v.getValue<uint32_t>();
        case ID::DOUBLE: {
            const double d = v.getValue<double>();
            return std::isfinite(d) ? nlohmann::json(d) : nlohmann::json(nullptr);
        }
        case ID::FLOAT: {
            const float f = v.getValue<float>();
            return std::isfinite(f) ? nlohmann::json(f) : nlohmann::json(nullptr);
        }
        case ID::STRING:
            return v.getValue<std::string>();
        case ID::LIST:
        case ID::ARRAY: {
            nlohmann::json arr = nlohmann::json::array();
            for (uint32_t i = 0; i < kc::NestedVal::getChildrenSize(&v); ++i)
                arr.push_back(from_kuzu_value(*kc::NestedVal::getChildVal(&v, i)));
            return arr;
        }
        default:
            return v.toString();
    }
}

// Keeps at most `max_rows` rows; table.total counts them all (Kuzu has the whole result).
query::ResultTable to_table(kz::QueryResult& result, size_t max_rows) {
    query::ResultTable table;
    table.columns = result.getColumnNames();
    table.total = result.getNumTuples();
    while (table.rows.size() < max_rows && result.hasNext()) {
        auto tuple = result.getNext();
        auto& row = table.rows.emplace_back();
        row.reserve(table.columns.size());
        for (uint32_t i = 0; i < tuple->len(); ++i)
            row.push_back(from_kuzu_value(*tuple->getValue(i)));
    }
    return table;
}

// Address space Kuzu reserves for the database (it maps, not allocates, this much).
// ThreadSanitizer's shadow memory leaves no room for 8 TiB, so its builds reserve 128 GiB.
#if defined(__SANITIZE_THREAD__)
constexpr uint64_t kMaxDbBytes = uint64_t{1} << 37;
#else
constexpr uint64_t kMaxDbBytes = uint64_t{1} << 43;
#endif

const char* const kWriteRefused =
    "refused: this statement would modify the store; only read-only Cypher runs here";

// Reader connections kept between statements: enough for the server's executing requests and
// the search admission's slots on machines of a few dozen cores; a burst beyond that opens
// connections of its own.
constexpr size_t kIdleReaders = 32;

// Plan operators Kuzu reports as read-only although they reach outside the store or change
// session state; the read-only path refuses statements whose plan contains one of them.
const char* const kRefusedPlanOperators[] = {
    "ATTACH_DATABASE", "DETACH_DATABASE", "USE_DATABASE",      "EXPORT_DATABASE", "IMPORT_DATABASE",
    "TRANSACTION",     "STANDALONE_CALL", "INSTALL_EXTENSION", "LOAD_EXTENSION",  "READ_CSV",
    "READ_PARQUET",    "READ_NPY",        "READ_JSON",         "CHECKPOINT",
};

// Runs one of the product's own read statements on a pooled connection. Kuzu plans a statement
// at every execution, a prepared one too (executeWithParams binds and plans it again), so a
// statement without parameters (values written in as literals) runs through query(), planned
// once; one with parameters runs prepared, from the connection's cache, which saves its parse.
std::unique_ptr<kz::QueryResult> run_own(ReaderPool::Lease& reader, const std::string& cypher,
                                         const QueryParams& params) {
    if (params.empty()) return reader.connection().query(cypher);
    return reader.connection().executeWithParams(&reader.prepared(cypher), to_kuzu_params(params));
}

}  // namespace

std::unique_ptr<kz::QueryResult> run_cypher(kz::Connection& conn, const std::string& cypher) {
    auto r = conn.query(cypher);
    if (!r->isSuccess())
        throw StoreError("graph store: " + r->getErrorMessage() + " [in: " + cypher.substr(0, 200) +
                         "]");
    return r;
}

namespace {

std::unique_ptr<kz::Database> open_kuzu(const std::filesystem::path& path,
                                        const kz::SystemConfig& config) {
    try {
        return std::make_unique<kz::Database>(path.string(), config);
    } catch (const std::exception& e) {
        throw StoreError("cannot open graph store " + path.string() + ": " + e.what());
    }
}

constexpr const char* kDbFile = "graph.kz";
// Exists while a writer has the store open; a writer that died leaves it behind.
constexpr const char* kOpenMarker = "graph.open";
constexpr const char* kRepairExport = "graph.repair-export";
constexpr const char* kRepairDb = "graph.repair.kz";

// Reads the call vectors of a version 2 or 3 store (one CalledIn edge per variant and source,
// to the Source, holding every sample) and stages them as this version's Calls rows. Read in
// pages of variants, because Kuzu holds a whole result in its buffer pool: a node group's
// vectors with depths (1M x 100 --ped) overflowed a 256 MB pool.
void stage_one_edge_call_vectors(kz::Connection& conn, StagingFile& calls, StagingFile& called_in) {
    auto end = run_cypher(conn, "MATCH (v:Variant) RETURN coalesce(max(offset(id(v))) + 1, 0)");
    const int64_t variants = end->getNext()->getValue(0)->getValue<int64_t>();
    int64_t next_id = 0;
    constexpr int64_t kPage = 8192;
    for (int64_t from = 0; from < variants; from += kPage) {
        auto r =
            run_cypher(conn, "MATCH (v:Variant)-[g:CalledIn]->(s:Source) WHERE offset(id(v)) >= " +
                                 std::to_string(from) + " AND offset(id(v)) < " +
                                 std::to_string(from + kPage) +
                                 " RETURN v.id, s.num, g.gt, g.dp, g.gq, g.ad_ref, g.ad_alt");
        while (r->hasNext()) {
            const auto t = r->getNext();
            auto text = [&](uint32_t c) {
                const auto* v = t->getValue(c);
                return v->isNull() ? std::string() : v->getValue<std::string>();
            };
            vcf::CallVector vector;
            vector.gt = text(2);
            if (vector.gt.empty()) continue;
            place_numbers(vector.dp, 0, text(3));
            place_numbers(vector.gq, 0, text(4));
            place_numbers(vector.ad_ref, 0, text(5));
            place_numbers(vector.ad_alt, 0, text(6));
            stage_call_rows(calls, called_in, next_id, text(0),
                            std::to_string(t->getValue(1)->getValue<int64_t>()), vector);
        }
    }
}

// Removes a Kuzu database file and its companions (WAL, shadow pages).
void remove_database(const std::filesystem::path& db) {
    std::error_code ec;
    std::filesystem::remove(db, ec);
    for (const char* ext : {".wal", ".shadow", ".tmp"})
        std::filesystem::remove(db.string() + ext, ec);
}

// Kuzu 0.11.3 does not survive every crash of a writer: after a SIGKILL during a batch's COPY or
// checkpoint it can reopen with a primary-key index that disagrees with its tables (a later COPY
// then reports a duplicate of a key no table holds; reproduced by killing 30k x 100 loads).
// The rows themselves are intact, so a store whose writer died is rebuilt from them: Kuzu
// exports every table, a fresh database with this schema loads the export, and it replaces
// the old file with one rename. A crash during the rebuild leaves the marker, so it reruns.
void rebuild_from_rows(const std::filesystem::path& dir, const kz::SystemConfig& config) {
    namespace fs = std::filesystem;
    const fs::path db_path = dir / kDbFile, export_dir = dir / kRepairExport,
                   fresh = dir / kRepairDb;
    std::error_code ec;
    fs::remove_all(export_dir, ec);
    remove_database(fresh);
    {
        auto db = open_kuzu(db_path, config);  // replays Kuzu's WAL; closing checkpoints it
        kz::Connection conn(db.get());
        run_cypher(conn, "EXPORT DATABASE '" + export_dir.string() + "' (format = 'csv')");
    }
    {
        auto db = open_kuzu(fresh, config);
        kz::Connection conn(db.get());
        for (const char* stmt : kSchema) run_cypher(conn, stmt);
        // Kuzu's own COPY statements for its export (one per line), with the directory of the
        // exported files made explicit.
        std::ifstream in(export_dir / "copy.cypher");
        if (!in) throw StoreError("graph store repair: Kuzu's export wrote no copy.cypher");
        std::string line;
        while (std::getline(in, line)) {
            if (line.find_first_not_of(" \t;") == std::string::npos) continue;
            const auto at = line.find("FROM \"");
            if (at == std::string::npos)
                throw StoreError("graph store repair: unexpected export statement: " + line);
            line.insert(at + 6, (export_dir / "").string());
            run_cypher(conn, line);
        }
    }
    fs::remove(db_path.string() + ".wal", ec);  // empty: closing checkpointed it
    fs::rename(fresh, db_path);
    remove_database(fresh);
    fs::remove_all(export_dir, ec);
}

// Held by the methods whose writer-connection statements commit on their own: the writer's
// mutex, then the commit gate (why: GraphStore::Impl::commit_gate). Releasing it counts a
// committed write (GraphStore::write_generation).
class SCOPED_CAPABILITY CommittingWrite {
  public:
    CommittingWrite(Mutex& writer, WriterPreferringSharedMutex& gate,
                    std::atomic<uint64_t>& generation) ACQUIRE(writer, gate)
        : writer_(writer), gate_(gate), generation_(generation) {
        writer_.lock();
        try {
            gate_.lock();
        } catch (...) {
            writer_.unlock();
            throw;
        }
    }
    ~CommittingWrite() RELEASE() {
        generation_.fetch_add(1);  // as the gate opens (why: GenerationOnExit)
        gate_.unlock();
        writer_.unlock();
    }
    CommittingWrite(const CommittingWrite&) = delete;
    CommittingWrite& operator=(const CommittingWrite&) = delete;

  private:
    Mutex& writer_;
    WriterPreferringSharedMutex& gate_;
    std::atomic<uint64_t>& generation_;
};
}  // namespace

// Not analysed for locks: nothing else can reach the store before its constructor returns.
GraphStore::GraphStore(const std::filesystem::path& dir,
                       GraphStoreOptions options) NO_THREAD_SAFETY_ANALYSIS
    : dir_(dir),
      impl_(std::make_unique<Impl>()) {
    std::error_code ec;
    if (!options.read_only) std::filesystem::create_directories(dir, ec);
    const auto db_path = dir / kDbFile;
    if (options.read_only && !std::filesystem::exists(db_path))
        throw StoreError("no store at " + dir.string() + " (run `vcf-agent ingest` first)");
    impl_->staging = dir / "staging";
    impl_->buffer_pool_mb = options.buffer_pool_mb;
    // Checkpoint threshold above Kuzu's 16 MB default: a checkpoint after nearly every batch
    // commit rewrote pages again and again (measured ~20% slower on 1M x 100 ingest); the WAL
    // keeps committed batches durable in between.
    kz::SystemConfig config(
        options.buffer_pool_mb << 20, static_cast<uint64_t>(std::max(1, options.threads)), true,
        options.read_only, kMaxDbBytes, true, options.checkpoint_threshold_mb << 20);
    impl_->db = open_kuzu(db_path, config);
    if (!options.read_only) {
        // Kuzu's file lock now keeps other writers out, so a marker here is a dead writer's.
        if (std::filesystem::exists(dir / kOpenMarker)) {
            impl_->db.reset();
            rebuild_from_rows(dir, config);
            impl_->db = open_kuzu(db_path, config);
            open_note_ = "the graph store's last writer did not close it; rebuilt it from its rows";
        }
        std::ofstream(dir / kOpenMarker) << "open for writing\n";
        impl_->marker = dir / kOpenMarker;
    }
    // An exception out of this constructor (a failed upgrade, a store it cannot read) leaves
    // Kuzu alive to close the database normally: the marker is not a dead writer's then.
    struct MarkerUnlessOpened {
        std::filesystem::path path;
        ~MarkerUnlessOpened() {
            std::error_code ec;
            if (!path.empty()) std::filesystem::remove(path, ec);
        }
    } marker_unless_opened{impl_->marker};
    impl_->writer = std::make_unique<kz::Connection>(impl_->db.get());
    if (!options.read_only) {
        impl_->lookup = std::make_unique<kz::Connection>(impl_->db.get());
        // Staged files a batch left for Kuzu's WAL (committed, not checkpointed: see
        // commit_batch) are read by the replay when Kuzu opens; once a checkpoint has written
        // everything to the database file they are no longer needed.
        if (std::filesystem::exists(impl_->staging) && !std::filesystem::is_empty(impl_->staging)) {
            impl_->run(*impl_->writer, "CHECKPOINT");
            std::filesystem::remove_all(impl_->staging, ec);
        }
    }

    auto tables = impl_->run(*impl_->writer, "CALL show_tables() RETURN name");
    bool has_meta = false;
    while (tables->hasNext())
        if (tables->getNext()->getValue(0)->getValue<std::string>() == "Meta") has_meta = true;
    if (!has_meta) {
        if (options.read_only) throw StoreError("store " + dir.string() + " has no schema");
        impl_->run(*impl_->writer, "BEGIN TRANSACTION");
        for (const char* stmt : kSchema) impl_->run(*impl_->writer, stmt);
        impl_->run(*impl_->writer, "CREATE (:Meta {key: 'schema_version', value: $v})",
                   {{"v", std::to_string(kSchemaVersion)}});
        impl_->run(*impl_->writer, "COMMIT");
    } else {
        auto r =
            impl_->run(*impl_->writer, "MATCH (m:Meta {key: 'schema_version'}) RETURN m.value");
        const std::string version =
            r->hasNext() ? r->getNext()->getValue(0)->getValue<std::string>() : "?";
        const bool upgradable =
            version == "1" || version == "2" || version == "3" || version == "4";
        if (upgradable && !options.read_only) {
            // Versions 2 and 3 kept a call vector as one CalledIn edge to its Source; the
            // edges are read (before the transaction) and staged as Calls rows, then COPYed in
            // the upgrade's one transaction, which Kuzu holds in its buffer pool: 1M x 100
            // with depths needed about 1 GB (256 MB failed). So the conversion runs on the
            // database opened with a pool of at least 1 GB, reopened as configured after.
            constexpr uint64_t kConversionPool = uint64_t{1} << 30;
            const bool converts_calls = version == "2" || version == "3";
            // (Counting every variant's carriers, for version 4 and before, is one such
            // transaction too.)
            const bool bigger_pool = config.bufferPoolSize < kConversionPool;
            auto reopen = [&](const kz::SystemConfig& with) {
                impl_->lookup.reset();
                impl_->writer.reset();
                impl_->db.reset();
                impl_->db = open_kuzu(db_path, with);
                impl_->writer = std::make_unique<kz::Connection>(impl_->db.get());
                impl_->lookup = std::make_unique<kz::Connection>(impl_->db.get());
            };
            if (bigger_pool) {
                kz::SystemConfig conversion = config;
                conversion.bufferPoolSize = kConversionPool;
                reopen(conversion);
            }
            std::optional<Impl::StagingDir> upgrade_dir;
            std::optional<StagingFile> calls, called_in;
            if (converts_calls) {
                upgrade_dir.emplace(impl_->staging / "upgrade");
                calls.emplace(upgrade_dir->path / "calls.csv");
                called_in.emplace(upgrade_dir->path / "called_in.csv");
                stage_one_edge_call_vectors(*impl_->writer, *calls, *called_in);
                calls->close();
                called_in->close();
            }
            try {
                impl_->run(*impl_->writer, "BEGIN TRANSACTION");
                if (version == "1")
                    for (const char* stmt : kUpgradeFrom1) impl_->run(*impl_->writer, stmt);
                if (version == "1" || version == "2")
                    for (const char* stmt : kUpgradeFrom2) impl_->run(*impl_->writer, stmt);
                if (converts_calls) {
                    impl_->run(*impl_->writer, "DROP TABLE CalledIn");
                    impl_->run(*impl_->writer, kCallsTable);
                    impl_->run(*impl_->writer, kCalledInTable);
                    if (calls->rows()) {
                        impl_->run(*impl_->writer, "COPY Calls FROM " + calls->copy_source());
                        impl_->run(*impl_->writer,
                                   "COPY CalledIn FROM " + called_in->copy_source());
                    }
                }
                for (const char* stmt : kUpgradeFrom4) impl_->run(*impl_->writer, stmt);
                impl_->run(*impl_->writer,
                           "MATCH (m:Meta {key: 'schema_version'}) SET m.value = $v",
                           {{"v", std::to_string(kSchemaVersion)}});
                impl_->run(*impl_->writer, "COMMIT");
            } catch (...) {
                impl_->writer->query("ROLLBACK");  // the store stays as it was
                throw;
            }
            if (bigger_pool) reopen(config);
            open_note_ = "upgraded the store from schema version " + version + " to " +
                         std::to_string(kSchemaVersion);
            if (version == "1")
                open_note_ +=
                    " (sources loaded before have no call vectors: family analysis needs them "
                    "re-ingested with --force)";
        } else if (upgradable) {
            throw StoreError("store " + dir.string() + " has schema version " + version +
                             "; open it once for writing (any `ingest` or "
                             "`ped load`) to upgrade it to version " +
                             std::to_string(kSchemaVersion));
        } else if (version != std::to_string(kSchemaVersion))
            throw StoreError("store " + dir.string() + " has schema version " + version +
                             "; this vcf-agent reads version " + std::to_string(kSchemaVersion) +
                             " only");
    }
    // The schema is final (created or upgraded): read statements prepared from here on stay
    // valid for the life of the database.
    impl_->readers = std::make_unique<ReaderPool>(*impl_->db, kIdleReaders);
    auto contigs = impl_->run(*impl_->writer, "MATCH (c:Contig) RETURN c.name, c.rank");
    while (contigs->hasNext()) {
        auto t = contigs->getNext();
        const int64_t rank = t->getValue(1)->getValue<int64_t>();
        impl_->contig_rank.emplace(t->getValue(0)->getValue<std::string>(), rank);
        impl_->next_contig_rank = std::max(impl_->next_contig_rank, rank + 1);
    }
    auto genes = impl_->run(*impl_->writer, "MATCH (g:Gene) RETURN g.symbol");
    while (genes->hasNext())
        impl_->genes.insert(genes->getNext()->getValue(0)->getValue<std::string>());
    if (!options.read_only) {
        impl_->load_variant_extent();  // a scan of Variant: writers only
        auto calls =
            impl_->run(*impl_->writer, "MATCH (c:Calls) RETURN coalesce(max(c.id) + 1, 0)");
        impl_->next_calls_id = calls->getNext()->getValue(0)->getValue<int64_t>();
        auto r = impl_->run(*impl_->writer, "MATCH (m:Meta {key: 'last_batch'}) RETURN m.value");
        impl_->next_batch_id =
            (r->hasNext() ? std::stoull(r->getNext()->getValue(0)->getValue<std::string>()) : 0) +
            1;
        roll_back_damaged_loads();
    }
    marker_unless_opened.path.clear();  // opened: the destructor removes it
}

void GraphStore::roll_back_damaged_loads() {
    // Kuzu 0.11.3 can lose the rows of the last committed COPY when the process dies during
    // the next batch's COPY (its Source/Meta updates survive). Such a load is rolled back
    // whole; the next ingest of the file loads it again.
    for (auto& source : unfinished_sources()) {
        if (source_rows_intact(source)) continue;
        undo_source(source);
        if (!open_note_.empty()) open_note_ += "; ";
        open_note_ += "rolled back the interrupted load of " + source.path +
                      " (the graph had lost rows of its last batch); ingest it again to finish";
    }
}

// Not analysed for locks: nothing else uses the store while it is destroyed.
GraphStore::~GraphStore() NO_THREAD_SAFETY_ANALYSIS {
    const auto marker = impl_->keep_open_marker ? std::filesystem::path() : impl_->marker;
    impl_.reset();  // closes Kuzu, which checkpoints: the store is whole on disk again
    std::error_code ec;
    if (!marker.empty()) std::filesystem::remove(marker, ec);
}

int64_t GraphStore::max_variant_span(const std::string& chrom) {
    const int64_t rank = contig_rank(chrom);
    if (rank < 0) return 0;
    // Read before the scan: the span holds every write before it, and is kept for that
    // generation only (the next write may add a longer variant).
    const uint64_t generation = write_generation();
    {
        MutexLock lock(impl_->span_mutex);
        if (impl_->span_generation == generation) {
            auto it = impl_->max_span.find(chrom);
            if (it != impl_->max_span.end()) return it->second;
        }
    }
    // The contig's bounds as literals: Kuzu reads only the node groups that hold it.
    const auto t = read("MATCH (v:Variant) WHERE v.locus >= " + std::to_string(locus_of(rank, 0)) +
                        " AND v.locus <= " + std::to_string(locus_of(rank, kLocusShift - 1)) +
                        " RETURN max(v.end_pos - v.pos)");
    const int64_t span = t.rows.empty() || t.rows[0][0].is_null()
                             ? 0
                             : std::max<int64_t>(0, t.rows[0][0].get<int64_t>());
    MutexLock lock(impl_->span_mutex);
    if (impl_->span_generation > generation) return span;  // a later reader keeps its own
    if (impl_->span_generation < generation) {
        impl_->max_span.clear();
        impl_->span_generation = generation;
    }
    impl_->max_span[chrom] = span;
    return span;
}

int64_t GraphStore::contig_rank(const std::string& chrom) const {
    ReadLock lock(impl_->contig_mutex);
    auto it = impl_->contig_rank.find(chrom);
    return it == impl_->contig_rank.end() ? -1 : it->second;
}

namespace {
class TupleRow : public RowView {
  public:
    explicit TupleRow(kuzu::processor::FlatTuple& t) : t_(t) {}
    bool is_null(size_t c) const override { return t_.getValue(c)->isNull(); }
    std::string text(size_t c) const override {
        return is_null(c) ? std::string() : t_.getValue(c)->getValue<std::string>();
    }
    int64_t integer(size_t c) const override { return t_.getValue(c)->getValue<int64_t>(); }
    double real(size_t c) const override { return t_.getValue(c)->getValue<double>(); }

  private:
    kuzu::processor::FlatTuple& t_;
};
}  // namespace

void GraphStore::scan(const std::string& cypher, const QueryParams& params,
                      const std::function<void(const RowView&)>& row) {
    ReadLock gate(impl_->commit_gate);
    auto reader = impl_->readers->lease();
    auto result = run_own(reader, cypher, params);
    if (!result->isSuccess()) throw StoreError("graph store: " + result->getErrorMessage());
    while (result->hasNext()) {
        auto t = result->getNext();
        row(TupleRow(*t));
    }
}

namespace {
// Who wrote a read statement: user Cypher is checked before it runs (Kuzu's read-only verdict
// and the plan's operators), the product's own statements are not.
enum class Author { User, Product };

query::ResultTable read_table(ReaderPool& readers, const std::string& cypher,
                              const QueryParams& params, const ReadLimits& limits, Author author) {
    auto reader = readers.lease();
    kz::Connection& conn = reader.connection();
    if (limits.timeout.count() > 0)
        conn.setQueryTimeOut(static_cast<uint64_t>(limits.timeout.count()));
    std::unique_ptr<kz::QueryResult> result;
    if (author == Author::User) {
        // Prepared afresh (user text seldom recurs) and checked before it runs.
        auto stmt = conn.prepare(cypher);
        if (!stmt->isSuccess()) {
            const std::string msg = stmt->getErrorMessage();
            // A store opened read-only makes Kuzu itself refuse writes at prepare time.
            if (msg.find("read-only database") != std::string::npos)
                throw WriteRefused(kWriteRefused);
            throw StoreError("Cypher error: " + msg);
        }
        if (!stmt->isReadOnly()) throw WriteRefused(kWriteRefused);
        auto plan = conn.query("EXPLAIN " + cypher);
        if (plan->isSuccess()) {
            const std::string text = plan->toString();
            for (const char* op : kRefusedPlanOperators)
                if (text.find(op) != std::string::npos)
                    throw WriteRefused(std::string("refused: the statement's plan uses ") + op +
                                       ", which reaches outside the store or changes the session");
        }
        result = conn.executeWithParams(stmt.get(), to_kuzu_params(params));
    } else {
        result = run_own(reader, cypher, params);
    }
    if (!result->isSuccess()) {
        const std::string msg = result->getErrorMessage();
        if (msg.find("Interrupted") != std::string::npos && limits.timeout.count() > 0)
            throw StoreError("the statement ran longer than its time limit of " +
                             std::to_string(limits.timeout.count()) + " ms and was stopped");
        throw StoreError("Cypher error: " + msg);
    }
    return to_table(*result, limits.max_rows);
}
}  // namespace

query::ResultTable GraphStore::read_only_query(const std::string& cypher, const QueryParams& params,
                                               const ReadLimits& limits) {
    ReadLock gate(impl_->commit_gate);
    return read_table(*impl_->readers, cypher, params, limits, Author::User);
}

query::ResultTable GraphStore::read(const std::string& cypher, const QueryParams& params,
                                    const ReadLimits& limits) {
    ReadLock gate(impl_->commit_gate);
    return read_table(*impl_->readers, cypher, params, limits, Author::Product);
}

std::optional<SourceRecord> GraphStore::find_source(const std::string& id) {
    MutexLock lock(impl_->write_mutex);
    auto r = impl_->run(*impl_->writer,
                        "MATCH (s:Source {id: $id}) RETURN s.path, s.status, s.records_committed, "
                        "s.batches_committed, s.variants, s.edges, s.ingested_at, s.num",
                        {{"id", id}});
    if (!r->hasNext()) return std::nullopt;
    auto t = r->getNext();
    SourceRecord s;
    s.id = id;
    s.path = t->getValue(0)->getValue<std::string>();
    s.status = t->getValue(1)->getValue<std::string>();
    s.records_committed = t->getValue(2)->getValue<int64_t>();
    s.batches_committed = t->getValue(3)->getValue<int64_t>();
    s.variants = t->getValue(4)->getValue<int64_t>();
    s.edges = t->getValue(5)->getValue<int64_t>();
    s.ingested_at = t->getValue(6)->getValue<std::string>();
    s.num = t->getValue(7)->getValue<int64_t>();
    return s;
}

QueryParams source_params(const SourceRecord& s) {
    return {{"id", s.id},
            {"num", s.num},
            {"path", s.path},
            {"status", s.status},
            {"rc", s.records_committed},
            {"bc", s.batches_committed},
            {"nv", s.variants},
            {"ne", s.edges},
            {"at", s.ingested_at.empty() ? now_iso8601() : s.ingested_at}};
}
const char* const kSetSource =
    "MERGE (s:Source {id: $id}) SET s.num = $num, s.path = $path, s.status = $status, "
    "s.records_committed = $rc, "
    "s.batches_committed = $bc, s.variants = $nv, s.edges = $ne, s.ingested_at = $at";

void GraphStore::put_source(SourceRecord& source) {
    CommittingWrite lock(impl_->write_mutex, impl_->commit_gate, impl_->write_generation);
    if (source.num <= 0) {
        auto r = impl_->run(*impl_->writer, "MATCH (s:Source) RETURN coalesce(max(s.num), 0)");
        source.num = r->getNext()->getValue(0)->getValue<int64_t>() + 1;
    }
    impl_->run(*impl_->writer, kSetSource, source_params(source));
}

void GraphStore::ensure_samples(const std::vector<std::string>& sample_ids,
                                const SourceRecord* source) {
    Impl& im = *impl_;
    CommittingWrite lock(im.write_mutex, im.commit_gate, im.write_generation);
    try {
        im.run(*im.writer, "BEGIN TRANSACTION");
        for (size_t i = 0; i < sample_ids.size(); ++i) {
            im.run(*im.writer, "MERGE (:Sample {id: $id})", {{"id", sample_ids[i]}});
            if (source)
                im.run(
                    *im.writer,
                    "MATCH (s:Sample {id: $id}), (src:Source {id: $src}) "
                    "MERGE (s)-[m:SampleOf]->(src) SET m.idx = $i",
                    {{"id", sample_ids[i]}, {"src", source->id}, {"i", static_cast<int64_t>(i)}});
        }
        im.run(*im.writer, "COMMIT");
    } catch (...) {
        im.writer->query("ROLLBACK");
        throw;
    }
}

std::vector<std::string> GraphStore::put_pedigree(const std::vector<PedigreeMember>& members) {
    Impl& im = *impl_;
    CommittingWrite lock(im.write_mutex, im.commit_gate, im.write_generation);
    std::unordered_set<std::string> in_store;
    {
        auto r = im.run(*im.writer, "MATCH (s:Sample) RETURN s.id");
        while (r->hasNext()) in_store.insert(r->getNext()->getValue(0)->getValue<std::string>());
    }
    std::vector<std::string> missing;
    try {
        im.run(*im.writer, "BEGIN TRANSACTION");
        for (const auto& m : members) {
            if (!in_store.count(m.sample)) {
                missing.push_back(m.sample);
                continue;
            }
            im.run(*im.writer,
                   "MATCH (s:Sample {id: $id}) SET s.family = $f, s.sex = $sex, s.phenotype = $ph, "
                   "s.father = $fa, s.mother = $mo, s.ped_extra = $x",
                   {{"id", m.sample},
                    {"f", m.family},
                    {"sex", m.sex},
                    {"ph", m.phenotype},
                    {"fa", m.father},
                    {"mo", m.mother},
                    {"x", m.extra}});
            // The PED replaces what an earlier one said about this sample's parents.
            im.run(*im.writer, "MATCH (:Sample)-[p:ParentOf]->(c:Sample {id: $id}) DELETE p",
                   {{"id", m.sample}});
            for (const auto& [parent, role] :
                 {std::pair{m.father, "father"}, std::pair{m.mother, "mother"}})
                if (!parent.empty() && in_store.count(parent))
                    im.run(*im.writer,
                           "MATCH (p:Sample {id: $p}), (c:Sample {id: $c}) "
                           "CREATE (p)-[:ParentOf {role: $r}]->(c)",
                           {{"p", parent}, {"c", m.sample}, {"r", std::string(role)}});
        }
        im.run(*im.writer, "COMMIT");
    } catch (...) {
        im.writer->query("ROLLBACK");
        throw;
    }
    return missing;
}

uint64_t GraphStore::last_batch() {
    MutexLock lock(impl_->write_mutex);
    auto r = impl_->run(*impl_->writer, "MATCH (m:Meta {key: 'last_batch'}) RETURN m.value");
    return r->hasNext() ? std::stoull(r->getNext()->getValue(0)->getValue<std::string>()) : 0;
}

uint64_t GraphStore::write_generation() const {
    return impl_->write_generation.load();
}

std::shared_ptr<const SampleCatalogue> GraphStore::sample_catalogue() {
    const uint64_t generation = write_generation();
    {
        MutexLock lock(impl_->catalogue_mutex);
        if (impl_->catalogue && impl_->catalogue_generation == generation) return impl_->catalogue;
    }
    // Read without the lock (readers asking meanwhile read it too): what is read after the
    // generation was taken holds every write before it.
    auto fresh = std::make_shared<const SampleCatalogue>(read_sample_catalogue(*this));
    MutexLock lock(impl_->catalogue_mutex);
    impl_->catalogue = fresh;
    impl_->catalogue_generation = generation;
    return fresh;
}

uint64_t GraphStore::variant_epoch() {
    const auto value = meta("variant_epoch");
    return value ? std::stoull(*value) : 0;
}

std::optional<std::string> GraphStore::meta(const std::string& key) {
    const auto t = read("MATCH (m:Meta {key: $k}) RETURN m.value", {{"k", key}});
    if (t.rows.empty() || t.rows[0][0].is_null()) return std::nullopt;
    return t.rows[0][0].get<std::string>();
}

void GraphStore::set_meta(const std::string& key, const std::string& value) {
    CommittingWrite lock(impl_->write_mutex, impl_->commit_gate, impl_->write_generation);
    impl_->run(*impl_->writer, "MERGE (m:Meta {key: $k}) SET m.value = $v",
               {{"k", key}, {"v", value}});
}

void GraphStore::write_embeddings(
    const std::vector<std::pair<std::string, std::string>>& embeddings) {
    if (embeddings.empty()) return;
    Impl& im = *impl_;
    CommittingWrite lock(im.write_mutex, im.commit_gate, im.write_generation);
    Impl::StagingDir dir(im.staging / ("embeddings-" + std::to_string(::getpid())));
    StagingFile file(dir.path / "embeddings.csv");
    for (const auto& [key, text] : embeddings) file.row({key, text});
    file.close();
    try {
        im.run(*im.writer, "BEGIN TRANSACTION");
        im.run(*im.writer, "LOAD FROM " + file.copy_source() +
                               " MATCH (v:Variant {id: column0}) SET v.emb = column1");
        im.run(*im.writer, "COMMIT");
    } catch (...) {
        im.writer->query("ROLLBACK");
        throw;
    }
}

void GraphStore::clear_embeddings() {
    CommittingWrite lock(impl_->write_mutex, impl_->commit_gate, impl_->write_generation);
    impl_->run(*impl_->writer, "MATCH (v:Variant) WHERE v.emb IS NOT NULL SET v.emb = NULL");
}

std::vector<SourceRecord> GraphStore::unfinished_sources() {
    std::vector<std::string> ids;
    {
        MutexLock lock(impl_->write_mutex);
        auto r =
            impl_->run(*impl_->writer, "MATCH (s:Source) WHERE s.status <> 'complete' RETURN s.id");
        while (r->hasNext()) ids.push_back(r->getNext()->getValue(0)->getValue<std::string>());
    }
    std::vector<SourceRecord> out;
    for (const auto& id : ids)
        if (auto s = find_source(id)) out.push_back(*s);
    return out;
}

bool GraphStore::source_rows_intact(const SourceRecord& source) {
    MutexLock lock(impl_->write_mutex);
    auto v = impl_->run(*impl_->writer, "MATCH (v:Variant) WHERE v.source = $n RETURN count(*)",
                        {{"n", source.num}});
    auto e =
        impl_->run(*impl_->writer, "MATCH ()-[c:CarriedBy]->() WHERE c.source = $n RETURN count(*)",
                   {{"n", source.num}});
    return v->getNext()->getValue(0)->getValue<int64_t>() == source.variants &&
           e->getNext()->getValue(0)->getValue<int64_t>() == source.edges;
}

void GraphStore::Impl::remove_source_edges(int64_t source_num) {
    const QueryParams n = {{"n", source_num}};
    run(*writer,
        "MATCH (v:Variant)-[c:CarriedBy]->(:Sample) WHERE c.source = $n WITH v, count(*) AS k SET "
        "v.carriers = v.carriers - k",
        n);
    run(*writer, "MATCH ()-[c:CarriedBy]->() WHERE c.source = $n DELETE c", n);
    run(*writer, "MATCH (c:Calls) WHERE c.source = $n DETACH DELETE c", n);
}

void GraphStore::Impl::new_variant_epoch() {
    run(*writer,
        "MERGE (m:Meta {key: 'variant_epoch'}) SET m.value = CAST(CAST(coalesce(m.value, '0') AS "
        "INT64) + 1 AS STRING)");
}

void GraphStore::undo_source(SourceRecord& source) {
    Impl& im = *impl_;
    MutexLock staging(im.stage_mutex);  // the load's offsets are read again at the end
    CommittingWrite lock(im.write_mutex, im.commit_gate, im.write_generation);
    try {
        im.run(*im.writer, "BEGIN TRANSACTION");
        im.remove_source_edges(source.num);
        im.run(*im.writer, "MATCH (v:Variant) WHERE v.source = $n DETACH DELETE v",
               {{"n", source.num}});
        im.new_variant_epoch();
        source.records_committed = source.batches_committed = source.variants = source.edges = 0;
        source.status = "loading";
        im.run(*im.writer, kSetSource, source_params(source));
        im.run(*im.writer, "COMMIT");
        im.run(*im.writer, "CHECKPOINT");
    } catch (...) {
        im.writer->query("ROLLBACK");
        throw;
    }
    im.load_variant_extent();
}

void GraphStore::delete_source_edges(const SourceRecord& source) {
    Impl& im = *impl_;
    CommittingWrite lock(im.write_mutex, im.commit_gate, im.write_generation);
    try {
        im.run(*im.writer, "BEGIN TRANSACTION");
        im.remove_source_edges(source.num);
        im.new_variant_epoch();
        im.run(*im.writer, "COMMIT");
    } catch (...) {
        im.writer->query("ROLLBACK");
        throw;
    }
}

std::vector<std::pair<std::string, int64_t>> GraphStore::table_counts() {
    std::vector<std::pair<std::string, int64_t>> out;
    ReadLock gate(impl_->commit_gate);
    kz::Connection conn(impl_->db.get());
    for (const char* t : kNodeTables) {
        auto r = impl_->run(conn, std::string("MATCH (n:") + t + ") RETURN count(*)");
        out.emplace_back(t, r->getNext()->getValue(0)->getValue<int64_t>());
    }
    for (const char* t : kRelTables) {
        auto r = impl_->run(conn, std::string("MATCH ()-[e:") + t + "]->() RETURN count(*)");
        out.emplace_back(t, r->getNext()->getValue(0)->getValue<int64_t>());
    }
    return out;
}

}  // namespace vcfagent::store
