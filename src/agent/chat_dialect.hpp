#pragma once
// One wire protocol of a chat server: how a request is written and how a reply (whole, or
// streamed line by line) is read. The HTTP exchange, retries and error wording live once, in
// chat_client.cpp.
#include <memory>
#include <string>
#include <string_view>

#include "agent/chat_client.hpp"
#include "embed/endpoint.hpp"

namespace vcfagent::agent {

class ChatDialect {
  public:
    virtual ~ChatDialect() = default;
    virtual std::string_view name() const = 0;
    virtual std::string default_model() const = 0;
    virtual std::string path(const embed::Endpoint& endpoint) const = 0;
    virtual nlohmann::json request(const std::string& model,
                                   const std::vector<ChatMessage>& messages,
                                   const nlohmann::json& tools, bool stream,
                                   double temperature) const = 0;
    // A whole (non-streamed) reply. Throws LlmError when it is not one.
    virtual ChatTurn parse_reply(const nlohmann::json& reply) const = 0;
    // One line of a streamed reply (NDJSON object or SSE line), folded into `turn`; text is
    // also handed to on_text. Returns true on the stream's last line.
    virtual bool add_stream_line(std::string_view line, ChatTurn& turn,
                                 const std::function<void(std::string_view)>& on_text) const = 0;
    // The server's own words in an error body, if it has any.
    virtual std::string error_message(const std::string& body) const = 0;
};

std::unique_ptr<ChatDialect> make_ollama_dialect();
std::unique_ptr<ChatDialect> make_openai_dialect();

// The tool catalogue ([{name, description, input_schema}]) as both protocols' `tools` array.
nlohmann::json function_tools(const nlohmann::json& catalogue);
// Parses tool-call arguments sent as text; a failure is recorded in call.arguments_error.
void parse_arguments_text(ToolCall& call);

}  // namespace vcfagent::agent
