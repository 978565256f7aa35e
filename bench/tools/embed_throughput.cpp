// Embedding throughput: the builtin embedder, and an HTTP embedder against an in-process fake
// server with a fixed per-request latency and per-item cost, (a) one request per variant,
// sequentially, versus (b) batched with several requests in flight.
//
//   embed_throughput [--n 20000] [--latency-ms 20] [--per-item-us 20] [--dim 768]
//                    [--batch 64] [--concurrency 8] [--sequential-limit 500]
//                    [--protocol ollama|openai]
//
// (a) costs one round trip per variant, so it runs on the first --sequential-limit variants
// only (0 = all N): its rate does not depend on how many it embeds.
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "common/elapsed.hpp"
#include "embed/builtin_embedder.hpp"
#include "embed/http_embedder.hpp"
#include "vcf/variant_key.hpp"

// Bench tools are single-source executables, so the test server's one translation unit is
// compiled in here rather than linked.
#include "../../tests/support/fake_embedding_server.cpp"

namespace {

std::atomic<uint64_t> g_allocations{0};

}  // namespace

// Counts heap allocations, to show the builtin embedder makes none per variant. Kept out of
// line so the compiler never pairs an inlined free() with a visible operator new.
__attribute__((noinline)) void* operator new(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
__attribute__((noinline)) void operator delete(void* p) noexcept {
    std::free(p);
}
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

namespace {

using namespace vcfagent;
using Clock = std::chrono::steady_clock;

struct Options {
    size_t n = 20000;
    int latency_ms = 20;
    int per_item_us = 20;
    int dim = 768;
    int batch = 64;
    int concurrency = 8;
    size_t sequential_limit = 500;
    std::string protocol = "ollama";
};

[[noreturn]] void usage(const char* msg) {
    std::fprintf(stderr,
                 "embed_throughput: %s\nusage: embed_throughput [--n N] [--latency-ms MS] "
                 "[--per-item-us US] [--dim D] [--batch B] [--concurrency C] "
                 "[--sequential-limit N] [--protocol ollama|openai]\n",
                 msg);
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage(("missing value for " + a).c_str());
        const std::string v = argv[++i];
        const auto num = [&] { return std::strtoll(v.c_str(), nullptr, 10); };
        if (a == "--n")
            o.n = static_cast<size_t>(num());
        else if (a == "--latency-ms")
            o.latency_ms = static_cast<int>(num());
        else if (a == "--per-item-us")
            o.per_item_us = static_cast<int>(num());
        else if (a == "--dim")
            o.dim = static_cast<int>(num());
        else if (a == "--batch")
            o.batch = static_cast<int>(num());
        else if (a == "--concurrency")
            o.concurrency = static_cast<int>(num());
        else if (a == "--sequential-limit")
            o.sequential_limit = static_cast<size_t>(num());
        else if (a == "--protocol")
            o.protocol = v;
        else
            usage(("unknown option " + a).c_str());
    }
    if (o.n == 0 || o.dim < 1 || o.batch < 1 || o.concurrency < 1) usage("values must be positive");
    return o;
}

std::vector<vcf::Variant> make_variants(size_t n) {
    static const char* kGenes[] = {"BRCA1", "BRCA2", "TP53", "EGFR", "KRAS", "CFTR", "APOE", "TTN"};
    static const char* kEffects[][2] = {{"missense_variant", "MODERATE"},
                                        {"synonymous_variant", "LOW"},
                                        {"intron_variant", "MODIFIER"},
                                        {"stop_gained", "HIGH"}};
    const char* bases = "ACGT";
    std::vector<vcf::Variant> vs(n);
    for (size_t i = 0; i < n; ++i) {
        vcf::Variant& v = vs[i];
        v.chrom = "chr" + std::to_string(1 + i % 22);
        v.pos = 10000 + static_cast<int64_t>(i) * 131;
        v.ref = std::string(1, bases[i % 4]);
        v.alt = i % 10 == 0 ? v.ref + "AG" : std::string(1, bases[(i + 1 + i / 7 % 3) % 4]);
        v.vclass = vcf::classify_allele(v.ref, v.alt);
        v.transition = v.vclass == vcf::VariantClass::Snv && vcf::is_transition(v.ref[0], v.alt[0]);
        v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
        v.qual = static_cast<float>(20 + i % 80);
        v.filter = "PASS";
        v.af = static_cast<float>(std::pow(10.0, -double(i % 6)));
        vcf::Annotation a;
        a.gene = kGenes[i % 8];
        a.consequence = kEffects[i % 4][0];
        a.impact = kEffects[i % 4][1];
        v.annotations.push_back(std::move(a));
    }
    return vs;
}

embed::EmbedderConfig http_config(const Options& o, const test::FakeEmbeddingServer& server,
                                  int batch, int concurrency) {
    embed::EmbedderConfig c;
    c.kind = o.protocol;
    c.model = "bench-model";
    c.endpoint = server.url();
    c.batch_size = batch;
    c.concurrency = concurrency;
    c.timeout_ms = 30000;
    c.cache_bytes = 0;  // measure requests, not the cache
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    const auto variants = make_variants(o.n);
    std::printf("embed_throughput: %zu variants\n", o.n);

    {
        embed::BuiltinEmbedder builtin;
        std::vector<float> out(o.n * static_cast<size_t>(builtin.dimension()));
        const uint64_t allocs_before = g_allocations.load();
        const auto t0 = Clock::now();
        builtin.embed(variants, out.data());
        const double secs = seconds_since(t0);
        const uint64_t allocs = g_allocations.load() - allocs_before;
        std::printf(
            "builtin/v1/%d: %.0f variants/s (%.3f s), %llu heap allocations for %zu variants\n",
            builtin.dimension(), double(o.n) / secs, secs, static_cast<unsigned long long>(allocs),
            o.n);
    }

    test::FakeEmbeddingServerOptions so;
    so.dimension = o.dim;
    so.latency = std::chrono::milliseconds(o.latency_ms);
    so.per_item = std::chrono::microseconds(o.per_item_us);
    so.threads = std::max(16, 2 * o.concurrency);
    test::FakeEmbeddingServer server(so);
    std::printf("fake %s server: %d ms per request + %d us per item, %d-dimensional vectors\n",
                o.protocol.c_str(), o.latency_ms, o.per_item_us, o.dim);

    // (a) one request per variant, one at a time.
    const size_t seq_n = o.sequential_limit == 0 ? o.n : std::min(o.n, o.sequential_limit);
    double seq_rate;
    {
        embed::HttpEmbedder e(http_config(o, server, 1, 1));
        std::vector<float> out(seq_n * static_cast<size_t>(o.dim));
        server.reset_stats();
        const auto t0 = Clock::now();
        e.embed(std::span(variants.data(), seq_n), out.data());
        const double secs = seconds_since(t0);
        seq_rate = double(seq_n) / secs;
        std::printf(
            "(a) sequential, 1 per request:      %8.0f variants/s  (%zu variants, %zu requests, "
            "%.2f s)\n",
            seq_rate, seq_n, server.requests(), secs);
    }

    // (b) batched, several requests in flight.
    double batched_rate;
    {
        embed::HttpEmbedder e(http_config(o, server, o.batch, o.concurrency));
        std::vector<float> out(o.n * static_cast<size_t>(o.dim));
        server.reset_stats();
        const auto t0 = Clock::now();
        e.embed(variants, out.data());
        const double secs = seconds_since(t0);
        batched_rate = double(o.n) / secs;
        std::printf(
            "(b) batch %d, %d in flight:         %8.0f variants/s  (%zu variants, %zu requests, "
            "max %zu in flight, %zu connections, %.2f s)\n",
            o.batch, o.concurrency, batched_rate, o.n, server.requests(), server.max_in_flight(),
            server.connections(), secs);
    }
    std::printf("speed-up (b)/(a): %.1fx (goal >= 10x)\n", batched_rate / seq_rate);
    return batched_rate / seq_rate >= 10 ? 0 : 1;
}
