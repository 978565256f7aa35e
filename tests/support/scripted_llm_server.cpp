#include "scripted_llm_server.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <regex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "embed/httplib_include.hpp"

namespace vcfagent::test {

namespace {

using nlohmann::json;

// Idle keep-alive connections hold a server thread this long, stop() included; short so a
// client that keeps its connection open delays stop() by a second at most.
constexpr int kKeepAliveSeconds = 1;
constexpr size_t kServerThreads = 8;
// Most bytes in one streamed piece of content or of tool-call arguments: about a token, so a
// client has to reassemble many pieces, as from a real server.
constexpr size_t kPieceBytes = 4;

// Scripted text comes from tests; invalid UTF-8 in it is replaced rather than thrown on here.
std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Pieces of at most kPieceBytes bytes that never cut a UTF-8 sequence (a piece starting a longer
// sequence takes it whole), so every piece is valid text on its own, as real servers send it.
std::vector<std::string> split_pieces(std::string_view s) {
    const auto continuation = [&](size_t i) {
        return (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
    };
    std::vector<std::string> pieces;
    size_t start = 0;
    while (start < s.size()) {
        size_t end = std::min(s.size(), start + kPieceBytes);
        while (end < s.size() && end > start && continuation(end)) --end;
        if (end == start) {
            end = start + 1;
            while (end < s.size() && continuation(end)) ++end;
        }
        pieces.emplace_back(s.substr(start, end - start));
        start = end;
    }
    return pieces;
}

std::string rfc3339_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    const long long micros =
        std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
        1000000;
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06lldZ", micros);
    return std::string(date) + frac;
}

int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A rough token count (4 bytes a token), enough for usage fields a client may log.
int64_t tokens(size_t bytes) {
    return std::max<int64_t>(1, static_cast<int64_t>((bytes + 3) / 4));
}

// A boolean field that may be absent or null (then `absent`); validation has checked the type.
bool flag(const json& object, const char* key, bool absent) {
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? absent : it->get<bool>();
}

bool non_empty_string(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

std::string quoted(const std::string& s) {
    return dump(json(s));
}

std::string joined(const std::set<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ", ") + quoted(id);
    return out;
}

// "" when `tools` (absent or null is fine) is a list of function tools as both APIs define them.
// Both servers treat description and parameters as optional; they are required here because the
// agent must always describe its tools to the model.
std::string check_tools(const json& body, bool openai) {
    const auto it = body.find("tools");
    if (it == body.end() || it->is_null()) return "";
    if (!it->is_array()) return "\"tools\" is not an array";
    if (openai && it->empty()) return "\"tools\" is an empty array (OpenAI wants it left out)";
    static const std::regex kOpenAiName("[a-zA-Z0-9_-]{1,64}");
    for (size_t i = 0; i < it->size(); ++i) {
        const json& tool = (*it)[i];
        const std::string where = "tools[" + std::to_string(i) + "]";
        if (!tool.is_object()) return where + " is not an object";
        if (tool.value("type", json()) != "function") return where + ".type is not \"function\"";
        if (!tool.contains("function") || !tool["function"].is_object())
            return where + ".function is not an object";
        const json& fn = tool["function"];
        if (!non_empty_string(fn, "name")) return where + ".function.name is not a string";
        const std::string& name = fn["name"].get_ref<const std::string&>();
        if (openai && !std::regex_match(name, kOpenAiName))
            return where + ".function.name " + quoted(name) +
                   " does not match ^[a-zA-Z0-9_-]{1,64}$";
        if (!fn.contains("description") || !fn["description"].is_string())
            return where + ".function.description is not a string";
        if (!fn.contains("parameters") || !fn["parameters"].is_object())
            return where + ".function.parameters is not an object";
        if (openai && fn["parameters"].value("type", json()) != "object")
            return where + ".function.parameters is not a schema of type \"object\"";
    }
    return "";
}

bool is_role(const std::string& role) {
    return role == "system" || role == "user" || role == "assistant" || role == "tool";
}

bool is_openai_content(const json& content) {
    return content.is_string() || content.is_array();
}

// OpenAI's rules for a conversation. Beyond the shape of each message, an assistant message with
// tool_calls must be followed directly by tool messages, each answering one of its calls by
// tool_call_id, until every call is answered; OpenAI rejects anything else.
std::string check_openai_messages(const json& messages) {
    std::set<std::string> calls;       // ids of the last assistant message's tool calls
    std::set<std::string> unanswered;  // those no tool message has answered yet
    bool answering = false;            // the messages since that assistant message are all tool
    for (size_t i = 0; i < messages.size(); ++i) {
        const json& m = messages[i];
        const std::string where = "messages[" + std::to_string(i) + "]";
        const std::string& role = m["role"].get_ref<const std::string&>();
        if (role != "tool" && !unanswered.empty())
            return where + " (role " + quoted(role) +
                   ") comes before tool messages answering the tool calls " + joined(unanswered);
        if (role != "tool") answering = false;
        const json content = m.value("content", json());
        if (role == "assistant") {
            const bool has_calls = m.contains("tool_calls") && !m["tool_calls"].is_null();
            if (!content.is_null() && !is_openai_content(content))
                return where + ".content is neither a string, an array nor null";
            if (!has_calls && content.is_null())
                return where + " (role \"assistant\") has neither content nor tool_calls";
            if (!has_calls) continue;
            const json& tool_calls = m["tool_calls"];
            if (!tool_calls.is_array() || tool_calls.empty())
                return where + ".tool_calls is not a non-empty array";
            calls.clear();
            for (size_t j = 0; j < tool_calls.size(); ++j) {
                const json& call = tool_calls[j];
                const std::string at = where + ".tool_calls[" + std::to_string(j) + "]";
                if (!call.is_object()) return at + " is not an object";
                if (!non_empty_string(call, "id")) return at + ".id is not a string";
                if (call.value("type", json()) != "function")
                    return at + ".type is not \"function\"";
                if (!call.contains("function") || !call["function"].is_object())
                    return at + ".function is not an object";
                const json& fn = call["function"];
                if (!non_empty_string(fn, "name")) return at + ".function.name is not a string";
                if (!fn.contains("arguments") || !fn["arguments"].is_string())
                    return at +
                           ".function.arguments is not a string (OpenAI carries the "
                           "arguments as JSON text in a string)";
                calls.insert(call["id"].get<std::string>());
            }
            unanswered = calls;
            answering = true;
        } else if (role == "tool") {
            if (!non_empty_string(m, "tool_call_id"))
                return where + " (role \"tool\") has no tool_call_id";
            const std::string& id = m["tool_call_id"].get_ref<const std::string&>();
            if (!answering)
                return where + " (role \"tool\", tool_call_id " + quoted(id) +
                       ") does not follow an assistant message with tool_calls";
            if (!calls.count(id))
                return where + " (role \"tool\") has tool_call_id " + quoted(id) +
                       ", which is no call of the preceding assistant message (" + joined(calls) +
                       ")";
            unanswered.erase(id);
            if (!is_openai_content(content))
                return where + ".content (role \"tool\") is neither a string nor an array";
        } else if (!is_openai_content(content)) {
            return where + ".content (role " + quoted(role) + ") is neither a string nor an array";
        }
    }
    if (!unanswered.empty())
        return "the tool calls " + joined(unanswered) + " have no tool message answering them";
    return "";
}

// Ollama's rules: content is text, tool-call arguments are JSON objects (not JSON text as with
// OpenAI), a tool message may name its tool; Ollama does not pair tool results with calls.
std::string check_ollama_messages(const json& messages) {
    for (size_t i = 0; i < messages.size(); ++i) {
        const json& m = messages[i];
        const std::string where = "messages[" + std::to_string(i) + "]";
        const json content = m.value("content", json());
        if (!content.is_null() && !content.is_string()) return where + ".content is not a string";
        if (m.contains("tool_name") && !m["tool_name"].is_string())
            return where + ".tool_name is not a string";
        if (!m.contains("tool_calls") || m["tool_calls"].is_null()) continue;
        const json& tool_calls = m["tool_calls"];
        if (!tool_calls.is_array()) return where + ".tool_calls is not an array";
        for (size_t j = 0; j < tool_calls.size(); ++j) {
            const json& call = tool_calls[j];
            const std::string at = where + ".tool_calls[" + std::to_string(j) + "]";
            if (!call.is_object()) return at + " is not an object";
            if (call.contains("id") && !call["id"].is_string()) return at + ".id is not a string";
            if (!call.contains("function") || !call["function"].is_object())
                return at + ".function is not an object";
            const json& fn = call["function"];
            if (!non_empty_string(fn, "name")) return at + ".function.name is not a string";
            if (fn.contains("arguments") && !fn["arguments"].is_null() &&
                !fn["arguments"].is_object())
                return at + ".function.arguments is not a JSON object";
        }
    }
    return "";
}

// "" when the body (an object with a model) is a chat request the real server would accept.
std::string check_request(bool openai, const json& body) {
    const auto messages = body.find("messages");
    if (messages == body.end() || !messages->is_array() || messages->empty())
        return "\"messages\" is not a non-empty array";
    for (size_t i = 0; i < messages->size(); ++i) {
        const json& m = (*messages)[i];
        const std::string where = "messages[" + std::to_string(i) + "]";
        if (!m.is_object()) return where + " is not an object";
        if (!m.contains("role") || !m["role"].is_string() ||
            !is_role(m["role"].get_ref<const std::string&>()))
            return where + ".role is not one of system, user, assistant, tool";
    }
    if (body.contains("stream") && !body["stream"].is_null() && !body["stream"].is_boolean())
        return "\"stream\" is not a boolean";
    if (openai && body.contains("stream_options") && !body["stream_options"].is_null()) {
        if (!flag(body, "stream", false))
            return "\"stream_options\" is only allowed when \"stream\" is true";
        const json& options = body["stream_options"];
        if (!options.is_object()) return "\"stream_options\" is not an object";
        if (options.contains("include_usage") && !options["include_usage"].is_null() &&
            !options["include_usage"].is_boolean())
            return "\"stream_options.include_usage\" is not a boolean";
    }
    if (auto problem = check_tools(body, openai); !problem.empty()) return problem;
    return openai ? check_openai_messages(*messages) : check_ollama_messages(*messages);
}

json openai_error(const std::string& message, const char* type, json code = nullptr) {
    return {{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}};
}

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(dump(body), "application/json");
}

}  // namespace

ScriptedLlmServer::ScriptedLlmServer(std::vector<ScriptedTurn> script, std::string model)
    : server_(std::make_unique<httplib::Server>()),
      model_(std::move(model)),
      script_(std::move(script)) {
    server_->new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
    server_->set_keep_alive_timeout(kKeepAliveSeconds);
    server_->set_tcp_nodelay(true);
    // A handler that throws would otherwise become a bare 500 nobody reads; a test must see it.
    const auto guarded = [this](Api api) {
        return [this, api](const httplib::Request& req, httplib::Response& res) {
            try {
                handle_chat(api, req, res);
            } catch (const std::exception& e) {
                record_failure("POST " + req.path + ": scripted server error: " + e.what());
                send_json(res, 500, {{"error", "scripted server error"}});
            }
        };
    };
    server_->Post("/api/chat", guarded(Api::Ollama));
    server_->Post("/v1/chat/completions", guarded(Api::OpenAi));
    server_->Get("/api/tags", [this](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200,
                  {{"models", json::array({{{"name", model_},
                                            {"model", model_},
                                            {"modified_at", rfc3339_now()},
                                            {"size", 0},
                                            {"digest", "0000000000000000"}}})}});
    });
    server_->Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200,
                  {{"object", "list"},
                   {"data", json::array({{{"id", model_},
                                          {"object", "model"},
                                          {"created", 0},
                                          {"owned_by", "scripted"}}})}});
    });
    // Routes match in registration order, so these see only what no route above took: a client
    // calling an endpoint this server (and so the test) did not plan for is a failure.
    const auto unexpected = [this](const httplib::Request& req, httplib::Response& res) {
        record_failure("unexpected request: " + req.method + " " + req.path);
        send_json(res, 404, {{"error", "not found"}});
    };
    server_->Get(".*", unexpected);
    server_->Post(".*", unexpected);
    port_ = server_->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("scripted LLM server: cannot bind 127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

ScriptedLlmServer::~ScriptedLlmServer() {
    stop();
}

std::string ScriptedLlmServer::url() const {
    return "http://127.0.0.1:" + std::to_string(port_);
}

void ScriptedLlmServer::stop() {
    // The listening socket goes first: a connection whose delayed turn is cut short below then
    // finds the server stopped once the answer is written and closes, instead of idling in
    // keep-alive.
    server_->stop();
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    // Joining the listener thread joins the pool's workers too, so no handler or content
    // provider (all of which use `this`) outlives stop().
    if (thread_.joinable()) thread_.join();
}

std::vector<nlohmann::json> ScriptedLlmServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}
std::vector<std::string> ScriptedLlmServer::request_paths() const {
    std::lock_guard lock(mutex_);
    return request_paths_;
}
std::vector<std::string> ScriptedLlmServer::failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
}
size_t ScriptedLlmServer::turns_served() const {
    std::lock_guard lock(mutex_);
    return next_turn_;
}
std::string ScriptedLlmServer::last_authorization() const {
    std::lock_guard lock(mutex_);
    return last_authorization_;
}

void ScriptedLlmServer::record_failure(std::string message) {
    std::lock_guard lock(mutex_);
    failures_.push_back(std::move(message));
}

bool ScriptedLlmServer::sleep_for(std::chrono::milliseconds d) {
    if (d.count() <= 0) return true;
    std::unique_lock lock(mutex_);
    return !stop_cv_.wait_for(lock, d, [&] { return stopping_; });
}

void ScriptedLlmServer::handle_chat(Api api, const httplib::Request& req, httplib::Response& res) {
    const bool openai = api == Api::OpenAi;
    const json body = json::parse(req.body, nullptr, false);
    size_t number;
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(body.is_discarded() ? json(req.body) : body);
        request_paths_.push_back(req.path);
        last_authorization_ = req.get_header_value("Authorization");
        number = requests_.size();
    }
    const std::string tag = "request " + std::to_string(number) + " (POST " + req.path + "): ";
    // What a real server rejects is answered 400 and does not consume a turn.
    const auto reject = [&](const std::string& problem) {
        record_failure(tag + problem);
        send_json(
            res, 400,
            openai ? openai_error(problem, "invalid_request_error") : json{{"error", problem}});
    };
    if (body.is_discarded()) return reject("body is not JSON");
    if (!body.is_object()) return reject("body is not a JSON object");
    if (!non_empty_string(body, "model")) return reject("\"model\" is not a string");
    const std::string& model = body["model"].get_ref<const std::string&>();
    // An unknown model is a client configuration the tests provoke on purpose: answered as the
    // real server does, but neither a failure nor a turn.
    if (model != model_) {
        if (openai)
            send_json(res, 404,
                      openai_error("The model `" + model + "` does not exist",
                                   "invalid_request_error", "model_not_found"));
        else
            send_json(res, 404,
                      {{"error", "model " + quoted(model) + " not found, try pulling it first"}});
        return;
    }
    if (auto problem = check_request(openai, body); !problem.empty()) return reject(problem);

    ScriptedTurn turn;
    size_t turn_number = 0;
    {
        std::lock_guard lock(mutex_);
        if (next_turn_ < script_.size()) {
            turn = std::move(script_[next_turn_]);
            turn_number = ++next_turn_;
        }
    }
    if (turn_number == 0) {
        record_failure(tag + "script exhausted");
        send_json(res, 500, {{"error", "script exhausted"}});
        return;
    }
    if (turn.expect) {
        std::string problem;
        try {
            problem = turn.expect(body);
        } catch (const std::exception& e) {
            problem = std::string("expect threw: ") + e.what();
        }
        if (!problem.empty())
            record_failure(tag + "turn " + std::to_string(turn_number) + ": " + problem);
    }
    if (!sleep_for(turn.delay)) {
        send_json(res, 503,
                  openai ? openai_error("server stopping", "server_error")
                         : json{{"error", "server stopping"}});
        return;
    }
    answer_turn(api, body, turn, turn_number, res);
}

void ScriptedLlmServer::answer_turn(Api api, const nlohmann::json& request,
                                    const ScriptedTurn& turn, size_t turn_number,
                                    httplib::Response& res) {
    const bool openai = api == Api::OpenAi;
    // Ollama streams unless told not to; OpenAI streams only when asked.
    const bool stream = flag(request, "stream", !openai);
    if (!turn.raw_body.empty()) {
        res.status = turn.http_status;
        res.set_content(turn.raw_body, !stream  ? "application/json"
                                       : openai ? "text/event-stream"
                                                : "application/x-ndjson");
        return;
    }
    if (turn.http_status != 200) {
        const int status = turn.http_status;
        if (status == 429) res.set_header("Retry-After", "0");
        const std::string message = status == 429 ? "rate limit reached (scripted)"
                                                  : "scripted HTTP " + std::to_string(status);
        if (!openai)
            send_json(res, status, {{"error", message}});
        else if (status == 429)
            send_json(res, status, openai_error(message, "requests", "rate_limit_exceeded"));
        else
            send_json(
                res, status,
                openai_error(message, status >= 500 ? "server_error" : "invalid_request_error"));
        return;
    }

    // Arguments as each protocol carries them: OpenAI as JSON text, Ollama as a JSON value.
    std::vector<std::string> ids, argument_texts;
    size_t completion_bytes = turn.content.size();
    {
        std::lock_guard lock(mutex_);
        for (const auto& call : turn.tool_calls)
            ids.push_back(!call.id.empty() || !openai ? call.id
                                                      : "call_" + std::to_string(next_call_id_++));
    }
    for (const auto& call : turn.tool_calls) {
        argument_texts.push_back(call.raw_arguments.empty() ? dump(call.arguments)
                                                            : call.raw_arguments);
        completion_bytes += call.name.size() + argument_texts.back().size();
    }
    const int64_t prompt_tokens = tokens(dump(request["messages"]).size());
    const int64_t completion_tokens = tokens(completion_bytes);
    std::vector<std::string> events;

    if (!openai) {
        json calls = json::array();
        for (size_t i = 0; i < turn.tool_calls.size(); ++i) {
            const auto& call = turn.tool_calls[i];
            json fn = {{"name", call.name},
                       {"arguments",
                        call.raw_arguments.empty() ? call.arguments : json(call.raw_arguments)}};
            json c = {{"function", std::move(fn)}};
            if (!ids[i].empty()) c["id"] = ids[i];
            calls.push_back(std::move(c));
        }
        const auto message = [](const std::string& content) {
            return json{{"role", "assistant"}, {"content", content}};
        };
        const auto chunk = [&](json msg, bool done) {
            json out = {{"model", model_},
                        {"created_at", rfc3339_now()},
                        {"message", std::move(msg)},
                        {"done", done}};
            if (done) {
                out["done_reason"] = "stop";
                out["total_duration"] = 1000000;
                out["load_duration"] = 1000;
                out["prompt_eval_count"] = prompt_tokens;
                out["prompt_eval_duration"] = 1000;
                out["eval_count"] = completion_tokens;
                out["eval_duration"] = 1000;
            }
            return out;
        };
        if (!stream) {
            json msg = message(turn.content);
            if (!calls.empty()) msg["tool_calls"] = calls;
            send_json(res, 200, chunk(std::move(msg), true));
            return;
        }
        for (const auto& piece : split_pieces(turn.content))
            events.push_back(dump(chunk(message(piece), false)) + "\n");
        // Ollama sends all tool calls of a turn in one chunk.
        if (!calls.empty()) {
            json msg = message("");
            msg["tool_calls"] = calls;
            events.push_back(dump(chunk(std::move(msg), false)) + "\n");
        }
        events.push_back(dump(chunk(message(""), true)) + "\n");
        stream_events(res, "application/x-ndjson", std::move(events), turn.chunk_delay);
        return;
    }

    const std::string id = "chatcmpl-scripted-" + std::to_string(turn_number);
    const int64_t created = unix_now();
    const std::string finish_reason = !turn.finish_reason.empty() ? turn.finish_reason
                                      : turn.tool_calls.empty()   ? "stop"
                                                                  : "tool_calls";
    const json usage = {{"prompt_tokens", prompt_tokens},
                        {"completion_tokens", completion_tokens},
                        {"total_tokens", prompt_tokens + completion_tokens}};
    // A tool-call turn without text has null content, as OpenAI sends it.
    const json content =
        turn.content.empty() && !turn.tool_calls.empty() ? json(nullptr) : json(turn.content);
    if (!stream) {
        json message = {{"role", "assistant"}, {"content", content}, {"refusal", nullptr}};
        if (!turn.tool_calls.empty()) {
            json calls = json::array();
            for (size_t i = 0; i < turn.tool_calls.size(); ++i)
                calls.push_back(
                    {{"id", ids[i]},
                     {"type", "function"},
                     {"function",
                      {{"name", turn.tool_calls[i].name}, {"arguments", argument_texts[i]}}}});
            message["tool_calls"] = std::move(calls);
        }
        send_json(res, 200,
                  {{"id", id},
                   {"object", "chat.completion"},
                   {"created", created},
                   {"model", model_},
                   {"choices", json::array({{{"index", 0},
                                             {"message", std::move(message)},
                                             {"logprobs", nullptr},
                                             {"finish_reason", finish_reason}}})},
                   {"usage", usage}});
        return;
    }
    // With stream_options.include_usage, every chunk carries "usage": null and one more chunk
    // with no choices carries the usage, as OpenAI does.
    const bool include_usage = request.contains("stream_options") &&
                               request["stream_options"].is_object() &&
                               flag(request["stream_options"], "include_usage", false);
    const auto chunk = [&](json delta, json finish) {
        json out = {{"id", id},
                    {"object", "chat.completion.chunk"},
                    {"created", created},
                    {"model", model_},
                    {"choices", json::array({{{"index", 0},
                                              {"delta", std::move(delta)},
                                              {"logprobs", nullptr},
                                              {"finish_reason", std::move(finish)}}})}};
        if (include_usage) out["usage"] = nullptr;
        return "data: " + dump(out) + "\n\n";
    };
    events.push_back(
        chunk({{"role", "assistant"}, {"content", content.is_null() ? content : ""}}, nullptr));
    for (const auto& piece : split_pieces(turn.content))
        events.push_back(chunk({{"content", piece}}, nullptr));
    // Each call opens with its index, id, type and name and empty arguments; further deltas with
    // the same index carry the arguments text piece by piece.
    for (size_t i = 0; i < turn.tool_calls.size(); ++i) {
        json head = {{"index", i},
                     {"id", ids[i]},
                     {"type", "function"},
                     {"function", {{"name", turn.tool_calls[i].name}, {"arguments", ""}}}};
        events.push_back(chunk({{"tool_calls", json::array({std::move(head)})}}, nullptr));
        for (const auto& piece : split_pieces(argument_texts[i])) {
            json part = {{"index", i}, {"function", {{"arguments", piece}}}};
            events.push_back(chunk({{"tool_calls", json::array({std::move(part)})}}, nullptr));
        }
    }
    events.push_back(chunk(json::object(), finish_reason));
    if (include_usage)
        events.push_back("data: " +
                         dump({{"id", id},
                               {"object", "chat.completion.chunk"},
                               {"created", created},
                               {"model", model_},
                               {"choices", json::array()},
                               {"usage", usage}}) +
                         "\n\n");
    events.push_back("data: [DONE]\n\n");
    stream_events(res, "text/event-stream", std::move(events), turn.chunk_delay);
}

void ScriptedLlmServer::stream_events(httplib::Response& res, const char* content_type,
                                      std::vector<std::string> events,
                                      std::chrono::milliseconds chunk_delay) {
    struct Progress {
        std::vector<std::string> events;
        size_t next = 0;
    };
    auto progress = std::make_shared<Progress>(Progress{std::move(events)});
    // httplib calls the provider after the handler returns, again and again until done() or a
    // false return; each call writes one event, which goes out as one HTTP chunk.
    res.set_chunked_content_provider(
        content_type, [this, progress, chunk_delay](size_t, httplib::DataSink& sink) {
            if (progress->next == progress->events.size()) {
                sink.done();
                return true;
            }
            // Stopping drops the connection mid-stream, as a server going away would.
            if (progress->next > 0 && !sleep_for(chunk_delay)) return false;
            const std::string& event = progress->events[progress->next++];
            return sink.write(event.data(), event.size());
        });
}

}  // namespace vcfagent::test
