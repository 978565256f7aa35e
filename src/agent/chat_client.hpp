#pragma once
// A chat model that can call tools, behind one interface for both wire protocols the product
// speaks: Ollama's POST /api/chat and the OpenAI-compatible POST /v1/chat/completions (llama.cpp's
// server, vLLM, ...). Messages are kept in one neutral form; each protocol renders and parses
// its own dialect. A turn is a tool turn when it carries tool calls, whatever finish_reason says.
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace vcfagent::agent {

struct ToolCall {
    std::string id;  // the server's id; Ollama may send none, then one is made up ("call_N")
    std::string name;
    nlohmann::json arguments = nlohmann::json::object();
    std::string raw_arguments;    // as the server sent them (OpenAI: a JSON string)
    std::string arguments_error;  // non-empty: the arguments were not a JSON object
};

struct ChatMessage {
    std::string role;  // system, user, assistant, tool
    std::string content;
    std::vector<ToolCall> tool_calls;  // assistant
    std::string tool_call_id;          // tool: the id of the call it answers
    std::string tool_name;             // tool: the name of the tool that ran
};

struct ChatTurn {
    std::string content;
    std::vector<ToolCall> tool_calls;
    std::string finish_reason;  // informational only
};

// The model server failed in a way the user must act on (not reachable, unknown model, a
// malformed reply after retries). The message says what to do.
class LlmError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct ChatClientConfig {
    std::string kind = "ollama";  // ollama | openai
    std::string url;              // base URL; empty: OLLAMA_HOST / OPENAI_BASE_URL, else default
    std::string model;            // empty: the kind's default
    std::string api_key;          // openai; empty: OPENAI_API_KEY
    std::chrono::milliseconds timeout{120000};  // connect, send and each read
    int max_retries = 3;
    std::chrono::milliseconds retry_base{500};
    double temperature = 0;  // answers about data should not vary between runs
};

class ChatClient {
  public:
    virtual ~ChatClient() = default;
    // One model turn for `messages` with `tools` ([{name, description, input_schema}]). With
    // `on_text`, the reply is streamed and its text handed over as it arrives.
    virtual ChatTurn chat(const std::vector<ChatMessage>& messages, const nlohmann::json& tools,
                          const std::function<void(std::string_view)>& on_text = {}) = 0;
    virtual std::string model() const = 0;
    virtual std::string url() const = 0;  // the chat endpoint's full URL
    virtual std::string_view protocol() const = 0;
};

std::unique_ptr<ChatClient> make_chat_client(ChatClientConfig config);

}  // namespace vcfagent::agent
