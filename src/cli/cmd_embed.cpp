// vcf-agent embed FILE [--db DIR]: fills the vector store alone (sites only) from a VCF/BCF,
// batch by batch, so memory stays flat in the file size. Re-running is safe: variants already
// in the store are skipped before they are embedded.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "embed/embedder.hpp"
#include "store/vector_store.hpp"
#include "vcf/reader.hpp"
#include "vcf/variant_batches.hpp"

namespace vcfagent::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct EmbedArgs {
    std::string file;
    std::string db;
    InputSelection selection;
    embed::EmbedderConfig embedder;
    std::string index = "auto";
    bool index_given = false;
    size_t batch_size = 4096;
    bool compact = true;
    double commit_seconds = 10;
};


// A one-line progress report on a terminal; silent when stderr is piped.
class Progress {
  public:
    Progress() : enabled_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()), last_(start_) {}
    void update(size_t variants, size_t added) {
        if (!enabled_ || seconds_since(last_) < 0.5) return;
        last_ = Clock::now();
        const double rate = static_cast<double>(variants) / std::max(1e-9, seconds_since(start_));
        std::fprintf(stderr, "\rembed: %zu variants, %zu new, %.0f variants/s   ", variants, added,
                     rate);
        std::fflush(stderr);
    }
    void done() {
        if (enabled_) std::fprintf(stderr, "\r%*s\r", 60, "");
    }

  private:
    bool enabled_;
    Clock::time_point start_, last_;
};

void run_embed(const EmbedArgs& a) {
    store::IndexKind kind;
    if (!store::parse_index_kind(a.index, kind))
        throw InputError("--index " + a.index, 0, "expected auto, flat, ivfpq or hnsw", kExitUsage);
    if (a.batch_size == 0) throw InputError("--batch-size", 0, "must be at least 1", kExitUsage);
    const auto start = Clock::now();

    vcf::ReaderOptions ropts = a.selection.reader_options();
    ropts.drop_genotypes = true;  // sites only: the vector store needs no genotypes
    ropts.allow_empty = true;
    vcf::VcfReader reader(a.file, ropts);
    vcf::VariantBatchReader batches(reader, /*with_genotypes=*/false);

    auto embedder = embed::make_embedder(a.embedder);
    store::VectorStoreOptions sopts;
    // Without --index an existing store keeps the kind it was built with.
    if (a.index_given) sopts.index = kind;
    auto vs = store::VectorStore::open_or_create(store::vectors_dir(a.db), embedder->info(), sopts);
    if (!vs->open_note().empty()) std::cerr << "vcf-agent: warning: " << vs->open_note() << "\n";
    if (embedder->needs_training())
        if (auto reducer = vs->reducer_file()) embedder->load_reducer(reducer->string());

    const std::string label =
        a.file == "-" ? std::string("<stdin>") : std::filesystem::absolute(a.file).string();
    const uint32_t source = vs->register_source(label);

    vcf::VariantBatch batch;
    std::vector<vcf::Variant> fresh;
    std::vector<float> vectors;
    size_t records = 0, variants = 0, added = 0;
    Progress progress;
    auto last_commit = Clock::now();
    while (batches.next(batch, a.batch_size)) {
        records += batch.records;
        variants += batch.variants.size();
        // Embed only what the store lacks: re-runs and overlapping files cost no embedding.
        fresh.clear();
        std::unordered_set<std::string> seen;
        for (auto& v : batch.variants)
            if (!vs->contains(v.key) && seen.insert(v.key).second) fresh.push_back(std::move(v));
        if (fresh.empty()) continue;
        if (embedder->needs_training()) {
            // PCA is fitted once, on the first batch, and kept with the store.
            embedder->train(fresh);
            if (const auto* reducer = embedder->reducer()) vs->set_reducer(*reducer);
        }
        vectors.resize(fresh.size() * static_cast<size_t>(vs->dimension()));
        embedder->embed(fresh, vectors.data());
        added += vs->add(fresh, vectors.data(), source);
        // Commits keep the store-wide batch id: it counts the graph's batches (see
        // DualStore), and advancing it here made the next ingest undo this embedding.
        if (seconds_since(last_commit) >= a.commit_seconds) {
            vs->commit();
            last_commit = Clock::now();
        }
        progress.update(variants, added);
    }
    progress.done();
    if (a.compact) vs->compact();
    vs->commit();

    const auto st = vs->stats();
    const double secs = seconds_since(start);
    std::fprintf(stderr,
                 "embed: %zu records, %zu variants, %zu added, %zu already present; store %s: "
                 "%zu variants, index %s, embedder %s; %.1f s (%.0f variants/s)\n",
                 records, variants, added, variants - added, vs->dir().string().c_str(), st.rows,
                 std::string(store::to_string(st.main_index)).c_str(),
                 store::describe_embedder(vs->embedder_info()).c_str(), secs,
                 static_cast<double>(variants) / std::max(secs, 1e-9));
    set_exit_code(kExitOk);
}

const CommandRegistration registration("embed", [](CLI::App& app) {
    auto a = std::make_shared<EmbedArgs>();
    CLI::App* cmd = app.add_subcommand(
        "embed", "Embed the variants of a VCF/BCF into the vector store (no graph)");
    cmd->add_option("FILE", a->file, "VCF/BCF file (plain, bgzip or BCF); '-' for stdin")
        ->required();
    add_db_option(*cmd, a->db);
    cmd->add_option("--embedder", a->embedder.kind, "builtin | ollama | openai")
        ->check(CLI::IsMember({"builtin", "ollama", "openai"}))
        ->capture_default_str();
    cmd->add_option("--model", a->embedder.model, "Embedding model (HTTP embedders)");
    cmd->add_option("--endpoint", a->embedder.endpoint,
                    "Embedding server base URL (env OLLAMA_HOST / OPENAI_BASE_URL)");
    cmd->add_option("--dimension", a->embedder.dimension,
                    "Embedding dimension (builtin 48-128, default 64; HTTP: reduce to this)");
    cmd->add_option("--reduction", a->embedder.reduction, "pca | truncate (HTTP embedders)")
        ->capture_default_str();
    auto* index =
        cmd->add_option("--index", a->index,
                        "ANN index: auto (flat below 50k rows, else IVF-PQ), flat, ivfpq, "
                        "hnsw; default: what the store has, auto for a new one")
            ->check(CLI::IsMember({"auto", "flat", "ivfpq", "hnsw"}));
    cmd->add_option("--batch-size", a->batch_size, "Records per batch")->capture_default_str();
    cmd->add_option("--commit-seconds", a->commit_seconds,
                    "Commit at most this often while embedding (and always at the end)")
        ->capture_default_str();
    cmd->add_flag("!--no-compact", a->compact,
                  "Leave new rows in the exact delta instead of merging them into the index");
    add_region_options(*cmd, a->selection);
    add_threads_option(*cmd, a->selection.threads);
    cmd->callback([a, index] {
        a->index_given = index->count() > 0;
        run_embed(*a);
    });
});

}  // namespace

}  // namespace vcfagent::cli
