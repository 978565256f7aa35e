// The variant index answers genotype filters from its call columns (VariantIndex::
// genotype_filter) only while its rows are the graph's whole and it keeps the codes of the
// filter's file: then the same columns, values, order, row cap and total as the graph's
// statement (query::GraphQueries::genotype_filter) over many random filters (every quantifier
// and genotype class, several samples and files, regions or none, class filters, carrier
// bounds), whether the rows were rebuilt from the graph, extended by a catch-up after a file
// that adds calls to variants already held, read back from the index files, or made during the
// first loads; across Calls rows of a file wider than one row; with a file repeating records (its
// first record's vector); no answer between a commit and its catch-up, or past the codes' budget.
#include <gtest/gtest.h>

#include <map>
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

// chr22.vcf.gz's samples with other calls: its first 2,000 records with 0|0 and 1|1 swapped in
// every call (calls of a second file for variants the first added), then records 2,001-3,000
// moved one base on (variants of its own).
void write_swapped_chr22(const std::string& path) {
    const std::string first = data_path("chr22.vcf.gz");
    const auto made = run_shell(
        "(bcftools view -h " + first + " && bcftools view -H " + first +
        " | head -2000 | awk -F'\\t' -v OFS='\\t' '{for (i = 10; i <= NF; i++) {if ($i ~ /^0\\|0/) "
        "sub(/^0\\|0/, \"1|1\", $i); else sub(/^1\\|1/, \"0|0\", $i)} print}' && bcftools view "
        "-H " +
        first + " | sed -n '2001,3000p' | awk -F'\\t' -v OFS='\\t' '{$2 = $2 + 1; print}') > " +
        path);
    if (made.exit_code != 0) throw std::runtime_error("could not write " + path + ": " + made.err);
}

struct Span {
    std::string chrom;
    int64_t lo, hi;
};

// A random filter over the samples of one file: lists, groups with every quantifier and
// genotype, sometimes a carriers bound.
query::GenotypeFilter random_filter(std::mt19937_64& rng, const std::vector<std::string>& samples) {
    auto pick = [&] { return samples[rng() % samples.size()]; };
    auto some = [&](size_t most) {
        std::vector<std::string> out;
        for (size_t n = rng() % (most + 1); n > 0; --n) out.push_back(pick());
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    };
    query::GenotypeFilter g;
    static const char* const kGenotypes[] = {"het", "hom_alt", "hom_ref", "carrier", "missing"};
    static const char* const kQuantifiers[] = {"all", "any", "none", "1", "2"};
    for (int tries = 0; g.het.empty() && g.hom_alt.empty() && g.hom_ref.empty() &&
                        g.carrier.empty() && g.non_carrier.empty() && g.groups.empty();
         ++tries) {
        switch (rng() % 4) {
            case 0:
                g.het = some(2);
                g.hom_ref = some(1);
                break;
            case 1:
                g.carrier = some(2);
                g.non_carrier = some(1);
                break;
            case 2:
                g.hom_alt = some(1);
                break;
            default:
                break;
        }
        for (size_t n = rng() % 3; n > 0; --n) {
            std::string text =
                std::string(kQuantifiers[rng() % 5]) + ":" + kGenotypes[rng() % 5] + ":";
            const auto members = some(3);
            if (members.empty()) continue;
            for (size_t i = 0; i < members.size(); ++i) text += (i ? "," : "") + members[i];
            g.groups.push_back(query::parse_genotype_group(text));
        }
    }
    if (rng() % 4 == 0) g.min_carriers = 1 + static_cast<int64_t>(rng() % 3);
    return g;
}

// Compares the index's answer with the graph's for random filters on the samples of each file
// the graph holds (the file a filter reads is the last one holding its samples); returns the
// rows compared.
size_t expect_graph_answers(store::GraphStore& graph, const index::VariantIndex& variant_index) {
    constexpr size_t kCap = 40;
    store::ReadLimits limits;
    limits.max_rows = kCap;
    query::GraphQueries queries(graph, limits);
    const auto catalogue = graph.sample_catalogue();
    std::map<int64_t, std::vector<std::string>> by_source;
    for (const auto& [sample, cols] : catalogue->columns)
        for (const auto& [source, idx] : cols) by_source[source].push_back(sample);
    std::vector<Span> spans;
    graph.scan("MATCH (v:Variant) RETURN v.chrom, min(v.pos), max(v.pos)", {},
               [&](const store::RowView& r) {
                   spans.push_back({r.text(0), r.integer(1), r.integer(2)});
               });
    std::mt19937_64 rng(11);
    size_t rows = 0, asked = 0;
    for (const auto& [source, samples] : by_source) {
        for (int i = 0; i < 120; ++i) {
            const auto g = random_filter(rng, samples);
            query::VariantFilter f;
            if (i % 3 != 0) {
                const Span& s = spans[rng() % spans.size()];
                vcf::Region r;
                r.chrom = s.chrom;
                r.beg = s.lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(s.hi - s.lo + 1));
                r.end = r.beg + static_cast<int64_t>(rng() % (i % 2 ? 5000 : 400000));
                f.region = r;
            }
            if (i % 5 == 0) f.vtype = i % 10 == 0 ? "SNV" : "DEL";
            query::GenotypeCalls calls;
            try {
                calls = query::genotype_calls(*catalogue, g);
            } catch (const StoreError&) {
                continue;  // samples of several files: the graph refuses it too (tested elsewhere)
            }
            ++asked;
            const auto expected = queries.genotype_filter(g, f);
            const auto answer = variant_index.genotype_filter(calls, f.region, f.vtype, kCap);
            EXPECT_TRUE(answer);
            if (!answer) continue;
            const std::string what =
                (f.region ? f.region->to_string() : "everywhere") + " " + f.vtype;
            EXPECT_EQ(answer->columns, expected.columns);
            EXPECT_EQ(answer->total, expected.total) << what;
            EXPECT_EQ(answer->to_json(), expected.to_json()) << what;
            rows += expected.rows.size();
        }
    }
    EXPECT_GT(asked, 100u);
    return rows;
}

TEST(GenotypeRows, AnswerAsTheGraphAfterRebuildCatchUpAndReopening) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    load_with_feed(graph, data_path("chr22.vcf.gz"));
    load_with_feed(graph, data_path("hapmap_exome_chr22.vcf.gz"));
    load_with_feed(graph, data_path("structural.vcf"));
    const std::string swapped = tmp.file("swapped.vcf");
    write_swapped_chr22(swapped);
    {
        index::VariantIndex variant_index(graph, embed::make_embedder({}));
        EXPECT_GT(expect_graph_answers(graph, variant_index), 1000u);
        // A commit: no answer until the catch-up after it.
        load_with_feed(graph, swapped);
        query::GenotypeFilter g;
        g.min_carriers = 1;
        EXPECT_FALSE(variant_index.genotype_filter(
            query::genotype_calls(*graph.sample_catalogue(), g), std::nullopt, "", 10));
        variant_index.catch_up();
        // chr22's samples are read from the swapped file now: calls added to old rows.
        EXPECT_GT(expect_graph_answers(graph, variant_index), 1000u);
        load_with_feed(graph, data_path("test.snpeff.vcf"));
        variant_index.catch_up();
        EXPECT_GT(expect_graph_answers(graph, variant_index), 1000u);
        EXPECT_GT(variant_index.stats().genotypes_answered, 500u);
    }
    // Read back from the files it saved.
    index::VariantIndex reopened(graph, embed::make_embedder({}));
    EXPECT_TRUE(reopened.open_note().empty()) << reopened.open_note();
    EXPECT_GT(expect_graph_answers(graph, reopened), 1000u);
}

TEST(GenotypeRows, AnswerAsTheGraphWhenMadeDuringTheFirstLoads) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    const std::string swapped = tmp.file("swapped.vcf");
    write_swapped_chr22(swapped);
    auto embedder = embed::make_embedder({});
    ASSERT_TRUE(index::LoadFeed::worth_feeding(graph, *embedder));
    index::LoadFeed feed(graph, *embedder);
    load_with_feed(graph, data_path("chr22.vcf.gz"), &feed);
    load_with_feed(graph, swapped, &feed);  // calls for fed rows of the first file
    load_with_feed(graph, data_path("hapmap_exome_chr22.vcf.gz"), &feed);
    auto fed = feed.finish();
    ASSERT_TRUE(fed) << feed.error();
    EXPECT_FALSE(fed->calls_whole);  // the later files' calls for old rows were not fed
    index::VariantIndex variant_index(graph, embed::make_embedder({}), {}, std::move(fed));
    ASSERT_TRUE(variant_index.stats().from_load);
    EXPECT_GT(expect_graph_answers(graph, variant_index), 1000u);
}

TEST(GenotypeRows, FedCodesStandForTheGraphsWhenEveryRowWasNew) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    auto embedder = embed::make_embedder({});
    index::LoadFeed feed(graph, *embedder);
    load_with_feed(graph, data_path("chr22.vcf.gz"), &feed);
    load_with_feed(graph, data_path("structural.vcf"), &feed);
    auto fed = feed.finish();
    ASSERT_TRUE(fed) << feed.error();
    EXPECT_TRUE(fed->calls_whole);
    index::VariantIndex variant_index(graph, embed::make_embedder({}), {}, std::move(fed));
    EXPECT_GT(expect_graph_answers(graph, variant_index), 500u);
}

TEST(GenotypeRows, VectorsWiderThanOneCallsRowAnswerAsTheGraph) {
    TempDir tmp;
    const std::string vcf = tmp.file("wide.vcf.gz");
    // 300 samples: parts starting at samples 0, 128 and 256.
    const auto made = run_command({generator_binary(), "--records", "1500", "--samples", "300",
                                   "--seed", "5", "--chroms", "chr1,chr2", "-o", vcf});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    store::GraphStore graph(tmp.file("db"));
    load_with_feed(graph, vcf);
    index::VariantIndex variant_index(graph, embed::make_embedder({}));
    EXPECT_GT(expect_graph_answers(graph, variant_index), 500u);
}

TEST(GenotypeRows, ARepeatedRecordKeepsTheFirstVectorAndNoAnswerPastTheBudget) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    load_with_feed(graph, data_path("hapmap_exome_chr22.vcf.gz"));
    load_with_feed(graph, data_path("chr22.vcf.gz"));
    const std::string more = tmp.file("more.vcf");
    write_more_carriers_chr22(more);  // repeats 800 records in one file
    load_with_feed(graph, more);
    {
        // chr22's samples read the repeating file: its first record's vector, as the graph.
        index::VariantIndex variant_index(graph, embed::make_embedder({}));
        EXPECT_GT(expect_graph_answers(graph, variant_index), 1000u);
    }
    index::IndexOptions small;
    small.max_call_bytes = 4096;
    small.persist = false;
    index::VariantIndex budgeted(graph, embed::make_embedder({}), small);
    EXPECT_TRUE(budgeted.stats().calls_abandoned);
    query::GenotypeFilter g;
    g.het = {graph.sample_catalogue()->columns.begin()->first};
    EXPECT_FALSE(budgeted.genotype_filter(query::genotype_calls(*graph.sample_catalogue(), g),
                                          std::nullopt, "", 10));
    // A carriers bound across files needs no codes.
    query::GenotypeFilter across;
    across.min_carriers = 2;
    const auto calls = query::genotype_calls(*graph.sample_catalogue(), across);
    ASSERT_FALSE(calls.source);
    const auto answer = budgeted.genotype_filter(calls, std::nullopt, "", 10);
    ASSERT_TRUE(answer);
    query::GraphQueries queries(graph, store::ReadLimits{.max_rows = 10});
    EXPECT_EQ(answer->to_json(), queries.genotype_filter(across, {}).to_json());
    EXPECT_EQ(answer->total, queries.genotype_filter(across, {}).total);
    EXPECT_GT(answer->total, 100u);
}

}  // namespace
}  // namespace vcfagent::test
