#pragma once
// The vector of a stored variant, the one definition every index row is made by: computed by
// the builtin embedder from the row's columns and InGene annotations, or decoded from the model
// embedding stored with the row (Variant.emb).
#include <vector>

#include "embed/embedder.hpp"
#include "index/stored_variants.hpp"

namespace vcfagent::index {

// Writes chunk.size() vectors of identity.dimension floats to out. `identity` is the store's
// embedder (index::recorded_embedder) and `embedder` one made for it. Throws StoreError naming
// a variant whose stored embedding is missing or of another size.
void stored_vectors(embed::Embedder& embedder, const embed::EmbedderInfo& identity,
                    std::vector<StoredVariant>& chunk, float* out);

}  // namespace vcfagent::index
