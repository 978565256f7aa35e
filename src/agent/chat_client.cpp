#include "agent/chat_client.hpp"

#include "agent/chat_dialect.hpp"
#include "common/mutex.hpp"
#include "embed/embedder.hpp"
#include "embed/model_server.hpp"
#include "embed/retrying_http_client.hpp"

namespace vcfagent::agent {

using nlohmann::json;

json function_tools(const json& catalogue) {
    json out = json::array();
    for (const auto& t : catalogue)
        out.push_back({{"type", "function"},
                       {"function",
                        {{"name", t["name"]},
                         {"description", t["description"]},
                         {"parameters", t["input_schema"]}}}});
    return out;
}

void parse_arguments_text(ToolCall& call) {
    call.arguments_error.clear();
    if (call.raw_arguments.find_first_not_of(" \t\r\n") == std::string::npos) {
        call.arguments = json::object();  // no-argument calls are often sent as ""
        return;
    }
    try {
        call.arguments = json::parse(call.raw_arguments);
        if (!call.arguments.is_object())
            call.arguments_error = "arguments must be a JSON object, got " + call.raw_arguments;
    } catch (const json::parse_error& e) {
        call.arguments = json::object();
        call.arguments_error = "arguments are not valid JSON (" + std::string(e.what()) +
                               "): " + call.raw_arguments.substr(0, 200);
    }
}

namespace {

class HttpChatClient final : public ChatClient {
  public:
    HttpChatClient(ChatClientConfig config, std::unique_ptr<ChatDialect> dialect)
        : config_(std::move(config)),
          dialect_(std::move(dialect)),
          endpoint_(resolve_endpoint(config_)),
          path_(dialect_->path(endpoint_)),
          http_({endpoint_, embed::model_server_api_key(config_.kind, config_.api_key),
                 config_.timeout, config_.max_retries, config_.retry_base}) {
        if (config_.model.empty()) config_.model = dialect_->default_model();
    }

    ChatTurn chat(const std::vector<ChatMessage>& messages, const json& tools,
                  const std::function<void(std::string_view)>& on_text) override {
        MutexLock lock(http_mutex_);
        const bool stream = static_cast<bool>(on_text);
        const std::string body =
            dialect_->request(config_.model, messages, tools, stream, config_.temperature).dump();
        ChatTurn turn;
        std::string pending;  // a streamed line not yet complete
        bool done = false;
        auto take_lines = [&](std::string_view piece) {
            pending.append(piece);
            size_t start = 0;
            for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
                std::string_view line(pending.data() + start, nl - start);
                if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
                if (!done) done = dialect_->add_stream_line(line, turn, on_text);
            }
            pending.erase(0, start);
            return true;
        };
        embed::HttpReply reply;
        try {
            reply = http_.post(path_, body,
                               stream ? embed::RetryingHttpClient::DataSink(take_lines)
                                      : embed::RetryingHttpClient::DataSink{});
            if (reply.status == 200 && stream) {
                if (!pending.empty() && !done)
                    done = dialect_->add_stream_line(pending, turn, on_text);
            } else if (reply.status == 200) {
                turn = dialect_->parse_reply(json::parse(reply.body));
            }
        } catch (const embed::HttpError& e) {
            if (e.connection_failed)
                throw LlmError("no LLM answered at " + url() + " (" + e.problem() + "); start " +
                               (config_.kind == "ollama" ? std::string("Ollama (ollama serve)")
                                                         : std::string("the server")) +
                               " or pass --llm-url");
            throw LlmError("the LLM at " + url() + " failed after " + std::to_string(e.attempts()) +
                           " attempt(s): " + e.problem());
        } catch (const json::exception& e) {
            throw LlmError("malformed reply from " + url() + ": " + e.what());
        } catch (const LlmError& e) {
            throw LlmError("bad reply from " + url() + ": " + e.what());
        }
        if (reply.status != 200) throw status_error(reply);
        for (auto& c : turn.tool_calls) {
            if (c.arguments_error.empty() && c.arguments.empty() && !c.raw_arguments.empty())
                parse_arguments_text(c);
            if (c.id.empty()) c.id = "call_" + std::to_string(++calls_without_id_);
        }
        return turn;
    }

    std::string model() const override { return config_.model; }
    // What http_.url(path_) answers, from the same endpoint, without taking http_mutex_.
    std::string url() const override { return endpoint_.origin() + path_; }
    std::string_view protocol() const override { return dialect_->name(); }

  private:
    static embed::Endpoint resolve_endpoint(const ChatClientConfig& c) {
        try {
            return embed::model_server_endpoint(c.kind, c.url);
        } catch (const embed::EmbedError& e) {
            throw LlmError(std::string("--llm-url: ") + e.what());
        }
    }

    LlmError status_error(const embed::HttpReply& reply) const {
        const std::string said = dialect_->error_message(reply.body);
        const std::string where = url() + " answered HTTP " + std::to_string(reply.status);
        if (reply.status == 404 && said.find("model") != std::string::npos)
            return LlmError("model '" + config_.model + "' is not available: " + where + ": " +
                            said +
                            (config_.kind == "ollama" ? " (ollama pull " + config_.model + ")"
                                                      : std::string(" (check --model)")));
        if (reply.status == 404)
            return LlmError(where + ": is this an " + config_.kind +
                            " server? Check --llm and --llm-url");
        if (reply.status == 401 || reply.status == 403)
            return LlmError(where + ": the server refused the credentials (" + said +
                            "); set OPENAI_API_KEY or --api-key");
        return LlmError(where + ": " + said);
    }

    ChatClientConfig config_;
    const std::unique_ptr<ChatDialect> dialect_;
    const embed::Endpoint endpoint_;
    const std::string path_;
    Mutex http_mutex_;  // guards http_ and calls_without_id_: one exchange at a time
    embed::RetryingHttpClient http_ GUARDED_BY(http_mutex_);
    int calls_without_id_ GUARDED_BY(http_mutex_) = 0;
};

}  // namespace

std::unique_ptr<ChatClient> make_chat_client(ChatClientConfig config) {
    if (config.kind == "ollama")
        return std::make_unique<HttpChatClient>(std::move(config), make_ollama_dialect());
    if (config.kind == "openai")
        return std::make_unique<HttpChatClient>(std::move(config), make_openai_dialect());
    throw LlmError("--llm " + config.kind + ": expected ollama or openai");
}

}  // namespace vcfagent::agent
