// The dual store: both halves agree after every batch, after a SIGKILL at any moment, and
// whether the stages run concurrently or one after another.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "support/test_env.hpp"

extern char** environ;

namespace vcfagent::test {
namespace {

std::map<std::string, int64_t> store_counts(const std::string& db) {
    auto r = run_agent({"stats", "--db", db, "-O", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, int64_t> out;
    for (const auto& row : nlohmann::json::parse(r.out)) out[row["table"]] = row["count"];
    return out;
}

std::string dump(const std::string& db, const std::string& cypher) {
    auto r = run_agent({"graph", cypher, "--db", db, "-O", "tsv"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
}

// chr22 (10,376 records x 5 samples) repeated on five renamed contigs: ~52k records, enough
// batches for kills to land mid-load.
std::string big_input(const TempDir& tmp) {
    const std::string out = tmp.file("big.vcf");
    const std::string src = data_path("chr22.vcf.gz");
    auto r = run_shell("(bcftools view -h " + src + " | grep -v '^#CHROM'; for c in 1 2 3 4 5; do echo \"##contig=<ID=c$c>\"; done;"
                       " bcftools view -h " + src + " | tail -1; for c in 1 2 3 4 5; do bcftools view -H " + src +
                       " | awk -v c=c$c 'BEGIN{OFS=\"\\t\"} {$1=c; print}'; done) > " + out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return out;
}

TEST(DualStoreTest, SyncAndConcurrentRunsProduceIdenticalStores) {
    TempDir tmp;
    const std::string vcf = data_path("chr22.vcf.gz");
    const std::string a = tmp.file("sync"), b = tmp.file("concurrent");
    ASSERT_EQ(run_agent({"ingest", vcf, "--db", a, "--sync", "--batch-size", "1500"}).exit_code, 0);
    ASSERT_EQ(run_agent({"ingest", vcf, "--db", b, "--batch-size", "1500"}).exit_code, 0);
    const auto ca = store_counts(a);
    EXPECT_EQ(ca, store_counts(b));
    EXPECT_EQ(ca.at("vectors"), ca.at("Variant"));
    const std::string variants = "MATCH (v:Variant) RETURN v.id, v.pos, v.ref, v.alt, v.af ORDER BY v.id";
    const std::string edges = "MATCH (v:Variant)-[c:CarriedBy]->(s:Sample) RETURN v.id, s.id, c.gt ORDER BY v.id, s.id";
    EXPECT_EQ(dump(a, variants), dump(b, variants));
    EXPECT_EQ(dump(a, edges), dump(b, edges));
    auto picked = nlohmann::json::parse(
        run_agent({"graph", "MATCH (v:Variant) RETURN v.id AS k ORDER BY v.pos SKIP 5000 LIMIT 3", "--db", a, "-O", "json"}).out);
    ASSERT_EQ(picked.size(), 3u);
    for (const auto& row : picked) {
        const std::string key = row["k"];
        auto sa = run_agent({"search", "--db", a, "--like", key, "-k", "8", "-O", "tsv"});
        auto sb = run_agent({"search", "--db", b, "--like", key, "-k", "8", "-O", "tsv"});
        ASSERT_EQ(sa.exit_code, 0) << sa.err;
        EXPECT_EQ(sa.out, sb.out) << key;
    }
}

TEST(DualStoreTest, BadRecordLeavesNothingOfItsBatchInEitherStore) {
    TempDir tmp;
    const std::string vcf = tmp.file("bad.vcf");
    ASSERT_EQ(run_shell("(bcftools view -h " + data_path("chr22.vcf.gz") + "; bcftools view -H " +
                        data_path("chr22.vcf.gz") + " | head -1000 | awk 'NR==751 {print \"22\\t1\\tx\"; next} {print}') > " + vcf)
                  .exit_code,
              0);
    const std::string db = tmp.file("db");
    auto r = run_agent({"ingest", vcf, "--db", db, "--batch-size", "200"});
    EXPECT_EQ(r.exit_code, 1);
    const auto c = store_counts(db);
    EXPECT_EQ(c.at("Variant"), 600);
    EXPECT_EQ(c.at("vectors"), 600);
}

pid_t spawn_agent(const std::vector<std::string>& args) {
    std::vector<std::string> argv{agent_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> p;
    for (auto& s : argv) p.push_back(s.data());
    p.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    posix_spawn(&pid, p[0], &fa, nullptr, p.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

TEST(DualStoreTest, SigkillAtRandomPointsThenRecoveryAndRerunMatchAnUninterruptedLoad) {
    TempDir tmp;
    const std::string vcf = big_input(tmp);
    const std::string reference = tmp.file("reference");
    ASSERT_EQ(run_agent({"ingest", vcf, "--db", reference, "--batch-size", "2000"}).exit_code, 0);
    const auto expected = store_counts(reference);
    ASSERT_EQ(expected.at("Variant"), expected.at("vectors"));
    ASSERT_GT(expected.at("Variant"), 50000);

    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> delay_ms(150, 2500);
    const std::string db = tmp.file("killed");
    int killed_mid_load = 0;
    for (int round = 0; round < 4; ++round) {
        const pid_t pid = spawn_agent({"ingest", vcf, "--db", db, "--batch-size", "2000"});
        ASSERT_GT(pid, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        if (WIFSIGNALED(status)) ++killed_mid_load;
        // The store opens, repairs, and both halves hold the same variants.
        const auto after_kill = store_counts(db);
        EXPECT_EQ(after_kill.at("Variant"), after_kill.at("vectors")) << "round " << round;
        EXPECT_LE(after_kill.at("Variant"), expected.at("Variant"));
    }
    EXPECT_GE(killed_mid_load, 1);
    auto r = run_agent({"ingest", vcf, "--db", db, "--batch-size", "2000"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto final_counts = store_counts(db);
    EXPECT_EQ(final_counts.at("Variant"), expected.at("Variant"));
    EXPECT_EQ(final_counts.at("vectors"), expected.at("vectors"));
    EXPECT_EQ(final_counts.at("CarriedBy"), expected.at("CarriedBy"));
    EXPECT_EQ(final_counts.at("Sample"), expected.at("Sample"));
}

}  // namespace
}  // namespace vcfagent::test
