// vcf-agent embed --db DIR [--embedder ...]: computes the vectors of the variants a store
// already holds, with the store's embedder or (when one is named that differs) with another,
// which then becomes the store's. Model embeddings are stored with the rows; the variant index
// is rebuilt from them (builtin vectors are computed from the rows as the index reads them).
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "common/text_join.hpp"
#include "embed/embedder.hpp"
#include "index/embedding_fill.hpp"
#include "index/store_embedder.hpp"
#include "index/variant_index.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::cli {

namespace {

struct EmbedArgs {
    std::string db;
    embed::EmbedderConfig embedder;
    bool embedder_given = false;
    std::string index = "auto";
};

// The index kinds as "auto, flat, …<last> X" (X: the separator before the last one).
std::string kind_list(const std::string& last) {
    auto names = index::index_kind_names();
    const std::string tail = names.back();
    names.pop_back();
    return join(names, ", ") + last + tail;
}

void run_embed(const EmbedArgs& a) {
    index::IndexOptions options;
    options.build_threads = 0;  // nothing else runs in this process
    if (!index::parse_index_kind(a.index, options.kind))
        throw InputError("--index " + a.index, 0, "expected " + kind_list(" or "), kExitUsage);
    if (!std::filesystem::exists(std::filesystem::path(a.db) / "graph.kz"))
        throw InputError(a.db, 0, "no store here (run `vcf-agent ingest` first)", kExitUsage);
    const auto start = std::chrono::steady_clock::now();
    std::optional<store::GraphStore> store;
    store::GraphStore& graph = store.emplace(a.db);
    std::unique_ptr<embed::Embedder> embedder;
    const auto recorded = index::recorded_embedder(graph);
    if (a.embedder_given) {
        embedder = embed::make_embedder(a.embedder);
        if (recorded && !(*recorded == embedder->info())) {
            std::cerr << "vcf-agent: switching " << a.db << " from " << recorded->to_string()
                      << " to " << embedder->info().to_string() << "\n";
            graph.clear_embeddings();
        }
    } else {
        embedder = index::open_store_embedder(graph, a.embedder, false);
    }
    const auto fill = index::fill_embeddings(graph, *embedder);
    // The store is reopened with the index build's small pool (the embeddings' writes used
    // the default one).
    store.reset();
    store::GraphStoreOptions read_options;
    read_options.buffer_pool_mb = index::kIndexBuildBufferPoolMb;
    store::GraphStore& indexed = store.emplace(a.db, read_options);
    index::VariantIndex variant_index(
        indexed, index::open_store_embedder(indexed, a.embedder, false), options);
    const auto st = variant_index.stats();
    std::fprintf(stderr,
                 "embed: %zu variants embedded and stored; index of %zu variants (%s, %s); "
                 "%.1f s\n",
                 fill.embedded, st.rows, std::string(index::to_string(st.kind)).c_str(),
                 st.embedder.c_str(), seconds_since(start));
    set_exit_code(kExitOk);
}

const CommandRegistration registration("embed", [](CLI::App& app) {
    auto a = std::make_shared<EmbedArgs>();
    CLI::App* cmd = app.add_subcommand(
        "embed", "Compute the vectors of a store's variants (another embedder, or the index)");
    add_db_option(*cmd, a->db);
    auto* kind = cmd->add_option("--embedder", a->embedder.kind, "builtin | ollama | openai")
                     ->check(CLI::IsMember({"builtin", "ollama", "openai"}));
    cmd->add_option("--model", a->embedder.model, "Embedding model (HTTP embedders)");
    cmd->add_option("--endpoint", a->embedder.endpoint,
                    "Embedding server base URL (env OLLAMA_HOST / OPENAI_BASE_URL)");
    cmd->add_option("--dimension", a->embedder.dimension,
                    "Embedding dimension (builtin 48-128, default 64; HTTP: reduce to this)");
    cmd->add_option("--reduction", a->embedder.reduction, "pca | truncate (HTTP embedders)")
        ->capture_default_str();
    cmd->add_option("--index", a->index,
                    "ANN index: " + kind_list(", ") +
                        " (auto: exact flat below 50,000 variants, else IVF-SQ8)")
        ->check(CLI::IsMember(index::index_kind_names()))
        ->capture_default_str();
    cmd->callback([a, kind] {
        a->embedder_given = kind->count() > 0;
        run_embed(*a);
    });
});

}  // namespace

}  // namespace vcfagent::cli
