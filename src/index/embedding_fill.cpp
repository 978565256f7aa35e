#include "index/embedding_fill.hpp"

#include <chrono>

#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "embed/stored_embedding.hpp"
#include "index/store_embedder.hpp"
#include "index/stored_variants.hpp"

namespace vcfagent::index {

FillReport fill_embeddings(store::GraphStore& graph, embed::Embedder& embedder, size_t page_rows) {
    const auto t0 = std::chrono::steady_clock::now();
    FillReport report;
    if (embedder.info().kind == "builtin") {
        record_store_embedder(graph, embedder);
        return report;
    }
    bool recorded = false;
    std::string previous_first;
    std::vector<vcf::Variant> variants;
    std::vector<float> vectors;
    for (;;) {
        auto page = read_stored_variants(graph, "v.emb IS NULL", page_rows);
        if (page.empty()) break;
        if (page.front().variant.key == previous_first)
            throw StoreError("storing embeddings in " + graph.dir().string() +
                             " did not take effect (variant " + previous_first + ")");
        previous_first = page.front().variant.key;
        variants.clear();
        for (auto& s : page) variants.push_back(std::move(s.variant));
        if (!recorded) {
            if (embedder.needs_training()) embedder.train(variants);
            record_store_embedder(graph, embedder);
            recorded = true;
        }
        const auto dim = static_cast<size_t>(embedder.dimension());
        vectors.resize(variants.size() * dim);
        embedder.embed(variants, vectors.data());
        std::vector<std::pair<std::string, std::string>> rows;
        rows.reserve(variants.size());
        for (size_t i = 0; i < variants.size(); ++i)
            rows.emplace_back(variants[i].key, embed::encode_embedding(std::span<const float>(
                                                   vectors.data() + i * dim, dim)));
        graph.write_embeddings(rows);
        report.embedded += rows.size();
    }
    if (!recorded) record_store_embedder(graph, embedder);
    report.seconds = seconds_since(t0);
    return report;
}

}  // namespace vcfagent::index
