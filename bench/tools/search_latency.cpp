// search_latency: top-k search latency of a store's variant index under concurrent clients,
// and its recall. Opens DB_DIR's graph read-only and its variant index (loading the files, or
// catching up / rebuilding them: the time is printed as open_s), takes the vectors of
// --queries random keys of FILE (the file that was ingested into DB_DIR) as queries, then runs
// --threads threads that each search for random queries from that set for --seconds, timing
// every search. recall@k compares --recall queries with an exact flat index rebuilt from the
// graph in memory (0 skips it).
//
//   search_latency DB_DIR FILE [--threads 32] [--seconds 10] [--queries 2000] [--k 10]
//                  [--recall 200] [--nprobe N] [--rerank R]
//
// Prints one line "rows=... index=... threads=... queries=... p50_ms=... p95_ms=... p99_ms=...
// qps=... recall=... open_s=...".
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/elapsed.hpp"
#include "index/store_embedder.hpp"
#include "index/variant_index.hpp"
#include "store/graph_store.hpp"
#include "vcf/reader.hpp"
#include "vcf/variant_batches.hpp"

namespace {

using namespace vcfagent;
using Clock = std::chrono::steady_clock;

struct Args {
    std::string db, file;
    int threads = 32;
    double seconds = 10;
    size_t queries = 2000;
    int k = 10;
    size_t recall = 200;
    int nprobe = 0;  // 0: the index's default
    int rerank = 0;  // IVF-PQ candidates per neighbour; 0: the default
};

[[noreturn]] void usage(const std::string& msg) {
    std::fprintf(
        stderr,
        "search_latency: %s\nusage: search_latency DB_DIR FILE [--threads N] [--seconds S] "
        "[--queries Q] [--k K] [--recall R] [--nprobe N] [--rerank R]\n",
        msg.c_str());
    std::exit(2);
}

Args parse(int argc, char** argv) {
    Args a;
    std::vector<std::string> pos;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        if (s.rfind("--", 0) != 0) {
            pos.push_back(s);
            continue;
        }
        if (i + 1 >= argc) usage("missing value for " + s);
        const std::string v = argv[++i];
        if (s == "--threads")
            a.threads = std::atoi(v.c_str());
        else if (s == "--seconds")
            a.seconds = std::atof(v.c_str());
        else if (s == "--queries")
            a.queries = static_cast<size_t>(std::atoll(v.c_str()));
        else if (s == "--k")
            a.k = std::atoi(v.c_str());
        else if (s == "--recall")
            a.recall = static_cast<size_t>(std::atoll(v.c_str()));
        else if (s == "--nprobe")
            a.nprobe = std::atoi(v.c_str());
        else if (s == "--rerank")
            a.rerank = std::atoi(v.c_str());
        else
            usage("unknown option " + s);
    }
    if (pos.size() != 2) usage("expected DB_DIR and FILE");
    a.db = pos[0];
    a.file = pos[1];
    if (a.threads < 1 || a.seconds <= 0 || a.queries < 1 || a.k < 1)
        usage("values must be positive");
    return a;
}

// Up to `want` keys spread evenly over the file (sites only).
std::vector<std::string> sample_keys(const std::string& path, size_t want) {
    vcf::ReaderOptions ro;
    ro.drop_genotypes = true;
    vcf::VcfReader reader(path, ro);
    vcf::VariantBatchReader batches(reader, false);
    vcf::VariantBatch batch;
    std::vector<std::string> all;
    while (batches.next(batch, 50000))
        for (const auto& v : batch.variants) all.push_back(v.key);
    std::mt19937_64 rng(7);
    std::shuffle(all.begin(), all.end(), rng);
    if (all.size() > want) all.resize(want);
    return all;
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const size_t i =
        std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())));
    return sorted[i];
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    try {
        store::GraphStoreOptions go;
        go.read_only = true;
        store::GraphStore graph(a.db, go);
        const auto t_open = Clock::now();
        index::IndexOptions options;
        options.params.ivf_nprobe = a.nprobe;
        if (a.rerank > 0) options.params.pq_rerank = a.rerank;
        auto vs = std::make_unique<index::VariantIndex>(
            graph, index::open_store_embedder(graph, embed::EmbedderConfig{}, false), options);
        const double open_s = seconds_since(t_open);
        std::vector<std::vector<float>> queries;
        for (const auto& key : sample_keys(a.file, a.queries))
            if (auto v = vs->vector_of(key)) queries.push_back(std::move(*v));
        if (queries.empty()) {
            std::fprintf(stderr, "search_latency: no key of %s is in the store\n", a.file.c_str());
            return 2;
        }

        std::vector<std::vector<double>> lat(static_cast<size_t>(a.threads));
        std::atomic<int64_t> errors{0};
        const auto t0 = Clock::now();
        const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(a.seconds));
        std::vector<std::thread> threads;
        for (int t = 0; t < a.threads; ++t) {
            threads.emplace_back([&, t] {
                std::mt19937_64 rng(99 + static_cast<uint64_t>(t));
                std::uniform_int_distribution<size_t> pick(0, queries.size() - 1);
                auto& mine = lat[static_cast<size_t>(t)];
                while (Clock::now() < deadline) {
                    const auto& q = queries[pick(rng)];
                    const auto s = Clock::now();
                    try {
                        const auto hits = vs->search(q, a.k);
                        if (hits.empty()) ++errors;
                    } catch (const std::exception&) {
                        ++errors;
                    }
                    mine.push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - s).count());
                }
            });
        }
        for (auto& t : threads) t.join();
        const double secs = seconds_since(t0);
        double recall = -1;
        if (a.recall > 0) {
            index::IndexOptions exact;
            exact.kind = index::IndexKind::Flat;
            exact.persist = false;
            index::VariantIndex truth(
                graph, index::open_store_embedder(graph, embed::EmbedderConfig{}, false), exact);
            size_t found = 0, wanted = 0;
            for (size_t q = 0; q < std::min(a.recall, queries.size()); ++q) {
                std::set<std::string> keys;
                for (const auto& h : truth.search(queries[q], a.k)) keys.insert(h.key);
                for (const auto& h : vs->search(queries[q], a.k)) found += keys.count(h.key);
                wanted += keys.size();
            }
            recall = wanted ? static_cast<double>(found) / static_cast<double>(wanted) : 0;
        }
        std::vector<double> all;
        for (const auto& l : lat) all.insert(all.end(), l.begin(), l.end());
        std::sort(all.begin(), all.end());
        std::printf(
            "rows=%zu index=%s threads=%d queries=%zu errors=%lld p50_ms=%.3f p95_ms=%.3f "
            "p99_ms=%.3f "
            "qps=%.0f recall=%.4f open_s=%.2f\n",
            vs->size(), std::string(index::to_string(vs->stats().kind)).c_str(), a.threads,
            all.size(), static_cast<long long>(errors.load()), percentile(all, 0.50),
            percentile(all, 0.95), percentile(all, 0.99),
            secs > 0 ? static_cast<double>(all.size()) / secs : 0.0, recall, open_s);
        return errors > 0 ? 1 : 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "search_latency: %s\n", e.what());
        return 2;
    }
}
