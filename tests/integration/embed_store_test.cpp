// `embed --db` switches a store to another embedder: every variant the store holds gets a
// stored model embedding and the variant index is rebuilt from them; later loads embed their
// new variants the same way, `--no-vectors` never touches the embedder, and `stats --db`
// changes nothing on disk. (Before the graph owned the vectors, `embed` advanced a batch id
// the next ingest then used to undo the embedded rows without an error.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "store/graph_store.hpp"
#include "support/fake_embedding_server.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

int64_t graph_count(const std::string& db, const std::string& cypher) {
    auto r = run_agent({"graph", cypher, "--db", db, "-O", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out).at(0).at("n").get<int64_t>() : -1;
}

std::string files_digest(const std::string& db) {
    return run_shell("cd " + db + " && find . -type f | sort | xargs md5sum").out;
}

TEST(EmbedStoreTest, SwitchingEmbedderReembedsEveryVariantAndLaterLoadsFollow) {
    FakeEmbeddingServerOptions o;
    o.dimension = 24;
    FakeEmbeddingServer server(o);
    TempDir dir;
    const std::string db = dir.file("db");
    auto r = run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int64_t first = store_counts(db).at("Variant");

    r = run_agent({"embed", "--db", db, "--embedder", "ollama", "--endpoint", server.url(),
                   "--dimension", "16"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("switching"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(std::to_string(first) + " variants embedded"), std::string::npos) << r.err;
    EXPECT_EQ(graph_count(db, "MATCH (v:Variant) WHERE v.emb IS NOT NULL RETURN count(*) AS n"),
              first);
    EXPECT_EQ(store_counts(db).at("vectors"), first);

    // A later load uses the store's embedder (no --embedder needed) for its new variants.
    r = run_agent(
        {"ingest", data_path("hapmap_exome_chr22.vcf.gz"), "--db", db, "--endpoint", server.url()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto c = store_counts(db);
    EXPECT_GT(c.at("Variant"), first);
    EXPECT_EQ(c.at("vectors"), c.at("Variant"));
    EXPECT_EQ(graph_count(db, "MATCH (v:Variant) WHERE v.emb IS NULL RETURN count(*) AS n"), 0);
    r = run_agent({"search", "--db", db, "--text", "a missense variant", "-k", "5", "--endpoint",
                   server.url(), "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["results"].size(), 5u);

    // --no-vectors needs no embedding server (none is running at this address).
    r = run_agent({"ingest", data_path("test.snpeff.vcf"), "--db", db, "--no-vectors", "--endpoint",
                   "http://127.0.0.1:9"});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    // stats --db only reads.
    const std::string before = files_digest(db);
    ASSERT_FALSE(before.empty());
    const auto counts = store_counts(db);
    EXPECT_EQ(counts.at("Variant"), c.at("Variant") + 10);
    EXPECT_EQ(files_digest(db), before);
}

// An index build reads chunks on one thread and adds them on another: a chunk that fails to
// read (a stored embedding of the wrong size) must stop both with an error that names the
// variant, leave no index files behind, and leave the store as it was, so the next build
// after the embedding is mended succeeds.
TEST(EmbedStoreTest, AnIndexBuildThatFailsMidwayNamesTheVariantAndLeavesTheStoreUsable) {
    FakeEmbeddingServerOptions o;
    o.dimension = 16;
    FakeEmbeddingServer server(o);
    TempDir dir;
    const std::string db = dir.file("db");
    // chr22.vcf.gz holds more variants than one chunk of the build, so the adder is busy
    // with the chunks before when the last one fails.
    auto r = run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db, "--embedder", "ollama",
                        "--endpoint", server.url()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int64_t variants = store_counts(db).at("Variant");
    ASSERT_GT(variants, 8192);
    std::string last_key, last_emb;
    {
        store::GraphStore graph(db);
        const auto t =
            graph.read("MATCH (v:Variant) RETURN v.id, v.emb ORDER BY v.locus DESC LIMIT 1");
        ASSERT_EQ(t.rows.size(), 1u);
        last_key = t.rows[0][0].get<std::string>();
        last_emb = t.rows[0][1].get<std::string>();
        graph.write_embeddings({{last_key, "[0.5, 0.25]"}});
    }
    run_shell("rm -rf " + db + "/index");
    r = run_agent({"embed", "--db", db, "--endpoint", server.url()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(last_key), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("no stored embedding of the store's size"), std::string::npos) << r.err;
    EXPECT_TRUE(run_shell("ls " + db + "/index/*.faiss 2>/dev/null").out.empty());
    EXPECT_EQ(store_counts(db).at("Variant"), variants);

    {
        store::GraphStore graph(db);
        graph.write_embeddings({{last_key, last_emb}});
    }
    r = run_agent({"embed", "--db", db, "--endpoint", server.url()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(store_counts(db).at("vectors"), variants);
}

}  // namespace
}  // namespace vcfagent::test
