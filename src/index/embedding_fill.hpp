#pragma once
// Model embeddings for the variants a store holds: computed for every Variant row that has
// none (after a load with a model embedder, or after `embed --db` switched the store to another
// model) and stored with the row, page by page, one transaction per page. The variant index
// then reads them like any other column. Builtin embeddings are never stored (see
// embed/stored_embedding.hpp), so there is nothing to fill for them.
#include <cstddef>

#include "embed/embedder.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::index {

struct FillReport {
    size_t embedded = 0;
    double seconds = 0;
};

// Also records the embedder as the store's, training its reducer on the first page when it
// needs one.
FillReport fill_embeddings(store::GraphStore& graph, embed::Embedder& embedder,
                           size_t page_rows = 4096);

}  // namespace vcfagent::index
