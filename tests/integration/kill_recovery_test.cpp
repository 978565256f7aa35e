// A real child process ingesting a file (its graph load, then its variant index catch-up) is
// killed with SIGKILL at random points. After each kill the store opens for writing (`embed`,
// which repairs what the kill left and brings the index up to date), the index holds exactly
// the graph's variants, and the Source progress promises exactly the rows present; a final
// re-run completes the load to the same counts as an uninterrupted one. The input is synthetic
// (annotated, 20 samples, seeded): on it a killed Kuzu 0.11.3 reopens with a primary-key index that
// disagrees with its rows, which the store must repair (without the repair every run of this test
// failed).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "common/elapsed.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

int64_t promised_variants(const std::string& db) {
    auto r = run_agent({"graph", "MATCH (s:Source) RETURN coalesce(sum(s.variants), 0) AS n",
                        "--db", db, "-O", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out).at(0).at("n").get<int64_t>() : -1;
}

TEST(KillRecoveryTest, SigkillAtRandomPointsThenRerunMatchesAnUninterruptedLoad) {
    TempDir tmp;
    const std::string vcf = tmp.file("input.vcf.gz");
    auto gen = run_command(
        {generator_binary(), "--records", "12000", "--samples", "20", "--seed", "3", "-o", vcf});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    const std::vector<std::string> load_args{"--batch-size", "400"};
    const std::string ref = tmp.file("ref"), db = tmp.file("db");

    auto ingest = [&](const std::string& dir) {
        std::vector<std::string> a{"ingest", vcf, "--db", dir};
        a.insert(a.end(), load_args.begin(), load_args.end());
        return a;
    };
    const auto t0 = std::chrono::steady_clock::now();
    auto r = run_agent(ingest(ref));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    double full = seconds_since(t0);
    const auto expected = store_counts(ref);
    ASSERT_GT(expected.at("Variant"), 10000);

    const unsigned seed = std::random_device{}();
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> share(0.15, 0.9);
    int landed = 0, restarts = 0;
    for (int i = 0; i < 5; ++i) {
        const double at = share(rng) * full;
        const bool killed = run_agent_killed_after(ingest(db), at);
        if (!killed && landed == 0 && restarts < 4) {
            // The load finished before its first kill (the reference load ran slower, beside
            // other tests): start again on an empty store with earlier kills.
            std::filesystem::remove_all(db);
            full /= 2;
            ++restarts;
            --i;
            continue;
        }
        landed += killed;
        SCOPED_TRACE("seed " + std::to_string(seed) + ", kill " + std::to_string(i) + " after " +
                     std::to_string(at) + " s");
        auto opened = run_agent({"embed", "--db", db});
        ASSERT_EQ(opened.exit_code, 0) << opened.err;
        const auto c = store_counts(db);
        ASSERT_FALSE(c.empty());
        EXPECT_EQ(c.at("Variant"), c.at("vectors"));
        EXPECT_EQ(promised_variants(db), c.at("Variant"));
        EXPECT_LE(c.at("CarriedBy"), expected.at("CarriedBy"));
    }
    EXPECT_GT(landed, 0) << "no kill landed during an ingest (seed " << seed << ")";
    r = run_agent(ingest(db));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(store_counts(db), expected);
}

}  // namespace
}  // namespace vcfagent::test
