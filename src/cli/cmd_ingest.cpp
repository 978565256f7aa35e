// vcf-agent ingest FILE... : load VCF/BCF files into the graph, then bring the variant index
// (derived from the graph) up to date.
#include <malloc.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "cli/progress_bar.hpp"
#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "common/process_memory.hpp"
#include "index/embedding_fill.hpp"
#include "index/store_embedder.hpp"
#include "index/variant_index.hpp"
#include "ingest/ingest_job.hpp"
#include "ingest/pedigree_load.hpp"
#include "vcf/pedigree.hpp"
#include "vcf/reader.hpp"

namespace vcfagent::cli {
namespace {

struct IngestArgs {
    std::vector<std::string> files;
    std::string db;
    InputSelection input;
    size_t batch_size = 0;   // 0: batches end at the graph's node-group boundaries
    size_t batch_calls = 0;  // 0: IngestOptions' default, or derived from --memory-limit-mb
    bool force = false;
    bool skip_invalid = false;
    bool no_genotypes = false;
    bool sync = false;
    bool no_vectors = false;
    uint64_t memory_limit_mb = 2048;  // 0: no budget
    embed::EmbedderConfig embedder;
    bool embedder_given = false;
    std::string genes;
    std::string ped;  // recorded on the samples once the files are in
    bool call_depths = false;
    uint64_t buffer_pool_mb = 0;  // 0: from the budget
    std::string format;
};

nlohmann::json report_json(const ingest::IngestReport& r) {
    return {
        {"file", r.path},
        {"source", r.source_id},
        {"already_loaded", r.skipped_already_loaded},
        {"resumed", r.resumed},
        {"records", r.records},
        {"variants", r.variants},
        {"new_variants", r.new_variants},
        {"new_edges", r.new_edges},
        {"new_gene_links", r.new_gene_links},
        {"batches", r.batches},
        {"skipped_invalid", r.records_skipped},
        {"seconds", r.seconds},
        {"stage_seconds",
         {{"read", r.read_seconds},
          {"graph_lookup", r.graph_lookup_seconds},
          {"graph_stage", r.graph_stage_seconds},
          {"graph_copy", r.graph_copy_seconds}}},
        {"peak_rss_mb", static_cast<double>(r.peak_rss_bytes) / (1 << 20)},
        {"batch_calls", r.final_batch_calls},
        {"variants_per_second", r.seconds > 0 ? static_cast<double>(r.variants) / r.seconds : 0.0}};
}

void print_report(const ingest::IngestReport& r, const std::string& format) {
    if (format == "json") {
        std::cout << report_json(r).dump() << "\n";
        return;
    }
    if (r.skipped_already_loaded) {
        std::cout << r.path << ": already loaded (source " << r.source_id.substr(0, 12)
                  << "); use --force to reload\n";
        return;
    }
    std::cout << r.path << ": " << r.records << " records, " << r.variants << " variants ("
              << r.new_variants << " new), " << r.new_edges << " genotype edges, "
              << r.new_gene_links << " gene links, " << r.batches << " batches in " << r.seconds
              << " s, peak RSS " << (r.peak_rss_bytes >> 20) << " MB";
    if (r.resumed) std::cout << " (resumed an interrupted load)";
    if (r.records_skipped) std::cout << "; skipped " << r.records_skipped << " invalid records";
    std::cout << "\n";
}

int run(const IngestArgs& a) {
    // A bad PED fails before any file is loaded.
    if (!a.ped.empty()) vcf::read_pedigree(a.ped);
    store::GraphStoreOptions gopt;
    gopt.threads = std::max(1, a.input.threads);
    ingest::IngestOptions opt;
    opt.reader = a.input.reader_options();
    opt.reader.skip_invalid = a.skip_invalid;
    opt.with_genotypes = !a.no_genotypes;
    // A pedigree asks for family analysis, whose thresholds read every sample's depths.
    opt.call_depths = a.call_depths || !a.ped.empty();
    opt.batch_records = a.batch_size;
    opt.force = a.force;
    opt.genes_file = a.genes;
    opt.sync = a.sync;
    // Budget split: a quarter for the graph buffer pool, which must hold one batch's whole COPY
    // of genotype edges (GraphStore::max_batch_calls), and at most 1,000 calls per MB of budget.
    // Chunks in memory are bounded apart from it (IngestOptions::chunk_calls). ingest_file
    // halves the batches whenever RSS nears the budget.
    // Per-sample depths make each batch's call vectors several times larger: a node group's
    // worth overflowed a 256 MB pool at the checkpoint (1M x 100 with DP and GQ), so they
    // get up to 512 MB.
    // Kuzu also checkpoints a node group of variants (131,072) with all its genotype edges in
    // the pool, and the edges per variant grow with the samples: measured on 2,500 samples
    // (~230 carriers per variant), 256 MB held a group of ~5 million edges, 1,536 MB ~15
    // million. Files of more than 1,000 samples get up to half the budget.
    size_t widest = 0;
    if (opt.with_genotypes)
        for (const auto& f : a.files)
            if (f != "-") widest = std::max(widest, vcf::VcfReader(f, opt.reader).samples().size());
    const bool wide = widest > 1000;
    const uint64_t pool_max = opt.call_depths ? 512 : 256;
    if (a.memory_limit_mb == 0)
        gopt.buffer_pool_mb = wide ? 2048 : pool_max;
    else if (wide)
        gopt.buffer_pool_mb = std::max<uint64_t>(a.memory_limit_mb / 2, 96);
    else
        gopt.buffer_pool_mb = std::clamp<uint64_t>(a.memory_limit_mb / 4, 96, pool_max);
    if (a.buffer_pool_mb > 0) gopt.buffer_pool_mb = a.buffer_pool_mb;
    opt.batch_calls = store::GraphStore::max_batch_calls(gopt.buffer_pool_mb);
    if (a.memory_limit_mb > 0) {
        opt.batch_calls =
            std::min<size_t>(opt.batch_calls, std::max<size_t>(a.memory_limit_mb * 1000, 20000));
        opt.memory_limit_bytes = a.memory_limit_mb << 20;
    }
    if (a.batch_calls > 0) opt.batch_calls = a.batch_calls;
    // Kuzu's COPY allocates and frees blocks of a few hundred KB by the thousand. Above this
    // size they are mapped and returned to the system when freed, instead of fragmenting the
    // heap (glibc's adaptive threshold would climb past them): 1M x 100 peak RSS 637 -> 545 MB.
    mallopt(M_MMAP_THRESHOLD, 256 << 10);
    std::optional<store::GraphStore> store;
    store::GraphStore& graph = store.emplace(a.db, gopt);
    if (!graph.open_note().empty()) std::cerr << "vcf-agent: " << graph.open_note() << "\n";
    // The store's embedder is settled before loading: a different one fails now, not after.
    std::unique_ptr<embed::Embedder> embedder;
    if (!a.no_vectors) embedder = index::open_store_embedder(graph, a.embedder, a.embedder_given);
    // A first index is made from the loads' own variants while they load (see
    // index/load_feed.hpp). Declared after the store: it stops before the store closes. Its
    // rows grow with the input and sit beside the load's buffer pool, so they may take an
    // eighth of the budget; past that the index is built from the graph after the load, once
    // the pool has been given back.
    std::optional<index::LoadFeed> feed;
    if (embedder && index::LoadFeed::worth_feeding(graph, *embedder)) {
        feed.emplace(graph, *embedder, (a.memory_limit_mb << 20) / 8);
        opt.staged_chunks = [&feed](std::unique_ptr<vcf::VariantBatch> chunk,
                                    std::vector<size_t> new_at, uint32_t source) {
            feed->add(std::move(chunk), std::move(new_at), source);
        };
    }
    for (const auto& f : a.files) {
        ProgressBar bar("ingest " + f);
        ingest::IngestReport partial;
        try {
            auto r = ingest::ingest_file(
                graph, f, opt, [&](int64_t n, int64_t b, int64_t t) { bar.update(n, b, t); },
                &partial);
            bar.finish();
            print_report(r, a.format);
            if (a.memory_limit_mb > 0 && (r.peak_rss_bytes >> 20) > a.memory_limit_mb)
                std::cerr
                    << "vcf-agent: peak RSS " << (r.peak_rss_bytes >> 20)
                    << " MB exceeded --memory-limit-mb " << a.memory_limit_mb
                    << " (batches shrank to " << r.final_batch_calls
                    << " genotype calls; the graph engine's own memory grows with the store)\n";
        } catch (const InputError&) {
            bar.finish();
            std::cerr << "vcf-agent: " << f << ": " << partial.batches << " batches ("
                      << partial.records
                      << " records) were committed before the error; the failing batch left "
                         "nothing behind\n";
            throw;
        }
    }
    if (!a.ped.empty()) {
        const auto report = ingest::load_pedigree_file(graph, a.ped);
        for (const auto& w : ingest::pedigree_warnings(report))
            std::cerr << "vcf-agent: warning: " << w << "\n";
        if (a.format != "json")
            std::cout << a.ped << ": " << report.stored << " of " << report.members
                      << " PED samples recorded\n";
    }
    if (embedder) {
        // Model embeddings of the new rows are computed and stored first; the index then
        // reads them (builtin vectors are computed from the rows as the index reads them).
        const auto fill = index::fill_embeddings(graph, *embedder);
        const auto t_index = std::chrono::steady_clock::now();
        std::unique_ptr<index::FedRows> fed;
        if (feed) {
            fed = feed->finish();
            if (!fed)
                std::cerr << "vcf-agent: the index's rows were not made during the load ("
                          << feed->error() << "); building the index from the graph\n";
            feed.reset();
        }
        // The store is reopened with the index build's small pool (the load's is given back).
        store.reset();
        store::GraphStoreOptions read_options = gopt;
        read_options.buffer_pool_mb = index::kIndexBuildBufferPoolMb;
        store::GraphStore& indexed = store.emplace(a.db, read_options);
        index::IndexOptions index_options;
        index_options.build_threads = 0;  // the load is over: the cores are the index's
        index::VariantIndex variant_index(indexed, std::move(embedder), index_options,
                                          std::move(fed));
        const double index_seconds = seconds_since(t_index);
        const auto stats = variant_index.stats();
        if (!variant_index.open_note().empty())
            std::cerr << "vcf-agent: " << variant_index.open_note() << "\n";
        // On stderr, beside the progress: stdout keeps one report per file.
        std::cerr << "index: " << stats.rows << " variants (" << index::to_string(stats.kind)
                  << ", " << stats.embedder << (stats.from_load ? ", made during the load" : "")
                  << ") up to date in " << index_seconds << " s, peak RSS "
                  << (peak_rss_bytes() >> 20) << " MB";
        if (fill.embedded) std::cerr << "; " << fill.embedded << " model embeddings stored";
        std::cerr << "\n";
    }
    return kExitOk;
}

const CommandRegistration registration("ingest", [](CLI::App& app) {
    auto args = std::make_shared<IngestArgs>();
    auto* cmd = app.add_subcommand("ingest", "Load VCF/BCF files into the store");
    cmd->add_option("files", args->files, "VCF/BCF files ('-' for stdin)")->required();
    add_db_option(*cmd, args->db);
    add_region_options(*cmd, args->input);
    add_sample_options(*cmd, args->input);
    add_threads_option(*cmd, args->input.threads);
    add_output_format_option(*cmd, args->format, {"text", "json"});
    cmd->add_option("--batch-size", args->batch_size,
                    "At most this many source records per batch (one transaction; default: a "
                    "batch fills the graph's current node group of 131,072 variants)")
        ->check(CLI::Range(1, 100000000));
    cmd->add_option("--batch-calls", args->batch_calls,
                    "Also end a batch at about this many genotype calls (default: 7000 per MB of "
                    "buffer pool above 60 MB, at most 1000 per MB of --memory-limit-mb); larger "
                    "batches load faster and need a larger --buffer-pool-mb (README: Measured)")
        ->check(CLI::Range(1000, 100000000));
    cmd->add_flag("--force", args->force, "Reload a file that was already loaded (no duplicates)");
    cmd->add_flag("--skip-invalid", args->skip_invalid,
                  "Skip malformed records instead of failing");
    cmd->add_flag("--sync", args->sync, "Run the stages one after another (fallback path)");
    cmd->add_flag("--no-vectors", args->no_vectors,
                  "Load the graph only; the variant index catches up at its next use");
    cmd->add_option("--memory-limit-mb", args->memory_limit_mb,
                    "Memory budget (0: none): sizes batches and the graph buffer pool, and halves "
                    "later batches whenever RSS nears it")
        ->capture_default_str();
    auto* embedder_kind =
        cmd->add_option("--embedder", args->embedder.kind,
                        "builtin | ollama | openai (default: the store's; builtin for a new one)");
    cmd->add_option("--model", args->embedder.model, "Embedding model (HTTP embedders)");
    cmd->add_option("--endpoint", args->embedder.endpoint, "Embedding server base URL");
    cmd->add_flag("--no-genotypes", args->no_genotypes,
                  "Load sites only (no samples, no CarriedBy edges)");
    cmd->add_option("--genes", args->genes,
                    "GTF/GFF3/BED gene intervals for files without annotations");
    cmd->add_option("--ped", args->ped,
                    "PED file to record on the samples once the files are loaded (as `ped load`); "
                    "implies --call-depths");
    cmd->add_flag(
        "--call-depths", args->call_depths,
        "Keep every sample's DP/GQ/AD in the call vectors, for the GQ/DP/allele-balance "
        "thresholds of `family` and `query genotype` (slower ingest, larger buffer pool)");
    cmd->add_option("--buffer-pool-mb", args->buffer_pool_mb,
                    "Graph database buffer pool size (default: a quarter of the memory budget, "
                    "96-256 MB; up to 512 MB with --call-depths; half the budget for files of "
                    "more than 1,000 samples)")
        ->check(CLI::Range(16, 1 << 20));
    cmd->callback([args, embedder_kind] {
        args->embedder_given = embedder_kind->count() > 0;
        set_exit_code(run(*args));
    });
});

}  // namespace
}  // namespace vcfagent::cli
