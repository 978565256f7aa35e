#pragma once
// The embedder that defines a store's vectors: one per store, recorded in the graph's Meta
// the first time vectors are made (with a PCA reducer's parameters when it has one), so every
// later ingest, search and index rebuild embeds the same way. Another embedder needs
// `embed --db DIR --embedder ...`, which re-embeds the whole store.
#include <memory>

#include "embed/embedder.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::index {

// The store's embedder: the recorded one, configured from `requested` for what is not
// recorded (endpoint, key, timeouts), or `requested` itself when the store records none.
// When `requested_given` (the user named an embedder) and it differs from the recorded one,
// throws StoreError naming both.
std::unique_ptr<embed::Embedder> open_store_embedder(store::GraphStore& graph,
                                                     const embed::EmbedderConfig& requested,
                                                     bool requested_given);

// The recorded embedder's identity, if any.
std::optional<embed::EmbedderInfo> recorded_embedder(store::GraphStore& graph);

// Records `embedder` (and its trained reducer) as the store's (a writer's store).
void record_store_embedder(store::GraphStore& graph, const embed::Embedder& embedder);

}  // namespace vcfagent::index
