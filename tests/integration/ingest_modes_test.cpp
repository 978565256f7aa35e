// Ingest modes: the concurrent pipeline and the sync fallback build the same graph and the same
// variant index; a failed batch leaves nothing of itself, and the index derived afterwards
// holds exactly the committed rows. (SIGKILL: kill_recovery_test.cpp.)
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

std::string dump(const std::string& db, const std::string& cypher) {
    auto r = run_agent({"graph", cypher, "--db", db, "-O", "tsv"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
}

TEST(IngestModesTest, SyncAndConcurrentRunsProduceIdenticalStores) {
    TempDir tmp;
    const std::string vcf = data_path("chr22.vcf.gz");
    const std::string a = tmp.file("sync"), b = tmp.file("concurrent");
    ASSERT_EQ(run_agent({"ingest", vcf, "--db", a, "--sync", "--batch-size", "1500"}).exit_code, 0);
    ASSERT_EQ(run_agent({"ingest", vcf, "--db", b, "--batch-size", "1500"}).exit_code, 0);
    const auto ca = store_counts(a);
    EXPECT_EQ(ca, store_counts(b));
    EXPECT_EQ(ca.at("vectors"), ca.at("Variant"));
    const std::string variants =
        "MATCH (v:Variant) RETURN v.id, v.pos, v.ref, v.alt, v.af ORDER BY v.id";
    const std::string edges =
        "MATCH (v:Variant)-[c:CarriedBy]->(s:Sample) RETURN v.id, s.id, c.gt ORDER BY v.id, s.id";
    EXPECT_EQ(dump(a, variants), dump(b, variants));
    EXPECT_EQ(dump(a, edges), dump(b, edges));
    auto picked = nlohmann::json::parse(
        run_agent({"graph", "MATCH (v:Variant) RETURN v.id AS k ORDER BY v.pos SKIP 5000 LIMIT 3",
                   "--db", a, "-O", "json"})
            .out);
    ASSERT_EQ(picked.size(), 3u);
    for (const auto& row : picked) {
        const std::string key = row["k"];
        auto sa = run_agent({"search", "--db", a, "--like", key, "-k", "8", "-O", "tsv"});
        auto sb = run_agent({"search", "--db", b, "--like", key, "-k", "8", "-O", "tsv"});
        ASSERT_EQ(sa.exit_code, 0) << sa.err;
        EXPECT_EQ(sa.out, sb.out) << key;
    }
}

TEST(IngestModesTest, BadRecordLeavesNothingOfItsBatchAndTheIndexFollowsTheCommittedRows) {
    TempDir tmp;
    const std::string vcf = tmp.file("bad.vcf");
    ASSERT_EQ(
        run_shell("(bcftools view -h " + data_path("chr22.vcf.gz") + "; bcftools view -H " +
                  data_path("chr22.vcf.gz") +
                  " | head -1000 | awk 'NR==751 {print \"22\\t1\\tx\"; next} {print}') > " + vcf)
            .exit_code,
        0);
    const std::string db = tmp.file("db");
    auto r = run_agent({"ingest", vcf, "--db", db, "--batch-size", "200"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(store_counts(db).at("Variant"), 600);
    // The first search brings the index up to the committed rows (and saves it).
    auto s = run_agent({"search", "--db", db, "--like", "22:50300078:A:G", "-k", "1000"});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(store_counts(db).at("vectors"), 600);
}

}  // namespace
}  // namespace vcfagent::test
