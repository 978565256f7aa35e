#pragma once
// Variants as the graph holds them, read back for what is derived from them: the variant
// index's vectors and filter columns, and model embeddings computed after the load. Each is
// rebuilt into a vcf::VariantSite with its InGene edges as annotations (consequence, impact,
// gene; in the order they were loaded), so the builtin embedder and the filter columns see
// exactly what `query` sees.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "store/graph_store.hpp"
#include "vcf/variant.hpp"

namespace vcfagent::index {

struct StoredVariant {
    vcf::Variant variant;  // site fields and annotations; no calls
    uint32_t source = 0;   // Source.num of the load that added it
    uint64_t batch = 0;    // the batch that added it
    std::string emb;       // stored model embedding text ("" when none: Variant.emb is NULL)
    // QUAL and INFO/AF as the row's DOUBLE columns hold them (variant.qual and .af are floats;
    // NaN: NULL), and Variant.carriers.
    double qual = std::numeric_limits<double>::quiet_NaN();
    double af = std::numeric_limits<double>::quiet_NaN();
    int64_t carriers = 0;
};

// At most `limit` variants whose rows satisfy `where` (a Cypher predicate on `v`, with
// literals, so Kuzu can skip node groups by their zone maps), in the store's row order, with
// their annotations.
std::vector<StoredVariant> read_stored_variants(store::GraphStore& graph, const std::string& where,
                                                size_t limit);

// Hands the variants whose rows satisfy `where` to `chunk`, at most `chunk_rows` at a time, in
// position order (by windows of loci; the store's row order within one), with their annotations:
// memory holds one chunk (and a window's annotations), however many rows match.
void for_each_stored_variant(store::GraphStore& graph, const std::string& where, size_t chunk_rows,
                             const std::function<void(std::vector<StoredVariant>&)>& chunk);

// A variant of a load as the graph returns it once its new row has committed: the columns a
// Variant row keeps and its InGene edges (store::gene_links), so what is derived from it (a
// vector, filter columns) equals what is derived from the row read back. `batch` stays 0: the
// batch is numbered when it commits.
StoredVariant stored_form(const vcf::Variant& v, uint32_t source);

// The stored variant with this key, if any.
std::optional<StoredVariant> read_stored_variant(store::GraphStore& graph, const std::string& key);

}  // namespace vcfagent::index
