// The variant index answers `variants_in_region` from its own rows (VariantIndex::
// region_variants) only while they are the graph's whole: the same columns, values, order,
// row cap and total as the graph's statement (query::GraphQueries::region_variants) over many
// regions, whether the rows were rebuilt from the graph, extended by a catch-up after loads that
// add carriers to variants already held, read back from the index files, or made during the
// first load; and no answer at all between a commit and the catch-up after it.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "embed/embedder.hpp"
#include "index/load_feed.hpp"
#include "index/variant_index.hpp"
#include "query/graph_queries.hpp"
#include "store/graph_store.hpp"
#include "support/fed_load.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

// Compares the index's answer with the graph's over regions of chr22's span (from a few bases
// to the whole contig, some with a class filter) and the structural file's contigs; returns
// the rows compared.
size_t expect_graph_answers(store::GraphStore& graph, const index::VariantIndex& variant_index) {
    constexpr size_t kCap = 40;
    store::ReadLimits limits;
    limits.max_rows = kCap;
    query::GraphQueries queries(graph, limits);
    std::mt19937_64 rng(7);
    std::vector<std::pair<vcf::Region, std::string>> asked;
    for (int i = 0; i < 150; ++i) {
        vcf::Region r;
        r.chrom = "22";
        r.beg = 50300000 + static_cast<int64_t>(rng() % 1000000);
        r.end = r.beg + static_cast<int64_t>(rng() % (i % 3 == 0 ? 200 : 60000));
        asked.emplace_back(r, i % 5 == 0 ? "SNV" : (i % 7 == 0 ? "DEL" : ""));
    }
    for (const char* chrom : {"22", "1", "2", "3", "4", "X", "nonexistent"}) {
        vcf::Region whole;
        whole.chrom = chrom;
        asked.emplace_back(whole, "");
    }
    size_t rows = 0, with_carriers = 0;
    for (const auto& [region, vtype] : asked) {
        query::VariantFilter f;
        f.vtype = vtype;
        const auto expected = queries.region_variants(region, f);
        const auto answer = variant_index.region_variants(region, vtype, kCap);
        EXPECT_TRUE(answer) << region.to_string();
        if (!answer) continue;
        EXPECT_EQ(answer->columns, expected.columns);
        EXPECT_EQ(answer->total, expected.total) << region.to_string() << " " << vtype;
        EXPECT_EQ(answer->to_json(), expected.to_json()) << region.to_string() << " " << vtype;
        rows += expected.rows.size();
        for (const auto& row : expected.rows) with_carriers += row.back() != 0;
    }
    EXPECT_GT(with_carriers, 100u);
    return rows;
}

TEST(RegionRows, AnswerAsTheGraphAfterRebuildCatchUpAndReopening) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    load_with_feed(graph, data_path("chr22.vcf.gz"));
    load_with_feed(graph, data_path("structural.vcf"));
    const std::string more = tmp.file("more.vcf");
    write_more_carriers_chr22(more);
    {
        index::VariantIndex variant_index(graph, embed::make_embedder({}));
        EXPECT_GT(expect_graph_answers(graph, variant_index), 1000u);
        // A commit: not the graph's whole until the catch-up after it.
        load_with_feed(graph, more);
        vcf::Region r;
        r.chrom = "22";
        EXPECT_FALSE(variant_index.region_variants(r, "", 10));
        variant_index.catch_up();
        EXPECT_GT(expect_graph_answers(graph, variant_index), 1000u);
        load_with_feed(graph, data_path("test.snpeff.vcf"));
        variant_index.catch_up();
        EXPECT_GT(expect_graph_answers(graph, variant_index), 1000u);
    }
    // Read back from the files it saved.
    index::VariantIndex reopened(graph, embed::make_embedder({}));
    EXPECT_TRUE(reopened.open_note().empty()) << reopened.open_note();
    EXPECT_GT(expect_graph_answers(graph, reopened), 1000u);
}

TEST(RegionRows, AnswerAsTheGraphWhenMadeDuringTheFirstLoads) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    const std::string more = tmp.file("more.vcf");
    write_more_carriers_chr22(more);
    auto embedder = embed::make_embedder({});
    ASSERT_TRUE(index::LoadFeed::worth_feeding(graph, *embedder));
    index::LoadFeed feed(graph, *embedder);
    load_with_feed(graph, data_path("chr22.vcf.gz"), &feed);
    load_with_feed(graph, more, &feed);  // carriers added to fed rows by the graph only
    load_with_feed(graph, data_path("structural.vcf"), &feed);
    auto fed = feed.finish();
    ASSERT_TRUE(fed) << feed.error();
    index::VariantIndex variant_index(graph, embed::make_embedder({}), {}, std::move(fed));
    ASSERT_TRUE(variant_index.stats().from_load);
    EXPECT_GT(expect_graph_answers(graph, variant_index), 1000u);
}

// The graph's region answer reaches back by the contig's longest variant (cached per write
// generation): a variant a later load adds that starts before the region and overlaps it is
// found by the same store object, as `bcftools view -r` finds it.
TEST(RegionRows, TheGraphFindsALongerVariantALaterLoadAdded) {
    TempDir tmp;
    const std::string snv = tmp.file("snv.vcf");
    write_file(snv,
               "##fileformat=VCFv4.2\n##contig=<ID=2>\n"
               "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNA00001\n"
               "2\t100000\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n");
    store::GraphStore graph(tmp.file("db"));
    load_with_feed(graph, snv);
    query::GraphQueries queries(graph);
    vcf::Region r;
    r.chrom = "2";
    r.beg = 321700;
    r.end = 321800;
    EXPECT_EQ(queries.region_variants(r, {}).total, 0u);
    load_with_feed(graph, data_path("structural.vcf"));  // a DEL from 321682 to 321887
    const std::string indexed = tmp.file("structural.vcf.gz");
    const auto expected = run_shell(
        "bgzip -c " + data_path("structural.vcf") + " > " + indexed + " && tabix -p vcf " +
        indexed + " && bcftools view -H -r 2:321700-321800 " + indexed + " | wc -l");
    ASSERT_EQ(expected.exit_code, 0) << expected.err;
    EXPECT_EQ(queries.region_variants(r, {}).total, std::stoull(expected.out));
    EXPECT_EQ(std::stoull(expected.out), 1u);
}

}  // namespace
}  // namespace vcfagent::test
