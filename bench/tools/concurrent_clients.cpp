// concurrent_clients: in-process clients reading the store while an ingest writes it.
// Opens a store::GraphStore on a fresh directory, runs ingest::ingest_file of FILE on one
// thread (the variant index catching up after each of its commits on another), and N client
// threads that loop until the ingest finishes: a top-k search of the variant index for the
// vector of a random key (skipped while that key is not indexed yet) and a region
// query on the graph (GraphStore::read_only_query via query::GraphQueries). Every exception a
// client sees is an error; the first few messages are printed verbatim.
//
//   concurrent_clients FILE [--clients 64] [--dir DIR] [--k 10] [--batch-size 10000] [--keep]
//
// --batch-size bounds the records of a batch, so that a small file still commits many batches
// (each a COMMIT with Kuzu's forced checkpoint) while the clients run.
//
// Prints one line "clients=N ops=... searches=... graph_queries=... skipped=... errors=...
// ops_per_s=... ingest_s=... batches=... variants=... edges=..." (what the ingest
// committed, also when it failed) and the first error messages on stderr; exits 1 on errors.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/elapsed.hpp"
#include "ingest/ingest_job.hpp"
#include "query/graph_queries.hpp"
#include "embed/embedder.hpp"
#include "index/variant_index.hpp"
#include "store/graph_store.hpp"
#include "vcf/reader.hpp"
#include "vcf/variant_batches.hpp"

namespace {

using namespace vcfagent;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Args {
    std::string file;
    int clients = 64;
    std::string dir;
    int k = 10;
    long batch_size = 10000;
    bool keep = false;
};

[[noreturn]] void usage(const std::string& msg) {
    std::fprintf(stderr,
                 "concurrent_clients: %s\nusage: concurrent_clients FILE [--clients N] [--dir DIR] "
                 "[--k K] [--batch-size N] [--keep]\n",
                 msg.c_str());
    std::exit(2);
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        if (s == "--keep") {
            a.keep = true;
            continue;
        }
        if (s.rfind("--", 0) != 0) {
            if (!a.file.empty()) usage("more than one input file");
            a.file = s;
            continue;
        }
        if (i + 1 >= argc) usage("missing value for " + s);
        const std::string v = argv[++i];
        if (s == "--clients")
            a.clients = std::atoi(v.c_str());
        else if (s == "--dir")
            a.dir = v;
        else if (s == "--k")
            a.k = std::atoi(v.c_str());
        else if (s == "--batch-size")
            a.batch_size = std::atol(v.c_str());
        else
            usage("unknown option " + s);
    }
    if (a.file.empty()) usage("no input file");
    if (a.clients < 1 || a.k < 1 || a.batch_size < 1)
        usage("--clients, --k and --batch-size must be positive");
    return a;
}

struct Key {
    std::string key, chrom;
    int64_t pos = 0;
};

// Every variant key of the file (sites only), read before the ingest starts.
std::vector<Key> read_keys(const std::string& path) {
    vcf::ReaderOptions ro;
    ro.drop_genotypes = true;
    vcf::VcfReader reader(path, ro);
    vcf::VariantBatchReader batches(reader, false);
    vcf::VariantBatch batch;
    std::vector<Key> keys;
    while (batches.next(batch, 50000))
        for (const auto& v : batch.variants) keys.push_back({v.key, v.chrom, v.pos});
    return keys;
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    const fs::path dir = a.dir.empty() ? fs::temp_directory_path() /
                                             ("concurrent_clients." + std::to_string(::getpid()))
                                       : fs::path(a.dir);
    std::error_code ec;
    fs::remove_all(dir, ec);

    std::vector<Key> keys;
    try {
        keys = read_keys(a.file);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "concurrent_clients: reading %s: %s\n", a.file.c_str(), e.what());
        return 2;
    }
    if (keys.empty()) {
        std::fprintf(stderr, "concurrent_clients: %s has no variants\n", a.file.c_str());
        return 2;
    }

    int rc = 0;
    try {
        store::GraphStore graph(dir);
        index::VariantIndex variant_index(graph, embed::make_embedder({}));
        std::atomic<bool> done{false};
        std::atomic<int64_t> searches{0}, graph_queries{0}, skipped{0}, errors{0};
        std::mutex err_mutex;
        std::vector<std::string> first_errors;
        std::string ingest_error;
        ingest::IngestReport report, partial;

        const auto t0 = Clock::now();
        std::thread writer([&] {
            try {
                ingest::IngestOptions opt;
                opt.batch_records = static_cast<size_t>(a.batch_size);
                report = ingest::ingest_file(graph, a.file, opt, {}, &partial);
            } catch (const std::exception& e) {
                ingest_error = e.what();
                report = partial;
            }
            done = true;
        });
        std::thread indexer([&] {
            while (!done) {
                try {
                    variant_index.catch_up();
                } catch (const std::exception& e) {
                    std::lock_guard lock(err_mutex);
                    if (first_errors.size() < 5)
                        first_errors.push_back(std::string("index catch-up: ") + e.what());
                    ++errors;
                }
            }
        });

        const auto record_error = [&](const char* what, const std::exception& e) {
            ++errors;
            std::lock_guard lock(err_mutex);
            if (first_errors.size() < 5)
                first_errors.push_back(std::string(what) + ": " + e.what());
        };

        std::vector<std::thread> clients;
        for (int c = 0; c < a.clients; ++c) {
            clients.emplace_back([&, c] {
                std::mt19937_64 rng(1234 + static_cast<uint64_t>(c));
                std::uniform_int_distribution<size_t> pick(0, keys.size() - 1);
                query::GraphQueries gq(graph);
                while (!done.load(std::memory_order_relaxed)) {
                    const Key& key = keys[pick(rng)];
                    try {
                        const auto vec = variant_index.size() > 0
                                             ? variant_index.vector_of(key.key)
                                             : std::nullopt;
                        if (vec) {
                            const auto hits = variant_index.search(*vec, a.k);
                            (void)hits;
                            ++searches;
                        } else {
                            ++skipped;
                        }
                    } catch (const std::exception& e) {
                        record_error("vector search", e);
                    }
                    try {
                        vcf::Region region{key.chrom, std::max<int64_t>(1, key.pos - 50000),
                                           key.pos + 50000};
                        query::VariantFilter f;
                        f.limit = 100;
                        const auto t = gq.region_variants(region, f);
                        (void)t;
                        ++graph_queries;
                    } catch (const std::exception& e) {
                        record_error("graph query", e);
                    }
                }
            });
        }
        writer.join();
        indexer.join();
        for (auto& t : clients) t.join();
        const double secs = seconds_since(t0);

        for (const auto& e : first_errors) std::fprintf(stderr, "error: %s\n", e.c_str());
        if (!ingest_error.empty())
            std::fprintf(stderr, "ingest failed: %s\n", ingest_error.c_str());
        const int64_t ops = searches + graph_queries;
        std::printf(
            "clients=%d ops=%lld searches=%lld graph_queries=%lld skipped=%lld errors=%lld "
            "ops_per_s=%.0f ingest_s=%.2f batches=%lld variants=%lld edges=%lld\n",
            a.clients, static_cast<long long>(ops), static_cast<long long>(searches.load()),
            static_cast<long long>(graph_queries.load()), static_cast<long long>(skipped.load()),
            static_cast<long long>(errors.load()), secs > 0 ? static_cast<double>(ops) / secs : 0.0,
            secs, static_cast<long long>(report.batches),
            static_cast<long long>(report.new_variants), static_cast<long long>(report.new_edges));
        if (errors > 0 || !ingest_error.empty()) rc = 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "concurrent_clients: %s\n", e.what());
        rc = 2;
    }
    if (!a.keep) fs::remove_all(dir, ec);
    return rc;
}
