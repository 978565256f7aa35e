// The scripted chat server the agent tests run against: both protocols, streaming and not (the
// pieces reassemble to the scripted text and tool-call arguments), unknown models, script
// exhaustion, error turns, requests a real server would reject, expectations, and a prompt
// shutdown while a turn is stalled.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "embed/httplib_include.hpp"
#include "support/scripted_llm_server.hpp"

namespace vcfagent::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kOllama = "/api/chat";
constexpr const char* kOpenAi = "/v1/chat/completions";

json user_message(const std::string& text) {
    return {{"role", "user"}, {"content", text}};
}

json chat_body(const std::string& model, std::optional<bool> stream = std::nullopt,
               json messages = json::array({user_message("Which variants are in BRCA2?")})) {
    json body = {{"model", model}, {"messages", std::move(messages)}};
    if (stream) body["stream"] = *stream;
    return body;
}

json query_tool() {
    return {{"type", "function"},
            {"function",
             {{"name", "query_variants"},
              {"description", "Variants in a genomic region"},
              {"parameters",
               {{"type", "object"},
                {"properties", {{"region", {{"type", "string"}}}}},
                {"required", json::array({"region"})}}}}}};
}

httplib::Result post(const ScriptedLlmServer& server, const std::string& path,
                     const std::string& body) {
    httplib::Client client(server.url());
    client.set_read_timeout(30s);
    return client.Post(path.c_str(), body, "application/json");
}

httplib::Result post(const ScriptedLlmServer& server, const std::string& path, const json& body) {
    return post(server, path, body.dump());
}

// A response read as it arrives: one fragment per call of the client's content receiver.
struct Received {
    int status = 0;
    std::string content_type;
    std::vector<std::string> fragments;
    std::vector<Clock::time_point> arrivals;

    std::string body() const {
        std::string all;
        for (const auto& f : fragments) all += f;
        return all;
    }
};

Received post_streaming(const ScriptedLlmServer& server, const std::string& path,
                        const json& body) {
    httplib::Client client(server.url());
    client.set_read_timeout(30s);
    httplib::Request req;
    req.method = "POST";
    req.path = path;
    req.body = body.dump();
    req.set_header("Content-Type", "application/json");
    Received out;
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
        out.fragments.emplace_back(data, n);
        out.arrivals.push_back(Clock::now());
        return true;
    };
    const auto res = client.send(req);
    if (res) {
        out.status = res->status;
        out.content_type = res->get_header_value("Content-Type");
    }
    return out;
}

std::vector<json> ndjson_lines(const std::string& body) {
    std::vector<json> lines;
    size_t start = 0;
    for (size_t end; (end = body.find('\n', start)) != std::string::npos; start = end + 1)
        if (end > start) lines.push_back(json::parse(body.substr(start, end - start)));
    EXPECT_EQ(start, body.size()) << "the stream ends inside a line";
    return lines;
}

// The payloads of the `data: ` events of a server-sent event stream, "[DONE]" included.
std::vector<std::string> sse_payloads(const std::string& body) {
    std::vector<std::string> payloads;
    size_t start = 0;
    for (size_t end; (end = body.find("\n\n", start)) != std::string::npos; start = end + 2) {
        const std::string event = body.substr(start, end - start);
        EXPECT_EQ(event.rfind("data: ", 0), 0u) << event;
        payloads.push_back(event.substr(6));
    }
    EXPECT_EQ(start, body.size()) << "the stream ends inside an event";
    return payloads;
}

bool mentions(const std::vector<std::string>& failures, const std::string& text) {
    for (const auto& f : failures)
        if (f.find(text) != std::string::npos) return true;
    return false;
}

// --- Ollama

TEST(ScriptedLlmServer, OllamaAnswersATextTurnWithoutStreaming) {
    ScriptedLlmServer server({{.content = "Three variants, all benign."}});
    const json body = chat_body(server.model(), false);
    const auto res = post(server, kOllama, body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    const json answer = json::parse(res->body);
    EXPECT_EQ(answer["model"], "scripted-model");
    EXPECT_TRUE(answer["created_at"].is_string());
    EXPECT_EQ(answer["message"]["role"], "assistant");
    EXPECT_EQ(answer["message"]["content"], "Three variants, all benign.");
    EXPECT_FALSE(answer["message"].contains("tool_calls"));
    EXPECT_EQ(answer["done"], true);
    EXPECT_EQ(answer["done_reason"], "stop");
    EXPECT_TRUE(answer["eval_count"].is_number());
    EXPECT_EQ(server.requests(), std::vector<json>{body});
    EXPECT_EQ(server.request_paths(), std::vector<std::string>{kOllama});
    EXPECT_EQ(server.turns_served(), 1u);
    EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedLlmServer, OllamaStreamsByDefaultInSmallPieces) {
    // Multi-byte characters check that no piece cuts a UTF-8 sequence (each piece is parsed).
    const std::string text = "Found 3 variants in BRCA2 — all benign ✓, none pathogenic.";
    ScriptedLlmServer server({{.content = text}});
    const Received got = post_streaming(server, kOllama, chat_body(server.model()));
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.content_type, "application/x-ndjson");
    const auto lines = ndjson_lines(got.body());
    ASSERT_GE(lines.size(), 10u);
    // Every line went out as a chunk of its own.
    EXPECT_GE(got.fragments.size(), lines.size());
    std::string content;
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        EXPECT_EQ(lines[i]["done"], false);
        EXPECT_EQ(lines[i]["model"], "scripted-model");
        EXPECT_EQ(lines[i]["message"]["role"], "assistant");
        const std::string piece = lines[i]["message"]["content"];
        EXPECT_FALSE(piece.empty());
        EXPECT_LE(piece.size(), 4u);
        content += piece;
    }
    EXPECT_EQ(content, text);
    EXPECT_EQ(lines.back()["done"], true);
    EXPECT_EQ(lines.back()["done_reason"], "stop");
    EXPECT_EQ(lines.back()["message"], json({{"role", "assistant"}, {"content", ""}}));
    EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedLlmServer, OllamaSendsToolCallsInOneChunkWithObjectArguments) {
    const json args = {{"region", "chr13:32315474-32400266"}, {"limit", 5}};
    const std::vector<ScriptedToolCall> calls = {
        {.name = "query_variants", .arguments = args},
        {.name = "gene_info", .arguments = {{"gene", "BRCA2"}}, .id = "call_x"},
        {.name = "query_variants", .raw_arguments = "{\"region\": "}};
    ScriptedLlmServer server(
        {{.content = "Let me look.", .tool_calls = calls}, {.tool_calls = calls}});
    json body = chat_body(server.model());
    body["tools"] = json::array({query_tool()});

    const auto lines = ndjson_lines(post_streaming(server, kOllama, body).body());
    std::vector<json> tool_chunks;
    std::string content;
    for (const auto& line : lines) {
        content += line["message"]["content"].get<std::string>();
        if (line["message"].contains("tool_calls")) tool_chunks.push_back(line);
    }
    EXPECT_EQ(content, "Let me look.");
    ASSERT_EQ(tool_chunks.size(), 1u);
    EXPECT_EQ(tool_chunks[0]["done"], false);
    const json streamed = tool_chunks[0]["message"]["tool_calls"];
    ASSERT_EQ(streamed.size(), 3u);
    EXPECT_EQ(streamed[0], json({{"function", {{"name", "query_variants"}, {"arguments", args}}}}));
    EXPECT_EQ(streamed[1]["id"], "call_x");
    EXPECT_EQ(streamed[1]["function"]["arguments"], json({{"gene", "BRCA2"}}));
    // Raw arguments cannot be spliced into Ollama's object: they arrive as a string.
    EXPECT_EQ(streamed[2]["function"]["arguments"], "{\"region\": ");
    EXPECT_EQ(lines.back()["done"], true);

    body["stream"] = false;
    const auto res = post(server, kOllama, body);
    ASSERT_TRUE(res);
    const json answer = json::parse(res->body);
    EXPECT_EQ(answer["message"]["content"], "");
    EXPECT_EQ(answer["message"]["tool_calls"], streamed);
    EXPECT_EQ(answer["done_reason"], "stop");
    EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedLlmServer, OllamaAcceptsToolResultsAndRejectsTextArguments) {
    ScriptedLlmServer server({{.content = "Done."}});
    const json assistant = {
        {"role", "assistant"},
        {"content", ""},
        {"tool_calls",
         json::array(
             {{{"function", {{"name", "query_variants"}, {"arguments", {{"region", "chr1"}}}}}}})}};
    const json tool = {{"role", "tool"}, {"tool_name", "query_variants"}, {"content", "[]"}};
    json body =
        chat_body(server.model(), false, json::array({user_message("chr1?"), assistant, tool}));
    body["tools"] = json::array({query_tool()});
    const auto ok = post(server, kOllama, body);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
    EXPECT_TRUE(server.failures().empty());

    // Arguments as JSON text, the OpenAI way, are not what Ollama takes.
    body["messages"][1]["tool_calls"][0]["function"]["arguments"] = "{\"region\":\"chr1\"}";
    const auto bad = post(server, kOllama, body);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_TRUE(json::parse(bad->body)["error"].is_string());
    ASSERT_EQ(server.failures().size(), 1u);
    EXPECT_TRUE(mentions(server.failures(), "arguments is not a JSON object"));
    EXPECT_EQ(server.turns_served(), 1u);
}

// --- OpenAI

TEST(ScriptedLlmServer, OpenAiAnswersWithoutStreamingByDefault) {
    ScriptedLlmServer server({{.content = "Three variants."}}, "gpt-test");
    const auto res = post(server, kOpenAi, chat_body("gpt-test"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    const json answer = json::parse(res->body);
    EXPECT_EQ(answer["object"], "chat.completion");
    EXPECT_EQ(answer["model"], "gpt-test");
    EXPECT_TRUE(answer["id"].is_string());
    EXPECT_TRUE(answer["created"].is_number_integer());
    ASSERT_EQ(answer["choices"].size(), 1u);
    const json& choice = answer["choices"][0];
    EXPECT_EQ(choice["index"], 0);
    EXPECT_EQ(choice["message"]["role"], "assistant");
    EXPECT_EQ(choice["message"]["content"], "Three variants.");
    EXPECT_FALSE(choice["message"].contains("tool_calls"));
    EXPECT_EQ(choice["finish_reason"], "stop");
    EXPECT_EQ(answer["usage"]["total_tokens"].get<int>(),
              answer["usage"]["prompt_tokens"].get<int>() +
                  answer["usage"]["completion_tokens"].get<int>());
    EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedLlmServer, OpenAiAnswersToolCallsWithoutStreaming) {
    const json args = {{"region", "chr13:32315474-32400266"}};
    ScriptedLlmServer server(
        {{.tool_calls = {{.name = "query_variants", .arguments = args},
                         {.name = "gene_info", .id = "mine"},
                         {.name = "query_variants", .raw_arguments = "{oops"}}},
         {.tool_calls = {{.name = "gene_info"}}, .finish_reason = "stop"}});
    json body = chat_body(server.model());
    body["tools"] = json::array({query_tool()});
    const auto res = post(server, kOpenAi, body);
    ASSERT_TRUE(res);
    const json choice = json::parse(res->body)["choices"][0];
    EXPECT_EQ(choice["finish_reason"], "tool_calls");
    EXPECT_TRUE(choice["message"]["content"].is_null());
    const json& calls = choice["message"]["tool_calls"];
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[0]["id"], "call_1");
    EXPECT_EQ(calls[0]["type"], "function");
    EXPECT_EQ(calls[0]["function"]["name"], "query_variants");
    ASSERT_TRUE(calls[0]["function"]["arguments"].is_string());
    EXPECT_EQ(json::parse(calls[0]["function"]["arguments"].get<std::string>()), args);
    EXPECT_EQ(calls[1]["id"], "mine");
    EXPECT_EQ(calls[1]["function"]["arguments"], "{}");
    EXPECT_EQ(calls[2]["id"], "call_2");
    EXPECT_EQ(calls[2]["function"]["arguments"], "{oops");

    // A scripted finish_reason wins even on a tool-call turn.
    const auto second = post(server, kOpenAi, body);
    ASSERT_TRUE(second);
    const json choice2 = json::parse(second->body)["choices"][0];
    EXPECT_EQ(choice2["finish_reason"], "stop");
    EXPECT_EQ(choice2["message"]["tool_calls"][0]["id"], "call_3");
    EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedLlmServer, OpenAiStreamsContentAndToolCallsInPieces) {
    const std::string text = "Querying BRCA2 — un momento…";
    const json args0 = {{"region", "chr13:32315474-32400266"}, {"limit", 50}};
    const std::string raw1 = "{\"gene\": \"BRCA2\", \"verbose\": tru";
    ScriptedLlmServer server({{.content = text,
                               .tool_calls = {{.name = "query_variants", .arguments = args0},
                                              {.name = "gene_info", .raw_arguments = raw1}}}});
    json body = chat_body(server.model(), true);
    body["tools"] = json::array({query_tool()});
    const Received got = post_streaming(server, kOpenAi, body);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.content_type, "text/event-stream");
    const auto payloads = sse_payloads(got.body());
    ASSERT_GE(payloads.size(), 4u);
    EXPECT_GE(got.fragments.size(), payloads.size());
    EXPECT_EQ(payloads.back(), "[DONE]");

    struct Call {
        std::string id, name, arguments;
        int argument_deltas = 0;
    };
    std::map<int, Call> calls;
    std::string content;
    std::vector<json> chunks;
    for (size_t i = 0; i + 1 < payloads.size(); ++i) chunks.push_back(json::parse(payloads[i]));
    for (size_t i = 0; i < chunks.size(); ++i) {
        const json& chunk = chunks[i];
        EXPECT_EQ(chunk["object"], "chat.completion.chunk");
        EXPECT_EQ(chunk["id"], chunks[0]["id"]);
        EXPECT_FALSE(chunk.contains("usage"));
        const json& choice = chunk["choices"][0];
        const json& delta = choice["delta"];
        if (i == 0) {
            EXPECT_EQ(delta["role"], "assistant");
        }
        if (i + 1 < chunks.size()) {
            EXPECT_TRUE(choice["finish_reason"].is_null());
        }
        if (delta.contains("content") && delta["content"].is_string())
            content += delta["content"].get<std::string>();
        if (!delta.contains("tool_calls")) continue;
        ASSERT_EQ(delta["tool_calls"].size(), 1u);
        const json& part = delta["tool_calls"][0];
        Call& call = calls[part["index"].get<int>()];
        if (part.contains("id")) {
            // The opening delta of a call: id, type and name, empty arguments.
            EXPECT_TRUE(call.id.empty());
            call.id = part["id"];
            EXPECT_EQ(part["type"], "function");
            call.name = part["function"]["name"];
            EXPECT_EQ(part["function"]["arguments"], "");
        } else {
            EXPECT_FALSE(call.id.empty()) << "arguments before the call's opening delta";
            call.arguments += part["function"]["arguments"].get<std::string>();
            ++call.argument_deltas;
        }
    }
    EXPECT_EQ(content, text);
    EXPECT_EQ(chunks.back()["choices"][0]["finish_reason"], "tool_calls");
    EXPECT_EQ(chunks.back()["choices"][0]["delta"], json::object());
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].id, "call_1");
    EXPECT_EQ(calls[0].name, "query_variants");
    EXPECT_EQ(json::parse(calls[0].arguments), args0);
    EXPECT_GT(calls[0].argument_deltas, 3);
    EXPECT_EQ(calls[1].id, "call_2");
    EXPECT_EQ(calls[1].name, "gene_info");
    EXPECT_EQ(calls[1].arguments, raw1);
    EXPECT_GT(calls[1].argument_deltas, 3);
    EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedLlmServer, OpenAiStreamReportsUsageWhenAsked) {
    ScriptedLlmServer server({{.content = "Hi."}});
    json body = chat_body(server.model(), true);
    body["stream_options"] = {{"include_usage", true}};
    const auto payloads = sse_payloads(post_streaming(server, kOpenAi, body).body());
    ASSERT_GE(payloads.size(), 3u);
    const json usage_chunk = json::parse(payloads[payloads.size() - 2]);
    EXPECT_EQ(usage_chunk["choices"], json::array());
    EXPECT_TRUE(usage_chunk["usage"]["total_tokens"].is_number());
    EXPECT_TRUE(json::parse(payloads[0])["usage"].is_null());
    EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedLlmServer, StreamPiecesArriveOverTime) {
    ScriptedLlmServer server({{.content = "abcdefghijkl", .chunk_delay = 40ms}});
    const Received got = post_streaming(server, kOllama, chat_body(server.model()));
    // Three content pieces and the final line, 40 ms apart.
    ASSERT_EQ(ndjson_lines(got.body()).size(), 4u);
    ASSERT_GE(got.arrivals.size(), 4u);
    EXPECT_GE(got.arrivals.back() - got.arrivals.front(), 100ms);
    EXPECT_TRUE(server.failures().empty());
}

// --- errors and protocol checks

TEST(ScriptedLlmServer, UnknownModelIs404AndConsumesNoTurn) {
    ScriptedLlmServer server({{.content = "ok"}});
    const auto ollama = post(server, kOllama, chat_body("llama9", false));
    ASSERT_TRUE(ollama);
    EXPECT_EQ(ollama->status, 404);
    EXPECT_EQ(json::parse(ollama->body),
              json({{"error", "model \"llama9\" not found, try pulling it first"}}));
    const auto openai = post(server, kOpenAi, chat_body("gpt-9"));
    ASSERT_TRUE(openai);
    EXPECT_EQ(openai->status, 404);
    const json error = json::parse(openai->body)["error"];
    EXPECT_EQ(error["message"], "The model `gpt-9` does not exist");
    EXPECT_EQ(error["type"], "invalid_request_error");
    EXPECT_EQ(error["code"], "model_not_found");
    EXPECT_EQ(server.turns_served(), 0u);
    EXPECT_TRUE(server.failures().empty());

    const auto ok = post(server, kOpenAi, chat_body(server.model()));
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
    EXPECT_EQ(server.turns_served(), 1u);
    EXPECT_EQ(server.requests().size(), 3u);
}

TEST(ScriptedLlmServer, ExhaustedScriptAnswers500AndRecordsAFailure) {
    ScriptedLlmServer server({{.content = "only turn"}});
    ASSERT_EQ(post(server, kOllama, chat_body(server.model(), false))->status, 200);
    const auto res = post(server, kOllama, chat_body(server.model(), false));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 500);
    EXPECT_EQ(json::parse(res->body), json({{"error", "script exhausted"}}));
    EXPECT_EQ(server.turns_served(), 1u);
    ASSERT_EQ(server.failures().size(), 1u);
    EXPECT_TRUE(mentions(server.failures(), "script exhausted"));
}

TEST(ScriptedLlmServer, ErrorTurnsAreConsumedBeforeTheNextTurnAnswers) {
    ScriptedLlmServer server({{.http_status = 429},
                              {.content = "after the retry"},
                              {.http_status = 500},
                              {.http_status = 429}});
    const auto limited = post(server, kOpenAi, chat_body(server.model()));
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->status, 429);
    EXPECT_EQ(limited->get_header_value("Retry-After"), "0");
    EXPECT_EQ(json::parse(limited->body)["error"]["code"], "rate_limit_exceeded");
    const auto retried = post(server, kOpenAi, chat_body(server.model()));
    ASSERT_TRUE(retried);
    EXPECT_EQ(retried->status, 200);
    EXPECT_EQ(json::parse(retried->body)["choices"][0]["message"]["content"], "after the retry");

    const auto failed = post(server, kOllama, chat_body(server.model()));
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->status, 500);
    EXPECT_TRUE(json::parse(failed->body)["error"].is_string());
    const auto ollama_limited = post(server, kOllama, chat_body(server.model()));
    ASSERT_TRUE(ollama_limited);
    EXPECT_EQ(ollama_limited->status, 429);
    EXPECT_EQ(ollama_limited->get_header_value("Retry-After"), "0");
    EXPECT_EQ(server.turns_served(), 4u);
    EXPECT_TRUE(server.failures().empty());
}

TEST(ScriptedLlmServer, RawBodyIsSentVerbatim) {
    ScriptedLlmServer server({{.raw_body = "{\"choices\": [{\"message\": "},
                              {.http_status = 502, .raw_body = "<html>bad gateway</html>"}});
    const auto truncated = post(server, kOpenAi, chat_body(server.model()));
    ASSERT_TRUE(truncated);
    EXPECT_EQ(truncated->status, 200);
    EXPECT_EQ(truncated->body, "{\"choices\": [{\"message\": ");
    const auto gateway = post(server, kOpenAi, chat_body(server.model()));
    ASSERT_TRUE(gateway);
    EXPECT_EQ(gateway->status, 502);
    EXPECT_EQ(gateway->body, "<html>bad gateway</html>");
}

// An OpenAI conversation as the agent sends it after running two tools is accepted.
json openai_tool_conversation() {
    const auto call = [](const std::string& id) {
        return json{
            {"id", id},
            {"type", "function"},
            {"function", {{"name", "query_variants"}, {"arguments", "{\"region\":\"chr1\"}"}}}};
    };
    return json::array({{{"role", "system"}, {"content", "You analyse VCF files."}},
                        user_message("chr1?"),
                        {{"role", "assistant"},
                         {"content", nullptr},
                         {"tool_calls", json::array({call("call_a"), call("call_b")})}},
                        {{"role", "tool"}, {"tool_call_id", "call_b"}, {"content", "[]"}},
                        {{"role", "tool"}, {"tool_call_id", "call_a"}, {"content", "[1]"}}});
}

TEST(ScriptedLlmServer, OpenAiAcceptsAnsweredToolCalls) {
    ScriptedLlmServer server({{.content = "One variant."}});
    json body = chat_body(server.model(), false, openai_tool_conversation());
    body["tools"] = json::array({query_tool()});
    const auto res = post(server, kOpenAi, body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(server.failures().empty()) << server.failures().front();
}

TEST(ScriptedLlmServer, OpenAiRejectsToolMessagesThatAnswerNoCall) {
    ScriptedLlmServer server({{.content = "never sent"}});
    const auto expect_rejected = [&](json messages, const std::string& why) {
        const size_t before = server.failures().size();
        const auto res = post(server, kOpenAi, chat_body(server.model(), false, messages));
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 400) << why;
        EXPECT_EQ(json::parse(res->body)["error"]["type"], "invalid_request_error");
        const auto failures = server.failures();
        ASSERT_EQ(failures.size(), before + 1) << why;
        EXPECT_NE(failures.back().find(why), std::string::npos) << failures.back();
    };
    json wrong_id = openai_tool_conversation();
    wrong_id[4]["tool_call_id"] = "call_z";
    expect_rejected(wrong_id, "\"call_z\", which is no call of the preceding assistant message");

    json no_id = openai_tool_conversation();
    no_id[3].erase("tool_call_id");
    expect_rejected(no_id, "has no tool_call_id");

    json no_assistant = json::array(
        {user_message("hi"), {{"role", "tool"}, {"tool_call_id", "call_a"}, {"content", "[]"}}});
    expect_rejected(no_assistant, "does not follow an assistant message with tool_calls");

    json unanswered = openai_tool_conversation();
    unanswered.erase(4);
    expect_rejected(unanswered, "\"call_a\" have no tool message");

    json interrupted = openai_tool_conversation();
    interrupted.insert(interrupted.begin() + 4, user_message("and?"));
    expect_rejected(interrupted, "comes before tool messages answering the tool calls \"call_a\"");

    json object_arguments = openai_tool_conversation();
    object_arguments[2]["tool_calls"][0]["function"]["arguments"] = {{"region", "chr1"}};
    expect_rejected(object_arguments, "arguments is not a string");

    EXPECT_EQ(server.turns_served(), 0u);
}

TEST(ScriptedLlmServer, MalformedRequestsAreRejected) {
    ScriptedLlmServer server({{.content = "never sent"}});
    const auto expect_rejected = [&](const char* path, const std::string& body,
                                     const std::string& why) {
        const size_t before = server.failures().size();
        const auto res = post(server, path, body);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 400) << why;
        const auto failures = server.failures();
        ASSERT_EQ(failures.size(), before + 1) << why;
        EXPECT_NE(failures.back().find(why), std::string::npos) << failures.back();
    };
    const std::string model = server.model();
    expect_rejected(kOllama, "{\"model\": ", "body is not JSON");
    expect_rejected(kOpenAi, json({{"messages", json::array()}}).dump(), "\"model\"");
    expect_rejected(kOllama, json({{"model", model}}).dump(), "\"messages\"");
    expect_rejected(
        kOpenAi,
        chat_body(model, false, json::array({{{"role", "robot"}, {"content", "x"}}})).dump(),
        ".role is not one of");
    json stream_text = chat_body(model);
    stream_text["stream"] = "yes";
    expect_rejected(kOllama, stream_text.dump(), "\"stream\" is not a boolean");

    json no_parameters = chat_body(model);
    no_parameters["tools"] = json::array({query_tool()});
    no_parameters["tools"][0]["function"].erase("parameters");
    expect_rejected(kOllama, no_parameters.dump(), "tools[0].function.parameters");
    json bad_type = chat_body(model);
    bad_type["tools"] = json::array({query_tool()});
    bad_type["tools"][0]["type"] = "retrieval";
    expect_rejected(kOpenAi, bad_type.dump(), "tools[0].type");
    json bad_name = chat_body(model);
    bad_name["tools"] = json::array({query_tool()});
    bad_name["tools"][0]["function"]["name"] = "query variants";
    expect_rejected(kOpenAi, bad_name.dump(), "tools[0].function.name");

    EXPECT_EQ(server.turns_served(), 0u);
    // Rejected requests are recorded too; a body that is not JSON as its text.
    ASSERT_EQ(server.requests().size(), 8u);
    EXPECT_EQ(server.requests()[0], json("{\"model\": "));
}

TEST(ScriptedLlmServer, ExpectationsSeeTheRequestTheyAnswer) {
    ScriptedLlmServer server({{.content = "a",
                               .expect = [](const json& request) -> std::string {
                                   return request["messages"].size() == 1 ? ""
                                                                          : "expected one message";
                               }},
                              {.content = "b",
                               .expect = [](const json& request) -> std::string {
                                   return request.contains("tools") ? "" : "expected tools";
                               }},
                              {.content = "c", .expect = [](const json& request) -> std::string {
                                   return request.at("no such key").get<std::string>();
                               }}});
    EXPECT_EQ(post(server, kOllama, chat_body(server.model(), false))->status, 200);
    // A failed expectation is recorded, and the turn still answered.
    const auto res = post(server, kOllama, chat_body(server.model(), false));
    ASSERT_TRUE(res);
    EXPECT_EQ(json::parse(res->body)["message"]["content"], "b");
    EXPECT_EQ(post(server, kOllama, chat_body(server.model(), false))->status, 200);
    const auto failures = server.failures();
    ASSERT_EQ(failures.size(), 2u);
    EXPECT_NE(failures[0].find("turn 2: expected tools"), std::string::npos) << failures[0];
    EXPECT_NE(failures[1].find("turn 3: expect threw"), std::string::npos) << failures[1];
}

TEST(ScriptedLlmServer, ListsItsModelAndFlagsUnexpectedEndpoints) {
    ScriptedLlmServer server({}, "llama-test");
    httplib::Client client(server.url());
    const auto tags = client.Get("/api/tags");
    ASSERT_TRUE(tags);
    EXPECT_EQ(json::parse(tags->body)["models"][0]["name"], "llama-test");
    const auto models = client.Get("/v1/models");
    ASSERT_TRUE(models);
    EXPECT_EQ(json::parse(models->body)["object"], "list");
    EXPECT_EQ(json::parse(models->body)["data"][0]["id"], "llama-test");
    EXPECT_TRUE(server.failures().empty());

    const auto generate = post(server, "/api/generate", chat_body("llama-test"));
    ASSERT_TRUE(generate);
    EXPECT_EQ(generate->status, 404);
    EXPECT_TRUE(mentions(server.failures(), "unexpected request: POST /api/generate"));
}

// --- shutdown

TEST(ScriptedLlmServer, ServesTurnsOverOneKeepAliveConnection) {
    auto server = std::make_unique<ScriptedLlmServer>(
        std::vector<ScriptedTurn>{{.content = "one"}, {.content = "two"}});
    {
        httplib::Client client(server->url());
        client.set_keep_alive(true);
        const std::string body = chat_body(server->model(), false).dump();
        const auto first = client.Post(kOpenAi, body, "application/json");
        const auto second = client.Post(kOpenAi, body, "application/json");
        ASSERT_TRUE(first && second);
        EXPECT_EQ(json::parse(second->body)["choices"][0]["message"]["content"], "two");
        EXPECT_EQ(server->failures(), std::vector<std::string>{});
    }
    // The client closed its connection, so no server thread is left in a keep-alive wait.
    const auto start = Clock::now();
    server.reset();
    EXPECT_LT(Clock::now() - start, 500ms);
}

// Destroys the server while the client waits on a stalled answer; returns how long that took.
Clock::duration destroy_while_waiting(std::unique_ptr<ScriptedLlmServer> server, const char* path,
                                      const json& body, int* status) {
    std::thread client([&, url = server->url()] {
        httplib::Client c(url);
        c.set_read_timeout(30s);
        const auto res = c.Post(path, body.dump(), "application/json");
        *status = res ? res->status : -1;
    });
    for (const auto give_up = Clock::now() + 5s;
         server->requests().empty() && Clock::now() < give_up;)
        std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(50ms);  // into the stall
    const auto start = Clock::now();
    server.reset();
    const auto took = Clock::now() - start;
    client.join();
    return took;
}

TEST(ScriptedLlmServer, StopsPromptlyWhileATurnIsDelayed) {
    auto server = std::make_unique<ScriptedLlmServer>(
        std::vector<ScriptedTurn>{{.content = "late", .delay = 10s}});
    const json body = chat_body(server->model(), false);
    int status = 0;
    const auto start = Clock::now();
    EXPECT_LT(destroy_while_waiting(std::move(server), kOpenAi, body, &status), 1s);
    EXPECT_LT(Clock::now() - start, 5s);
    EXPECT_EQ(status, 503);
}

TEST(ScriptedLlmServer, StopsPromptlyWhileAStreamIsStalled) {
    auto server = std::make_unique<ScriptedLlmServer>(
        std::vector<ScriptedTurn>{{.content = "a stalled stream", .chunk_delay = 10s}});
    const json body = chat_body(server->model(), true);
    int status = 0;
    EXPECT_LT(destroy_while_waiting(std::move(server), kOpenAi, body, &status), 1s);
    // The stream was cut: the client saw a broken response or a 200 with a truncated body.
    EXPECT_NE(status, 0);
}

}  // namespace
}  // namespace vcfagent::test
