// vector_search_bench: the variant index's ANN kinds at scale. For each index kind (flat,
// ivfflat, ivfsq8, ivfpq, hnsw) it reports build time, memory (RSS growth and the index's own
// accounting, filter columns included), single-thread query
// latency p50/p95/p99, QPS with several threads, recall@10 against exact search, and filtered
// search latency/recall. Vectors come from the builtin embedder applied to synthetic variants
// (a realistic embedding distribution), or from a Gaussian mixture with --data clustered.
//
//   vector_search_bench [--n 1000000] [--dim 64] [--queries 1000] [--kinds flat,ivfsq8,hnsw]
//                       [--data builtin|clustered] [--threads 2] [--seconds 3] [--dir DIR]
//                       [--ef 32,64,128] [--nprobe 64,128]   (extra settings to measure)
#include <faiss/IndexFlat.h>
#include <malloc.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/elapsed.hpp"
#include "embed/embedder.hpp"
#include "index/ann_index.hpp"
#include "index/variant_attributes.hpp"
#include "index/vector_filter.hpp"
#include "vcf/variant_key.hpp"

namespace {

using namespace vcfagent;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Args {
    size_t n = 1000000;
    int dim = 64;
    size_t queries = 1000;
    std::vector<std::string> kinds = {"flat", "ivfflat", "ivfsq8", "hnsw"};
    std::string data = "builtin";
    int threads = 2;
    double seconds = 3;
    std::string dir;
    int k = 10;
    std::vector<int> ef_sweep, nprobe_sweep;  // extra search settings to measure
};

size_t rss_bytes() {
    std::ifstream in("/proc/self/statm");
    size_t pages = 0, resident = 0;
    in >> pages >> resident;
    return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t c = s.find(',', start);
        if (c == std::string::npos) c = s.size();
        if (c > start) out.push_back(s.substr(start, c - start));
        start = c + 1;
    }
    return out;
}

// Synthetic variants with realistic proportions: mostly SNVs, some indels, a gene and an
// impact on most, a skewed allele frequency. Deterministic in (seed, index).
vcf::Variant synthetic_variant(uint64_t seed, uint64_t i) {
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + i);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const char* bases = "ACGT";
    auto base = [&] { return bases[rng() % 4]; };
    vcf::Variant v;
    v.chrom = "chr" + std::to_string(1 + rng() % 22);
    // A distinct position per index keeps keys distinct.
    v.pos = static_cast<int64_t>(i * 200 + 1 + rng() % 200);
    const double c = u(rng);
    v.ref = std::string(1, base());
    if (c < 0.80) {
        do v.alt = std::string(1, base());
        while (v.alt == v.ref);
    } else if (c < 0.90) {
        v.ref += std::string(1 + rng() % 8, base());
        v.alt = v.ref.substr(0, 1);
    } else if (c < 0.98) {
        v.alt = v.ref + std::string(1 + rng() % 8, base());
    } else {
        v.ref += base();
        v.alt = std::string(1, v.ref[0] == 'A' ? 'C' : 'A') +
                std::string(1, v.ref[1] == 'G' ? 'T' : 'G');
    }
    v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
    v.vclass = vcf::classify_allele(v.ref, v.alt);
    v.transition = v.vclass == vcf::VariantClass::Snv && vcf::is_transition(v.ref[0], v.alt[0]);
    if (u(rng) < 0.6) {
        vcf::Annotation a;
        // A skewed gene distribution: a few genes are common.
        a.gene = "GENE" + std::to_string(static_cast<int>(std::pow(u(rng), 2.0) * 20000));
        const double p = u(rng);
        a.impact = p < 0.6 ? "MODIFIER" : p < 0.8 ? "LOW" : p < 0.95 ? "MODERATE" : "HIGH";
        a.consequence = p < 0.6    ? "intron_variant"
                        : p < 0.8  ? "synonymous_variant"
                        : p < 0.95 ? "missense_variant"
                                   : "stop_gained";
        v.annotations.push_back(a);
    }
    if (u(rng) < 0.9) v.af = static_cast<float>(std::exp(std::log(1e-4) * u(rng)));
    v.qual = static_cast<float>(10 + u(rng) * 990);
    return v;
}

class Source {
  public:
    Source(const Args& a) : a_(a) {
        if (a.data == "builtin") {
            embed::EmbedderConfig c;
            c.kind = "builtin";
            c.dimension = a.dim;
            embedder_ = embed::make_embedder(c);
        } else {
            std::mt19937 rng(5);
            std::normal_distribution<float> g;
            centres_.resize(256 * static_cast<size_t>(a.dim));
            for (auto& x : centres_) x = 3.0f * g(rng);
        }
    }
    void batch(uint64_t seed, uint64_t first, size_t count, std::vector<vcf::Variant>& vs,
               float* out) {
        vs.clear();
        for (size_t i = 0; i < count; ++i) vs.push_back(synthetic_variant(seed, first + i));
        if (embedder_) {
            embedder_->embed(vs, out);
            return;
        }
        for (size_t i = 0; i < count; ++i) {
            std::mt19937 rng(static_cast<uint32_t>(seed * 1000003 + first + i));
            std::normal_distribution<float> g;
            const float* c = centres_.data() + (rng() % 256) * a_.dim;
            for (int j = 0; j < a_.dim; ++j) out[i * a_.dim + j] = c[j] + g(rng);
        }
    }

  private:
    const Args& a_;
    std::unique_ptr<embed::Embedder> embedder_;
    std::vector<float> centres_;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
    return v[i];
}

struct FilterCase {
    std::string name;
    index::VectorFilter filter;
};

}  // namespace

int main(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string f = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", f.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (f == "--n")
            a.n = std::stoull(next());
        else if (f == "--dim")
            a.dim = std::stoi(next());
        else if (f == "--queries")
            a.queries = std::stoull(next());
        else if (f == "--kinds")
            a.kinds = split(next());
        else if (f == "--data")
            a.data = next();
        else if (f == "--threads")
            a.threads = std::stoi(next());
        else if (f == "--seconds")
            a.seconds = std::stod(next());
        else if (f == "--dir")
            a.dir = next();
        else if (f == "--ef")
            for (const auto& v : split(next())) a.ef_sweep.push_back(std::stoi(v));
        else if (f == "--nprobe")
            for (const auto& v : split(next())) a.nprobe_sweep.push_back(std::stoi(v));
        else {
            std::fprintf(stderr,
                         "usage: vector_search_bench [--n N] [--dim D] [--queries Q] [--kinds "
                         "flat,ivfflat,ivfsq8,ivfpq,hnsw] [--data builtin|clustered] [--threads T] "
                         "[--seconds S] "
                         "[--dir DIR] [--ef 64,128] [--nprobe 64,128]\n");
            return 2;
        }
    }
    const fs::path base = a.dir.empty()
                              ? fs::temp_directory_path() / ("vsbench-" + std::to_string(getpid()))
                              : fs::path(a.dir);
    fs::create_directories(base);
    Source source(a);
    const int dim = a.dim;
    std::printf("vector_search_bench: n=%zu dim=%d queries=%zu k=%d data=%s threads=%d omp=%d\n",
                a.n, dim, a.queries, a.k,
                a.data == "builtin" ? "builtin embedder on synthetic variants" : "Gaussian mixture",
                a.threads, omp_get_max_threads());

    // Data: vectors only (variants are regenerated per batch when adding).
    const size_t batch = 20000;
    std::vector<float> data(a.n * static_cast<size_t>(dim));
    std::vector<vcf::Variant> vs;
    auto t = Clock::now();
    for (size_t i = 0; i < a.n; i += batch)
        source.batch(1, i, std::min(batch, a.n - i), vs, data.data() + i * dim);
    std::printf("generate+embed %zu vectors: %.1f s\n", a.n, seconds_since(t));
    std::vector<float> queries(a.queries * static_cast<size_t>(dim));
    std::vector<vcf::Variant> query_variants;
    source.batch(2, 0, a.queries, query_variants, queries.data());

    // Exact ground truth, batched through BLAS.
    t = Clock::now();
    std::vector<faiss::Index::idx_t> truth(a.queries * a.k);
    std::vector<float> truth_dist(a.queries * a.k);
    {
        faiss::IndexFlatL2 flat(dim);
        flat.add(static_cast<faiss::Index::idx_t>(a.n), data.data());
        flat.search(static_cast<faiss::Index::idx_t>(a.queries), queries.data(), a.k,
                    truth_dist.data(), truth.data());
    }
    std::printf("ground truth: %.1f s\n", seconds_since(t));
    auto key_of = [&](int64_t row) { return synthetic_variant(1, static_cast<uint64_t>(row)).key; };
    std::vector<std::set<std::string>> truth_keys(a.queries);
    for (size_t q = 0; q < a.queries; ++q)
        for (int j = 0; j < a.k; ++j) truth_keys[q].insert(key_of(truth[q * a.k + j]));

    std::vector<FilterCase> filters(3);
    filters[0].name = "chrom=chr7 (~4.5%)";
    filters[0].filter.chroms = {"chr7"};
    filters[1].name = "impact=HIGH (~3%)";
    filters[1].filter.impacts = {index::Impact::High};
    filters[2].name = "class=INS,DEL,af<=0.01 (~10%)";
    filters[2].filter.classes = {vcf::VariantClass::Insertion, vcf::VariantClass::Deletion};
    filters[2].filter.max_af = 0.01f;
    // Matches more rows than the exact-scan limit: the IDSelector runs inside the ANN index.
    filters.push_back({"chrom=chr1..chr11 (~50%)", {}});
    for (int c = 1; c <= 11; ++c) filters.back().filter.chroms.push_back("chr" + std::to_string(c));
    const size_t filtered_queries = std::min<size_t>(a.queries, 200);
    std::vector<std::vector<std::set<std::string>>> filtered_truth;  // from the flat index

    std::printf("\n%-6s %9s %9s %10s %9s %8s %8s %8s %9s %9s\n", "index", "build_s", "rss_MB",
                "store_MB", "recall10", "p50_ms", "p95_ms", "p99_ms", "qps_1t", "qps_Nt");
    for (const auto& kind_name : a.kinds) {
        index::IndexKind kind;
        if (!index::parse_index_kind(kind_name, kind) || kind == index::IndexKind::Auto) {
            std::fprintf(stderr, "unknown index kind %s\n", kind_name.c_str());
            return 2;
        }
        const fs::path dir = base / kind_name;
        fs::remove_all(dir);
        fs::create_directories(dir);
        malloc_trim(0);
        const size_t rss0 = rss_bytes();
        t = Clock::now();
        // What the variant index holds: the ANN index and the filter columns (keys aside).
        index::AttributeColumns columns;
        columns.reserve(a.n);
        for (size_t i = 0; i < a.n; ++i) columns.append(synthetic_variant(1, i), 1);
        const double add_s = seconds_since(t);
        std::unique_ptr<index::AnnIndex> ann =
            index::AnnIndex::build(kind, dim, {{data.data(), static_cast<int64_t>(a.n)}}, {});
        const double build_s = seconds_since(t);
        const size_t rss1 = rss_bytes();
        const size_t memory = ann->memory_bytes() + columns.memory_bytes();
        t = Clock::now();
        const auto digest = ann->save(dir / "ann.faiss");
        const double commit_s = seconds_since(t);
        const size_t disk = digest.size;
        double open_s = 0;
        {
            // What a search process pays before its first query: verify + load the file.
            t = Clock::now();
            auto reopened =
                index::AnnIndex::load(dir / "ann.faiss", kind, digest, {}, ann->trained_rows());
            open_s = seconds_since(t);
        }
        struct Hit {
            std::string key;
            float distance;
        };
        auto search = [&](const float* q, int k, const index::VectorFilter& f,
                          const index::SearchTuning& tuning) {
            std::vector<index::Neighbor> found;
            if (f.empty()) {
                ann->search(q, k, nullptr, 1.0, tuning, found);
            } else {
                const auto bits = index::select_rows(columns, f);
                index::BitmapSelector selector(bits, 0);
                ann->search(q, k, &selector,
                            static_cast<double>(bits.count()) / static_cast<double>(a.n), tuning,
                            found);
            }
            std::vector<Hit> hits;
            for (const auto& n : found) hits.push_back({key_of(n.row), n.distance});
            return hits;
        };
        auto search_span = [&](std::span<const float> q, int k, const index::VectorFilter& f = {},
                               const index::SearchTuning& tuning = {}) {
            return search(q.data(), k, f, tuning);
        };

        // Single-thread latency and recall.
        std::vector<double> lat;
        lat.reserve(a.queries);
        double recall = 0;
        for (size_t q = 0; q < a.queries; ++q) {
            const auto q0 = Clock::now();
            const auto hits =
                search_span(std::span<const float>(queries.data() + q * dim, dim), a.k);
            lat.push_back(seconds_since(q0) * 1e3);
            for (const auto& h : hits) recall += truth_keys[q].count(h.key);
        }
        recall /= static_cast<double>(a.queries * a.k);

        auto qps = [&](int threads) {
            std::atomic<size_t> done{0};
            std::atomic<bool> stop{false};
            std::vector<std::thread> pool;
            const auto q0 = Clock::now();
            for (int th = 0; th < threads; ++th)
                pool.emplace_back([&, th] {
                    size_t q = static_cast<size_t>(th) * 7919;
                    while (!stop) {
                        search_span(
                            std::span<const float>(queries.data() + (q % a.queries) * dim, dim),
                            a.k);
                        ++q;
                        ++done;
                    }
                });
            std::this_thread::sleep_for(std::chrono::duration<double>(a.seconds));
            stop = true;
            for (auto& p : pool) p.join();
            return static_cast<double>(done) / seconds_since(q0);
        };
        const double qps1 = qps(1);
        const double qpsn = qps(a.threads);

        std::printf("%-6s %9.1f %9.0f %10.0f %9.4f %8.3f %8.3f %8.3f %9.0f %9.0f\n",
                    kind_name.c_str(), build_s, (static_cast<double>(rss1) - rss0) / 1e6,
                    static_cast<double>(memory) / 1e6, recall, percentile(lat, 0.5),
                    percentile(lat, 0.95), percentile(lat, 0.99), qps1, qpsn);
        std::printf(
            "       columns %.1f s + index %.1f s; save %.1f s, %.0f MB on disk; open %.1f s",
            add_s, build_s - add_s, commit_s, static_cast<double>(disk) / 1e6, open_s);
        if (ann->nlist() > 0)
            std::printf("; nlist %d nprobe %d", ann->nlist(), ann->nprobe_default());
        std::printf("\n");

        // Other search settings on the same index. "dist-recall" counts results no farther
        // than the true k-th neighbour, which forgives ties among equidistant rows.
        auto sweep = [&](const char* name, int value, const index::SearchTuning& tuning) {
            std::vector<double> l;
            double rk = 0, rd = 0;
            for (size_t q = 0; q < a.queries; ++q) {
                const auto q0 = Clock::now();
                const auto hits = search_span(std::span<const float>(queries.data() + q * dim, dim),
                                              a.k, {}, tuning);
                l.push_back(seconds_since(q0) * 1e3);
                const float kth = std::sqrt(truth_dist[q * a.k + a.k - 1]) * 1.0001f + 1e-6f;
                for (const auto& h : hits) {
                    rk += truth_keys[q].count(h.key);
                    rd += h.distance <= kth;
                }
            }
            std::printf(
                "       %s=%-4d recall10 %.4f dist-recall %.4f p50 %.3f ms p95 %.3f ms "
                "p99 %.3f ms\n",
                name, value, rk / static_cast<double>(a.queries * a.k),
                rd / static_cast<double>(a.queries * a.k), percentile(l, 0.5), percentile(l, 0.95),
                percentile(l, 0.99));
        };
        if (kind == index::IndexKind::Hnsw)
            for (int ef : a.ef_sweep) {
                index::SearchTuning tu;
                tu.ef_search = ef;
                sweep("ef", ef, tu);
            }
        if (index::is_ivf(kind))
            for (int np : a.nprobe_sweep) {
                index::SearchTuning tu;
                tu.nprobe = np;
                sweep("nprobe", np, tu);
            }

        // Filtered searches: latency, k results, recall against the flat index's answers.
        const bool have_truth = !filtered_truth.empty();
        if (kind == index::IndexKind::Flat) filtered_truth.assign(filters.size(), {});
        for (size_t fi = 0; fi < filters.size(); ++fi) {
            std::vector<double> flat_lat;
            double frecall = 0;
            size_t short_results = 0;
            for (size_t q = 0; q < filtered_queries; ++q) {
                const auto q0 = Clock::now();
                const auto hits = search_span(std::span<const float>(queries.data() + q * dim, dim),
                                              a.k, filters[fi].filter);
                flat_lat.push_back(seconds_since(q0) * 1e3);
                short_results += hits.size() < static_cast<size_t>(a.k);
                std::set<std::string> keys;
                for (const auto& h : hits) keys.insert(h.key);
                if (kind == index::IndexKind::Flat) {
                    filtered_truth[fi].push_back(keys);
                } else if (have_truth) {
                    for (const auto& key : keys) frecall += filtered_truth[fi][q].count(key);
                }
            }
            std::printf("       filter %-30s p50 %.3f ms p95 %.3f ms", filters[fi].name.c_str(),
                        percentile(flat_lat, 0.5), percentile(flat_lat, 0.95));
            if (kind != index::IndexKind::Flat && have_truth)
                std::printf(" recall10 %.4f",
                            frecall / static_cast<double>(filtered_queries * a.k));
            std::printf(" short %zu\n", short_results);
        }
        std::fflush(stdout);
        ann.reset();
        fs::remove_all(dir);
        // Hand freed pages back so the next index's RSS growth is its own.
        malloc_trim(0);
    }
    fs::remove_all(base);
    return 0;
}
