// `vcf-agent serve` over real HTTP: every endpoint refereed by bcftools on the bundled file,
// auth, limits, overload, metrics and alerts, OpenAPI, the agent endpoint, and SIGTERM.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "embed/httplib_include.hpp"
#include "support/scripted_llm_server.hpp"
#include "support/server_process.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

using nlohmann::json;

const std::string kChr22 = data_path("chr22.vcf.gz");
const std::string kRegion = "22:50300000-50400000";

int64_t bcftools_count(const std::string& pipeline) {
    auto r = run_shell(pipeline);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::stoll(r.out);
}

class ServerTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        auto r = run_agent({"ingest", kChr22, "--db", db()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        reader_ = new std::string(make_token("reader"));
        writer_ = new std::string(make_token("writer"));
    }
    static void TearDownTestSuite() {
        delete dir_;
        delete reader_;
        delete writer_;
    }
    static std::string make_token(const std::string& role) {
        auto r = run_agent({"token", "add", "--role", role, "--tokens", tokens()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out.substr(0, r.out.find('\n'));
    }
    static std::string db() { return dir_->file("db"); }
    static std::string tokens() { return dir_->file("tokens"); }

    static std::unique_ptr<httplib::Client> client(const ServerProcess& s,
                                                   const std::string& token) {
        auto c = std::make_unique<httplib::Client>("127.0.0.1", s.port());
        c->set_read_timeout(std::chrono::seconds(30));
        if (!token.empty()) c->set_bearer_token_auth(token);
        return c;
    }
    static json body(const httplib::Result& r) { return json::parse(r->body); }

    static TempDir* dir_;
    static std::string* reader_;
    static std::string* writer_;
};
TempDir* ServerTest::dir_ = nullptr;
std::string* ServerTest::reader_ = nullptr;
std::string* ServerTest::writer_ = nullptr;

TEST_F(ServerTest, EndpointsAnswerWhatBcftoolsSays) {
    ServerProcess s({"--db", db(), "--tokens", tokens()});
    auto c = client(s, *reader_);
    const int64_t expected =
        bcftools_count("bcftools view -H -r " + kRegion + " " + kChr22 + " | wc -l");

    auto r = c->Post("/v1/tools/variants_in_region", json{{"region", kRegion}, {"limit", 5}}.dump(),
                     "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body(r)["total"], expected);
    EXPECT_EQ(body(r)["rows"].size(), 5u);
    EXPECT_EQ(body(r)["truncated"], true);

    r = c->Get(("/v1/variants?region=" + kRegion + "&limit=3").c_str());
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body(r)["total"], expected);
    const std::string key = body(r)["rows"][0]["key"];

    r = c->Get(("/v1/search?like=" + key + "&k=4").c_str());
    ASSERT_EQ(r->status, 200) << r->body;
    ASSERT_EQ(body(r)["rows"].size(), 4u);
    EXPECT_EQ(body(r)["rows"][0]["key"], key);

    r = c->Post("/v1/tools/store_overview", "{}", "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body(r)["sample_count"], bcftools_count("bcftools query -l " + kChr22 + " | wc -l"));

    r = c->Post("/v1/cypher", json{{"query", "MATCH (v:Variant) RETURN count(*) AS n"}}.dump(),
                "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body(r)["rows"][0]["n"], bcftools_count("bcftools view -H " + kChr22 + " | wc -l"));

    r = c->Get("/v1/tools");
    ASSERT_EQ(r->status, 200);
    EXPECT_GE(body(r).size(), 12u);
}

// Genotype filters are answered from the variant index's codes, or by the graph when the codes
// may not take any memory (--index-codes-mb 0): the same answer, bcftools' count, either way.
TEST_F(ServerTest, GenotypeFiltersFromTheIndexOrPastItsBudgetFromTheGraph) {
    const int64_t het = bcftools_count("bcftools norm -m -any " + kChr22 +
                                       " 2>/dev/null | bcftools view -H -i 'GT[1]=\"het\" && "
                                       "GT[2]=\"RR\"' | wc -l");
    EXPECT_GT(het, 10);
    const std::string filter = json{{"het", {"HG00097"}}, {"hom_ref", {"HG00099"}}}.dump();
    auto answered_by = [](const std::string& metrics, const std::string& who) {
        const std::string line = "vcf_agent_genotype_filters_total{answered_by=\"" + who + "\"} ";
        const auto at = metrics.find(line);
        return at == std::string::npos ? -1 : std::stoll(metrics.substr(at + line.size()));
    };
    for (const char* budget : {"256", "0"}) {
        ServerProcess s({"--db", db(), "--tokens", tokens(), "--index-codes-mb", budget});
        auto c = client(s, *reader_);
        auto r = c->Post("/v1/tools/genotype_filter", filter, "application/json");
        ASSERT_EQ(r->status, 200) << r->body;
        EXPECT_EQ(body(r)["total"].get<int64_t>(), het) << budget;
        const std::string metrics = c->Get("/metrics")->body;
        const bool graph = std::string(budget) == "0";
        EXPECT_EQ(answered_by(metrics, "index"), graph ? 0 : 1) << budget;
        EXPECT_EQ(answered_by(metrics, "graph"), graph ? 1 : 0) << budget;
    }
}

TEST_F(ServerTest, ErrorsHaveTheRightStatusAndAStableCode) {
    ServerProcess s({"--db", db(), "--tokens", tokens(), "--max-body-bytes", "2000"});
    auto anonymous = client(s, "");
    auto r = anonymous->Get("/v1/tools");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(body(r)["error"]["code"], "unauthorized");
    auto wrong = client(s, "vat_not-a-token")->Get("/v1/tools");
    ASSERT_TRUE(wrong) << httplib::to_string(wrong.error()) << s.log();
    EXPECT_EQ(wrong->status, 401);
    auto health = anonymous->Get("/health");
    ASSERT_TRUE(health) << httplib::to_string(health.error()) << s.log();
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(anonymous->Get("/openapi.json")->status, 200);

    auto c = client(s, *reader_);
    r = c->Post("/v1/cypher", json{{"query", "CREATE (:Sample {id: 'x'})"}}.dump(),
                "application/json");
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(body(r)["error"]["code"], "write_refused");
    r = c->Post("/v1/tools/variants_in_region", json{{"region", 5}}.dump(), "application/json");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(body(r)["error"]["code"], "bad_argument");
    r = c->Post("/v1/tools/sample_variants", json{{"sample", "NOBODY"}}.dump(), "application/json");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(body(r)["error"]["code"], "tool_error");
    r = c->Post("/v1/tools/no_such_tool", "{}", "application/json");
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(body(r)["error"]["code"], "unknown_tool");
    r = c->Post("/v1/cypher", "{not json", "application/json");
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(body(r)["error"]["code"], "bad_json");
    r = c->Get("/v1/variants?region=22:1-10&limit=ten");
    EXPECT_EQ(r->status, 400);
    r = c->Post("/v1/cypher", std::string(5000, ' '), "application/json");
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(body(r)["error"]["code"], "too_large");
    r = c->Get("/v1/nothing-here");
    EXPECT_EQ(r->status, 404);
    // A reader may not change the server's settings; a writer may.
    r = c->Put("/v1/admin/alerts", json{{"memory_mb", 1}}.dump(), "application/json");
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(body(r)["error"]["code"], "forbidden");
    r = c->Post("/v1/ask", json{{"question", "hi"}}.dump(), "application/json");
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(body(r)["error"]["code"], "agent_off");
}

// cpp-httplib listens with a backlog of 5; the server widens it, or clients connecting at once
// beyond a few have their SYNs dropped and wait a 1 s (then 3 s) retransmit. The backlog of a
// listening socket is what `ss` shows as its Send-Q.
TEST_F(ServerTest, ListensWithABacklogForManyClientsConnectingAtOnce) {
    ServerProcess s({"--db", db(), "--tokens", tokens()});
    auto r = run_shell("ss -ltnH 'sport = :" + std::to_string(s.port()) + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream line(r.out);
    std::string state;
    int64_t queued = -1, backlog = -1;
    line >> state >> queued >> backlog;
    EXPECT_EQ(state, "LISTEN") << r.out;
    EXPECT_GE(backlog, 128) << r.out;
}

TEST_F(ServerTest, OverloadAnswers503AtOnce) {
    // The one execution slot is held by an agent question whose model answers after 3 s.
    ScriptedTurn slow;
    slow.delay = std::chrono::milliseconds(3000);
    slow.content = "late";
    ScriptedLlmServer llm({slow});
    ServerProcess s({"--db", db(), "--tokens", tokens(), "--max-running", "1", "--max-queue", "0",
                     "--llm", "openai", "--llm-url", llm.url(), "--model", llm.model()});
    auto busy = std::async(std::launch::async, [&] {
        return client(s, *reader_)
            ->Post("/v1/ask", json{{"question", "q"}}.dump(), "application/json");
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto start = std::chrono::steady_clock::now();
    auto r = client(s, *reader_)->Get("/v1/tools");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(body(r)["error"]["code"], "overloaded");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
    auto late = busy.get();
    ASSERT_TRUE(late);
    EXPECT_EQ(late->status, 200) << late->body;
    EXPECT_EQ(body(late)["answer"], "late");
    auto m = client(s, *reader_)->Get("/metrics");
    EXPECT_NE(m->body.find("vcf_agent_overload_rejections_total 1"), std::string::npos) << m->body;
}

TEST_F(ServerTest, TheAgentAnswersThroughTheToolsOverHttp) {
    ScriptedTurn call;
    call.tool_calls = {{"variant_stats", json::object()}};
    ScriptedTurn answer;
    answer.content = "See variant_stats.";
    ScriptedLlmServer llm({call, answer});
    ServerProcess s({"--db", db(), "--tokens", tokens(), "--llm", "ollama", "--llm-url", llm.url(),
                     "--model", llm.model()});
    auto r = client(s, *reader_)
                 ->Post("/v1/ask", json{{"question", "stats?"}}.dump(), "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    const auto t = body(r);
    EXPECT_EQ(t["answer"], "See variant_stats.");
    ASSERT_EQ(t["tool_calls"].size(), 1u);
    EXPECT_EQ(t["tool_calls"][0]["total"],
              bcftools_count("bcftools view -H " + kChr22 + " | wc -l"));
}

TEST_F(ServerTest, TheAgentStreamsItsAnswerAsServerSentEvents) {
    ScriptedTurn call;
    call.tool_calls = {{"store_overview", json::object()}};
    ScriptedTurn answer;
    answer.content = "Five samples, one chromosome.";
    answer.chunk_delay = std::chrono::milliseconds(20);
    ScriptedLlmServer llm({call, answer});
    ServerProcess s({"--db", db(), "--tokens", tokens(), "--llm", "openai", "--llm-url", llm.url(),
                     "--model", llm.model()});
    httplib::Headers accept = {{"Accept", "text/event-stream"}};
    auto r = client(s, *reader_)
                 ->Post("/v1/ask", accept, json{{"question", "what is here?"}}.dump(),
                        "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_NE(r->get_header_value("Content-Type").find("text/event-stream"), std::string::npos);
    std::string text;
    json done;
    int text_events = 0;
    std::istringstream in(r->body);
    for (std::string line, event; std::getline(in, line);) {
        if (line.rfind("event: ", 0) == 0) event = line.substr(7);
        if (line.rfind("data: ", 0) != 0) continue;
        const json data = json::parse(line.substr(6));
        if (event == "text") {
            text += data["text"].get<std::string>();
            ++text_events;
        }
        if (event == "done") done = data;
    }
    EXPECT_GT(text_events, 1) << "the answer arrives in pieces";
    EXPECT_EQ(text, "Five samples, one chromosome.");
    ASSERT_TRUE(done.is_object()) << r->body;
    EXPECT_EQ(done["answer"], text);
    ASSERT_EQ(done["tool_calls"].size(), 1u);
    EXPECT_EQ(done["tool_calls"][0]["name"], "store_overview");
    EXPECT_TRUE(llm.failures().empty()) << llm.failures().front();
}

TEST_F(ServerTest, MetricsAndAMemoryAlertThatIsRaisedAndCleared) {
    ServerProcess s({"--db", db(), "--tokens", tokens()});
    auto c = client(s, *reader_);
    for (int i = 0; i < 3; ++i) c->Post("/v1/tools/store_overview", "{}", "application/json");
    auto m = c->Get("/metrics");
    ASSERT_EQ(m->status, 200);
    for (const char* want :
         {"vcf_agent_resident_memory_bytes ", "vcf_agent_active_connections ",
          "vcf_agent_requests_total{endpoint=\"tool_call\"} 3",
          "vcf_agent_request_duration_seconds_bucket{endpoint=\"tool_call\",le=\"+Inf\"} 3",
          "vcf_agent_request_duration_seconds_count{endpoint=\"tool_call\"} 3",
          "vcf_agent_graph_rows{table=\"Variant\"} ", "vcf_agent_vector_rows ",
          "vcf_agent_alert{alert=\"memory\"} 0"})
        EXPECT_NE(m->body.find(want), std::string::npos) << want;

    auto w = client(s, *writer_);
    auto r = w->Put("/v1/admin/alerts", json{{"memory_mb", 1}}.dump(), "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    auto h = body(c->Get("/health"));
    EXPECT_EQ(h["status"], "degraded");
    ASSERT_EQ(h["reasons"].size(), 1u);
    EXPECT_NE(h["reasons"][0].get<std::string>().find("memory"), std::string::npos);
    EXPECT_NE(c->Get("/metrics")->body.find("vcf_agent_alert{alert=\"memory\"} 1"),
              std::string::npos);
    r = w->Put("/v1/admin/alerts", json{{"memory_mb", 100000}}.dump(), "application/json");
    ASSERT_EQ(r->status, 200);
    h = body(c->Get("/health"));
    EXPECT_EQ(h["status"], "ok");
    EXPECT_TRUE(h["reasons"].empty());
    s.terminate();
    const std::string log = s.log();
    EXPECT_NE(log.find("alert raised: memory"), std::string::npos) << log;
    EXPECT_NE(log.find("alert cleared: memory"), std::string::npos) << log;
    EXPECT_EQ(log.find("alert raised: memory", log.find("alert raised: memory") + 1),
              std::string::npos)
        << "logged once while raised: " << log;
}

TEST_F(ServerTest, OpenApiListsEveryEndpointAndToolAndFlagsShowInHealth) {
    ServerProcess s({"--db", db(), "--tokens", tokens(), "--vectors-off"});
    auto c = client(s, *reader_);
    const auto doc = body(c->Get("/openapi.json"));
    EXPECT_EQ(doc["openapi"], "3.0.3");
    for (const auto& t : body(c->Get("/v1/tools"))) {
        const std::string path = "/v1/tools/" + t["name"].get<std::string>();
        ASSERT_TRUE(doc["paths"].contains(path)) << path;
        EXPECT_EQ(
            doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"],
            t["input_schema"]);
    }
    for (const char* p :
         {"/v1/variants", "/v1/search", "/v1/g_variants", "/v1/cypher", "/v1/ask", "/health",
          "/metrics", "/openapi.json", "/v1/tools", "/v1/admin/alerts", "/"})
        EXPECT_TRUE(doc["paths"].contains(p)) << p;
    const auto h = body(c->Get("/health"));
    EXPECT_EQ(h["flags"]["vectors"], false);
    EXPECT_EQ(h["flags"]["agent"], false);
    auto r = c->Get("/v1/search?like=22:50300078:A:G");
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(body(r)["error"]["code"], "vectors_off");
    EXPECT_NE(c->Get("/")->body.find("<html"), std::string::npos);
}

TEST_F(ServerTest, SigtermStopsTheServerCleanly) {
    ServerProcess s({"--db", db(), "--tokens", tokens()});
    ASSERT_EQ(client(s, *reader_)->Get("/v1/tools")->status, 200);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(s.terminate(10), 0) << s.log();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_NE(s.log().find("server stopped"), std::string::npos);
    // The store opens and answers after the server is gone.
    auto r = run_agent({"tools", "call", "store_overview", "{}", "--db", db()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ServerTest, BeaconAlleleQueriesAtEachGranularity) {
    ServerProcess s({"--db", db(), "--tokens", tokens()});
    auto c = client(s, *reader_);
    // The file's first record, 22:50300078 A>G (Beacon starts are 0-based).
    auto r =
        c->Get("/v1/g_variants?referenceName=22&start=50300077&referenceBases=A&alternateBases=G");
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body(r)["responseSummary"]["exists"], true);
    EXPECT_FALSE(body(r)["responseSummary"].contains("numTotalResults"));
    r = c->Get("/v1/g_variants?referenceName=22&start=50300077&referenceBases=A&alternateBases=T");
    EXPECT_EQ(body(r)["responseSummary"]["exists"], false);
    r = c->Get(
        "/v1/g_variants?referenceName=22&start=50300077&end=50400000&requestedGranularity=count");
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(body(r)["responseSummary"]["numTotalResults"],
              bcftools_count("bcftools view -H -r 22:50300078-50400000 " + kChr22 + " | wc -l"));
    r = c->Get("/v1/g_variants?referenceName=22&start=50300077&requestedGranularity=record");
    ASSERT_EQ(r->status, 200) << r->body;
    const json rec = body(r)["response"]["resultSets"][0]["results"][0];
    EXPECT_EQ(rec["variation"]["alternateBases"], "G");
    EXPECT_EQ(rec["variation"]["location"]["interval"]["start"]["value"], 50300077);
    EXPECT_EQ(rec["identifiers"]["defaultIdentifier"], "rs7410291");
    EXPECT_EQ(c->Get("/v1/g_variants?referenceName=22")->status, 400);
    EXPECT_EQ(c->Get("/v1/g_variants?referenceName=22&start=5&requestedGranularity=all")->status,
              400);
}

// MCP over the Streamable HTTP transport, driven by the official TypeScript SDK's client with a
// bearer token: the same catalogue and answers as on stdio.
TEST_F(ServerTest, McpOverHttpWithTheOfficialClient) {
    const std::string client_dir = std::string(VCF_AGENT_TEST_DATA) + "/../mcp";
    ASSERT_TRUE(std::filesystem::exists(client_dir +
                                        "/node_modules/@modelcontextprotocol/sdk/package.json"))
        << "the MCP test client is not installed; run scripts/setup.sh";
    ServerProcess s({"--db", db(), "--tokens", tokens()});
    const json region_call = {{"name", "variants_in_region"}, {"arguments", {{"region", kRegion}}}};
    const json write_call = {{"name", "cypher"},
                             {"arguments", {{"query", "MATCH (v:Variant) DELETE v"}}}};
    auto r =
        run_command({"node", client_dir + "/mcp_client.mjs", "--url", s.url() + "/mcp", "--token",
                     *reader_, "--call", region_call.dump(), "--call", write_call.dump()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const json summary = json::parse(r.out);
    EXPECT_FALSE(summary["sessionId"].is_null());
    EXPECT_NE(std::find(summary["tools"].begin(), summary["tools"].end(), "genotype_filter"),
              summary["tools"].end());
    ASSERT_EQ(summary["calls"].size(), 2u);
    EXPECT_EQ(summary["calls"][0]["structuredContent"]["total"],
              bcftools_count("bcftools view -H -r " + kRegion + " " + kChr22 + " | wc -l"));
    EXPECT_EQ(summary["calls"][1]["isError"], true);
    // Without a token the transport is refused like every other endpoint.
    r = run_command(
        {"node", client_dir + "/mcp_client.mjs", "--url", s.url() + "/mcp", "--token", "wrong"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.out.find("unauthorized"), std::string::npos) << r.out;
    // A request in an unknown session is 404, as the transport specifies.
    auto c = client(s, *reader_);
    httplib::Headers h = {{"Mcp-Session-Id", "nope"}};
    auto res = c->Post("/mcp", h, json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "ping"}}.dump(),
                       "application/json");
    EXPECT_EQ(res->status, 404);
}

// Ingest as a job: a writer loads a second real file through the API while a reader keeps
// asking; the job reports progress and its report; the store then holds both files.
TEST_F(ServerTest, IngestJobsLoadWhileReadersAreServed) {
    TempDir tmp;
    const std::string store = tmp.file("db");
    ASSERT_EQ(run_agent({"ingest", kChr22, "--db", store}).exit_code, 0);
    const std::string data = std::filesystem::path(kChr22).parent_path().string();
    ServerProcess s({"--db", store, "--tokens", tokens(), "--data-dir", data, "--allow-ingest"});
    auto reader = client(s, *reader_);
    auto writer = client(s, *writer_);
    const int64_t chr22_variants =
        body(reader->Get("/v1/variants?region=22&limit=1"))["total"].get<int64_t>();
    EXPECT_GT(chr22_variants, 10000);
    // Genotype filters, as bcftools counts them on the records split as the store splits them.
    auto het_count = [&](const std::string& file) {
        return bcftools_count("bcftools norm -m -any " + file +
                              " 2>/dev/null | bcftools view -H -i 'GT[0]=\"het\"' | wc -l");
    };
    const int64_t chr22_het = het_count(kChr22);
    EXPECT_GT(chr22_het, 100);
    const std::string chr22_filter = json{{"het", {"HG00096"}}, {"limit", 5}}.dump();
    const json job_request = {{"path", "hapmap_exome_chr22.vcf.gz"}};
    auto r = reader->Post("/v1/ingest", job_request.dump(), "application/json");
    EXPECT_EQ(r->status, 403) << "readers do not ingest";
    r = writer->Post("/v1/ingest", json{{"path", "../CMakeLists.txt"}}.dump(), "application/json");
    EXPECT_EQ(r->status, 400) << r->body;
    r = writer->Post("/v1/ingest", job_request.dump(), "application/json");
    ASSERT_EQ(r->status, 202) << r->body;
    const std::string url = body(r)["status_url"];
    json status;
    int reads = 0;
    for (int i = 0; i < 600; ++i) {
        // Readers keep being answered while the job runs (region lookups and searches also
        // while the variant index catches up with its commits).
        auto q = reader->Post("/v1/tools/variant_stats", "{}", "application/json");
        ASSERT_TRUE(q);
        EXPECT_EQ(q->status, 200) << q->body;
        q = reader->Get("/v1/variants?region=22&limit=5");
        ASSERT_TRUE(q);
        ASSERT_EQ(q->status, 200) << q->body;
        EXPECT_GE(body(q)["total"].get<int64_t>(), chr22_variants);
        q = reader->Get("/v1/search?like=22:50300078:A:G&k=3");
        ASSERT_TRUE(q);
        EXPECT_EQ(q->status, 200) << q->body;
        q = reader->Post("/v1/tools/genotype_filter", chr22_filter, "application/json");
        ASSERT_TRUE(q);
        ASSERT_EQ(q->status, 200) << q->body;
        EXPECT_EQ(body(q)["total"].get<int64_t>(), chr22_het);
        ++reads;
        status = body(reader->Get(url.c_str()));
        if (status["status"] == "done" || status["status"] == "failed") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(status["status"], "done") << status.dump();
    EXPECT_EQ(status["path"], "hapmap_exome_chr22.vcf.gz");
    EXPECT_EQ(status["records"],
              bcftools_count("bcftools view -H " + data + "/hapmap_exome_chr22.vcf.gz | wc -l"));
    EXPECT_GT(status["report"]["new_variants"].get<int64_t>(), 0);
    EXPECT_GT(reads, 0);
    auto o = body(reader->Post("/v1/tools/store_overview", "{}", "application/json"));
    EXPECT_EQ(o["sources"].size(), 2u);
    EXPECT_EQ(o["sample_count"],
              bcftools_count("(bcftools query -l " + kChr22 + "; bcftools query -l " + data +
                             "/hapmap_exome_chr22.vcf.gz) | sort -u | wc -l"));
    // The variant index catches up with the job's batches (the server's follower) and then
    // answers region lookups itself: every variant of both files (both are chr22 only), with
    // carriers, as bcftools splits them.
    json health;
    for (int i = 0; i < 200; ++i) {
        health = body(reader->Get("/health"));
        if (health["variant_index"]["current"] == true) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(health["variant_index"]["current"], true) << health.dump();
    const auto whole = body(reader->Get("/v1/variants?region=22&limit=500"));
    EXPECT_EQ(
        whole["total"],
        bcftools_count("(bcftools norm -m -any " + kChr22 + "; bcftools norm -m -any " + data +
                       "/hapmap_exome_chr22.vcf.gz) 2>/dev/null | grep -v '^#' | "
                       "cut -f1,2,4,5 | sort -u | wc -l"));
    ASSERT_EQ(whole["rows"].size(), 500u);
    int64_t carried = 0;
    for (const auto& row : whole["rows"]) carried += row["carriers"].get<int64_t>() > 0;
    EXPECT_GT(carried, 0);
    // Genotype filters on either file's samples, from the index's call columns now.
    auto g = reader->Post("/v1/tools/genotype_filter", chr22_filter, "application/json");
    EXPECT_EQ(body(g)["total"].get<int64_t>(), chr22_het);
    const std::string hapmap = data + "/hapmap_exome_chr22.vcf.gz";
    const std::string first_hapmap_sample =
        run_shell("bcftools query -l " + hapmap + " | head -1").out;
    g = reader->Post("/v1/tools/genotype_filter",
                     json{{"het", {first_hapmap_sample.substr(0, first_hapmap_sample.size() - 1)}},
                          {"region", "22"}}
                         .dump(),
                     "application/json");
    ASSERT_EQ(g->status, 200) << g->body;
    EXPECT_EQ(body(g)["total"].get<int64_t>(), het_count(hapmap));
    const std::string metrics = reader->Get("/metrics")->body;
    const auto by_index = metrics.find("vcf_agent_genotype_filters_total{answered_by=\"index\"} ");
    ASSERT_NE(by_index, std::string::npos) << metrics;
    EXPECT_GT(std::stoll(metrics.substr(by_index + 54)), 0) << metrics.substr(by_index, 80);
    EXPECT_EQ(reader->Get("/v1/jobs/0123abcd")->status, 404);
    // A write through Cypher is still refused on the writable store.
    r = reader->Post("/v1/cypher", json{{"query", "MATCH (v:Variant) DELETE v"}}.dump(),
                     "application/json");
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(s.terminate(30), 0) << s.log();
    // Everything the job committed is in the store after the server is gone.
    auto after = run_agent({"tools", "call", "store_overview", "{}", "--db", store});
    ASSERT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(json::parse(after.out)["sources"].size(), 2u);
}

// SIGTERM while a job loads: the server stops taking requests, stops the running load at its
// next chunk (the open batch commits) and exits 0; the file's Source is left unfinished, and a
// later `ingest` of it resumes after the committed batches: the store then holds every record
// of both files, once.
TEST_F(ServerTest, SigtermDuringAnIngestJobLosesNothing) {
    TempDir tmp;
    const std::string store = tmp.file("db");
    ASSERT_EQ(run_agent({"ingest", kChr22, "--db", store, "--no-vectors"}).exit_code, 0);
    const std::string data = tmp.file("data");
    std::filesystem::create_directories(data);
    const std::string vcf = data + "/gen.vcf.gz";
    // Ten chunks of records: the load is still running when the signal comes.
    ASSERT_EQ(run_command({generator_binary(), "--records", "200000", "--samples", "5", "--seed",
                           "5", "-o", vcf})
                  .exit_code,
              0);
    ServerProcess s({"--db", store, "--tokens", tokens(), "--data-dir", data, "--allow-ingest"});
    auto writer = client(s, *writer_);
    auto r = writer->Post("/v1/ingest", json{{"path", "gen.vcf.gz"}}.dump(), "application/json");
    ASSERT_EQ(r->status, 202) << r->body;
    const std::string url = body(r)["status_url"];
    json status;
    for (int i = 0; i < 400; ++i) {
        status = body(writer->Get(url.c_str()));
        if (status["status"] != "queued") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(status["status"], "running") << status.dump();
    EXPECT_EQ(s.terminate(120), 0) << s.log();
    const auto split = [](const std::string& f) {
        return bcftools_count("bcftools norm -m -any " + f +
                              " 2>/dev/null | bcftools view -H | cut -f1,2,4,5 | sort -u | wc -l");
    };
    const auto variants = [&] {
        auto c =
            run_agent({"graph", "MATCH (v:Variant) RETURN count(*)", "--db", store, "-O", "json"});
        EXPECT_EQ(c.exit_code, 0) << c.err;
        return c.exit_code == 0 ? json::parse(c.out)[0].begin()->get<int64_t>() : -1;
    };
    const auto statuses = [&] {
        auto c = run_agent({"graph", "MATCH (s:Source) RETURN s.path AS p, s.status AS st", "--db",
                            store, "-O", "json"});
        EXPECT_EQ(c.exit_code, 0) << c.err;
        std::map<std::string, std::string> out;
        for (const auto& row : json::parse(c.out)) out[row["p"]] = row["st"];
        return out;
    };
    // Stopped part-way: what it committed is there, the rest is not, the file is unfinished.
    const int64_t full = split(kChr22) + split(vcf);
    const int64_t stopped = variants();
    EXPECT_GT(stopped, split(kChr22));
    EXPECT_LT(stopped, full);
    EXPECT_EQ(statuses()[vcf], "loading");
    // The next load of the file resumes and completes it, without duplicates.
    auto resumed = run_agent({"ingest", vcf, "--db", store, "--no-vectors", "-O", "json"});
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_NE(resumed.out.find("\"resumed\":true"), std::string::npos) << resumed.out;
    EXPECT_EQ(variants(), full);
    for (const auto& [path, st] : statuses()) EXPECT_EQ(st, "complete") << path;
}

TEST(ServerStartTest, RefusesToStartWithoutTokensOrStore) {
    TempDir tmp;
    auto r = run_agent({"serve", "--db", tmp.file("nostore"), "--tokens", tmp.file("tokens"),
                        "--listen", "127.0.0.1:0"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("no store"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vcfagent::test
