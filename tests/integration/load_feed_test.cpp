// The variant index of a first load is made from the load's own variants (index::LoadFeed)
// instead of being read back from the graph after it. Those rows must be exactly the rows the
// graph returns: every Variant row once, with the vector and the filter columns the graph's row
// gives (the same floats, the same annotations in the same order), or the index would find
// other neighbours than one rebuilt from the graph. Rows the feed did not see must never be
// taken for the graph's.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "embed/embedder.hpp"
#include "index/index_io.hpp"
#include "index/load_feed.hpp"
#include "index/stored_variants.hpp"
#include "index/stored_vectors.hpp"
#include "index/variant_index.hpp"
#include "ingest/ingest_job.hpp"
#include "store/graph_store.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

// Overlapping genes, so that variants have one, two or three InGene edges (the builtin vector
// depends on their order) and a variant outside all of them has none.
std::string write_genes_bed(const TempDir& tmp) {
    const std::string bed = tmp.file("genes.bed");
    write_file(bed,
               "22\t16000000\t17500000\tGENEA\n22\t17000000\t18000000\tGENEB\n"
               "22\t17200000\t17300000\tGENEC\n22\t50300000\t50450000\tGENED\n"
               "22\t50400000\t50600000\tGENEE\n22\t50420000\t50430000\tGENEF\n");
    return bed;
}

// Loads `files` into `graph` in small batches and chunks (chunks end inside batches and
// batches inside chunks), handing every staged chunk to `feed` when it is given.
void load(store::GraphStore& graph, const std::vector<std::string>& files, const std::string& genes,
          index::LoadFeed* feed) {
    ingest::IngestOptions opt;
    opt.batch_records = 1700;
    opt.chunk_records = 600;
    opt.genes_file = genes;
    if (feed)
        opt.staged_chunks = [feed](std::unique_ptr<vcf::VariantBatch> chunk,
                                   std::vector<size_t> new_at, uint32_t source) {
            feed->add(std::move(chunk), std::move(new_at), source);
        };
    for (const auto& f : files) ingest::ingest_file(graph, f, opt, {});
}

// Loads `fed_files` into `graph` (a new store) with a LoadFeed, then `unfed_files` without
// it, and returns the feed's rows (nullptr, with a test failure, when making them failed).
std::unique_ptr<index::FedRows> fed_load(store::GraphStore& graph,
                                         const std::vector<std::string>& fed_files,
                                         const std::string& genes,
                                         const std::vector<std::string>& unfed_files = {}) {
    auto embedder = embed::make_embedder({});
    EXPECT_TRUE(index::LoadFeed::worth_feeding(graph, *embedder));
    index::LoadFeed feed(graph, *embedder);
    load(graph, fed_files, genes, &feed);
    load(graph, unfed_files, genes, nullptr);
    EXPECT_FALSE(index::LoadFeed::worth_feeding(graph, *embedder));  // the store has batches
    auto fed = feed.finish();
    EXPECT_TRUE(fed) << feed.error();
    return fed;
}

int64_t variant_count(store::GraphStore& graph) {
    int64_t n = -1;
    graph.scan("MATCH (v:Variant) RETURN count(*)", {},
               [&](const store::RowView& r) { n = r.integer(0); });
    return n;
}

index::FileDigest digest_of(const index::AttributeColumns& columns, const std::string& path) {
    index::HashingWriter w(path);
    columns.write(w);
    return w.finish();
}

TEST(LoadFeed, FedRowsAreTheRowsTheGraphReturns) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    auto fed = fed_load(graph,
                        {data_path("chr22.vcf.gz"), data_path("test.snpeff.vcf"),
                         data_path("structural.vcf"), data_path("hapmap_exome_chr22.vcf.gz")},
                        write_genes_bed(tmp));
    ASSERT_TRUE(fed);
    auto embedder = embed::make_embedder({});

    const size_t n = fed->size();
    ASSERT_EQ(static_cast<int64_t>(n), variant_count(graph));
    ASSERT_EQ(fed->vectors->rows(), n);
    ASSERT_EQ(fed->attributes.size(), n);

    // Every Variant row as the graph returns it, by key.
    std::map<std::string, index::StoredVariant> stored;
    index::for_each_stored_variant(graph, "true", 4096,
                                   [&](std::vector<index::StoredVariant>& chunk) {
                                       for (auto& sv : chunk) {
                                           const std::string key = sv.variant.key;
                                           stored.emplace(key, std::move(sv));
                                       }
                                   });
    ASSERT_EQ(stored.size(), n);

    const int dim = fed->identity.dimension;
    index::AttributeColumns expected;
    std::vector<float> fed_vector(static_cast<size_t>(dim)), graph_vector(fed_vector.size());
    size_t differing = 0, with_genes = 0, with_several_genes = 0;
    for (size_t r = 0; r < n; ++r) {
        const std::string key = fed->key(static_cast<int64_t>(r));
        auto it = stored.find(key);
        ASSERT_NE(it, stored.end())
            << "fed row " << r << " has key " << key << ", which the graph does not hold";
        std::vector<index::StoredVariant> one{it->second};
        with_genes += !one[0].variant.annotations.empty();
        with_several_genes += one[0].variant.annotations.size() > 1;
        expected.append(one[0].variant, one[0].source);
        index::stored_vectors(*embedder, fed->identity, one, graph_vector.data());
        fed->vectors->read(r, 1, fed_vector.data());
        if (std::memcmp(fed_vector.data(), graph_vector.data(), sizeof(float) * dim) != 0)
            ++differing;
        stored.erase(it);  // a key fed twice is not found the second time
    }
    EXPECT_EQ(differing, 0u) << "fed vectors that differ from the graph row's vector";
    EXPECT_GT(with_genes, 1000u);
    EXPECT_GT(with_several_genes, 100u);
    const auto fed_digest = digest_of(fed->attributes, tmp.file("fed.columns"));
    const auto graph_digest = digest_of(expected, tmp.file("graph.columns"));
    EXPECT_EQ(fed_digest.size, graph_digest.size);
    EXPECT_EQ(fed_digest.hash, graph_digest.hash) << "the filter columns differ";
}

// An inverted-file index trained on fed rows and one rebuilt from the graph answer alike: with
// every list probed (exact distances of IVF-Flat) the neighbours and distances are equal, with
// and without a filter; the fed index is saved and stamped as covering the last batch.
TEST(LoadFeed, AnIndexBuiltFromFedRowsAnswersAsOneRebuiltFromTheGraph) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    store::GraphStore graph(db);
    auto fed = fed_load(graph, {data_path("chr22.vcf.gz"), data_path("test.snpeff.vcf")},
                        write_genes_bed(tmp));
    ASSERT_TRUE(fed);
    const int64_t rows = variant_count(graph);

    index::IndexOptions options;
    options.kind = index::IndexKind::IvfFlat;
    index::VariantIndex from_feed(graph, embed::make_embedder({}), options, std::move(fed));
    ASSERT_EQ(static_cast<int64_t>(from_feed.size()), rows);
    ASSERT_EQ(from_feed.stats().kind, index::IndexKind::IvfFlat);
    ASSERT_TRUE(from_feed.stats().from_load);
    EXPECT_EQ(from_feed.stats().batch, graph.last_batch());
    EXPECT_EQ(static_cast<int64_t>(index::VariantIndex::stamped_rows(db)), rows);

    std::filesystem::remove_all(index::VariantIndex::dir_of(db));
    index::VariantIndex from_graph(graph, embed::make_embedder({}), options);
    ASSERT_EQ(static_cast<int64_t>(from_graph.size()), rows);
    ASSERT_FALSE(from_graph.stats().from_load);

    index::SearchTuning all_lists;
    all_lists.nprobe = std::max(from_feed.stats().nlist, from_graph.stats().nlist);
    index::VectorFilter in_gene;
    in_gene.genes = {"GENEE"};
    size_t compared = 0;
    for (const std::string key : {"22:50300078:A:G", "22:50314927:G:C", "22:50435355:G:A",
                                  "22:50655370:C:A", "22:50922544:T:C"}) {
        const auto query = from_graph.vector_of(key);
        ASSERT_TRUE(query) << key;
        for (const index::VectorFilter& filter : {index::VectorFilter{}, in_gene}) {
            const auto a = from_feed.search(*query, 15, filter, all_lists);
            const auto b = from_graph.search(*query, 15, filter, all_lists);
            ASSERT_EQ(a.size(), b.size()) << key;
            ASSERT_FALSE(a.empty()) << key;
            for (size_t i = 0; i < a.size(); ++i) {
                EXPECT_EQ(a[i].key, b[i].key) << key << " neighbour " << i;
                EXPECT_EQ(a[i].distance, b[i].distance) << key << " neighbour " << i;
                EXPECT_EQ(a[i].attributes.gene, b[i].attributes.gene) << key;
            }
            if (filter.empty()) {
                EXPECT_EQ(a[0].key, key);
            }
            ++compared;
        }
    }
    EXPECT_EQ(compared, 10u);
}

// Rows loaded without the feed (here: a second file) make the fed rows a part of the graph's:
// they are refused and the index is rebuilt from the graph, with every row.
TEST(LoadFeed, RowsTheFeedDidNotSeeAreNeverTakenForTheGraphs) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    store::GraphStore graph(db);
    auto fed = fed_load(graph, {data_path("chr22.vcf.gz")}, "", {data_path("test.snpeff.vcf")});
    ASSERT_TRUE(fed);
    ASSERT_EQ(fed->size(), 10376u);
    const int64_t rows = variant_count(graph);
    ASSERT_EQ(rows, 10376 + 10);

    index::VariantIndex variant_index(graph, embed::make_embedder({}), {}, std::move(fed));
    EXPECT_FALSE(variant_index.stats().from_load);
    EXPECT_EQ(static_cast<int64_t>(variant_index.size()), rows);
    // A variant only the second file has is its own nearest neighbour.
    const auto first =
        run_shell("grep -v '^#' " + data_path("test.snpeff.vcf") + " | head -1 | cut -f1,2,4,5");
    std::istringstream in(first.out);
    std::string chrom, pos, ref, alt;
    in >> chrom >> pos >> ref >> alt;
    const std::string key = chrom + ":" + pos + ":" + ref + ":" + alt;
    const auto query = variant_index.vector_of(key);
    ASSERT_TRUE(query) << key;
    const auto hits = variant_index.search(*query, 1);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].key, key);
}

// The fed rows grow with the input: past their memory bound the feed gives them up (the load
// goes on, whole) and the index is built from the graph after it, with every row.
TEST(LoadFeed, RowsPastTheirMemoryBoundAreGivenUpAndTheIndexComesFromTheGraph) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    store::GraphStore graph(db);
    auto embedder = embed::make_embedder({});
    constexpr size_t kBound = 64 << 10;  // chr22's 10,376 rows hold several times this
    index::LoadFeed feed(graph, *embedder, kBound);
    load(graph, {data_path("chr22.vcf.gz")}, "", &feed);
    EXPECT_FALSE(feed.finish());
    EXPECT_NE(feed.error().find("memory budget"), std::string::npos) << feed.error();
    ASSERT_EQ(variant_count(graph), 10376);

    index::VariantIndex variant_index(graph, embed::make_embedder({}), {}, nullptr);
    EXPECT_FALSE(variant_index.stats().from_load);
    EXPECT_EQ(variant_index.size(), 10376u);

    // The same load under a bound its rows stay within is fed whole.
    TempDir tmp2;
    store::GraphStore graph2(tmp2.file("db"));
    index::LoadFeed roomy(graph2, *embedder, 64 << 20);
    load(graph2, {data_path("chr22.vcf.gz")}, "", &roomy);
    const auto fed = roomy.finish();
    ASSERT_TRUE(fed) << roomy.error();
    EXPECT_EQ(fed->size(), 10376u);
    EXPECT_GT(fed->memory_bytes(), kBound);
}

}  // namespace
}  // namespace vcfagent::test
