// The Ollama and OpenAI embedders against a loopback server that speaks both protocols:
// batching, concurrency, order, keep-alive, retries, failure modes (all failing fast), the
// cache, and dimension reduction with persistence.
#include <gtest/gtest.h>

#include <optional>
#include <span>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "common/elapsed.hpp"
#include "embed/dimension_reducer.hpp"
#include "embed/embedder.hpp"
#include "embed/http_embedder.hpp"
#include "embed/variant_description.hpp"
#include "support/fake_embedding_server.hpp"
#include "support/test_env.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::embed {
namespace {

using namespace std::chrono_literals;
using test::FakeEmbeddingServer;
using test::FakeEmbeddingServerOptions;
using Clock = std::chrono::steady_clock;

std::vector<vcf::Variant> make_variants(size_t n, int64_t first_pos = 1000) {
    std::vector<vcf::Variant> vs(n);
    const char* bases = "ACGT";
    for (size_t i = 0; i < n; ++i) {
        vcf::Variant& v = vs[i];
        v.chrom = i % 2 ? "chr1" : "chr2";
        v.pos = first_pos + static_cast<int64_t>(i) * 37;
        v.ref = std::string(1, bases[i % 4]);
        v.alt =
            std::string(1, bases[(i + 1 + i / 4) % 4 == i % 4 ? (i + 2) % 4 : (i + 1 + i / 4) % 4]);
        v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
        v.vclass = vcf::VariantClass::Snv;
        vcf::Annotation a;
        a.gene = "GENE" + std::to_string(i % 13);
        a.consequence = i % 3 ? "missense_variant" : "synonymous_variant";
        a.impact = i % 3 ? "MODERATE" : "LOW";
        v.annotations.push_back(a);
    }
    return vs;
}

std::vector<float> normalised(std::vector<float> v) {
    double n = 0;
    for (float x : v) n += double(x) * x;
    for (float& x : v) x = static_cast<float>(x / std::sqrt(n));
    return v;
}

// The message of the EmbedError that embed() throws, or nothing when it throws none.
std::optional<std::string> embed_error(Embedder& e, std::span<const vcf::Variant> vs, float* out) {
    try {
        e.embed(vs, out);
    } catch (const EmbedError& err) {
        return std::string(err.what());
    }
    return std::nullopt;
}

class HttpEmbedderTest : public ::testing::TestWithParam<std::string> {
  protected:
    EmbedderConfig config_for(const FakeEmbeddingServer& server) const {
        EmbedderConfig c;
        c.kind = GetParam();
        c.model = "test-model";
        c.endpoint = server.url();
        c.batch_size = 16;
        c.concurrency = 4;
        c.timeout_ms = 2000;
        c.max_retries = 3;
        c.retry_base_ms = 5;
        return c;
    }
    // Output row i must be the server's vector for variant i's description, normalised.
    static void expect_rows_match(const std::vector<vcf::Variant>& vs,
                                  const std::vector<float>& out, int dim) {
        for (size_t i = 0; i < vs.size(); ++i) {
            const auto want =
                normalised(FakeEmbeddingServer::vector_for(describe_variant(vs[i]), dim));
            for (int j = 0; j < dim; ++j)
                ASSERT_NEAR(out[i * dim + j], want[static_cast<size_t>(j)], 1e-6) << "row " << i;
        }
    }
};

TEST_P(HttpEmbedderTest, BatchesConcurrentlyAndKeepsInputOrder) {
    FakeEmbeddingServer server(FakeEmbeddingServerOptions{.dimension = 32, .latency = 30ms});
    server.set_reverse_order(true);  // OpenAI rows must be placed by their index
    HttpEmbedder e(config_for(server));
    const auto vs = make_variants(150);
    std::vector<float> out(vs.size() * 32);
    e.embed(vs, out.data());
    EXPECT_EQ(server.requests(), 10u);  // ceil(150 / 16)
    const auto sizes = server.batch_sizes();
    size_t total = 0;
    for (size_t s : sizes) {
        EXPECT_LE(s, 16u);
        total += s;
    }
    EXPECT_EQ(total, 150u);
    EXPECT_GT(server.max_in_flight(), 1u);
    EXPECT_LE(server.max_in_flight(), 4u);
    EXPECT_LE(server.connections(), 4u);  // kept-alive connections, one per worker at most
    EXPECT_EQ(server.last_model(), "test-model");
    expect_rows_match(vs, out, 32);
    EXPECT_EQ(e.info().to_string(), GetParam() + "/test-model/32");
}

TEST_P(HttpEmbedderTest, ReusesConnectionsAcrossCalls) {
    FakeEmbeddingServer server;
    auto c = config_for(server);
    c.concurrency = 2;
    HttpEmbedder e(c);
    for (int call = 0; call < 10; ++call) {
        const auto vs = make_variants(40, 1000 + call * 100000);
        std::vector<float> out(vs.size() * 32);
        e.embed(vs, out.data());
    }
    EXPECT_EQ(server.requests(), 30u);
    EXPECT_LE(server.connections(), 2u);
}

TEST_P(HttpEmbedderTest, RetriesTransientServerErrorsAndRateLimits) {
    for (int status : {500, 503, 429}) {
        FakeEmbeddingServer server;
        server.fail_next(2, status);
        HttpEmbedder e(config_for(server));
        const auto vs = make_variants(20);
        std::vector<float> out(vs.size() * 32);
        e.embed(vs, out.data());
        EXPECT_EQ(server.requests(), 4u) << status;  // 2 batches + 2 failed attempts
        EXPECT_EQ(e.pool().retries(), 2u);
        expect_rows_match(vs, out, 32);
    }
}

TEST_P(HttpEmbedderTest, GivesUpAfterMaxRetriesWithTheLastStatus) {
    FakeEmbeddingServer server;
    server.fail_next(1000, 503);
    auto c = config_for(server);
    c.max_retries = 2;
    HttpEmbedder e(c);
    const auto vs = make_variants(5);
    std::vector<float> out(vs.size() * 32);
    const auto t0 = Clock::now();
    const auto m = embed_error(e, vs, out.data());
    ASSERT_TRUE(m) << "expected EmbedError";
    EXPECT_NE(m->find("HTTP 503"), std::string::npos) << *m;
    EXPECT_NE(m->find("3 attempts"), std::string::npos) << *m;
    EXPECT_NE(m->find(server.url()), std::string::npos) << *m;
    EXPECT_EQ(server.requests(), 3u);
    EXPECT_LT(seconds_since(t0), 2.0);
}

TEST_P(HttpEmbedderTest, ClientErrorsAreNotRetried) {
    FakeEmbeddingServer server;
    server.fail_next(1, 401);
    HttpEmbedder e(config_for(server));
    const auto vs = make_variants(3);
    std::vector<float> out(vs.size() * 32);
    EXPECT_THROW(e.embed(vs, out.data()), EmbedError);
    EXPECT_EQ(server.requests(), 1u);
}

TEST_P(HttpEmbedderTest, ServerDownIsAClearErrorNotAHang) {
    int port;
    {
        FakeEmbeddingServer gone;
        port = gone.port();
    }
    EmbedderConfig c;
    c.kind = GetParam();
    c.endpoint = "http://127.0.0.1:" + std::to_string(port);
    c.max_retries = 2;
    c.retry_base_ms = 5;
    c.timeout_ms = 500;
    HttpEmbedder e(c);
    const auto vs = make_variants(40);
    std::vector<float> out(64 * vs.size());
    const auto t0 = Clock::now();
    const auto m = embed_error(e, vs, out.data());
    ASSERT_TRUE(m) << "expected EmbedError";
    EXPECT_NE(m->find("cannot connect"), std::string::npos) << *m;
    EXPECT_THROW(e.info(), EmbedError);
    EXPECT_LT(seconds_since(t0), 3.0);
}

TEST_P(HttpEmbedderTest, StalledServerTimesOut) {
    FakeEmbeddingServer server;
    server.set_stall(10s);
    auto c = config_for(server);
    c.timeout_ms = 200;
    c.max_retries = 1;
    HttpEmbedder e(c);
    const auto vs = make_variants(40);
    std::vector<float> out(vs.size() * 32);
    const auto t0 = Clock::now();
    const auto m = embed_error(e, vs, out.data());
    ASSERT_TRUE(m) << "expected EmbedError";
    EXPECT_NE(m->find("timeout"), std::string::npos) << *m;
    EXPECT_LT(seconds_since(t0), 3.0);
}

TEST_P(HttpEmbedderTest, BadResponsesAreClearErrors) {
    struct Case {
        const char* name;
        void (*inject)(FakeEmbeddingServer&);
        const char* message;
    };
    const Case cases[] = {
        {"malformed", [](FakeEmbeddingServer& s) { s.set_malformed(true); }, "invalid JSON"},
        {"one vector short", [](FakeEmbeddingServer& s) { s.set_drop_one(true); }, "for 16 inputs"},
        {"ragged", [](FakeEmbeddingServer& s) { s.set_ragged(true); }, "inconsistent"},
    };
    for (const Case& k : cases) {
        FakeEmbeddingServer server;
        k.inject(server);
        HttpEmbedder e(config_for(server));
        const auto vs = make_variants(16);
        std::vector<float> out(vs.size() * 32);
        const auto m = embed_error(e, vs, out.data());
        EXPECT_TRUE(m) << k.name << ": expected EmbedError";
        if (m) {
            EXPECT_NE(m->find(k.message), std::string::npos) << k.name << ": " << *m;
        }
        EXPECT_EQ(server.requests(), 1u) << k.name;  // a bad answer is not retried
    }
}

TEST_P(HttpEmbedderTest, DimensionChangeBetweenResponsesIsAnError) {
    FakeEmbeddingServer server;
    HttpEmbedder e(config_for(server));
    auto vs = make_variants(8);
    std::vector<float> out(vs.size() * 32);
    e.embed(vs, out.data());
    server.set_dimension(24);
    vs = make_variants(8, 900000);
    const auto m = embed_error(e, vs, out.data());
    ASSERT_TRUE(m) << "expected EmbedError";
    EXPECT_NE(m->find("24-dimensional vectors, expected 32"), std::string::npos) << *m;
    auto c = config_for(server);
    c.dimension = 64;  // larger than the model's 24
    HttpEmbedder larger(c);
    std::vector<float> out64(vs.size() * 64);
    EXPECT_THROW(larger.embed(vs, out64.data()), EmbedError);
    EXPECT_THROW(larger.info(), EmbedError);
}

TEST_P(HttpEmbedderTest, CacheHitsAvoidRequests) {
    FakeEmbeddingServer server;
    HttpEmbedder e(config_for(server));
    auto vs = make_variants(100);
    vs.push_back(vs[3]);  // a repeat within one call is fetched once
    std::vector<float> first(vs.size() * 32), second(vs.size() * 32);
    e.embed(vs, first.data());
    EXPECT_EQ(server.texts().size(), 100u);
    const size_t requests = server.requests();
    e.embed(vs, second.data());
    EXPECT_EQ(server.requests(), requests);
    EXPECT_EQ(first, second);
    EXPECT_EQ(e.cache().hits(), 101u);
    expect_rows_match(vs, second, 32);
    // A small budget keeps only the most recent vectors.
    auto c = config_for(server);
    c.cache_bytes = 10 * EmbeddingCache::entry_bytes(vs[0].key.size(), 32);
    HttpEmbedder small(c);
    small.embed(vs, first.data());
    EXPECT_LE(small.cache().size(), 10u);
    EXPECT_LE(small.cache().bytes(), c.cache_bytes);
}

TEST_P(HttpEmbedderTest, ConcurrentCallersShareThePool) {
    FakeEmbeddingServer server(FakeEmbeddingServerOptions{.dimension = 32, .latency = 5ms});
    HttpEmbedder e(config_for(server));
    std::vector<std::thread> threads;
    std::vector<std::vector<vcf::Variant>> inputs;
    std::vector<std::vector<float>> outputs(4);
    for (int t = 0; t < 4; ++t) inputs.push_back(make_variants(70, 1000 + t * 1000000));
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            outputs[t].resize(inputs[t].size() * 32);
            e.embed(inputs[t], outputs[t].data());
        });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < 4; ++t) expect_rows_match(inputs[t], outputs[t], 32);
}

TEST_P(HttpEmbedderTest, EmbedsFreeTextQueries) {
    FakeEmbeddingServer server;
    HttpEmbedder e(config_for(server));
    const auto v = e.embed_text("loss of function variants in BRCA2");
    const auto want =
        normalised(FakeEmbeddingServer::vector_for("loss of function variants in BRCA2", 32));
    ASSERT_EQ(v.size(), want.size());
    for (size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(v[i], want[i], 1e-6);
}

TEST_P(HttpEmbedderTest, PcaReducesToTheTargetAndRoundTripsThroughSaveLoad) {
    FakeEmbeddingServer server(FakeEmbeddingServerOptions{.dimension = 64});
    auto c = config_for(server);
    c.dimension = 16;
    c.reduction = "pca";
    HttpEmbedder e(c);
    EXPECT_TRUE(e.needs_training());
    const auto vs = make_variants(20, 5000000);
    std::vector<float> out(vs.size() * 16), again(vs.size() * 16);
    const auto m = embed_error(e, vs, out.data());
    ASSERT_TRUE(m) << "expected EmbedError";
    EXPECT_NE(m->find("train"), std::string::npos) << *m;
    const auto sample = make_variants(300);
    e.train(sample);
    EXPECT_FALSE(e.needs_training());
    ASSERT_NE(e.reducer(), nullptr);
    EXPECT_EQ(e.reducer()->output_dim(), 16);
    EXPECT_EQ(e.info().to_string(), GetParam() + "/test-model/16/pca");
    e.embed(vs, out.data());
    for (size_t i = 0; i < vs.size(); ++i) {
        double n = 0;
        for (int j = 0; j < 16; ++j) n += double(out[i * 16 + j]) * out[i * 16 + j];
        EXPECT_NEAR(n, 1.0, 1e-4);
    }
    EXPECT_EQ(e.embed_text("a query").size(), 16u);

    test::TempDir dir;
    const std::string path = dir.file("reducer.faiss");
    e.reducer()->save(path);
    HttpEmbedder restored(c);
    restored.load_reducer(path);
    EXPECT_FALSE(restored.needs_training());
    const size_t before = server.requests();
    EXPECT_EQ(restored.info(), e.info());  // known from the reducer: no probe request
    EXPECT_EQ(server.requests(), before);
    restored.embed(vs, again.data());
    for (size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(out[i], again[i], 1e-5);

    auto wrong = c;
    wrong.dimension = 8;
    HttpEmbedder mismatched(wrong);
    EXPECT_THROW(mismatched.load_reducer(path), EmbedError);
    wrong = c;
    wrong.reduction = "truncate";
    HttpEmbedder other_method(wrong);
    EXPECT_THROW(other_method.load_reducer(path), EmbedError);
}

TEST_P(HttpEmbedderTest, TruncationNeedsNoTraining) {
    FakeEmbeddingServer server(FakeEmbeddingServerOptions{.dimension = 64});
    auto c = config_for(server);
    c.dimension = 16;
    c.reduction = "truncate";
    HttpEmbedder e(c);
    EXPECT_FALSE(e.needs_training());
    const auto vs = make_variants(5);
    std::vector<float> out(vs.size() * 16);
    e.embed(vs, out.data());
    for (size_t i = 0; i < vs.size(); ++i) {
        auto full = normalised(FakeEmbeddingServer::vector_for(describe_variant(vs[i]), 64));
        full.resize(16);
        const auto want = normalised(full);
        for (int j = 0; j < 16; ++j)
            EXPECT_NEAR(out[i * 16 + j], want[static_cast<size_t>(j)], 1e-5);
    }
    EXPECT_EQ(e.info().to_string(), GetParam() + "/test-model/16/truncate");
}

INSTANTIATE_TEST_SUITE_P(Protocols, HttpEmbedderTest, ::testing::Values("ollama", "openai"),
                         [](const auto& info) { return info.param; });

TEST(HttpEmbedderConfig, DefaultsEnvironmentAndAuthorization) {
    FakeEmbeddingServer server;
    const auto vs = make_variants(1);
    std::vector<float> out(32);

    ::setenv("OLLAMA_HOST", ("127.0.0.1:" + std::to_string(server.port())).c_str(), 1);
    EmbedderConfig c;
    c.kind = "ollama";
    auto ollama = make_embedder(c);
    ::unsetenv("OLLAMA_HOST");
    ollama->embed(vs, out.data());
    EXPECT_EQ(server.last_model(), "nomic-embed-text");
    EXPECT_EQ(server.last_authorization(), "");
    // nomic-embed-text expects task prefixes.
    EXPECT_EQ(server.texts().back().rfind("search_document: ", 0), 0u);

    ::setenv("OPENAI_BASE_URL", (server.url() + "/v1").c_str(), 1);
    ::setenv("OPENAI_API_KEY", "sk-test-123", 1);
    c.kind = "openai";
    auto openai = make_embedder(c);
    ::unsetenv("OPENAI_BASE_URL");
    ::unsetenv("OPENAI_API_KEY");
    openai->embed(vs, out.data());
    EXPECT_EQ(server.last_model(), "text-embedding-3-small");
    EXPECT_EQ(server.last_authorization(), "Bearer sk-test-123");

    c.endpoint = server.url();
    c.reduction = "svd";
    EXPECT_THROW(make_embedder(c), EmbedError);
    c.reduction = "pca";
    c.batch_size = 0;
    EXPECT_THROW(make_embedder(c), EmbedError);
}

}  // namespace
}  // namespace vcfagent::embed
