// A store written by an older vcf-agent (schema version 1: no call vectors, no pedigree; 2: no
// Variant.batch / Variant.emb; 3: a call vector as one CalledIn edge to its Source; 4: no
// Variant.carriers / Variant.carriers_batch) is refused by
// readers with a clear message, upgraded in place by the next writer without losing a row, and
// after the upgrade equals a store built fresh from the same loads. The old stores are made from
// new ones by removing what the later versions added, with Kuzu itself (no binary of the old
// versions is at hand).
#include <gtest/gtest.h>

#include <kuzu.hpp>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

// Runs statements on the store's Kuzu database directly (the store must be closed).
void run_on_graph(const std::string& db, const std::vector<std::string>& statements) {
    kuzu::main::SystemConfig config;
    config.maxDBSize = uint64_t{1} << 37;  // as the engine test: fits beside TSan's shadow
    kuzu::main::Database database(db + "/graph.kz", config);
    kuzu::main::Connection conn(&database);
    for (const auto& s : statements) {
        auto r = conn.query(s);
        ASSERT_TRUE(r->isSuccess()) << s << ": " << r->getErrorMessage();
    }
}

// What version 4 lacked.
const std::vector<std::string> kRemoveVersion5 = {
    "ALTER TABLE Variant DROP carriers",
    "ALTER TABLE Variant DROP carriers_batch",
    "MATCH (m:Meta {key: 'schema_version'}) SET m.value = '4'",
};
// Version 3's call vectors: one CalledIn edge per variant and source, holding every sample
// (the test files have fewer samples than a Calls row, so each vector is one row here).
const std::vector<std::string> kRemoveVersion4 = {
    "CREATE REL TABLE CalledIn3(FROM Variant TO Source, gt STRING, dp STRING, gq STRING, "
    "ad_ref STRING, ad_alt STRING) WITH (storage_direction = 'fwd')",
    "MATCH (v:Variant)-[:CalledIn]->(c:Calls), (s:Source) WHERE s.num = c.source AND c.first = 0 "
    "CREATE (v)-[:CalledIn3 {gt: c.gt, dp: c.dp, gq: c.gq, ad_ref: c.ad_ref, ad_alt: "
    "c.ad_alt}]->(s)",
    "DROP TABLE CalledIn",
    "DROP TABLE Calls",
    "ALTER TABLE CalledIn3 RENAME TO CalledIn",
    "MATCH (m:Meta {key: 'schema_version'}) SET m.value = '3'",
};
// What version 2 lacked.
const std::vector<std::string> kRemoveVersion3 = {
    "ALTER TABLE Variant DROP batch",
    "ALTER TABLE Variant DROP emb",
    "MATCH (m:Meta {key: 'schema_version'}) SET m.value = '2'",
};
// What version 1 lacked beyond that.
const std::vector<std::string> kRemoveVersion2 = {
    "DROP TABLE ParentOf",
    "DROP TABLE SampleOf",
    "DROP TABLE CalledIn",
    "ALTER TABLE Sample DROP family",
    "ALTER TABLE Sample DROP sex",
    "ALTER TABLE Sample DROP phenotype",
    "ALTER TABLE Sample DROP father",
    "ALTER TABLE Sample DROP mother",
    "ALTER TABLE Sample DROP ped_extra",
    "MATCH (m:Meta {key: 'schema_version'}) SET m.value = '1'",
};

std::string genotype_rows(const std::string& db) {
    const auto r = run_agent(
        {"query", "genotype", "--db", db, "--het", "HG00096", "--hom-ref", "HG00097", "-O", "tsv"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
}

class SchemaUpgradeTest : public ::testing::Test {
  protected:
    void SetUp() override {
        // The reference: both files loaded by this version.
        ASSERT_EQ(run_agent({"ingest", chr22_, "--db", fresh(), "--no-vectors"}).exit_code, 0);
        ASSERT_EQ(run_agent({"ingest", exome_, "--db", fresh(), "--no-vectors"}).exit_code, 0);
        // The old store: the first file loaded, then the later versions' additions removed.
        ASSERT_EQ(run_agent({"ingest", chr22_, "--db", old(), "--no-vectors"}).exit_code, 0);
    }
    std::string fresh() const { return dir_.file("fresh.db"); }
    std::string old() const { return dir_.file("old.db"); }

    // A reader refuses the old store and says how to upgrade it; the next load upgrades it.
    void upgrade_by_loading(const std::string& version) {
        const auto counts_before = run_agent({"stats", "--db", old(), "-O", "json"});
        EXPECT_NE(counts_before.exit_code, 0);
        EXPECT_NE(counts_before.err.find("schema version " + version), std::string::npos)
            << counts_before.err;
        EXPECT_NE(counts_before.err.find("open it once for writing"), std::string::npos)
            << counts_before.err;
        const auto load = run_agent({"ingest", exome_, "--db", old(), "--no-vectors"});
        ASSERT_EQ(load.exit_code, 0) << load.err;
        EXPECT_NE((load.out + load.err)
                      .find("upgraded the store from schema version " + version + " to 5"),
                  std::string::npos)
            << load.out << load.err;
    }

    TempDir dir_;
    const std::string chr22_ = data_path("chr22.vcf.gz");
    const std::string exome_ = data_path("hapmap_exome_chr22.vcf.gz");
};

// Every variant's carriers count: the fresh store's, and its CarriedBy edges counted.
std::string carriers_rows(const std::string& db) {
    const auto r = run_agent({"graph", "--db", db, "-O", "tsv",
                              "MATCH (v:Variant) RETURN v.id, v.carriers, COUNT { MATCH "
                              "(v)-[:CarriedBy]->(:Sample) } ORDER BY v.id"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
}

TEST_F(SchemaUpgradeTest, Version4StoreIsUpgradedByTheNextLoadAndCountsItsCarriers) {
    run_on_graph(old(), kRemoveVersion5);
    upgrade_by_loading("4");
    EXPECT_EQ(store_counts(old()), store_counts(fresh()));
    const std::string upgraded = carriers_rows(old());
    EXPECT_EQ(upgraded, carriers_rows(fresh()));
    // Each row's stored count is its edges counted (and some variants have carriers).
    std::istringstream rows(upgraded);
    std::string line;
    size_t checked = 0, carried = 0;
    std::getline(rows, line);  // header
    while (std::getline(rows, line)) {
        const auto a = line.find('\t'), b = line.rfind('\t');
        ASSERT_NE(a, b) << line;
        EXPECT_EQ(line.substr(a + 1, b - a - 1), line.substr(b + 1)) << line;
        carried += line.substr(b + 1) != "0";
        ++checked;
    }
    EXPECT_GT(checked, 10000u);
    EXPECT_GT(carried, 1000u);
}

TEST_F(SchemaUpgradeTest, Version3StoreIsUpgradedByTheNextLoadAndKeepsItsCallVectors) {
    run_on_graph(old(), kRemoveVersion5);
    run_on_graph(old(), kRemoveVersion4);
    upgrade_by_loading("3");
    EXPECT_EQ(store_counts(old()), store_counts(fresh()));
    EXPECT_EQ(genotype_rows(old()), genotype_rows(fresh()));
    // The converted rows are the fresh store's, code for code and number for number.
    auto calls = [](const std::string& db) {
        const auto r = run_agent({"graph", "--db", db, "-O", "tsv",
                                  "MATCH (v:Variant)-[:CalledIn]->(c:Calls) RETURN v.id, "
                                  "c.source, c.first, c.carriers, c.gt, c.dp, c.gq, c.ad_ref, "
                                  "c.ad_alt ORDER BY v.id, c.source, c.first"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    };
    const std::string converted = calls(old());
    EXPECT_GT(converted.size(), 1000u);
    EXPECT_EQ(converted, calls(fresh()));
}

TEST_F(SchemaUpgradeTest, Version2StoreIsUpgradedByTheNextLoadAndLosesNothing) {
    run_on_graph(old(), kRemoveVersion5);
    run_on_graph(old(), kRemoveVersion4);
    run_on_graph(old(), kRemoveVersion3);
    upgrade_by_loading("2");
    EXPECT_EQ(store_counts(old()), store_counts(fresh()));
    EXPECT_EQ(genotype_rows(old()), genotype_rows(fresh()));
    // Rows of before the upgrade (batch 0) are indexed like the others.
    const auto search =
        run_agent({"search", "--db", old(), "--like", "22:50300078:A:G", "-k", "5", "-O", "json"});
    ASSERT_EQ(search.exit_code, 0) << search.err;
    EXPECT_EQ(nlohmann::json::parse(search.out).at("results").size(), 5u) << search.out;
    EXPECT_EQ(store_counts(old()).at("vectors"), store_counts(old()).at("Variant"));
}

TEST_F(SchemaUpgradeTest, Version1StoreIsUpgradedAndAForcedReloadAddsItsCallVectors) {
    run_on_graph(old(), kRemoveVersion5);
    run_on_graph(old(), kRemoveVersion4);
    run_on_graph(old(), kRemoveVersion3);
    run_on_graph(old(), kRemoveVersion2);
    upgrade_by_loading("1");
    auto counts = store_counts(old()), expected = store_counts(fresh());
    // Everything but the call vectors (and the sample columns they are read by) of the file
    // loaded before the upgrade.
    for (const char* table : {"Calls", "CalledIn", "SampleOf"}) {
        EXPECT_LT(counts.at(table), expected.at(table)) << table;
        counts.erase(table);
        expected.erase(table);
    }
    EXPECT_EQ(counts, expected);
    const auto reload = run_agent({"ingest", chr22_, "--db", old(), "--no-vectors", "--force"});
    ASSERT_EQ(reload.exit_code, 0) << reload.err;
    EXPECT_EQ(store_counts(old()), store_counts(fresh()));
    EXPECT_EQ(genotype_rows(old()), genotype_rows(fresh()));
}

}  // namespace
}  // namespace vcfagent::test
