// Ollama's POST /api/chat. It streams NDJSON unless the request says "stream": false; tool-call
// arguments are a JSON object, and calls may come without an id.
#include "agent/chat_dialect.hpp"

namespace vcfagent::agent {

namespace {

using nlohmann::json;

class OllamaDialect final : public ChatDialect {
  public:
    std::string_view name() const override { return "ollama"; }
    std::string default_model() const override { return "llama3.1"; }
    std::string path(const embed::Endpoint& endpoint) const override {
        return endpoint.base_path + "/api/chat";
    }

    json request(const std::string& model, const std::vector<ChatMessage>& messages,
                 const json& tools, bool stream, double temperature) const override {
        json msgs = json::array();
        for (const auto& m : messages) {
            json out = {{"role", m.role}, {"content", m.content}};
            if (!m.tool_calls.empty()) {
                out["tool_calls"] = json::array();
                for (const auto& c : m.tool_calls)
                    out["tool_calls"].push_back(
                        {{"function", {{"name", c.name}, {"arguments", c.arguments}}}});
            }
            if (m.role == "tool") out["tool_name"] = m.tool_name;
            msgs.push_back(std::move(out));
        }
        json body = {{"model", model},
                     {"messages", std::move(msgs)},
                     {"stream", stream},
                     {"options", {{"temperature", temperature}}}};
        if (!tools.empty()) body["tools"] = function_tools(tools);
        return body;
    }

    ChatTurn parse_reply(const json& reply) const override {
        ChatTurn turn;
        if (!reply.contains("message") || !reply["message"].is_object())
            throw LlmError("the reply has no 'message' object");
        add_message(reply["message"], turn, {});
        turn.finish_reason = reply.value("done_reason", "");
        return turn;
    }

    bool add_stream_line(std::string_view line, ChatTurn& turn,
                         const std::function<void(std::string_view)>& on_text) const override {
        if (line.empty()) return false;
        const json chunk = json::parse(line);
        if (chunk.contains("error"))
            throw LlmError("the server reported: " + chunk["error"].dump());
        if (chunk.contains("message") && chunk["message"].is_object())
            add_message(chunk["message"], turn, on_text);
        if (chunk.value("done", false)) {
            turn.finish_reason = chunk.value("done_reason", "");
            return true;
        }
        return false;
    }

    std::string error_message(const std::string& body) const override {
        try {
            const json j = json::parse(body);
            if (j.contains("error") && j["error"].is_string()) return j["error"];
        } catch (const json::exception&) {
        }
        return body.substr(0, 300);
    }

  private:
    static void add_message(const json& m, ChatTurn& turn,
                            const std::function<void(std::string_view)>& on_text) {
        if (m.contains("content") && m["content"].is_string()) {
            const std::string piece = m["content"];
            turn.content += piece;
            if (on_text && !piece.empty()) on_text(piece);
        }
        if (!m.contains("tool_calls") || !m["tool_calls"].is_array()) return;
        for (const auto& c : m["tool_calls"]) {
            ToolCall call;
            const json& f = c.value("function", json::object());
            call.name = f.value("name", "");
            call.id = c.value("id", "");
            const json args = f.value("arguments", json::object());
            if (args.is_string()) {  // some versions and proxies send text
                call.raw_arguments = args;
                parse_arguments_text(call);
            } else if (args.is_object()) {
                call.arguments = args;
                call.raw_arguments = args.dump();
            } else {
                call.raw_arguments = args.dump();
                call.arguments_error = "arguments must be a JSON object, got " + call.raw_arguments;
            }
            turn.tool_calls.push_back(std::move(call));
        }
    }
};

}  // namespace

std::unique_ptr<ChatDialect> make_ollama_dialect() {
    return std::make_unique<OllamaDialect>();
}

}  // namespace vcfagent::agent
