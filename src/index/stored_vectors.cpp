#include "index/stored_vectors.hpp"

#include <span>

#include "common/error.hpp"
#include "embed/stored_embedding.hpp"

namespace vcfagent::index {

void stored_vectors(embed::Embedder& embedder, const embed::EmbedderInfo& identity,
                    std::vector<StoredVariant>& chunk, float* out) {
    const int dim = identity.dimension;
    if (identity.kind != "builtin") {
        for (size_t i = 0; i < chunk.size(); ++i)
            if (!embed::decode_embedding(chunk[i].emb, std::span<float>(out + i * dim, dim)))
                throw StoreError("variant " + chunk[i].variant.key +
                                 " has no stored embedding of the store's size");
        return;
    }
    std::vector<vcf::Variant> variants;
    variants.reserve(chunk.size());
    for (auto& sv : chunk) variants.push_back(std::move(sv.variant));
    embedder.embed(variants, out);
    for (size_t i = 0; i < chunk.size(); ++i) chunk[i].variant = std::move(variants[i]);
}

}  // namespace vcfagent::index
