#pragma once
// The tool loop behind `vcf-agent ask`: the model sees what the store holds and the tool
// catalogue, calls tools (several of one turn run concurrently), reads their results and
// answers. Every call is recorded, so each number of an answer can be traced to the tool
// result it came from. The conversation is kept between ask() calls (interactive sessions).
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/chat_client.hpp"
#include "tools/tool_registry.hpp"

namespace vcfagent::agent {

struct AgentOptions {
    int max_steps = 8;  // tool rounds per question before the loop gives up
    // Receives the answer's text as it streams (the final turn only); empty: no streaming.
    std::function<void(std::string_view)> on_text;
};

struct ToolCallRecord {
    int step = 0;
    std::string id;
    std::string name;
    nlohmann::json arguments;
    bool ok = false;
    std::string error;
    int64_t rows = 0;
    nlohmann::json total;  // the result's `total`, null when it failed
    double seconds = 0;
    nlohmann::json to_json() const;
};

struct AgentAnswer {
    std::string question;
    std::string answer;
    std::vector<ToolCallRecord> calls;
    int steps = 0;        // model turns that called tools
    std::string stopped;  // "answer" or "max_steps"
    // Numbers of the answer that appear in no tool result of this question (should be none).
    std::vector<std::string> unverified_numbers;
    double seconds = 0;
    nlohmann::json to_json() const;
};

class Agent {
  public:
    Agent(ChatClient& client, const tools::ToolRegistry& registry, tools::ToolContext& context,
          AgentOptions options);
    // Answers one question, continuing the conversation so far. Throws LlmError when the
    // model server fails.
    AgentAnswer ask(const std::string& question);
    const std::vector<ChatMessage>& messages() const { return messages_; }

  private:
    struct Outcome {
        ToolCallRecord record;
        nlohmann::json content;  // what the model is sent: the result, or {"error": ...}
    };
    std::vector<Outcome> run_calls(const std::vector<ToolCall>& calls, int step);

    ChatClient& client_;
    const tools::ToolRegistry& registry_;
    tools::ToolContext& context_;
    const AgentOptions options_;
    std::vector<ChatMessage> messages_;
};

// The system prompt: the rules (answer from tool results only, say when a question is outside
// the store) and what this store holds (from store_overview).
std::string system_prompt(const tools::ToolRegistry& registry, tools::ToolContext& context);

// The conversation in a protocol-neutral JSON form (role, content, tool_calls, tool_call_id).
nlohmann::json transcript_json(const std::vector<ChatMessage>& messages);

// Numbers written in `text` (integers and decimals, thousands separators removed).
std::vector<std::string> numbers_in(std::string_view text);

}  // namespace vcfagent::agent
