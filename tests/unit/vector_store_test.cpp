// VectorStore: exact flat search, filters inside the ANN search, IVF-PQ / HNSW recall,
// persistence and crash safety, embedder identity, deletion by source, delta merges and
// concurrent readers.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "embed/dimension_reducer.hpp"
#include "store/vector_store.hpp"
#include "support/test_env.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::store {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

const embed::EmbedderInfo kInfo{"test", "random", 16, ""};

vcf::Variant make_variant(const std::string& chrom, int64_t pos, const std::string& ref = "A",
                          const std::string& alt = "G") {
    vcf::Variant v;
    v.chrom = chrom;
    v.pos = pos;
    v.ref = ref;
    v.alt = alt;
    v.key = vcf::make_variant_key(chrom, pos, ref, alt);
    v.vclass = vcf::classify_allele(ref, alt);
    return v;
}

// A collection of n variants with vectors; attributes cycle so every filter has matches.
struct Dataset {
    int dim;
    std::vector<vcf::Variant> variants;
    std::vector<float> vectors;
    const float* row(size_t i) const { return vectors.data() + i * dim; }
};

Dataset random_dataset(size_t n, int dim, uint32_t seed, bool clustered = false) {
    Dataset d{dim, {}, {}};
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.0f, 1.0f);
    std::vector<std::vector<float>> centres(32, std::vector<float>(dim));
    for (auto& c : centres)
        for (auto& x : c) x = 4.0f * g(rng);
    const char* alts[] = {"G", "C", "T", "AT", "ACG"};
    const char* genes[] = {"BRCA1", "TP53", "", "CFTR"};
    const char* impacts[] = {"HIGH", "MODERATE", "LOW", "MODIFIER", ""};
    for (size_t i = 0; i < n; ++i) {
        const std::string chrom = i % 3 == 0 ? "chr1" : (i % 3 == 1 ? "chr2" : "chrX");
        const std::string alt = alts[i % 5];
        vcf::Variant v = make_variant(chrom, static_cast<int64_t>(1000 + i * 10),
                                      alt.size() > 1 ? "A" : "A", alt);
        if (alt.size() > 1) v.vclass = vcf::VariantClass::Insertion;
        vcf::Annotation a;
        a.gene = genes[i % 4];
        a.impact = impacts[i % 5];
        if (!a.gene.empty() || !a.impact.empty()) v.annotations.push_back(a);
        if (i % 7 != 0) v.af = static_cast<float>(i % 100) / 100.0f;
        d.variants.push_back(std::move(v));
        const auto& c = centres[i % centres.size()];
        for (int j = 0; j < dim; ++j) d.vectors.push_back((clustered ? c[j] : 0.0f) + g(rng));
    }
    return d;
}

float l2(const float* a, const float* b, int dim) {
    double s = 0;
    for (int j = 0; j < dim; ++j) s += (a[j] - b[j]) * static_cast<double>(a[j] - b[j]);
    return static_cast<float>(std::sqrt(s));
}

// Exact k nearest among rows passing `pass`, as (distance, key), computed independently.
template <typename Pass>
std::vector<std::pair<float, std::string>> brute_force(const Dataset& d, const float* q, int k,
                                                       Pass&& pass) {
    std::vector<std::pair<float, std::string>> all;
    for (size_t i = 0; i < d.variants.size(); ++i)
        if (pass(d.variants[i], i)) all.push_back({l2(q, d.row(i), d.dim), d.variants[i].key});
    std::sort(all.begin(), all.end());
    if (all.size() > static_cast<size_t>(k)) all.resize(k);
    return all;
}

std::vector<std::pair<float, std::string>> brute_force(const Dataset& d, const float* q, int k) {
    return brute_force(d, q, k, [](const vcf::Variant&, size_t) { return true; });
}

embed::EmbedderInfo info_for(int dim) {
    return {"test", "random", dim, ""};
}

std::unique_ptr<VectorStore> build_store(const fs::path& dir, const Dataset& d, IndexKind kind,
                                         VectorStoreOptions opts = {}, uint32_t source = 1) {
    opts.index = kind;
    auto vs = VectorStore::open_or_create(dir, info_for(d.dim), opts);
    vs->add(d.variants, d.vectors.data(), source);
    vs->compact();
    return vs;
}

std::set<std::string> keys_of(const std::vector<VectorHit>& hits) {
    std::set<std::string> s;
    for (const auto& h : hits) s.insert(h.key);
    return s;
}

double recall_at(const std::vector<VectorHit>& got,
                 const std::vector<std::pair<float, std::string>>& truth) {
    std::set<std::string> want;
    for (const auto& t : truth) want.insert(t.second);
    size_t hit = 0;
    for (const auto& g : got) hit += want.count(g.key);
    return truth.empty() ? 1.0 : static_cast<double>(hit) / static_cast<double>(truth.size());
}

TEST(VectorStore, FlatSearchIsExact) {
    TempDir tmp;
    const Dataset d = random_dataset(2000, 16, 1);
    auto vs = build_store(tmp.path() / "v", d, IndexKind::Flat);
    EXPECT_EQ(vs->stats().main_index, IndexKind::Flat);
    std::mt19937 rng(7);
    std::normal_distribution<float> g;
    for (int q = 0; q < 20; ++q) {
        std::vector<float> query(16);
        for (auto& x : query) x = g(rng);
        const auto hits = vs->search(query, 10);
        const auto truth = brute_force(d, query.data(), 10);
        ASSERT_EQ(hits.size(), truth.size());
        for (size_t i = 0; i < hits.size(); ++i) {
            EXPECT_EQ(hits[i].key, truth[i].second) << "query " << q << " rank " << i;
            EXPECT_NEAR(hits[i].distance, truth[i].first, 1e-4);
        }
    }
}

TEST(VectorStore, AttributesAreStoredPerRow) {
    TempDir tmp;
    const Dataset d = random_dataset(50, 16, 2);
    auto vs = build_store(tmp.path() / "v", d, IndexKind::Flat, {}, 9);
    const auto& v = d.variants[1];  // chr2, TP53, MODERATE, af 0.01
    const auto a = vs->get_attributes(v.key);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->chrom, "chr2");
    EXPECT_EQ(a->pos, v.pos);
    EXPECT_EQ(a->gene, "TP53");
    EXPECT_EQ(a->impact, Impact::Moderate);
    EXPECT_FLOAT_EQ(a->af, 0.01f);
    EXPECT_EQ(a->source, 9u);
    EXPECT_TRUE(std::isnan(vs->get_attributes(d.variants[0].key)->af));
    const auto hits = vs->search(std::span<const float>(d.row(1), 16), 1);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].key, v.key);
    EXPECT_FLOAT_EQ(hits[0].distance, 0.0f);
}

TEST(VectorStore, AddSkipsKeysAlreadyPresent) {
    TempDir tmp;
    const Dataset d = random_dataset(100, 16, 3);
    auto vs = VectorStore::open_or_create(tmp.path() / "v", kInfo);
    EXPECT_EQ(vs->add(d.variants, d.vectors.data(), 1), 100u);
    EXPECT_EQ(vs->add(d.variants, d.vectors.data(), 2), 0u);
    // A batch repeating a key adds it once.
    std::vector<vcf::Variant> twice = {make_variant("chr5", 1), make_variant("chr5", 1)};
    std::vector<float> x(32, 0.5f);
    EXPECT_EQ(vs->add(twice, x.data(), 1), 1u);
    EXPECT_EQ(vs->size(), 101u);
    EXPECT_TRUE(vs->contains(d.variants[5].key));
    EXPECT_FALSE(vs->contains("chr9:1:A:G"));
    const auto v = vs->get_vector(d.variants[5].key);
    ASSERT_TRUE(v);
    EXPECT_TRUE(std::equal(v->begin(), v->end(), d.row(5)));
}

// Rows of the filtered chromosome lie far from the query, behind hundreds of closer rows: a
// top-k search trimmed afterwards would return none of them.
class FilterInsideSearch : public ::testing::TestWithParam<IndexKind> {};

TEST_P(FilterInsideSearch, ReturnsKMatchingRowsWhereAPostFilterWouldFindNone) {
    TempDir tmp;
    const int dim = 16;
    Dataset d{dim, {}, {}};
    std::mt19937 rng(11);
    std::normal_distribution<float> g;
    for (int i = 0; i < 3000; ++i) {
        const bool far = i % 10 == 0;  // 300 rows on chrFar
        d.variants.push_back(make_variant(far ? "chrFar" : "chrNear", 100 + i));
        for (int j = 0; j < dim; ++j) d.vectors.push_back(g(rng) + (far ? 6.0f : 0.0f));
    }
    VectorStoreOptions opts;
    opts.exact_scan_max_rows = 0;  // force the filter through the index's IDSelector
    auto vs = build_store(tmp.path() / "v", d, GetParam(), opts);
    ASSERT_EQ(vs->stats().main_index, GetParam());
    const std::vector<float> query(dim, 0.0f);

    const auto unfiltered = vs->search(query, 100);
    for (const auto& h : unfiltered) ASSERT_EQ(h.attributes.chrom, "chrNear");

    VectorFilter f;
    f.chroms = {"chrFar"};
    const auto hits = vs->search(query, 10, f);
    ASSERT_EQ(hits.size(), 10u);
    for (const auto& h : hits) EXPECT_EQ(h.attributes.chrom, "chrFar");
    const auto truth = brute_force(
        d, query.data(), 10, [](const vcf::Variant& v, size_t) { return v.chrom == "chrFar"; });
    EXPECT_GE(recall_at(hits, truth), 0.9);
    if (GetParam() == IndexKind::Flat) {
        EXPECT_EQ(hits[0].key, truth[0].second);
    }

    // More results asked than rows match: all of them.
    f.regions = {{"chrFar", 100, 600}};
    const auto few = vs->search(query, 100, f);
    EXPECT_EQ(few.size(), 51u);  // positions 100, 110, ..., 600
}

INSTANTIATE_TEST_SUITE_P(Kinds, FilterInsideSearch,
                         ::testing::Values(IndexKind::Flat, IndexKind::Hnsw, IndexKind::IvfPq),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(VectorStore, EveryFilterReturnsOnlyMatchingRowsAndExactTopK) {
    TempDir tmp;
    const Dataset d = random_dataset(3000, 16, 5);
    auto vs = build_store(tmp.path() / "v", d, IndexKind::Flat, {}, 1);
    // A second source for the source filter.
    Dataset extra = random_dataset(200, 16, 6);
    for (auto& v : extra.variants) {
        v.chrom = "chr7";
        v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
    }
    vs->add(extra.variants, extra.vectors.data(), 2);

    std::vector<float> query(16, 0.1f);
    struct Case {
        std::string name;
        VectorFilter filter;
        std::function<bool(const VariantAttributes&)> pass;
    };
    std::vector<Case> cases;
    {
        VectorFilter f;
        f.chroms = {"chrX"};
        cases.push_back({"chrom", f, [](const VariantAttributes& a) { return a.chrom == "chrX"; }});
    }
    {
        VectorFilter f;
        f.chroms = {"2"};  // alias of chr2
        cases.push_back(
            {"chrom alias", f, [](const VariantAttributes& a) { return a.chrom == "chr2"; }});
    }
    {
        VectorFilter f;
        f.regions = {{"chr1", 5000, 15000}};
        cases.push_back({"region", f, [](const VariantAttributes& a) {
                             return a.chrom == "chr1" && a.pos >= 5000 && a.pos <= 15000;
                         }});
    }
    {
        VectorFilter f;
        f.classes = {vcf::VariantClass::Insertion};
        cases.push_back({"class", f, [](const VariantAttributes& a) {
                             return a.vclass == vcf::VariantClass::Insertion;
                         }});
    }
    {
        VectorFilter f;
        f.genes = {"tp53"};
        cases.push_back({"gene", f, [](const VariantAttributes& a) { return a.gene == "TP53"; }});
    }
    {
        VectorFilter f;
        f.impacts = {Impact::High};
        cases.push_back(
            {"impact", f, [](const VariantAttributes& a) { return a.impact == Impact::High; }});
    }
    {
        VectorFilter f;
        f.min_af = 0.2f;
        f.max_af = 0.3f;
        cases.push_back(
            {"af", f, [](const VariantAttributes& a) { return a.af >= 0.2f && a.af <= 0.3f; }});
    }
    {
        VectorFilter f;
        f.sources = {2};
        cases.push_back({"source", f, [](const VariantAttributes& a) { return a.source == 2; }});
    }
    {
        VectorFilter f;
        f.chroms = {"chr1"};
        f.impacts = {Impact::High, Impact::Moderate};
        f.genes = {"BRCA1", "CFTR"};
        cases.push_back({"combined", f, [](const VariantAttributes& a) {
                             return a.chrom == "chr1" &&
                                    (a.impact == Impact::High || a.impact == Impact::Moderate) &&
                                    (a.gene == "BRCA1" || a.gene == "CFTR");
                         }});
    }
    {
        VectorFilter f;
        f.genes = {"NOSUCHGENE"};
        cases.push_back({"no match", f, [](const VariantAttributes&) { return false; }});
    }
    // Truth over both datasets, with attributes read back from the store.
    Dataset all = d;
    all.variants.insert(all.variants.end(), extra.variants.begin(), extra.variants.end());
    all.vectors.insert(all.vectors.end(), extra.vectors.begin(), extra.vectors.end());
    for (const bool exact_scan : {true, false}) {
        if (!exact_scan) {
            VectorStoreOptions o;
            o.exact_scan_max_rows = 0;
            vs.reset();
            vs = VectorStore::open(tmp.path() / "v", o);
        }
        for (const auto& c : cases) {
            const auto hits = vs->search(query, 10, c.filter);
            const auto truth = brute_force(
                all, query.data(), 10,
                [&](const vcf::Variant& v, size_t) { return c.pass(*vs->get_attributes(v.key)); });
            ASSERT_EQ(hits.size(), truth.size()) << c.name;
            for (size_t i = 0; i < hits.size(); ++i) {
                EXPECT_TRUE(c.pass(hits[i].attributes)) << c.name << " " << hits[i].key;
                EXPECT_EQ(hits[i].key, truth[i].second) << c.name << " rank " << i;
            }
        }
        vs->commit();
    }
}

// recall@10 of the approximate indexes against exact search with their default parameters,
// on clustered vectors (a Gaussian mixture, like real embeddings) and on isotropic Gaussian
// ones (no structure at all). Queries come from the same distribution but are not stored.
class Recall : public ::testing::TestWithParam<std::tuple<IndexKind, bool>> {};

TEST_P(Recall, AtTenIsAtLeast95Percent) {
    const auto [kind, clustered] = GetParam();
    TempDir tmp;
    const int dim = 64, n = 5000, nq = 200;
    Dataset all = random_dataset(n + nq, dim, 21, clustered);
    Dataset d{dim,
              {all.variants.begin(), all.variants.begin() + n},
              {all.vectors.begin(), all.vectors.begin() + static_cast<size_t>(n) * dim}};
    auto vs = build_store(tmp.path() / "v", d, kind);
    ASSERT_EQ(vs->stats().main_index, kind);
    auto measure = [&](const SearchTuning& tuning) {
        double total = 0;
        for (int q = 0; q < nq; ++q) {
            const float* query = all.row(static_cast<size_t>(n + q));
            const auto hits = vs->search(std::span<const float>(query, dim), 10, {}, tuning);
            EXPECT_EQ(hits.size(), 10u);
            total += recall_at(hits, brute_force(d, query, 10));
        }
        return total / nq;
    };
    const double recall = measure({});
    std::printf("[ recall   ] %s %s: recall@10 = %.4f (defaults)\n",
                std::string(to_string(kind)).c_str(), clustered ? "clustered" : "gaussian", recall);
    if (kind == IndexKind::IvfPq && !clustered) {
        // Without clusters the coarse quantizer cannot narrow anything down: the neighbours
        // of a point are spread over most lists. Probing them all must still be accurate,
        // which checks the PQ codes and the exact re-ranking.
        SearchTuning all_lists;
        all_lists.nprobe = vs->stats().nlist;
        const double full = measure(all_lists);
        std::printf("[ recall   ] ivfpq gaussian, all %d lists probed: recall@10 = %.4f\n",
                    all_lists.nprobe, full);
        EXPECT_GE(full, 0.95);
        return;
    }
    EXPECT_GE(recall, 0.95);
}

INSTANTIATE_TEST_SUITE_P(Kinds, Recall,
                         ::testing::Combine(::testing::Values(IndexKind::Hnsw, IndexKind::IvfPq),
                                            ::testing::Bool()),
                         [](const auto& info) {
                             return std::string(to_string(std::get<0>(info.param))) +
                                    (std::get<1>(info.param) ? "_clustered" : "_gaussian");
                         });

class Persistence : public ::testing::TestWithParam<IndexKind> {};

TEST_P(Persistence, ReopenGivesTheSameResults) {
    TempDir tmp;
    const Dataset d = random_dataset(3000, 32, 31, true);
    const fs::path dir = tmp.path() / "v";
    std::vector<std::vector<VectorHit>> before;
    const Dataset queries = random_dataset(20, 32, 32, true);
    VectorFilter f;
    f.chroms = {"chr2"};
    {
        auto vs = build_store(dir, d, GetParam());
        // Leave something in the delta and a deleted source too.
        Dataset late = random_dataset(300, 32, 33, true);
        for (auto& v : late.variants) {
            v.chrom = "chr9";
            v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
        }
        vs->add(late.variants, late.vectors.data(), 3);
        Dataset gone = random_dataset(40, 32, 34, true);
        for (auto& v : gone.variants) {
            v.chrom = "chr8";
            v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
        }
        vs->add(gone.variants, gone.vectors.data(), 4);
        EXPECT_EQ(vs->remove_source(4), 40u);
        vs->commit(42);
        for (size_t q = 0; q < 20; ++q) {
            before.push_back(vs->search(std::span<const float>(queries.row(q), 32), 10));
            before.push_back(vs->search(std::span<const float>(queries.row(q), 32), 10, f));
        }
        const auto st = vs->stats();
        EXPECT_EQ(st.delta_rows, 340u);
        EXPECT_EQ(st.deleted_rows, 40u);
    }
    VectorStoreOptions ro;
    ro.read_only = true;
    auto vs = VectorStore::open(dir, ro);
    EXPECT_EQ(vs->last_committed_batch(), 42u);
    EXPECT_EQ(vs->size(), 3300u);
    EXPECT_EQ(vs->stats().main_index, GetParam());
    size_t i = 0;
    for (size_t q = 0; q < 20; ++q) {
        const VectorFilter none;
        for (const VectorFilter* filter : {&none, static_cast<const VectorFilter*>(&f)}) {
            const auto hits = vs->search(std::span<const float>(queries.row(q), 32), 10, *filter);
            const auto& want = before[i++];
            ASSERT_EQ(hits.size(), want.size());
            for (size_t r = 0; r < hits.size(); ++r) {
                EXPECT_EQ(hits[r].key, want[r].key);
                EXPECT_FLOAT_EQ(hits[r].distance, want[r].distance);
                EXPECT_EQ(hits[r].attributes.chrom, want[r].attributes.chrom);
                EXPECT_EQ(hits[r].attributes.gene, want[r].attributes.gene);
            }
        }
    }
    EXPECT_THROW(vs->add(d.variants, d.vectors.data(), 1), StoreError);
}

INSTANTIATE_TEST_SUITE_P(Kinds, Persistence,
                         ::testing::Values(IndexKind::Flat, IndexKind::Hnsw, IndexKind::IvfPq),
                         [](const auto& info) { return std::string(to_string(info.param)); });

struct SimulatedCrash : std::runtime_error {
    SimulatedCrash() : std::runtime_error("simulated crash") {}
};

TEST(VectorStore, CrashBeforeTheManifestSwapKeepsThePreviousVersion) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "v";
    const Dataset d = random_dataset(600, 16, 41);
    const std::span<const vcf::Variant> all(d.variants);
    {
        auto vs = VectorStore::open_or_create(dir, kInfo);
        vs->add(all.first(300), d.vectors.data(), 1);
        vs->commit(1);
    }
    {
        VectorStoreOptions o;
        o.commit_hook = [](const std::string& stage) {
            if (stage == "version_written") throw SimulatedCrash();
        };
        auto vs = VectorStore::open(dir, o);
        vs->add(all.subspan(300), d.row(300), 1);
        EXPECT_THROW(vs->commit(2), SimulatedCrash);
    }
    // The unfinished version directory is still there, unreferenced.
    size_t version_dirs = 0;
    for (const auto& e : fs::directory_iterator(dir))
        version_dirs += e.path().filename().string()[0] == 'v';
    EXPECT_EQ(version_dirs, 3u);  // v1 (create), v2 (batch 1), v3 (torn)

    VectorStoreOptions ro;
    ro.read_only = true;
    auto reader = VectorStore::open(dir, ro);
    EXPECT_EQ(reader->last_committed_batch(), 1u);
    EXPECT_EQ(reader->size(), 300u);
    EXPECT_TRUE(reader->open_note().empty());
    reader.reset();

    auto vs = VectorStore::open(dir);  // a writer cleans the torn directory
    EXPECT_FALSE(fs::exists(dir / version_dir_name(3)));
    EXPECT_EQ(vs->size(), 300u);
    vs->add(all.subspan(300), d.row(300), 1);
    vs->commit(2);
    EXPECT_EQ(vs->size(), 600u);
}

TEST(VectorStore, CorruptNewestVersionFallsBackToThePreviousOne) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "v";
    const Dataset d = random_dataset(600, 16, 43);
    const std::span<const vcf::Variant> all(d.variants);
    std::string newest;
    {
        auto vs = VectorStore::open_or_create(dir, kInfo);
        vs->add(all.first(300), d.vectors.data(), 1);
        vs->commit(1);
        vs->add(all.subspan(300), d.row(300), 1);
        vs->commit(2);
        newest = version_dir_name(vs->stats().version);
    }
    {
        // Flip one byte in a file only the newest version has.
        std::fstream f(dir / newest / "seg.300-600.cols",
                       std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(100);
        char c;
        f.get(c);
        f.seekp(100);
        f.put(static_cast<char>(c ^ 0x5a));
    }
    VectorStoreOptions ro;
    ro.read_only = true;
    auto reader = VectorStore::open(dir, ro);
    EXPECT_EQ(reader->last_committed_batch(), 1u);
    EXPECT_EQ(reader->size(), 300u);
    EXPECT_NE(reader->open_note().find("damaged"), std::string::npos) << reader->open_note();
    EXPECT_NE(reader->open_note().find("seg.300-600.cols"), std::string::npos)
        << reader->open_note();
    reader.reset();

    VectorStoreOptions strict;
    strict.read_only = true;
    strict.fall_back_to_previous = false;
    EXPECT_THROW(VectorStore::open(dir, strict), StoreError);

    // A writer makes the fallback durable and builds on it.
    auto vs = VectorStore::open(dir);
    EXPECT_EQ(vs->last_committed_batch(), 1u);
    vs->add(all.subspan(300), d.row(300), 1);
    vs->commit(2);
    vs.reset();
    EXPECT_EQ(VectorStore::open(dir, ro)->size(), 600u);
}

TEST(VectorStore, ManySmallCommitsKeepFewSegmentsAndReopenIdentically) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "v";
    const Dataset d = random_dataset(1400, 16, 47);
    const std::span<const vcf::Variant> all(d.variants);
    std::string newest;
    {
        auto vs = VectorStore::open_or_create(dir, kInfo);
        for (size_t i = 0; i < 1400; i += 20) {  // 70 commits: past the segment limit
            vs->add(all.subspan(i, 20), d.row(i), 1);
            vs->commit(i / 20 + 1);
        }
        newest = version_dir_name(vs->stats().version);
    }
    size_t segment_files = 0;
    for (const auto& entry : fs::directory_iterator(dir / newest))
        segment_files += entry.path().filename().string().rfind("seg.", 0) == 0;
    EXPECT_GT(segment_files, 0u);
    EXPECT_LE(segment_files, 2u * 64u);  // .cols + .f32 per segment
    VectorStoreOptions ro;
    ro.read_only = true;
    auto reader = VectorStore::open(dir, ro);
    EXPECT_EQ(reader->size(), 1400u);
    EXPECT_EQ(reader->last_committed_batch(), 70u);
    for (size_t i : {0u, 699u, 1399u}) {
        auto v = reader->get_vector(d.variants[i].key);
        ASSERT_TRUE(v.has_value()) << d.variants[i].key;
        EXPECT_TRUE(std::equal(v->begin(), v->end(), d.row(i))) << d.variants[i].key;
        auto hits = reader->search(*v, 1);
        ASSERT_EQ(hits.size(), 1u);
        EXPECT_EQ(hits[0].key, d.variants[i].key);
    }
}

TEST(VectorStore, RevertToPreviousUndoesTheLastCommit) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "v";
    const Dataset d = random_dataset(200, 16, 45);
    const std::span<const vcf::Variant> all(d.variants);
    auto vs = VectorStore::open_or_create(dir, kInfo);
    vs->add(all.first(100), d.vectors.data(), 1);
    vs->commit(7);
    vs->add(all.subspan(100), d.row(100), 1);
    vs->commit(8);
    ASSERT_TRUE(vs->revert_to_previous());
    EXPECT_EQ(vs->last_committed_batch(), 7u);
    EXPECT_EQ(vs->size(), 100u);
    vs.reset();
    VectorStoreOptions ro;
    ro.read_only = true;
    EXPECT_EQ(VectorStore::open(dir, ro)->last_committed_batch(), 7u);
}

TEST(VectorStore, RollbackDiscardsUncommittedRows) {
    TempDir tmp;
    const Dataset d = random_dataset(200, 16, 47);
    const std::span<const vcf::Variant> all(d.variants);
    auto vs = VectorStore::open_or_create(tmp.path() / "v", kInfo);
    vs->add(all.first(100), d.vectors.data(), 1);
    vs->commit(1);
    vs->add(all.subspan(100), d.row(100), 1);
    EXPECT_EQ(vs->size(), 200u);
    vs->rollback();
    EXPECT_EQ(vs->size(), 100u);
    EXPECT_FALSE(vs->contains(d.variants[150].key));
}

TEST(VectorStore, RefusesADifferentEmbedder) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "v";
    VectorStore::open_or_create(dir, {"builtin", "v1", 64, ""});
    const embed::EmbedderInfo other{"ollama", "nomic-embed-text", 768, ""};
    try {
        VectorStore::open_or_create(dir, other);
        FAIL() << "a store built with another embedder was opened";
    } catch (const StoreError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("builtin v1 (dim 64)"), std::string::npos) << msg;
        EXPECT_NE(msg.find("ollama nomic-embed-text (dim 768)"), std::string::npos) << msg;
    }
    VectorStoreOptions ro;
    ro.read_only = true;
    auto vs = VectorStore::open(dir, ro);
    EXPECT_THROW(vs->check_embedder(other), StoreError);
    EXPECT_NO_THROW(vs->check_embedder({"builtin", "v1", 64, ""}));
    EXPECT_THROW(vs->check_embedder({"builtin", "v1", 64, "pca"}), StoreError);
    // A query of the wrong size is refused too.
    std::vector<float> q(768, 0.0f);
    EXPECT_THROW(vs->search(q, 10), StoreError);
}

TEST(VectorStore, OneWriterAtATime) {
    TempDir tmp;
    auto vs = VectorStore::open_or_create(tmp.path() / "v", kInfo);
    EXPECT_THROW(VectorStore::open(tmp.path() / "v"), StoreError);
    VectorStoreOptions ro;
    ro.read_only = true;
    EXPECT_NO_THROW(VectorStore::open(tmp.path() / "v", ro));
    EXPECT_THROW(VectorStore::open(tmp.path() / "missing", ro), StoreError);
}

class RemoveSource : public ::testing::TestWithParam<IndexKind> {};

TEST_P(RemoveSource, DeletesEveryRowOfTheSource) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "v";
    Dataset a = random_dataset(2000, 16, 51, true);
    Dataset b = random_dataset(2000, 16, 52, true);
    for (auto& v : b.variants) {
        v.chrom = "chrB";
        v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
    }
    VectorStoreOptions opts;
    opts.rebuild_deleted_fraction = 0.9;  // keep tombstones first
    opts.exact_scan_max_rows = 0;         // search through the index with the tombstones
    auto vs = build_store(dir, a, GetParam(), opts, 1);
    vs->add(b.variants, b.vectors.data(), 2);
    vs->compact();
    EXPECT_EQ(vs->size(), 4000u);
    EXPECT_EQ(vs->remove_source(1), 2000u);
    EXPECT_EQ(vs->remove_source(1), 0u);
    EXPECT_EQ(vs->size(), 2000u);
    EXPECT_FALSE(vs->contains(a.variants[0].key));
    EXPECT_FALSE(vs->get_vector(a.variants[0].key));
    EXPECT_TRUE(vs->contains(b.variants[0].key));
    auto check = [&](const VectorStore& s) {
        for (size_t q = 0; q < 10; ++q) {
            const auto hits = s.search(std::span<const float>(a.row(q), 16), 10);
            ASSERT_EQ(hits.size(), 10u);
            for (const auto& h : hits) EXPECT_EQ(h.attributes.source, 2u) << h.key;
        }
    };
    check(*vs);
    vs->commit(3);
    vs.reset();
    vs = VectorStore::open(dir, opts);
    check(*vs);
    EXPECT_EQ(vs->stats().deleted_rows, 2000u);
    // A compaction drops the tombstones and renumbers; results stay right.
    vs->compact();
    EXPECT_EQ(vs->stats().deleted_rows, 0u);
    EXPECT_EQ(vs->size(), 2000u);
    check(*vs);
    // A removed key can come back.
    vs->add(std::span<const vcf::Variant>(a.variants).first(1), a.vectors.data(), 5);
    EXPECT_TRUE(vs->contains(a.variants[0].key));
    EXPECT_EQ(vs->search(std::span<const float>(a.row(0), 16), 1)[0].key, a.variants[0].key);
}

INSTANTIATE_TEST_SUITE_P(Kinds, RemoveSource,
                         ::testing::Values(IndexKind::Flat, IndexKind::Hnsw, IndexKind::IvfPq),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(VectorStore, DeltaMergeKeepsResultsIdentical) {
    TempDir tmp;
    const Dataset d = random_dataset(3000, 16, 61);
    const Dataset queries = random_dataset(30, 16, 62);
    VectorStoreOptions big_delta;
    big_delta.delta_merge_rows = 1000000;
    big_delta.index = IndexKind::Flat;
    auto unmerged = VectorStore::open_or_create(tmp.path() / "a", kInfo, big_delta);
    unmerged->add(d.variants, d.vectors.data(), 1);
    EXPECT_EQ(unmerged->stats().delta_rows, 3000u);

    VectorStoreOptions small_delta;
    small_delta.delta_merge_rows = 700;  // merges several times while adding
    small_delta.index = IndexKind::Flat;
    auto merged = VectorStore::open_or_create(tmp.path() / "b", kInfo, small_delta);
    for (size_t i = 0; i < 3000; i += 250)
        merged->add(std::span<const vcf::Variant>(d.variants).subspan(i, 250), d.row(i), 1);
    EXPECT_LT(merged->stats().delta_rows, 700u);
    EXPECT_GT(merged->stats().main_rows, 2000u);
    VectorFilter f;
    f.impacts = {Impact::Low};
    for (size_t q = 0; q < 30; ++q) {
        const std::span<const float> query(queries.row(q), 16);
        const VectorFilter none;
        for (const VectorFilter* filter : {&none, static_cast<const VectorFilter*>(&f)}) {
            const auto x = unmerged->search(query, 10, *filter);
            const auto y = merged->search(query, 10, *filter);
            ASSERT_EQ(x.size(), y.size());
            for (size_t i = 0; i < x.size(); ++i) {
                EXPECT_EQ(x[i].key, y[i].key);
                EXPECT_FLOAT_EQ(x[i].distance, y[i].distance);
            }
        }
    }
    // Merging explicitly gives the same answers again.
    unmerged->compact();
    EXPECT_EQ(unmerged->stats().delta_rows, 0u);
    for (size_t q = 0; q < 30; ++q) {
        const std::span<const float> query(queries.row(q), 16);
        EXPECT_EQ(keys_of(unmerged->search(query, 10)), keys_of(merged->search(query, 10)));
    }
}

TEST(VectorStore, HnswDeltaMergeKeepsEveryRowFindable) {
    TempDir tmp;
    const Dataset d = random_dataset(4000, 32, 63, true);
    VectorStoreOptions o;
    o.index = IndexKind::Hnsw;
    o.delta_merge_rows = 1500;
    auto vs = VectorStore::open_or_create(tmp.path() / "v", info_for(32), o);
    for (size_t i = 0; i < 4000; i += 500)
        vs->add(std::span<const vcf::Variant>(d.variants).subspan(i, 500), d.row(i), 1);
    EXPECT_EQ(vs->stats().main_index, IndexKind::Hnsw);
    EXPECT_EQ(vs->stats().main_rows, 3000u);
    SearchTuning wide;
    wide.ef_search = 256;
    for (size_t i = 0; i < 4000; i += 37) {
        const auto hits = vs->search(std::span<const float>(d.row(i), 32), 1, {}, wide);
        ASSERT_EQ(hits.size(), 1u);
        EXPECT_EQ(hits[0].key, d.variants[i].key);
    }
}

TEST(VectorStore, AutoIndexFollowsTheCollectionSize) {
    TempDir tmp;
    const Dataset d = random_dataset(3000, 16, 71, true);
    VectorStoreOptions o;
    o.flat_max_rows = 2000;
    o.delta_merge_rows = 1000;
    auto vs = VectorStore::open_or_create(tmp.path() / "v", kInfo, o);
    vs->add(std::span<const vcf::Variant>(d.variants).first(1500), d.vectors.data(), 1);
    EXPECT_EQ(vs->stats().main_index, IndexKind::Flat);
    vs->add(std::span<const vcf::Variant>(d.variants).subspan(1500), d.row(1500), 1);
    vs->compact();
    EXPECT_EQ(vs->stats().main_index, IndexKind::IvfPq);
    EXPECT_EQ(vs->stats().requested_index, IndexKind::Auto);
    EXPECT_GT(vs->stats().nlist, 0);
    vs->set_index_kind(IndexKind::Hnsw);
    vs->compact();
    EXPECT_EQ(vs->stats().main_index, IndexKind::Hnsw);
    vs->commit();
    vs.reset();
    VectorStoreOptions ro;
    ro.read_only = true;
    auto again = VectorStore::open(tmp.path() / "v", ro);
    EXPECT_EQ(again->stats().requested_index, IndexKind::Hnsw);
    EXPECT_EQ(again->stats().main_index, IndexKind::Hnsw);
}

TEST(VectorStore, KeepsTheDimensionReducer) {
    TempDir tmp;
    const fs::path dir = tmp.path() / "v";
    {
        auto vs = VectorStore::open_or_create(dir, {"ollama", "m", 16, "truncate"});
        EXPECT_FALSE(vs->reducer_file());
        embed::DimensionReducer r(embed::DimensionReducer::Method::Truncate, 32, 16);
        vs->set_reducer(r);
        vs->commit();
        vs->commit();  // carried into later versions
    }
    VectorStoreOptions ro;
    ro.read_only = true;
    auto vs = VectorStore::open(dir, ro);
    ASSERT_TRUE(vs->reducer_file());
    const auto r = embed::DimensionReducer::load(vs->reducer_file()->string());
    EXPECT_EQ(r.input_dim(), 32);
    EXPECT_EQ(r.output_dim(), 16);
}

TEST(VectorStore, SearchesRunSafelyDuringAddsAndCommits) {
    TempDir tmp;
    const Dataset d = random_dataset(6000, 16, 81, true);
    VectorStoreOptions o;
    o.delta_merge_rows = 1000;
    o.flat_max_rows = 2500;  // crosses into IVF-PQ while readers search
    auto vs = VectorStore::open_or_create(tmp.path() / "v", kInfo, o);
    vs->add(std::span<const vcf::Variant>(d.variants).first(500), d.vectors.data(), 1);
    std::atomic<bool> stop{false};
    std::atomic<size_t> searches{0}, bad{0}, self_missed{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t) {
        readers.emplace_back([&, t] {
            VectorFilter f;
            f.chroms = {"chr1"};
            size_t q = static_cast<size_t>(t);
            while (!stop) {
                const std::span<const float> query(d.row(q % 500), 16);
                const auto hits = vs->search(query, 10, t == 2 ? f : VectorFilter{});
                // The first 500 rows are always there, so a full k is always found.
                if (hits.size() != 10) ++bad;
                // HNSW is approximate: the query's own row may rarely be missed.
                if (t != 2 && hits.front().key != d.variants[q % 500].key) ++self_missed;
                if (!vs->contains(d.variants[q % 500].key)) ++bad;
                ++searches;
                ++q;
            }
        });
    }
    auto join = [&] {
        stop = true;
        for (auto& r : readers)
            if (r.joinable()) r.join();
    };
    try {
        for (size_t i = 500; i < 6000; i += 250) {
            vs->add(std::span<const vcf::Variant>(d.variants).subspan(i, 250), d.row(i), 1);
            if (i % 1000 == 0) vs->commit(i);
        }
        vs->compact();
        vs->commit(9999);
    } catch (...) {
        join();
        throw;
    }
    join();
    EXPECT_EQ(bad.load(), 0u);
    EXPECT_GT(searches.load(), 0u);
    EXPECT_LE(self_missed.load(), searches.load() / 50);
    EXPECT_EQ(vs->size(), 6000u);
}

TEST(VectorStore, ManifestRoundTrips) {
    Manifest m;
    m.current.version = 12;
    m.current.dir = version_dir_name(12);
    m.current.last_batch_id = 5;
    m.current.rows = 10;
    m.current.main_rows = 8;
    m.current.embedder = {"builtin", "v1", 64, ""};
    m.current.main_index = IndexKind::Hnsw;
    m.current.sources[3] = "/data/a.vcf.gz";
    m.current.files.push_back({"main.faiss", {123, 0xabcdef0123456789ull}});
    const Manifest back = manifest_from_json(manifest_to_json(m), "test");
    EXPECT_EQ(back.current.dir, "v000012");
    EXPECT_EQ(back.current.last_batch_id, 5u);
    EXPECT_EQ(back.current.embedder, m.current.embedder);
    EXPECT_EQ(back.current.main_index, IndexKind::Hnsw);
    EXPECT_EQ(back.current.sources.at(3), "/data/a.vcf.gz");
    ASSERT_EQ(back.current.files.size(), 1u);
    EXPECT_EQ(back.current.files[0].digest.hash, 0xabcdef0123456789ull);
    EXPECT_FALSE(back.previous);
    EXPECT_THROW(manifest_from_json("{\"format\": 1}", "test"), StoreError);
    uint64_t v;
    EXPECT_FALSE(parse_version_dir_name("v12", v));
    EXPECT_TRUE(parse_version_dir_name("v000012", v));
    EXPECT_EQ(v, 12u);
}

TEST(VectorStore, ContentHashDoesNotDependOnChunking) {
    std::string data(1000, '\0');
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
    ContentHash whole;
    whole.update(data.data(), data.size());
    ContentHash pieces;
    for (size_t i = 0; i < data.size();) {
        const size_t n = std::min<size_t>(1 + i % 13, data.size() - i);
        pieces.update(data.data() + i, n);
        i += n;
    }
    EXPECT_EQ(whole.digest(), pieces.digest());
    data[500] ^= 1;
    ContentHash flipped;
    flipped.update(data.data(), data.size());
    EXPECT_NE(whole.digest(), flipped.digest());
}

}  // namespace
}  // namespace vcfagent::store
