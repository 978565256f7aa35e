// The builtin embedding means something (alike variants are near), plus the embedder's
// building blocks that need no server: cache, reducer, description, endpoints, backoff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

#include "embed/builtin_embedder.hpp"
#include "embed/dimension_reducer.hpp"
#include "embed/embedding_cache.hpp"
#include "embed/endpoint.hpp"
#include "embed/retry_backoff.hpp"
#include "embed/variant_description.hpp"
#include "support/test_env.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::embed {
namespace {

using vcf::Variant;

Variant make_variant(std::string chrom, int64_t pos, std::string ref, std::string alt,
                     std::string gene = "", std::string consequence = "", std::string impact = "") {
    Variant v;
    v.chrom = std::move(chrom);
    v.pos = pos;
    v.ref = std::move(ref);
    v.alt = std::move(alt);
    v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
    v.vclass = vcf::classify_allele(v.ref, v.alt);
    v.transition = v.ref.size() == 1 && v.alt.size() == 1 && vcf::is_transition(v.ref[0], v.alt[0]);
    v.end = v.pos + static_cast<int64_t>(v.ref.size()) - 1;
    v.qual = 50;
    v.filter = "PASS";
    if (!gene.empty() || !consequence.empty()) {
        vcf::Annotation a;
        a.gene = std::move(gene);
        a.consequence = std::move(consequence);
        a.impact = std::move(impact);
        a.source = "ANN";
        v.annotations.push_back(std::move(a));
    }
    return v;
}

std::vector<float> embed1(BuiltinEmbedder& e, const Variant& v) {
    std::vector<float> out(static_cast<size_t>(e.dimension()));
    e.embed(std::span<const Variant>(&v, 1), out.data());
    return out;
}

double distance(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += double(a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(s);
}

double norm(const std::vector<float>& a) {
    return distance(a, std::vector<float>(a.size(), 0.0f));
}

class BuiltinSemantics : public ::testing::TestWithParam<int> {};

TEST_P(BuiltinSemantics, DeterministicUnitVectorsOfTheConfiguredSize) {
    BuiltinEmbedder a(GetParam()), b(GetParam());
    const Variant v =
        make_variant("chr7", 117559590, "ATCT", "A", "CFTR", "frameshift_variant", "HIGH");
    const auto x = embed1(a, v), y = embed1(a, v), z = embed1(b, v);
    ASSERT_EQ(x.size(), static_cast<size_t>(GetParam()));
    EXPECT_EQ(x, y);
    EXPECT_EQ(x, z);
    EXPECT_NEAR(norm(x), 1.0, 1e-5);
    // A batch gives the same rows as one at a time.
    std::vector<Variant> batch = {make_variant("1", 10, "A", "G"), v,
                                  make_variant("X", 5, "C", "<DEL>")};
    std::vector<float> out(batch.size() * x.size());
    a.embed(batch, out.data());
    EXPECT_TRUE(std::equal(x.begin(), x.end(), out.begin() + static_cast<ptrdiff_t>(x.size())));
    for (size_t i = 0; i < batch.size(); ++i)
        EXPECT_EQ(embed1(a, batch[i]),
                  std::vector<float>(out.begin() + i * x.size(), out.begin() + (i + 1) * x.size()));
}

TEST_P(BuiltinSemantics, SameGeneAndConsequenceNearerThanRandomVariants) {
    BuiltinEmbedder e(GetParam());
    const auto a = embed1(
        e, make_variant("chr17", 43045000, "A", "G", "BRCA1", "missense_variant", "MODERATE"));
    const auto b = embed1(
        e, make_variant("chr17", 43057000, "C", "T", "BRCA1", "missense_variant", "MODERATE"));
    const double same = distance(a, b);

    std::mt19937 rng(7);
    const std::vector<std::string> chroms = {"1", "2", "3", "5", "8", "11", "12", "19", "X"};
    const std::vector<std::string> genes = {"TP53", "EGFR", "KRAS", "CFTR",
                                            "APOE", "MYH7", "TTN",  "LDLR"};
    const std::vector<std::pair<std::string, std::string>> effects = {
        {"missense_variant", "MODERATE"}, {"synonymous_variant", "LOW"},
        {"intron_variant", "MODIFIER"},   {"stop_gained", "HIGH"},
        {"frameshift_variant", "HIGH"},   {"3_prime_UTR_variant", "MODIFIER"}};
    const std::string bases = "ACGT";
    for (int i = 0; i < 300; ++i) {
        std::string ref(1, bases[rng() % 4]), alt(1, bases[rng() % 4]);
        if (alt == ref) alt = ref == "A" ? "C" : "A";
        if (rng() % 4 == 0) alt = ref + "TT";
        const auto& [csq, impact] = effects[rng() % effects.size()];
        const auto r = embed1(e, make_variant(chroms[rng() % chroms.size()], 1 + rng() % 150000000,
                                              ref, alt, genes[rng() % genes.size()], csq, impact));
        EXPECT_LT(same, distance(a, r)) << "random variant " << i;
    }
}

TEST_P(BuiltinSemantics, TransitionsNearerEachOtherThanToTransversions) {
    BuiltinEmbedder e(GetParam());
    const std::string bases = "ACGT";
    for (const char* gene : {"", "PTEN"}) {
        std::vector<std::vector<float>> ts, tv;
        for (char r : bases) {
            for (char a : bases) {
                if (r == a) continue;
                const auto x = embed1(
                    e, make_variant("10", 87925000, std::string(1, r), std::string(1, a), gene,
                                    *gene ? "missense_variant" : "", *gene ? "MODERATE" : ""));
                (vcf::is_transition(r, a) ? ts : tv).push_back(x);
            }
        }
        ASSERT_EQ(ts.size(), 4u);
        ASSERT_EQ(tv.size(), 8u);
        for (const auto& a : ts) {
            double farthest_ts = 0, nearest_tv = 1e9;
            for (const auto& b : ts) farthest_ts = std::max(farthest_ts, distance(a, b));
            for (const auto& c : tv) nearest_tv = std::min(nearest_tv, distance(a, c));
            EXPECT_LT(farthest_ts, nearest_tv);
        }
    }
}

TEST_P(BuiltinSemantics, NearbyPositionsOnAChromosomeNearerThanFarOnes) {
    BuiltinEmbedder e(GetParam());
    for (int64_t p : {1000000LL, 25000000LL, 61000000LL, 120000000LL}) {
        const auto at = [&](const std::string& chrom, int64_t pos) {
            return embed1(e, make_variant(chrom, pos, "G", "A", "", "", ""));
        };
        const auto x = at("2", p);
        const double d100 = distance(x, at("2", p + 100));
        const double d1k = distance(x, at("2", p + 1000));
        const double d50k = distance(x, at("2", p + 50000));
        const double d1m = distance(x, at("2", p + 1000000));
        const double d20m = distance(x, at("2", p + 20000000));
        const double other_chrom = distance(x, at("3", p));
        EXPECT_LT(d100, d1k) << p;
        EXPECT_LT(d1k, d50k) << p;
        EXPECT_LT(d50k, d1m) << p;
        EXPECT_LT(d1m, d20m) << p;
        EXPECT_LT(d1k, other_chrom) << p;
        // "chr2" and "2" are one chromosome.
        EXPECT_EQ(x, at("chr2", p));
    }
}

TEST_P(BuiltinSemantics, FrequencyAndQualityOnlyBreakTies) {
    BuiltinEmbedder e(GetParam());
    Variant a = make_variant("4", 5000000, "C", "T", "FGFR3", "missense_variant", "MODERATE");
    Variant rare = a, gene = a, cls = a;
    a.af = 0.3f;
    rare.af = 0.0001f;
    rare.qual = 900;
    gene.annotations[0].gene = "HTT";
    cls = make_variant("4", 5000000, "CTTT", "C", "FGFR3", "missense_variant", "MODERATE");
    const auto x = embed1(e, a);
    EXPECT_LT(distance(x, embed1(e, rare)), distance(x, embed1(e, gene)));
    EXPECT_LT(distance(x, embed1(e, rare)), distance(x, embed1(e, cls)));
}

INSTANTIATE_TEST_SUITE_P(Dimensions, BuiltinSemantics, ::testing::Values(48, 64, 96, 128));

TEST(BuiltinEmbedder, LayoutMatchesTheDocumentedTable) {
    // docs/embeddings.md lists these offsets; a change here is a change of the embedding space
    // (bump the model version "v1").
    const BuiltinLayout l = BuiltinLayout::for_dimension(64);
    const std::vector<std::pair<int, int>> expected = {{0, 9},  {9, 2},   {11, 2}, {13, 8},
                                                       {21, 8}, {29, 14}, {43, 4}, {47, 6},
                                                       {53, 7}, {60, 2},  {62, 2}};
    const auto blocks = l.blocks();
    for (size_t i = 0; i < blocks.size(); ++i) {
        EXPECT_EQ(blocks[i]->offset, expected[i].first) << blocks[i]->name;
        EXPECT_EQ(blocks[i]->size, expected[i].second) << blocks[i]->name;
    }
    for (int dim = kBuiltinMinDimension; dim <= kBuiltinMaxDimension; ++dim) {
        const BuiltinLayout d = BuiltinLayout::for_dimension(dim);
        int offset = 0;
        for (const BuiltinBlock* b : d.blocks()) {
            EXPECT_EQ(b->offset, offset) << dim << " " << b->name;
            EXPECT_GT(b->size, 0) << dim << " " << b->name;
            offset += b->size;
        }
        EXPECT_EQ(offset, dim);
        EXPECT_EQ(d.position.size % 2, 0);
    }
}

TEST(BuiltinEmbedder, HandlesEveryVariantClass) {
    BuiltinEmbedder e;
    std::vector<Variant> vs = {
        make_variant("1", 100, "A", "G"),        make_variant("1", 100, "AC", "GT"),
        make_variant("1", 100, "A", "ATTG"),     make_variant("1", 100, "ATTG", "A"),
        make_variant("1", 100, "ATG", "CC"),     make_variant("1", 100, "N", "<DUP>"),
        make_variant("1", 100, "G", "G]2:300]"), make_variant("1", 100, "A", "*"),
        make_variant("1", 100, "A", "."),        make_variant("HLA-A*01:01", 7, "a", "g")};
    vs[5].svlen = 5000;
    vs[5].svtype = "DUP";
    vs.push_back(make_variant("1", 100, "A", std::string(20000, 'T')));
    std::vector<float> out(vs.size() * 64);
    e.embed(vs, out.data());
    for (size_t i = 0; i < vs.size(); ++i) {
        double n = 0;
        for (int j = 0; j < 64; ++j) {
            ASSERT_TRUE(std::isfinite(out[i * 64 + j]));
            n += double(out[i * 64 + j]) * out[i * 64 + j];
        }
        EXPECT_NEAR(n, 1.0, 1e-5) << i;
    }
}

TEST(BuiltinEmbedder, InfoTextAndConfiguration) {
    auto e = make_embedder(EmbedderConfig{});
    EXPECT_EQ(e->info().to_string(), "builtin/v1/64");
    EXPECT_EQ(e->dimension(), 64);
    EmbedderConfig c;
    c.dimension = 128;
    EXPECT_EQ(make_embedder(c)->info().to_string(), "builtin/v1/128");
    c.dimension = 129;
    EXPECT_THROW(make_embedder(c), EmbedError);
    c.dimension = 16;
    EXPECT_THROW(make_embedder(c), EmbedError);
    c.kind = "word2vec";
    EXPECT_THROW(make_embedder(c), EmbedError);
    EXPECT_THROW(e->embed_text("missense in BRCA1"), EmbedError);
    EXPECT_EQ(e->reducer(), nullptr);
    EXPECT_FALSE(e->needs_training());
    EXPECT_THROW(e->load_reducer("nowhere.faiss"), EmbedError);
    EXPECT_EQ((EmbedderInfo{"ollama", "nomic-embed-text", 128, "pca"}.to_string()),
              "ollama/nomic-embed-text/128/pca");
}

TEST(VariantDescription, CarriesTheFactsAModelNeeds) {
    Variant v = make_variant("chr17", 43045712, "G", "A", "BRCA1", "missense_variant", "MODERATE");
    v.id = "rs80357000";
    v.af = 0.0012f;
    v.annotations[0].hgvs_p = "p.Arg1699Trp";
    v.annotations[0].clinsig = "Pathogenic";
    vcf::Annotation minor;
    minor.gene = "NBR2";
    minor.consequence = "upstream_gene_variant";
    minor.impact = "MODIFIER";
    v.annotations.insert(v.annotations.begin(), minor);
    EXPECT_EQ(describe_variant(v),
              "SNV transition missense_variant MODERATE in BRCA1 p.Arg1699Trp; chr17:43045712 G>A; "
              "rs80357000; AF 0.0012; ClinVar Pathogenic; QUAL 50 PASS");
    Variant del = make_variant("2", 1000, "A" + std::string(300, 'C'), "A");
    del.qual = std::numeric_limits<float>::quiet_NaN();
    del.filter.clear();
    EXPECT_EQ(describe_variant(del), "DEL; 2:1000 ACCCCC...(301 bp)>A");
}

TEST(EmbeddingCache, EvictsLeastRecentlyUsedWithinTheByteBudget) {
    const size_t one = EmbeddingCache::entry_bytes(8, 4);
    EmbeddingCache cache(3 * one);
    const std::vector<float> v1 = {1, 2, 3, 4}, v2 = {5, 6, 7, 8};
    std::vector<float> out(4);
    cache.put("1:1:A:G", v1);
    cache.put("1:2:A:G", v2);
    cache.put("1:3:A:G", v1);
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_EQ(cache.bytes(), 3 * one);
    ASSERT_TRUE(cache.get("1:1:A:G", out));  // now most recent
    EXPECT_EQ(out, v1);
    cache.put("1:4:A:G", v2);  // evicts 1:2, the least recent
    EXPECT_FALSE(cache.get("1:2:A:G", out));
    EXPECT_TRUE(cache.get("1:1:A:G", out));
    EXPECT_TRUE(cache.get("1:4:A:G", out));
    EXPECT_EQ(out, v2);
    EXPECT_LE(cache.bytes(), cache.budget());
    EXPECT_EQ(cache.hits(), 3u);
    EXPECT_EQ(cache.misses(), 1u);
    std::vector<float> wrong(8);
    EXPECT_FALSE(cache.get("1:1:A:G", wrong));  // another size is a miss
    cache.put("1:1:A:G", v2);                   // replace keeps the count
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_EQ(cache.bytes(), 3 * one);
    EmbeddingCache off(0);
    off.put("k", v1);
    EXPECT_EQ(off.size(), 0u);
    // Long keys count their heap bytes.
    EXPECT_GT(EmbeddingCache::entry_bytes(100, 4), one + 80);
}

TEST(EmbeddingCache, IsSafeUnderConcurrentUse) {
    EmbeddingCache cache(EmbeddingCache::entry_bytes(12, 16) * 50);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&cache, t] {
            std::vector<float> v(16, float(t)), out(16);
            for (int i = 0; i < 2000; ++i) {
                const std::string key = std::to_string((i * 7 + t) % 120) + "k";
                if (!cache.get(key, out)) cache.put(key, v);
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_LE(cache.bytes(), cache.budget());
    EXPECT_EQ(cache.hits() + cache.misses(), 8000u);
}

std::vector<float> correlated_sample(size_t n, int d, unsigned seed) {
    // Data that lives mostly in a 4-dimensional subspace, plus a little noise.
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0, 1);
    std::vector<std::vector<float>> basis(4, std::vector<float>(static_cast<size_t>(d)));
    for (auto& b : basis)
        for (auto& x : b) x = g(rng);
    std::vector<float> x(n * static_cast<size_t>(d));
    for (size_t i = 0; i < n; ++i) {
        for (int k = 0; k < 4; ++k) {
            const float c = g(rng) * float(4 - k);
            for (int j = 0; j < d; ++j)
                x[i * d + j] += c * basis[static_cast<size_t>(k)][static_cast<size_t>(j)];
        }
        for (int j = 0; j < d; ++j) x[i * d + j] += 0.01f * g(rng);
    }
    return x;
}

TEST(DimensionReducer, TruncationKeepsLeadingComponentsRenormalised) {
    DimensionReducer r(DimensionReducer::Method::Truncate, 6, 2);
    EXPECT_TRUE(r.is_trained());
    EXPECT_EQ(r.name(), "truncate");
    const float in[12] = {3, 4, 1, 1, 1, 1, 0, -2, 9, 9, 9, 9};
    float out[4];
    r.apply(in, 2, out);
    EXPECT_FLOAT_EQ(out[0], 0.6f);
    EXPECT_FLOAT_EQ(out[1], 0.8f);
    EXPECT_FLOAT_EQ(out[2], 0.0f);
    EXPECT_FLOAT_EQ(out[3], -1.0f);
    EXPECT_THROW(DimensionReducer(DimensionReducer::Method::Pca, 8, 8), EmbedError);
}

TEST(DimensionReducer, PcaTrainsAppliesAndRoundTripsThroughAFile) {
    const int d = 48;
    const auto sample = correlated_sample(500, d, 1);
    DimensionReducer r(DimensionReducer::Method::Pca, d, 4);
    EXPECT_FALSE(r.is_trained());
    std::vector<float> out(2 * 4);
    EXPECT_THROW(r.apply(sample.data(), 2, out.data()), EmbedError);
    EXPECT_THROW(r.train(sample.data(), 4), EmbedError);  // fewer vectors than components
    r.train(sample.data(), 500);
    ASSERT_TRUE(r.is_trained());
    const auto probe = correlated_sample(20, d, 2);
    std::vector<float> a(20 * 4), b(20 * 4);
    r.apply(probe.data(), 20, a.data());
    for (int i = 0; i < 20; ++i) {
        double n = 0;
        for (int j = 0; j < 4; ++j) n += double(a[i * 4 + j]) * a[i * 4 + j];
        EXPECT_NEAR(n, 1.0, 1e-4);
    }
    test::TempDir dir;
    const std::string path = dir.file("reducer.faiss");
    r.save(path);
    const DimensionReducer loaded = DimensionReducer::load(path);
    EXPECT_EQ(loaded.method(), DimensionReducer::Method::Pca);
    EXPECT_EQ(loaded.input_dim(), d);
    EXPECT_EQ(loaded.output_dim(), 4);
    loaded.apply(probe.data(), 20, b.data());
    EXPECT_EQ(a, b);
    EXPECT_THROW(DimensionReducer::load(dir.file("missing.faiss")), EmbedError);
    test::write_file(dir.file("junk.faiss"), "not a faiss file");
    EXPECT_THROW(DimensionReducer::load(dir.file("junk.faiss")), EmbedError);
    DimensionReducer untrained(DimensionReducer::Method::Pca, d, 4);
    EXPECT_THROW(untrained.save(dir.file("u.faiss")), EmbedError);
}

TEST(Endpoint, ParsesTheFormsPeopleWrite) {
    Endpoint e = parse_endpoint("127.0.0.1:11434", 11434);
    EXPECT_EQ(e.origin(), "http://127.0.0.1:11434");
    EXPECT_EQ(e.base_path, "");
    e = parse_endpoint("localhost", 11434);
    EXPECT_EQ(e.origin(), "http://localhost:11434");
    e = parse_endpoint("https://llm.example.org/v1/", 80);
    EXPECT_EQ(e.origin(), "https://llm.example.org:443");
    EXPECT_EQ(e.base_path, "/v1");
    EXPECT_EQ(e.url("/embeddings"), "https://llm.example.org:443/v1/embeddings");
    e = parse_endpoint("HTTP://[::1]:8080/openai", 80);
    EXPECT_EQ(e.host, "[::1]");
    EXPECT_EQ(e.port, 8080);
    EXPECT_EQ(e.base_path, "/openai");
    EXPECT_THROW(parse_endpoint("ftp://host", 80), EmbedError);
    EXPECT_THROW(parse_endpoint("host:99999", 80), EmbedError);
    EXPECT_THROW(parse_endpoint("http://:80", 80), EmbedError);
}

TEST(RetryBackoff, GrowsExponentiallyWithBoundedJitter) {
    using ms = std::chrono::milliseconds;
    EXPECT_EQ(backoff_delay(0, ms(100), 0.0), ms(50));
    EXPECT_EQ(backoff_delay(0, ms(100), 0.999999), ms(99));
    EXPECT_EQ(backoff_delay(3, ms(100), 0.0), ms(400));
    EXPECT_EQ(backoff_delay(30, ms(100), 0.0), kMaxBackoff / 2);
    for (int attempt = 0; attempt < 6; ++attempt) {
        const ms d = jittered_backoff(attempt, ms(10));
        EXPECT_GE(d, ms(5 << attempt));
        EXPECT_LT(d, ms(10 << attempt));
    }
}

}  // namespace
}  // namespace vcfagent::embed
