// `embed` into a store that `ingest` also writes: the embedded rows stay through later opens
// and ingests (they were once undone without an error by the next ingest or `stats --db`,
// because `embed` advanced the batch id the graph and vector halves share).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <regex>
#include <string>

#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

TEST(EmbedIntoIngestedStoreTest, EmbeddedRowsSurviveTheNextOpenAndIngest) {
    TempDir dir;
    const std::string db = dir.file("db");
    auto r = run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto before = store_counts(db);
    ASSERT_EQ(before.at("vectors"), before.at("Variant"));

    r = run_agent({"embed", data_path("hapmap_exome_chr22.vcf.gz"), "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.err, m, std::regex(", (\\d+) added"))) << r.err;
    const int64_t added = std::stoll(m[1]);
    ASSERT_GT(added, 1000);
    const auto after_embed = store_counts(db);
    EXPECT_EQ(after_embed.at("vectors"), before.at("vectors") + added);

    r = run_agent({"ingest", data_path("test.snpeff.vcf"), "--db", db, "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    const auto after_ingest = store_counts(db);
    EXPECT_EQ(after_ingest.at("vectors"),
              after_embed.at("vectors") + report["vectors_added"].get<int64_t>());
}

}  // namespace
}  // namespace vcfagent::test
