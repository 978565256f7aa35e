// OpenAI-compatible POST /v1/chat/completions (also llama.cpp's server, vLLM, ...). Tool-call
// arguments travel as a JSON string; every call has an id that the role "tool" message must
// echo; replayed calls carry "type": "function" (llama.cpp insists). Streams are SSE lines
// "data: {chunk}" ending with "data: [DONE]", tool calls arriving in pieces keyed by index.
#include "agent/chat_dialect.hpp"
#include "embed/model_server.hpp"

namespace vcfagent::agent {

namespace {

using nlohmann::json;

class OpenAiDialect final : public ChatDialect {
  public:
    std::string_view name() const override { return "openai"; }
    std::string default_model() const override { return "gpt-4o-mini"; }
    std::string path(const embed::Endpoint& endpoint) const override {
        return embed::openai_api_path(endpoint, "/chat/completions");
    }

    json request(const std::string& model, const std::vector<ChatMessage>& messages,
                 const json& tools, bool stream, double temperature) const override {
        json msgs = json::array();
        for (const auto& m : messages) {
            json out = {{"role", m.role}};
            if (m.role == "assistant" && !m.tool_calls.empty()) {
                out["content"] = m.content.empty() ? json(nullptr) : json(m.content);
                out["tool_calls"] = json::array();
                for (const auto& c : m.tool_calls)
                    out["tool_calls"].push_back(
                        {{"id", c.id},
                         {"type", "function"},
                         {"function",
                          {{"name", c.name},
                           {"arguments",
                            c.raw_arguments.empty() ? c.arguments.dump() : c.raw_arguments}}}});
            } else {
                out["content"] = m.content;
            }
            if (m.role == "tool") out["tool_call_id"] = m.tool_call_id;
            msgs.push_back(std::move(out));
        }
        json body = {{"model", model},
                     {"messages", std::move(msgs)},
                     {"stream", stream},
                     {"temperature", temperature}};
        if (!tools.empty()) body["tools"] = function_tools(tools);
        return body;
    }

    ChatTurn parse_reply(const json& reply) const override {
        if (!reply.contains("choices") || !reply["choices"].is_array() || reply["choices"].empty())
            throw LlmError("the reply has no 'choices'");
        const json& choice = reply["choices"][0];
        ChatTurn turn;
        turn.finish_reason = choice.value("finish_reason", json("")).is_string()
                                 ? choice.value("finish_reason", "")
                                 : "";
        const json& m = choice.value("message", json::object());
        if (m.contains("content") && m["content"].is_string()) turn.content = m["content"];
        if (m.contains("tool_calls") && m["tool_calls"].is_array())
            for (const auto& c : m["tool_calls"]) {
                ToolCall call;
                call.id = c.value("id", "");
                const json& f = c.value("function", json::object());
                call.name = f.value("name", "");
                const json args = f.value("arguments", json(""));
                call.raw_arguments = args.is_string() ? args.get<std::string>() : args.dump();
                parse_arguments_text(call);
                turn.tool_calls.push_back(std::move(call));
            }
        return turn;
    }

    bool add_stream_line(std::string_view line, ChatTurn& turn,
                         const std::function<void(std::string_view)>& on_text) const override {
        if (line.rfind("data:", 0) != 0) return false;  // comments, event names, blank lines
        line.remove_prefix(5);
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        if (line == "[DONE]") return true;
        const json chunk = json::parse(line);
        if (chunk.contains("error"))
            throw LlmError("the server reported: " + chunk["error"].dump());
        if (!chunk.contains("choices") || !chunk["choices"].is_array() || chunk["choices"].empty())
            return false;  // e.g. a usage-only chunk
        const json& choice = chunk["choices"][0];
        if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
            turn.finish_reason = choice["finish_reason"];
        const json& delta = choice.value("delta", json::object());
        if (delta.contains("content") && delta["content"].is_string()) {
            const std::string piece = delta["content"];
            turn.content += piece;
            if (on_text && !piece.empty()) on_text(piece);
        }
        if (delta.contains("tool_calls") && delta["tool_calls"].is_array())
            for (const auto& d : delta["tool_calls"]) {
                const size_t index = d.value("index", turn.tool_calls.size());
                if (index > 64)
                    throw LlmError("tool call index " + std::to_string(index) + " is implausible");
                if (turn.tool_calls.size() <= index) turn.tool_calls.resize(index + 1);
                ToolCall& call = turn.tool_calls[index];
                if (d.contains("id") && d["id"].is_string()) call.id = d["id"];
                const json& f = d.value("function", json::object());
                if (f.contains("name") && f["name"].is_string())
                    call.name += f["name"].get<std::string>();
                if (f.contains("arguments") && f["arguments"].is_string())
                    call.raw_arguments += f["arguments"].get<std::string>();
            }
        return false;
    }

    std::string error_message(const std::string& body) const override {
        try {
            const json j = json::parse(body);
            if (j.contains("error")) {
                const json& e = j["error"];
                if (e.is_object() && e.contains("message")) return e["message"].dump();
                return e.dump();
            }
        } catch (const json::exception&) {
        }
        return body.substr(0, 300);
    }
};

}  // namespace

std::unique_ptr<ChatDialect> make_openai_dialect() {
    return std::make_unique<OpenAiDialect>();
}

}  // namespace vcfagent::agent
