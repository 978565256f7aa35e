#pragma once
// What a tool handler may reach: the store, opened read-only on first use, the directory files
// may be read from, and the limits every result obeys. One context is shared by the calls of
// one session (a CLI run, an agent conversation, an MCP connection), possibly concurrently.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>

#include "common/mutex.hpp"

namespace vcfagent::store {
class GraphStore;
}  // namespace vcfagent::store
namespace vcfagent::index {
class VariantIndex;
}  // namespace vcfagent::index

namespace vcfagent::tools {

struct ToolLimits {
    size_t default_rows = 50;                            // rows returned when a call names no limit
    size_t max_rows = 500;                               // the most rows any call may ask for
    std::chrono::milliseconds statement_timeout{30000};  // each Cypher statement (Kuzu timeout)
    // Bytes the variant index's genotype codes may take (index::IndexOptions::max_call_bytes;
    // unset: its default). Past them genotype filters run in the graph.
    std::optional<size_t> index_code_bytes;
};

class ToolContext {
  public:
    // `data_dir`: the only directory validate_file / file_stats may read below (empty: none).
    ToolContext(std::filesystem::path db, std::filesystem::path data_dir, ToolLimits limits = {});
    // Borrows a graph someone else opened (the server, when it also ingests: Kuzu allows no
    // read-only handle beside its writer). Writes stay refused by the read-only query path.
    ToolContext(store::GraphStore& graph, std::filesystem::path data_dir, ToolLimits limits = {});
    ~ToolContext();
    ToolContext(const ToolContext&) = delete;
    ToolContext& operator=(const ToolContext&) = delete;

    // The graph store opened read-only (Kuzu's read-only mode); opened on first use.
    store::GraphStore& graph();
    // The variant index of the store, opened (loaded, caught up) on first use with the
    // store's embedder.
    index::VariantIndex& variant_index();
    // The variant index if it is open already (nullptr otherwise: a one-off question does
    // not open, and perhaps build, it).
    index::VariantIndex* opened_index();
    // Brings an opened variant index up to date with the graph (after a load).
    void refresh_index();

    const std::filesystem::path& db() const { return db_; }
    const ToolLimits& limits() const { return limits_; }
    // `path` resolved below data_dir; throws ToolError when it is outside or data_dir is empty.
    std::filesystem::path allowed_file(const std::string& path) const;
    // The row cap for a call that asked for `requested` (0: the default), within max_rows.
    size_t row_cap(size_t requested) const;

  private:
    const std::filesystem::path db_;
    const std::filesystem::path data_dir_;
    const ToolLimits limits_;
    // Guards graph_ and index_ while they are opened (the pointers; once opened, the objects
    // are used without it).
    Mutex open_mutex_;
    std::unique_ptr<store::GraphStore> graph_ GUARDED_BY(open_mutex_);
    std::unique_ptr<index::VariantIndex> index_ GUARDED_BY(open_mutex_);
    store::GraphStore* const borrowed_graph_ = nullptr;
};

}  // namespace vcfagent::tools
