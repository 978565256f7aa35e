#include "index/store_embedder.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.hpp"
#include "embed/dimension_reducer.hpp"
#include "embed/stored_embedding.hpp"

namespace vcfagent::index {

namespace {
constexpr const char* kEmbedderKey = "embedder";
constexpr const char* kReducerKey = "embedder_reducer";

// A file in the system's temporary directory, removed with this object.
struct TempFile {
    std::filesystem::path path;
    explicit TempFile(const std::string& stem)
        : path(std::filesystem::temp_directory_path() /
               (stem + "-" + std::to_string(::getpid()) + "-" +
                std::to_string(reinterpret_cast<uintptr_t>(this)))) {}
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
};
}  // namespace

std::optional<embed::EmbedderInfo> recorded_embedder(store::GraphStore& graph) {
    const auto text = graph.meta(kEmbedderKey);
    if (!text) return std::nullopt;
    const auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw StoreError("store " + graph.dir().string() + ": unreadable embedder record");
    embed::EmbedderInfo info;
    info.kind = j.value("kind", "");
    info.model = j.value("model", "");
    info.dimension = j.value("dimension", 0);
    info.reduction = j.value("reduction", "");
    return info;
}

std::unique_ptr<embed::Embedder> open_store_embedder(store::GraphStore& graph,
                                                     const embed::EmbedderConfig& requested,
                                                     bool requested_given) {
    const auto recorded = recorded_embedder(graph);
    if (!recorded) return embed::make_embedder(requested);
    embed::EmbedderConfig config = requested;
    config.kind = recorded->kind;
    config.model = recorded->model;
    // Without a reduction the model's natural size is the store's: asking for it (dimension 0)
    // keeps a reducer out of the way.
    config.dimension = recorded->reduction.empty() ? 0 : recorded->dimension;
    if (!recorded->reduction.empty()) config.reduction = recorded->reduction;
    auto embedder = embed::make_embedder(config);
    if (requested_given) {
        const auto asked = embed::make_embedder(requested)->info();
        if (!(asked == *recorded))
            throw StoreError("store " + graph.dir().string() + " holds vectors of " +
                             recorded->to_string() + ", not " + asked.to_string() +
                             "; re-embed it with `vcf-agent embed --db " + graph.dir().string() +
                             " --embedder ...` to switch");
    }
    if (embedder->needs_training()) {
        const auto reducer = graph.meta(kReducerKey);
        if (!reducer)
            throw StoreError("store " + graph.dir().string() + " records " + recorded->to_string() +
                             " but not its trained reducer");
        TempFile file("vcf-agent-reducer");
        std::ofstream(file.path, std::ios::binary) << embed::base64_decode(*reducer);
        embedder->load_reducer(file.path.string());
    }
    return embedder;
}

void record_store_embedder(store::GraphStore& graph, const embed::Embedder& embedder) {
    const auto info = embedder.info();
    if (const auto* reducer = embedder.reducer()) {
        TempFile file("vcf-agent-reducer");
        reducer->save(file.path.string());
        std::ifstream in(file.path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        graph.set_meta(kReducerKey, embed::base64_encode(bytes));
    }
    graph.set_meta(kEmbedderKey, nlohmann::json{{"kind", info.kind},
                                                {"model", info.model},
                                                {"dimension", info.dimension},
                                                {"reduction", info.reduction}}
                                     .dump());
}

}  // namespace vcfagent::index
