// The variant index's parts: the ANN index kinds (exact flat, IVF-Flat, IVF-SQ8, HNSW) and the
// filter columns evaluated inside their search. Answers are checked against a brute-force
// search written here, independently of FAISS.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "index/ann_index.hpp"
#include "index/variant_attributes.hpp"
#include "index/vector_filter.hpp"
#include "support/test_env.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::index {
namespace {

struct Dataset {
    int dim = 16;
    std::vector<vcf::Variant> variants;
    std::vector<uint32_t> sources;
    std::vector<float> vectors;
    AttributeColumns columns;
    const float* row(size_t i) const { return vectors.data() + i * dim; }
};

// Clustered vectors; attributes cycle so that every filter has matches. Every fifth variant
// has a second gene, as a variant in two overlapping genes does.
Dataset make_dataset(size_t n, uint32_t seed) {
    Dataset d;
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.0f, 1.0f);
    std::vector<std::vector<float>> centres(24, std::vector<float>(d.dim));
    for (auto& c : centres)
        for (auto& x : c) x = 4.0f * g(rng);
    const char* genes[] = {"BRCA1", "TP53", "", "CFTR"};
    const char* impacts[] = {"HIGH", "MODERATE", "LOW", "MODIFIER", ""};
    for (size_t i = 0; i < n; ++i) {
        vcf::Variant v;
        v.chrom = i % 3 == 0 ? "chr1" : (i % 3 == 1 ? "chr2" : "chrX");
        v.pos = static_cast<int64_t>(1000 + i * 10);
        v.ref = "A";
        v.alt = i % 4 == 0 ? "AT" : "G";
        v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
        v.vclass = vcf::classify_allele(v.ref, v.alt);
        vcf::Annotation a;
        a.gene = genes[i % 4];
        a.impact = impacts[i % 5];
        if (!a.gene.empty() || !a.impact.empty()) v.annotations.push_back(a);
        if (i % 5 == 0) {
            vcf::Annotation b;
            b.gene = "OVERLAP" + std::to_string(i % 2);
            b.impact = "MODIFIER";
            v.annotations.push_back(b);
        }
        if (i % 7 != 0) v.af = static_cast<float>(i % 100) / 100.0f;
        d.sources.push_back(1 + static_cast<uint32_t>(i % 2));
        d.columns.append(v, d.sources.back());
        d.variants.push_back(std::move(v));
        const auto& c = centres[i % centres.size()];
        for (int j = 0; j < d.dim; ++j) d.vectors.push_back(c[j] + g(rng));
    }
    return d;
}

float l2sq(const float* a, const float* b, int dim) {
    double s = 0;
    for (int j = 0; j < dim; ++j) s += (a[j] - b[j]) * static_cast<double>(a[j] - b[j]);
    return static_cast<float>(s);
}

bool has_gene(const vcf::Variant& v, const std::string& gene) {
    for (const auto& a : v.annotations)
        if (a.gene == gene) return true;
    return false;
}

// Row numbers of the exact k nearest among rows passing `pass`.
template <typename Pass>
std::vector<int64_t> brute_force(const Dataset& d, const float* q, int k, Pass&& pass) {
    std::vector<std::pair<float, int64_t>> all;
    for (size_t i = 0; i < d.variants.size(); ++i)
        if (pass(i)) all.push_back({l2sq(q, d.row(i), d.dim), static_cast<int64_t>(i)});
    std::sort(all.begin(), all.end());
    std::vector<int64_t> rows;
    for (size_t i = 0; i < all.size() && i < static_cast<size_t>(k); ++i)
        rows.push_back(all[i].second);
    return rows;
}

std::vector<Neighbor> run(const AnnIndex& ann, const Dataset& d, const float* q, int k,
                          const VectorFilter& f) {
    std::vector<Neighbor> out;
    if (f.empty()) {
        ann.search(q, k, nullptr, 1.0, {}, out);
        return out;
    }
    const RowBitmap bits = select_rows(d.columns, f);
    BitmapSelector selector(bits, 0);
    ann.search(q, k, &selector,
               static_cast<double>(bits.count()) / static_cast<double>(d.variants.size()), {}, out);
    return out;
}

struct FilterCase {
    const char* name;
    VectorFilter filter;
    std::function<bool(size_t)> pass;
};

std::vector<FilterCase> filter_cases(const Dataset& d) {
    std::vector<FilterCase> cases;
    auto add = [&](const char* name, auto set, std::function<bool(size_t)> pass) {
        VectorFilter f;
        set(f);
        cases.push_back({name, f, std::move(pass)});
    };
    add(
        "chrom spelled without chr", [](VectorFilter& f) { f.chroms = {"2"}; },
        [&](size_t i) { return d.variants[i].chrom == "chr2"; });
    add(
        "region",
        [](VectorFilter& f) {
            f.regions = {{"chr1", 5000, 9000}};
        },
        [&](size_t i) {
            const auto& v = d.variants[i];
            return v.chrom == "chr1" && v.pos >= 5000 && v.pos <= 9000;
        });
    add(
        "class", [](VectorFilter& f) { f.classes = {vcf::VariantClass::Insertion}; },
        [&](size_t i) { return d.variants[i].vclass == vcf::VariantClass::Insertion; });
    add(
        "primary gene", [](VectorFilter& f) { f.genes = {"TP53"}; },
        [&](size_t i) { return has_gene(d.variants[i], "TP53"); });
    add(
        "second gene", [](VectorFilter& f) { f.genes = {"OVERLAP1"}; },
        [&](size_t i) { return has_gene(d.variants[i], "OVERLAP1"); });
    add(
        "gene symbols are exact", [](VectorFilter& f) { f.genes = {"tp53"}; },
        [](size_t) { return false; });
    add(
        "impact", [](VectorFilter& f) { f.impacts = {Impact::High}; },
        [&](size_t i) { return worst_impact(d.variants[i]) == Impact::High; });
    add(
        "AF range (no AF never matches)",
        [](VectorFilter& f) {
            f.min_af = 0.2f;
            f.max_af = 0.3f;
        },
        [&](size_t i) {
            const float af = d.variants[i].af;
            return !std::isnan(af) && af >= 0.2f && af <= 0.3f;
        });
    add(
        "source", [](VectorFilter& f) { f.sources = {2}; },
        [&](size_t i) { return d.sources[i] == 2; });
    add(
        "combined",
        [](VectorFilter& f) {
            f.chroms = {"chrX"};
            f.classes = {vcf::VariantClass::Snv};
        },
        [&](size_t i) {
            return d.variants[i].chrom == "chrX" && d.variants[i].vclass == vcf::VariantClass::Snv;
        });
    return cases;
}

TEST(AnnIndex, FlatIsExactWithAndWithoutEveryFilter) {
    const auto d = make_dataset(3000, 1);
    auto ann = AnnIndex::build(IndexKind::Flat, d.dim, {{d.vectors.data(), 3000}}, {});
    for (const auto& c : filter_cases(d)) {
        SCOPED_TRACE(c.name);
        for (size_t q : {0u, 777u, 2999u}) {
            const auto want = brute_force(d, d.row(q), 10, c.pass);
            const auto got = run(*ann, d, d.row(q), 10, c.filter);
            ASSERT_EQ(got.size(), want.size());
            for (size_t i = 0; i < got.size(); ++i) {
                EXPECT_TRUE(c.pass(static_cast<size_t>(got[i].row)));
                EXPECT_NEAR(got[i].distance, l2sq(d.row(q), d.row(want[i]), d.dim), 1e-3);
            }
        }
    }
    const auto all = brute_force(d, d.row(5), 10, [](size_t) { return true; });
    const auto got = run(*ann, d, d.row(5), 10, {});
    ASSERT_EQ(got.size(), 10u);
    EXPECT_EQ(got[0].row, 5);
    EXPECT_EQ(got[0].distance, 0.0f);
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].row, all[i]);
}

TEST(AnnIndex, IvfAndHnswKindsKeepRecallAndFiltersHold) {
    const auto d = make_dataset(20000, 2);
    for (IndexKind kind :
         {IndexKind::IvfFlat, IndexKind::IvfSq8, IndexKind::IvfPq, IndexKind::Hnsw}) {
        SCOPED_TRACE(std::string(to_string(kind)));
        auto ann = AnnIndex::build(kind, d.dim, {{d.vectors.data(), 20000}}, {});
        ASSERT_EQ(ann->size(), 20000);
        double found = 0, wanted = 0;
        for (size_t q = 0; q < 20000; q += 400) {
            const auto want = brute_force(d, d.row(q), 10, [](size_t) { return true; });
            std::set<int64_t> truth(want.begin(), want.end());
            for (const auto& n : run(*ann, d, d.row(q), 10, {})) found += truth.count(n.row);
            wanted += static_cast<double>(truth.size());
        }
        EXPECT_GE(found / wanted, 0.95);
        // Filtered searches return only matching rows, and k of them when k match.
        for (const auto& c : filter_cases(d)) {
            SCOPED_TRACE(c.name);
            const auto want = brute_force(d, d.row(100), 10, c.pass);
            const auto got = run(*ann, d, d.row(100), 10, c.filter);
            EXPECT_EQ(got.size(), want.size());
            for (const auto& n : got) EXPECT_TRUE(c.pass(static_cast<size_t>(n.row)));
        }
    }
}

TEST(AnnIndex, SavedFilesRoundTripAndDamageIsDetected) {
    const auto d = make_dataset(5000, 3);
    for (IndexKind kind : {IndexKind::IvfSq8, IndexKind::IvfPq}) {
        SCOPED_TRACE(std::string(to_string(kind)));
        test::TempDir dir;
        auto ann = AnnIndex::build(kind, d.dim, {{d.vectors.data(), 5000}}, {});
        const auto path = std::filesystem::path(dir.file("ann.faiss"));
        const auto digest = ann->save(path);
        auto back = AnnIndex::load(path, kind, digest, {}, ann->trained_rows());
        EXPECT_EQ(back->size(), 5000);
        const auto a = run(*ann, d, d.row(42), 10, {});
        const auto b = run(*back, d, d.row(42), 10, {});
        ASSERT_EQ(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            EXPECT_EQ(a[i].row, b[i].row);
            EXPECT_EQ(a[i].distance, b[i].distance);
        }
        // The nearest row of a stored vector is itself (IVF-PQ: re-ranked by its SQ8 code).
        ASSERT_FALSE(b.empty());
        EXPECT_EQ(b[0].row, 42);
        EXPECT_THROW(AnnIndex::load(path, IndexKind::Flat, digest, {}, 0), StoreError);
        const IndexKind other = kind == IndexKind::IvfPq ? IndexKind::IvfSq8 : IndexKind::IvfPq;
        EXPECT_THROW(AnnIndex::load(path, other, digest, {}, 0), StoreError);
        {
            std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(200);
            f.write("XXXX", 4);
        }
        EXPECT_THROW(AnnIndex::load(path, kind, digest, {}, 0), StoreError);
    }
}

TEST(AnnIndex, AttributeColumnsRoundTrip) {
    test::TempDir dir;
    const auto d = make_dataset(1000, 4);
    const auto path = std::filesystem::path(dir.file("rows.bin"));
    {
        HashingWriter w(path);
        d.columns.write(w);
        w.finish();
    }
    AttributeColumns back;
    FileReader r(path);
    back.read(r);
    r.expect_end();
    ASSERT_EQ(back.size(), d.columns.size());
    for (int64_t i = 0; i < 1000; i += 97) {
        const auto x = d.columns.row(i), y = back.row(i);
        EXPECT_EQ(x.chrom, y.chrom);
        EXPECT_EQ(x.pos, y.pos);
        EXPECT_EQ(x.gene, y.gene);
        EXPECT_EQ(x.impact, y.impact);
        EXPECT_EQ(x.source, y.source);
    }
    EXPECT_EQ(back.other_genes(), d.columns.other_genes());
}

}  // namespace
}  // namespace vcfagent::index
