#include "tools/tool_context.hpp"

#include "index/store_embedder.hpp"
#include "index/variant_index.hpp"
#include "store/graph_store.hpp"
#include "tools/tool_registry.hpp"

namespace vcfagent::tools {

ToolContext::ToolContext(std::filesystem::path db, std::filesystem::path data_dir,
                         ToolLimits limits)
    : db_(std::move(db)), data_dir_(std::move(data_dir)), limits_(limits) {}

ToolContext::ToolContext(store::GraphStore& graph, std::filesystem::path data_dir,
                         ToolLimits limits)
    : db_(graph.dir()), data_dir_(std::move(data_dir)), limits_(limits), borrowed_graph_(&graph) {}

ToolContext::~ToolContext() = default;

store::GraphStore& ToolContext::graph() {
    if (borrowed_graph_) return *borrowed_graph_;
    MutexLock lock(open_mutex_);
    if (!graph_) {
        store::GraphStoreOptions options;
        options.read_only = true;  // Kuzu itself refuses every write on this database
        graph_ = std::make_unique<store::GraphStore>(db_, options);
    }
    return *graph_;
}

index::VariantIndex& ToolContext::variant_index() {
    store::GraphStore& g = graph();
    MutexLock lock(open_mutex_);
    if (!index_) {
        index::IndexOptions options;
        if (limits_.index_code_bytes) options.max_call_bytes = *limits_.index_code_bytes;
        index_ = std::make_unique<index::VariantIndex>(
            g, index::open_store_embedder(g, embed::EmbedderConfig{}, false), options);
    }
    return *index_;
}

index::VariantIndex* ToolContext::opened_index() {
    MutexLock lock(open_mutex_);
    return index_.get();
}

void ToolContext::refresh_index() {
    if (index::VariantIndex* opened = opened_index()) opened->catch_up();
}

std::filesystem::path ToolContext::allowed_file(const std::string& path) const {
    if (data_dir_.empty())
        throw ToolError(
            "no data directory is configured, so no file can be read (start with --data-dir DIR)");
    std::error_code ec;
    const auto root = std::filesystem::weakly_canonical(data_dir_, ec);
    const std::filesystem::path given(path);
    // Relative paths are relative to the data directory; symlinks are resolved before the
    // check so a link inside the directory cannot lead outside it.
    const auto full =
        std::filesystem::weakly_canonical(given.is_absolute() ? given : root / given, ec);
    const auto rel = full.lexically_relative(root);
    if (ec || rel.empty() || *rel.begin() == "..")
        throw ToolError("'" + path + "' is outside the data directory; only files below " +
                        data_dir_.string() + " may be read");
    if (!std::filesystem::is_regular_file(full))
        throw ToolError("no file '" + path + "' in the data directory");
    return full;
}

size_t ToolContext::row_cap(size_t requested) const {
    if (requested == 0) return limits_.default_rows;
    return std::min(requested, limits_.max_rows);
}

}  // namespace vcfagent::tools
