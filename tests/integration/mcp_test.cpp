// `vcf-agent mcp`: the tool catalogue over the Model Context Protocol (stdio). The official
// TypeScript SDK (tests/mcp, pinned in its lockfile) is the reference client: it must complete
// the handshake, list the tools and call them, with the numbers refereed by bcftools. Raw
// JSON-RPC lines piped into the server check the error codes, notifications, concurrency and
// version negotiation directly.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

using nlohmann::json;

// A region of tests/data/chr22.vcf.gz (which spans 22:50.3-51.0 Mb) holding more variants than
// a call returns by default, so `total` and `truncated` both matter.
const std::string kRegion = "22:50300000-50310000";

std::string mcp_client_dir() {
    return std::string(VCF_AGENT_TEST_DATA) + "/../mcp";
}

// Ingests chr22.vcf.gz (graph only) into `db`.
void ingest_chr22(const std::string& db) {
    const auto r = run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db, "--no-vectors"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

// Variants bcftools finds in `region` after splitting multi-allelic records: what a
// variants_in_region call must count.
int64_t bcftools_region_variants(const std::string& region) {
    const auto r = run_shell("bcftools view -r " + region + " '" + data_path("chr22.vcf.gz") +
                             "' | bcftools norm -m -any 2>/dev/null | bcftools view -H | wc -l");
    if (r.exit_code != 0) return -1;
    return std::stoll(r.out);
}

// Every stdout line of the server must be one JSON message.
std::vector<json> parse_lines(const std::string& out) {
    std::vector<json> messages;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        try {
            messages.push_back(json::parse(line));
        } catch (const json::parse_error& e) {
            ADD_FAILURE() << "stdout line is not JSON (" << e.what() << "): " << line;
        }
    }
    return messages;
}

// The responses by id (dumped, so 1 and "1" differ); an id answered twice is a failure.
std::map<std::string, json> by_id(const std::vector<json>& messages) {
    std::map<std::string, json> out;
    for (const auto& m : messages) {
        EXPECT_TRUE(m.is_object()) << m.dump();
        if (!m.is_object()) continue;
        EXPECT_EQ(m.value("jsonrpc", ""), "2.0") << m.dump();
        EXPECT_TRUE(m.contains("id")) << m.dump();
        EXPECT_NE(m.contains("result"), m.contains("error")) << m.dump();
        const std::string id = m.value("id", json()).dump();
        EXPECT_TRUE(out.emplace(id, m).second) << "id " << id << " answered twice";
    }
    return out;
}

json request_message(const json& id, const std::string& method, json params = json::object()) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

json notification_message(const std::string& method, json params = json::object()) {
    return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

// One message as one input line.
std::string line(const json& message) {
    return message.dump() + "\n";
}

std::string request(const json& id, const std::string& method, json params = json::object()) {
    return line(request_message(id, method, std::move(params)));
}

std::string notification(const std::string& method, json params = json::object()) {
    return line(notification_message(method, std::move(params)));
}

std::string handshake(const std::string& version = "2025-06-18") {
    return request(0, "initialize",
                   {{"protocolVersion", version},
                    {"capabilities", json::object()},
                    {"clientInfo", {{"name", "raw-test"}, {"version", "0"}}}}) +
           notification("notifications/initialized");
}

int error_code(const json& response) {
    return response.contains("error") ? response["error"].value("code", 0) : 0;
}

TEST(McpTest, OfficialSdkClientListsToolsAndCallsThem) {
    // The reference client is a test dependency like bcftools: missing is a broken set-up, and
    // a skipped test would hide that the server was never checked against it.
    ASSERT_EQ(run_shell("command -v node >/dev/null 2>&1").exit_code, 0)
        << "node is not on PATH; run scripts/setup.sh";
    const std::string client_dir = mcp_client_dir();
    ASSERT_TRUE(std::filesystem::exists(client_dir +
                                        "/node_modules/@modelcontextprotocol/sdk/package.json"))
        << "the MCP test client is not installed (" << client_dir
        << "/node_modules is missing); run scripts/setup.sh";
    const int64_t expected_total = bcftools_region_variants(kRegion);
    ASSERT_GT(expected_total, 50) << "bcftools is needed (run scripts/setup.sh)";

    TempDir tmp;
    const std::string db = tmp.file("db");
    ingest_chr22(db);
    const auto counts_before = store_counts(db);

    const json region_call = {{"name", "variants_in_region"}, {"arguments", {{"region", kRegion}}}};
    const json write_call = {{"name", "cypher"},
                             {"arguments", {{"query", "CREATE (:Sample {id:'x'})"}}}};
    const auto r =
        run_command({"node", client_dir + "/mcp_client.mjs", "--bin", agent_binary(), "--db", db,
                     "--call", region_call.dump(), "--call", write_call.dump()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    json summary;
    ASSERT_NO_THROW(summary = json::parse(r.out)) << r.out;
    ASSERT_TRUE(summary["ok"].get<bool>()) << summary.dump(2);

    // The SDK offers its newest protocol version; the server answers with its own newest,
    // which the SDK accepts.
    EXPECT_EQ(summary["protocolVersion"], "2025-06-18");
    EXPECT_EQ(summary["serverInfo"]["name"], "vcf-agent");
    EXPECT_TRUE(summary["capabilities"].contains("tools")) << summary["capabilities"];
    EXPECT_FALSE(summary["instructions"].get<std::string>().empty());

    const auto names = summary["tools"].get<std::set<std::string>>();
    for (const char* tool : {"store_overview", "variants_in_region", "cypher"})
        EXPECT_TRUE(names.count(tool)) << tool << " not listed: " << summary["tools"];

    ASSERT_EQ(summary["calls"].size(), 2u);
    const json& region = summary["calls"][0];
    EXPECT_FALSE(region["isError"].get<bool>()) << region.dump(2);
    EXPECT_EQ(region["structuredContent"]["total"], expected_total) << region.dump(2);
    // The default row cap applies, and the text block is the same object, serialized.
    EXPECT_TRUE(region["structuredContent"]["truncated"].get<bool>());
    EXPECT_EQ(region["structuredContent"]["rows"].size(), 50u);
    EXPECT_EQ(region["textMatchesStructured"], true);

    const json& write = summary["calls"][1];
    EXPECT_TRUE(write["isError"].get<bool>()) << write.dump(2);
    EXPECT_TRUE(write["structuredContent"].is_null()) << write.dump(2);
    EXPECT_FALSE(write["text"].get<std::string>().empty());

    // End of input ended the server on its own (not the SDK's SIGTERM), and nothing changed.
    EXPECT_EQ(summary["serverExit"]["code"], 0) << summary["serverExit"] << summary["serverStderr"];
    EXPECT_EQ(store_counts(db), counts_before);
}

TEST(McpTest, RawProtocolErrorsAndNotifications) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    ingest_chr22(db);
    const std::string input =
        request(100, "tools/list") +  // before initialize: refused
        request("early", "ping") +    // ...but ping is always answered
        handshake() + "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \n" +  // malformed
        request(2, "no/such/method") +
        request(3, "tools/call", {{"name", "no_such_tool"}, {"arguments", json::object()}}) +
        request(4, "ping") + notification("notifications/cancelled", {{"requestId", 99}}) +
        notification("notifications/no_such_notification") +
        request(5, "tools/call", {{"name", "store_overview"}, {"arguments", json::object()}}) +
        request(6, "tools/call",
                {{"name", "variants_in_region"}, {"arguments", {{"region", 42}}}}) +
        request(7, "tools/list", {{"cursor", "next"}});
    const auto r = run_agent({"mcp", "--db", db}, input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto messages = parse_lines(r.out);
    // One response per request (initialize included), one parse error; none for notifications.
    EXPECT_EQ(messages.size(), 10u) << r.out;
    auto responses = by_id(messages);

    EXPECT_NE(error_code(responses["100"]), 0) << responses["100"];
    EXPECT_EQ(responses["\"early\""]["result"], json::object());
    EXPECT_EQ(responses["0"]["result"]["protocolVersion"], "2025-06-18");
    EXPECT_EQ(responses["0"]["result"]["capabilities"]["tools"]["listChanged"], false);

    EXPECT_EQ(error_code(responses["null"]), -32700) << responses["null"];
    EXPECT_EQ(error_code(responses["2"]), -32601) << responses["2"];
    EXPECT_EQ(error_code(responses["3"]), -32602) << responses["3"];
    EXPECT_NE(responses["3"]["error"].value("message", "").find("no_such_tool"), std::string::npos)
        << responses["3"];
    EXPECT_EQ(responses["4"]["result"], json::object());

    const json& overview = responses["5"]["result"];
    EXPECT_EQ(overview["isError"], false) << overview;
    EXPECT_TRUE(overview["structuredContent"].contains("total")) << overview;
    EXPECT_EQ(json::parse(overview["content"][0]["text"].get<std::string>()),
              overview["structuredContent"]);
    // Arguments the tool's schema rejects are the tool's answer, for a model to correct.
    EXPECT_EQ(responses["6"]["result"]["isError"], true) << responses["6"];
    EXPECT_EQ(responses["6"]["result"]["content"][0]["type"], "text");

    std::set<std::string> listed;
    for (const auto& tool : responses["7"]["result"]["tools"]) {
        listed.insert(tool["name"].get<std::string>());
        EXPECT_EQ(tool["inputSchema"]["type"], "object") << tool;
        EXPECT_FALSE(tool.value("description", "").empty()) << tool;
    }
    EXPECT_TRUE(listed.count("variants_in_region"));
}

TEST(McpTest, ConcurrentCallsAreAllAnsweredBeforeExit) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    ingest_chr22(db);
    const int64_t expected_total = bcftools_region_variants(kRegion);
    ASSERT_GT(expected_total, 0) << "bcftools is needed (run scripts/setup.sh)";
    // Calls and pings interleaved, ids of both kinds, then end of input right away: every
    // call must still be answered, each response whole on its own line.
    std::string input = handshake();
    std::set<std::string> ids;
    for (int i = 1; i <= 12; ++i) {
        const json id = i % 2 ? json(i) : json("call-" + std::to_string(i));
        ids.insert(id.dump());
        input += request(
            id, "tools/call",
            {{"name", "variants_in_region"}, {"arguments", {{"region", kRegion}, {"limit", 500}}}});
        const json ping_id = "ping-" + std::to_string(i);
        ids.insert(ping_id.dump());
        input += request(ping_id, "ping");
    }
    const auto r = run_agent({"mcp", "--db", db}, input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto responses = by_id(parse_lines(r.out));
    EXPECT_EQ(responses.size(), ids.size() + 1) << r.out.substr(0, 2000);
    for (const auto& id : ids) {
        ASSERT_TRUE(responses.count(id)) << "no response to " << id;
        const json& result = responses[id]["result"];
        if (id.find("ping") != std::string::npos) {
            EXPECT_EQ(result, json::object());
            continue;
        }
        EXPECT_EQ(result["isError"], false) << responses[id];
        EXPECT_EQ(result["structuredContent"]["total"], expected_total);
        EXPECT_EQ(result["structuredContent"]["rows"].size(),
                  static_cast<size_t>(std::min<int64_t>(expected_total, 500)));
    }
}

TEST(McpTest, NegotiatesVersionAndTakesBatchesOnlyIn20250326) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    ingest_chr22(db);
    const std::string batch = line(json::array(
        {request_message("a", "ping"), notification_message("notifications/no_such_notification"),
         request_message("b", "tools/list")}));
    // Each supported version is echoed; an unknown one gets the newest.
    for (const auto& [asked, answered] :
         std::vector<std::pair<std::string, std::string>>{{"2024-11-05", "2024-11-05"},
                                                          {"2025-03-26", "2025-03-26"},
                                                          {"2025-06-18", "2025-06-18"},
                                                          {"2099-01-01", "2025-06-18"}}) {
        const auto r = run_agent({"mcp", "--db", db}, handshake(asked) + batch);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const auto messages = parse_lines(r.out);
        ASSERT_EQ(messages.size(), 2u) << r.out;
        EXPECT_EQ(messages[0]["result"]["protocolVersion"], answered) << messages[0];
        if (answered == "2025-03-26") {
            // One array with the requests' responses, none for the notification.
            ASSERT_TRUE(messages[1].is_array()) << messages[1];
            ASSERT_EQ(messages[1].size(), 2u) << messages[1];
            EXPECT_EQ(messages[1][0]["id"], "a");
            EXPECT_EQ(messages[1][0]["result"], json::object());
            EXPECT_EQ(messages[1][1]["id"], "b");
            EXPECT_TRUE(messages[1][1]["result"]["tools"].is_array());
        } else {
            EXPECT_EQ(error_code(messages[1]), -32600) << messages[1];
        }
    }
}

TEST(McpTest, MissingStoreIsAUsageErrorWithNothingOnStdout) {
    TempDir tmp;
    const auto r = run_agent({"mcp", "--db", tmp.file("nothing-here")}, handshake());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("no store"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vcfagent::test
