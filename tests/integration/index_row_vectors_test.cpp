// A search "like" a stored variant takes its query vector from the variant index's own row
// (VariantIndex::vector_of), without a graph statement: for every row of a store that vector
// must be the one the graph row gives (bit for bit in a flat index; within the 8-bit codes'
// step in IVF-SQ8), a variant committed after the index's last catch-up must still be found
// (from the graph), and a key the store does not hold must not.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "embed/embedder.hpp"
#include "index/stored_variants.hpp"
#include "index/stored_vectors.hpp"
#include "index/variant_index.hpp"
#include "ingest/ingest_job.hpp"
#include "store/graph_store.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

// Every Variant row of `graph` and the vector the graph row gives it.
struct GraphRows {
    std::vector<std::string> keys;
    std::vector<float> vectors;  // row-major, `dim` floats each
    int dim = 0;
};

GraphRows graph_rows(store::GraphStore& graph) {
    auto embedder = embed::make_embedder({});
    GraphRows out;
    out.dim = embedder->info().dimension;
    index::for_each_stored_variant(
        graph, "true", 4096, [&](std::vector<index::StoredVariant>& chunk) {
            const size_t at = out.vectors.size();
            out.vectors.resize(at + chunk.size() * static_cast<size_t>(out.dim));
            index::stored_vectors(*embedder, embedder->info(), chunk, out.vectors.data() + at);
            for (const auto& sv : chunk) out.keys.push_back(sv.variant.key);
        });
    return out;
}

void load(store::GraphStore& graph, const std::string& file) {
    ingest::IngestOptions opt;
    opt.batch_records = 4000;
    ingest::ingest_file(graph, file, opt, {});
}

TEST(IndexRowVectors, AFlatIndexGivesEveryRowsGraphVectorExactly) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    load(graph, data_path("chr22.vcf.gz"));
    load(graph, data_path("structural.vcf"));
    const GraphRows rows = graph_rows(graph);
    ASSERT_GT(rows.keys.size(), 10000u);

    index::IndexOptions options;
    options.kind = index::IndexKind::Flat;
    index::VariantIndex variant_index(graph, embed::make_embedder({}), options);
    ASSERT_EQ(variant_index.size(), rows.keys.size());
    size_t differing = 0;
    for (size_t r = 0; r < rows.keys.size(); ++r) {
        const auto v = variant_index.vector_of(rows.keys[r]);
        ASSERT_TRUE(v) << rows.keys[r];
        ASSERT_EQ(v->size(), static_cast<size_t>(rows.dim));
        differing += std::memcmp(v->data(), rows.vectors.data() + r * rows.dim,
                                 sizeof(float) * rows.dim) != 0;
    }
    EXPECT_EQ(differing, 0u);
    EXPECT_FALSE(variant_index.vector_of("22:1:A:G"));
    EXPECT_FALSE(variant_index.vector_of(rows.keys[0] + "A"));
}

TEST(IndexRowVectors, AnInvertedFileOfCodesGivesTheRowAsItHoldsIt) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    load(graph, data_path("chr22.vcf.gz"));
    const GraphRows rows = graph_rows(graph);

    index::IndexOptions options;
    options.kind = index::IndexKind::IvfSq8;
    index::VariantIndex variant_index(graph, embed::make_embedder({}), options);
    ASSERT_EQ(variant_index.stats().kind, index::IndexKind::IvfSq8);
    index::SearchTuning all_lists;
    all_lists.nprobe = variant_index.stats().nlist;
    size_t self_first = 0, checked = 0, shared = 0, compared = 0;
    double worst = 0;
    for (size_t r = 0; r < rows.keys.size(); r += 7, ++checked) {
        const auto v = variant_index.vector_of(rows.keys[r]);
        ASSERT_TRUE(v) << rows.keys[r];
        double d2 = 0;
        for (int i = 0; i < rows.dim; ++i) {
            const double d = (*v)[i] - rows.vectors[r * rows.dim + i];
            d2 += d * d;
        }
        worst = std::max(worst, d2);
        // Decoded codes are the row's own point in the index: it is at distance 0 from itself
        // (up to the rounding of the residual to its list's centroid), or ties with a variant
        // of the same codes.
        const auto hits = variant_index.search(*v, 10, {}, all_lists);
        ASSERT_EQ(hits.size(), 10u);
        EXPECT_LT(hits[0].distance, 1e-9f) << rows.keys[r];
        self_first += hits[0].key == rows.keys[r];
        // The neighbours of the decoded row are those of the graph row's exact vector.
        const std::span<const float> exact(rows.vectors.data() + r * rows.dim,
                                           static_cast<size_t>(rows.dim));
        const auto exact_hits = variant_index.search(exact, 10, {}, all_lists);
        for (const auto& h : hits)
            for (const auto& e : exact_hits) shared += h.key == e.key;
        compared += exact_hits.size();
    }
    // Not the graph row's vector bit for bit (codes of 256 steps per dimension, over the
    // residual ranges the training saw), but with the same neighbours.
    EXPECT_GT(worst, 0.0);
    std::printf("worst squared distance %g, shared neighbours %zu of %zu\n", worst, shared,
                compared);
    EXPECT_GT(self_first, checked * 9 / 10);
    EXPECT_GT(static_cast<double>(shared) / static_cast<double>(compared), 0.95)
        << shared << " of " << compared;
}

TEST(IndexRowVectors, AVariantCommittedAfterTheCatchUpComesFromTheGraph) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    load(graph, data_path("chr22.vcf.gz"));
    index::VariantIndex variant_index(graph, embed::make_embedder({}), {});
    const size_t before = variant_index.size();
    load(graph, data_path("structural.vcf"));  // no catch_up: the index does not hold these
    ASSERT_EQ(variant_index.size(), before);
    const GraphRows rows = graph_rows(graph);
    size_t found = 0, unindexed = 0;
    for (size_t r = 0; r < rows.keys.size(); ++r) {
        if (rows.keys[r].rfind("22:", 0) == 0) continue;  // chr22.vcf.gz's own rows
        ++unindexed;
        const auto v = variant_index.vector_of(rows.keys[r]);
        ASSERT_TRUE(v) << rows.keys[r];
        found += std::memcmp(v->data(), rows.vectors.data() + r * rows.dim,
                             sizeof(float) * rows.dim) == 0;
    }
    EXPECT_GT(unindexed, 0u);
    EXPECT_EQ(found, unindexed);
}

}  // namespace
}  // namespace vcfagent::test
