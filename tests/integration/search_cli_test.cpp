// `vcf-agent ingest` + `vcf-agent search` end to end: a variant taken from bcftools output is
// its own nearest neighbour at distance 0, filters hold, the variant index is a cache (deleted
// or damaged, it is rebuilt from the graph with the same neighbours), and the HTTP embedder
// path (stored embeddings, --text) works against a loopback embedding server.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/fake_embedding_server.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

bool has_bcftools() {
    static const bool available = run_shell("bcftools --version >/dev/null 2>&1").exit_code == 0;
    return available;
}

std::vector<std::vector<std::string>> tsv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cells;
        std::istringstream l(line);
        std::string cell;
        while (std::getline(l, cell, '\t')) cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

// The key of a biallelic SNV from bcftools: chrom:pos:ref:alt needs no trimming for SNVs.
std::string snv_key_from_bcftools(const std::string& file, int nth) {
    const auto r = run_shell("bcftools view -H -v snps -m2 -M2 " + file + " | sed -n " +
                             std::to_string(nth) + "p | cut -f1,2,4,5");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::istringstream in(r.out);
    std::string chrom, pos, ref, alt;
    in >> chrom >> pos >> ref >> alt;
    return chrom + ":" + pos + ":" + ref + ":" + alt;
}

class SearchCli : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const auto r = run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        embed_err_ = new std::string(r.err);
    }
    static void TearDownTestSuite() {
        delete dir_;
        delete embed_err_;
    }
    static std::string db() { return dir_->file("db"); }
    static TempDir* dir_;
    static std::string* embed_err_;
};
TempDir* SearchCli::dir_ = nullptr;
std::string* SearchCli::embed_err_ = nullptr;

TEST_F(SearchCli, LikeReturnsTheVariantItselfFirstAndKResults) {
    if (!has_bcftools()) GTEST_SKIP() << "bcftools is not installed";
    for (int nth : {1, 250, 2000}) {
        const std::string key = snv_key_from_bcftools(data_path("chr22.vcf.gz"), nth);
        const auto r = run_agent({"search", "--db", db(), "--like", key, "-k", "10", "-O", "tsv"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto rows = tsv_rows(r.out);
        ASSERT_EQ(rows.size(), 10u) << r.out;
        EXPECT_EQ(rows[0][1], key);
        EXPECT_EQ(std::stod(rows[0][2]), 0.0);
        for (size_t i = 1; i < rows.size(); ++i) {
            EXPECT_NE(rows[i][1], key);
            EXPECT_LE(std::stod(rows[i - 1][2]), std::stod(rows[i][2]));
        }
    }
}

// A first load makes the index from its own variants (index/load_feed.hpp).
TEST_F(SearchCli, IngestReportsTheIndex) {
    EXPECT_NE(embed_err_->find("index: 10376 variants (flat, builtin/v1/64, made during the load)"),
              std::string::npos)
        << *embed_err_;
}

// The index files are a cache: gone or damaged, the next search rebuilds them from the graph
// and answers with the same neighbours.
TEST(SearchCliIndexCache, DeletedOrDamagedIndexIsRebuiltWithTheSameNeighbours) {
    TempDir dir;
    const std::string db = dir.file("db");
    ASSERT_EQ(run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db}).exit_code, 0);
    const std::vector<std::string> keys = {"22:50300078:A:G", "22:50300101:G:A"};
    auto neighbours = [&] {
        std::string all;
        for (const auto& key : keys) {
            auto r = run_agent({"search", "--db", db, "--like", key, "-k", "20", "-O", "tsv"});
            EXPECT_EQ(r.exit_code, 0) << r.err;
            EXPECT_EQ(tsv_rows(r.out).size(), 20u);
            all += r.out;
        }
        return all;
    };
    const std::string before = neighbours();
    const std::string index_dir = db + "/index";
    ASSERT_EQ(run_shell("rm -rf " + index_dir).exit_code, 0);
    EXPECT_EQ(neighbours(), before);
    EXPECT_EQ(store_counts(db).at("vectors"), 10376);  // the search saved the rebuilt files
    // Truncate the ANN file the stamp names: detected, rebuilt, same answers.
    ASSERT_EQ(
        run_shell("for f in " + index_dir + "/ann-*.faiss; do truncate -s 1000 $f; done").exit_code,
        0);
    auto r = run_agent({"search", "--db", db, "--like", keys[0], "-k", "20", "-O", "tsv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("rebuilt it from the graph"), std::string::npos) << r.err;
    EXPECT_EQ(neighbours(), before);
    // Flip bytes inside the rows file: the same.
    ASSERT_EQ(run_shell("for f in " + index_dir +
                        "/rows-*.bin; do printf 'XXXX' | dd of=$f bs=1 seek=100 conv=notrunc "
                        "2>/dev/null; done")
                  .exit_code,
              0);
    EXPECT_EQ(neighbours(), before);
}

// A memory budget too small for the load's index rows: the index is built from the graph after
// the load instead, whole.
TEST(SearchCliIndexCache, ASmallBudgetBuildsTheFirstIndexFromTheGraph) {
    TempDir dir;
    const std::string db = dir.file("db");
    const auto r =
        run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db, "--memory-limit-mb", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("the index's rows were not made during the load"), std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("made during the load)"), std::string::npos) << r.err;
    EXPECT_EQ(store_counts(db).at("vectors"), 10376);
}

// A second load extends the index (no rebuild) to every variant of both files.
TEST(SearchCliIndexCache, LaterLoadsExtendTheIndex) {
    TempDir dir;
    const std::string db = dir.file("db");
    ASSERT_EQ(run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db}).exit_code, 0);
    auto r = run_agent({"ingest", data_path("hapmap_exome_chr22.vcf.gz"), "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("made during the load"), std::string::npos) << r.err;  // extended
    const auto c = store_counts(db);
    EXPECT_EQ(c.at("vectors"), c.at("Variant"));
    EXPECT_GT(c.at("Variant"), 10376);
    // A variant only the second file has is found as its own nearest neighbour.
    const auto first = run_shell("bcftools view -H " + data_path("hapmap_exome_chr22.vcf.gz") +
                                 " | head -1 | cut -f1,2,4,5");
    std::istringstream in(first.out);
    std::string chrom, pos, ref, alt;
    in >> chrom >> pos >> ref >> alt;
    r = run_agent({"search", "--db", db, "--like", chrom + ":" + pos + ":" + ref + ":" + alt, "-k",
                   "1", "-O", "tsv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(tsv_rows(r.out)[0][1], chrom + ":" + pos + ":" + ref + ":" + alt);
    // --no-vectors leaves the index files alone; the next search catches up.
    const std::string db2 = dir.file("db2");
    ASSERT_EQ(
        run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db2, "--no-vectors"}).exit_code, 0);
    EXPECT_EQ(store_counts(db2).at("vectors"), 0);
    r = run_agent({"search", "--db", db2, "--like", "22:50300078:A:G", "-k", "1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(store_counts(db2).at("vectors"), 10376);
}

// `search --gene G` keeps exactly the variants `query gene G` lists (any InGene edge, not only
// the first annotation's gene): with k above the store's size, the two key sets are equal.
TEST(SearchCliGene, GeneFilterMeansWhatQueryGeneMeans) {
    TempDir dir;
    const std::string db = dir.file("db");
    ASSERT_EQ(run_agent({"ingest", data_path("test.snpeff.vcf"), "--db", db}).exit_code, 0);
    auto genes = run_agent({"graph", "MATCH (g:Gene) RETURN g.symbol", "--db", db, "-O", "tsv"});
    ASSERT_EQ(genes.exit_code, 0) << genes.err;
    const auto symbols = tsv_rows(genes.out);
    ASSERT_GE(symbols.size(), 3u);
    size_t checked = 0;
    for (size_t i = 1; i < symbols.size(); ++i) {  // row 0 is the header
        const std::string gene = symbols[i][0];
        SCOPED_TRACE(gene);
        auto q = run_agent({"query", "gene", gene, "--db", db, "-O", "tsv"});
        ASSERT_EQ(q.exit_code, 0) << q.err;
        std::set<std::string> want;
        const auto qrows = tsv_rows(q.out);
        for (size_t r = 1; r < qrows.size(); ++r) want.insert(qrows[r][0]);
        auto s = run_agent({"search", "--db", db, "--like", *want.begin(), "-k", "100", "--gene",
                            gene, "-O", "tsv"});
        ASSERT_EQ(s.exit_code, 0) << s.err;
        std::set<std::string> got;
        for (const auto& row : tsv_rows(s.out)) got.insert(row[1]);
        EXPECT_EQ(got, want);
        checked += want.size();
    }
    EXPECT_GT(checked, 0u);
}

TEST_F(SearchCli, JsonOutputAndFilters) {
    if (!has_bcftools()) GTEST_SKIP() << "bcftools is not installed";
    const std::string key = snv_key_from_bcftools(data_path("chr22.vcf.gz"), 500);
    auto r = run_agent(
        {"search", "--db", db(), "--like", key, "-k", "5", "--class", "del,ins", "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["results"].size(), 5u);
    for (const auto& hit : j["results"]) {
        const std::string c = hit["class"];
        EXPECT_TRUE(c == "DEL" || c == "INS") << c;
    }
    // A region that holds fewer variants than k: all of them, nothing else.
    const auto count = run_shell("bcftools view -H -r 22:16050000-16060000 " +
                                 data_path("chr22.vcf.gz") + " | wc -l");
    r = run_agent({"search", "--db", db(), "--like", key, "-k", "1000", "-r",
                   "22:16050000-16060000", "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["results"].size(), std::stoul(count.out));
    for (const auto& hit : j["results"]) {
        EXPECT_EQ(hit["chrom"], "22");
        EXPECT_GE(hit["pos"].get<int64_t>(), 16050000);
        EXPECT_LE(hit["pos"].get<int64_t>(), 16060000);
    }
    r = run_agent({"search", "--db", db(), "--like", key, "-k", "10", "--min-af", "0.4", "--max-af",
                   "0.6", "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["results"].size(), 10u);
    for (const auto& hit : j["results"]) {
        EXPECT_GE(hit["af"].get<double>(), 0.4 - 1e-6);
        EXPECT_LE(hit["af"].get<double>(), 0.6 + 1e-6);
    }
}

TEST_F(SearchCli, ClearErrors) {
    auto r = run_agent({"search", "--db", db(), "--like", "22:1:A:G"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("not in the store"), std::string::npos) << r.err;
    r = run_agent({"search", "--db", db(), "--text", "a missense variant in a kinase"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("HTTP embedder"), std::string::npos) << r.err;
    r = run_agent({"search", "--db", db(), "--vector", "0.1,0.2,0.3"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("dimensions"), std::string::npos) << r.err;
    r = run_agent({"search", "--db", db()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("exactly one of"), std::string::npos) << r.err;
    r = run_agent({"search", "--db", dir_->file("nowhere"), "--like", "22:1:A:G"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("no store"), std::string::npos) << r.err;
    // Loading with another embedder than the store's is refused, naming both.
    FakeEmbeddingServer server;
    r = run_agent({"ingest", data_path("valid-4.1.vcf"), "--db", db(), "--embedder", "ollama",
                   "--endpoint", server.url()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("builtin"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ollama"), std::string::npos) << r.err;
}

TEST(SearchCliHttp, TextSearchUsesTheStoresEmbedder) {
    FakeEmbeddingServerOptions o;
    o.dimension = 24;
    FakeEmbeddingServer server(o);
    TempDir dir;
    const std::string db = dir.file("db");
    auto r = run_agent({"ingest", data_path("test.snpeff.vcf"), "--db", db, "--embedder", "ollama",
                        "--endpoint", server.url()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_agent({"search", "--db", db, "--text", "frameshift in a gene", "-k", "3", "--endpoint",
                   server.url(), "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["results"].size(), 3u);
    // --like reads the stored embedding: no embedding server needed.
    const std::string key = j["results"][0]["key"];
    r = run_agent({"search", "--db", db, "--like", key, "-k", "1", "-O", "tsv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(tsv_rows(r.out)[0][1], key);
}

}  // namespace
}  // namespace vcfagent::test
