#pragma once
// A loopback chat server for tests of the agent. It speaks the Ollama (POST /api/chat) and the
// OpenAI-compatible (POST /v1/chat/completions) protocol, streaming or not, and answers from a
// script: every chat request, on either endpoint, takes the next ScriptedTurn. Requests are
// checked the way the real servers check them; whatever a real server would reject is answered
// 400 and recorded in failures(), so a test asserts failures().empty() to know the client spoke
// the protocol. Streams are sent in small pieces through chunked transfer encoding, so a client
// really receives them over time.
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace vcfagent::test {

// Every member has a default initializer, so designated initializers may leave any out without
// -Wmissing-field-initializers (GCC 12 warns for class-type members that have none).
struct ScriptedToolCall {
    std::string name{};
    nlohmann::json arguments = nlohmann::json::object();
    // OpenAI: sent as the call id ("call_N", unique within the server, when empty).
    // Ollama: sent only when non-empty.
    std::string id{};
    // When non-empty, sent instead of `arguments`, verbatim: OpenAI as the arguments string,
    // Ollama as a JSON string value (its arguments are an object, raw text cannot be spliced
    // in). Used to test malformed arguments.
    std::string raw_arguments{};
};

struct ScriptedTurn {
    std::string content{};                       // assistant text of this turn
    std::vector<ScriptedToolCall> tool_calls{};  // non-empty: a tool-call turn
    // OpenAI finish_reason; "" sends "tool_calls" when tool_calls is non-empty, else "stop".
    // Ollama always sends done_reason "stop", as Ollama does after tool calls too.
    std::string finish_reason{};
    // Not 200: answer this status with an error body in the endpoint's format instead of the
    // turn (with Retry-After: 0 for 429). Such a turn is consumed like any other.
    int http_status = 200;
    // Non-empty: sent verbatim as the body with http_status (malformed responses), whether the
    // request asked for a stream or not.
    std::string raw_body{};
    // Wait this long before answering (stall tests); ends early when the server stops, which
    // then answers 503.
    std::chrono::milliseconds delay{0};
    // Streaming only: wait this long before each piece after the first (a slow or stalled
    // stream); ends early when the server stops, which then drops the connection.
    std::chrono::milliseconds chunk_delay{0};
    // Called with the parsed request body this turn answers; returns "" when the request is as
    // expected, else a message recorded in failures(). The turn is answered either way. Runs on
    // a server thread; an exception it throws is recorded as a failure.
    std::function<std::string(const nlohmann::json& request)> expect{};
};

class ScriptedLlmServer {
  public:
    // Binds 127.0.0.1 on a free port and serves in a background thread; ready when the
    // constructor returns. `model`: the only model name it knows.
    explicit ScriptedLlmServer(std::vector<ScriptedTurn> script,
                               std::string model = "scripted-model");
    // Stops promptly even while a turn is delayed.
    ~ScriptedLlmServer();
    ScriptedLlmServer(const ScriptedLlmServer&) = delete;
    ScriptedLlmServer& operator=(const ScriptedLlmServer&) = delete;

    int port() const { return port_; }
    std::string url() const;  // "http://127.0.0.1:PORT"
    const std::string& model() const { return model_; }
    // Stops listening and cuts delayed turns and stalled streams short; idempotent. A client
    // connection still open and idle in keep-alive can hold it up to a second (httplib's wait for
    // the next request on it), so destroy in-process clients before the server.
    void stop();

    // Every chat request body received, in arrival order, rejected ones included (a body that is
    // not JSON is kept as a JSON string of its text). A thread-safe copy.
    std::vector<nlohmann::json> requests() const;
    // The path of each entry of requests() ("/api/chat" or "/v1/chat/completions").
    std::vector<std::string> request_paths() const;
    // Expectation failures and protocol errors seen, in the order they happened.
    std::vector<std::string> failures() const;
    // Script turns consumed so far (error turns included; exhausted requests not).
    size_t turns_served() const;
    // The Authorization header of the last chat request ("" when absent).
    std::string last_authorization() const;

  private:
    enum class Api { Ollama, OpenAi };
    void handle_chat(Api api, const httplib::Request& req, httplib::Response& res);
    void answer_turn(Api api, const nlohmann::json& request, const ScriptedTurn& turn,
                     size_t turn_number, httplib::Response& res);
    // Sends `events` one per chunk of a chunked response, waiting `chunk_delay` before each but
    // the first.
    void stream_events(httplib::Response& res, const char* content_type,
                       std::vector<std::string> events, std::chrono::milliseconds chunk_delay);
    void record_failure(std::string message);
    // Sleeps up to `d`; false when the server stopped meanwhile.
    bool sleep_for(std::chrono::milliseconds d);

    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
    const std::string model_;

    mutable std::mutex mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
    std::vector<ScriptedTurn> script_;
    size_t next_turn_ = 0;     // index into script_ of the turn the next chat request takes
    size_t next_call_id_ = 1;  // N of the next generated "call_N"
    std::vector<nlohmann::json> requests_;
    std::vector<std::string> request_paths_;
    std::vector<std::string> failures_;
    std::string last_authorization_;
};

}  // namespace vcfagent::test
