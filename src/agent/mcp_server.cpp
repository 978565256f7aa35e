#include "agent/mcp_server.hpp"

#include <algorithm>
#include <exception>
#include <istream>
#include <ostream>
#include <utility>

namespace vcfagent::agent {

using nlohmann::json;

namespace {

// JSON-RPC 2.0 error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;

// The one protocol version that has JSON-RPC batches (added in it, removed in 2025-06-18).
constexpr const char* kBatchVersion = "2025-03-26";

// One message as one line: no indentation, so no newline can appear outside a string (inside
// one it is escaped); text that is not valid UTF-8 is replaced rather than thrown on.
std::string to_line(const json& message) {
    return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

json error_object(int code, std::string message) {
    return {{"code", code}, {"message", std::move(message)}};
}

json error_response(const json& id, json error) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

json error_response(const json& id, int code, std::string message) {
    return error_response(id, error_object(code, std::move(message)));
}

json result_response(const json& id, json result) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

bool valid_id(const json& id) {
    return id.is_string() || id.is_number();
}

std::string instructions(const tools::ToolRegistry& registry, const tools::ToolContext& context) {
    std::string text =
        "This server gives read-only access to one vcf-agent store: variants ingested from "
        "VCF/BCF files held as a graph (Variant, Sample, Gene, Source nodes; a variant is "
        "CarriedBy the samples with a non-reference genotype and InGene for its annotated "
        "genes), with vector embeddings of the variants when the store has them. Everything "
        "the store holds is reachable through the tools of this server and only through "
        "them; none of them can change the store (write statements are refused).";
    if (registry.find("store_overview"))
        text +=
            " Call store_overview first to see what was loaded: sources, samples, contigs "
            "and counts.";
    const auto& limits = context.limits();
    text +=
        " Every result is a JSON object with `total` (the rows that matched) and "
        "`truncated`; a call returns at most " +
        std::to_string(limits.default_rows) + " rows unless it asks for more (at most " +
        std::to_string(limits.max_rows) +
        "), so narrow the question (a region, a gene, a sample) rather than page through "
        "everything.";
    return text;
}

}  // namespace

const std::vector<std::string>& McpServer::supported_versions() {
    static const std::vector<std::string> versions = {"2025-06-18", "2025-03-26", "2024-11-05"};
    return versions;
}

McpServer::McpServer(const tools::ToolRegistry& registry, tools::ToolContext& context,
                     McpServerOptions options)
    : registry_(registry), context_(context), options_(std::move(options)) {}

McpServer::~McpServer() {
    {
        MutexLock lock(queue_mutex_);
        closing_ = true;
    }
    queue_ready_.notify_all();
    for (auto& w : workers_)
        if (w.joinable()) w.join();
}

void McpServer::serve(std::istream& in, std::ostream& out) {
    {
        MutexLock lock(out_mutex_);
        out_ = &out;
    }
    {
        MutexLock lock(queue_mutex_);
        closing_ = false;
    }
    const size_t n = std::max<size_t>(1, options_.call_workers);
    for (size_t i = 0; i < n; ++i) workers_.emplace_back([this] { worker_loop(); });

    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        json message;
        try {
            message = json::parse(line);
        } catch (const json::parse_error& e) {
            write_message(to_line(
                error_response(nullptr, kParseError, std::string("Parse error: ") + e.what())));
            continue;
        }
        if (message.is_array()) {
            const std::string response = batch(message);
            if (!response.empty()) write_message(response);
            continue;
        }
        Call call;
        bool deferred = false;
        json response;
        try {
            response = dispatch(message, &call, deferred);
        } catch (const std::exception& e) {
            const json id = message.is_object() && message.contains("id") && valid_id(message["id"])
                                ? message["id"]
                                : json(nullptr);
            response =
                error_response(id, kInternalError, std::string("Internal error: ") + e.what());
        }
        if (deferred) {
            {
                MutexLock lock(queue_mutex_);
                queue_.push_back(std::move(call));
            }
            queue_ready_.notify_one();
        } else if (!response.is_null()) {
            write_message(to_line(response));
        }
    }

    // End of input: the workers finish the queued calls, answer them and stop.
    {
        MutexLock lock(queue_mutex_);
        closing_ = true;
    }
    queue_ready_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    MutexLock lock(out_mutex_);
    out_->flush();
    out_ = nullptr;
}

json McpServer::handle(const json& message) {
    bool deferred = false;
    try {
        return dispatch(message, nullptr, deferred);
    } catch (const std::exception& e) {
        const json id = message.is_object() && message.contains("id") && valid_id(message["id"])
                            ? message["id"]
                            : json(nullptr);
        return error_response(id, kInternalError, std::string("Internal error: ") + e.what());
    }
}

json McpServer::dispatch(const json& message, Call* call, bool& deferred) {
    deferred = false;
    if (!message.is_object())
        return error_response(nullptr, kInvalidRequest,
                              "Invalid Request: a message must be a JSON object");
    const bool has_id = message.contains("id");
    const json id = has_id ? message["id"] : json(nullptr);
    if (has_id && !valid_id(id))
        return error_response(nullptr, kInvalidRequest,
                              "Invalid Request: id must be a string or a number");
    if (!message.contains("method")) {
        // A response to a request of ours: this server sends none, so there is nothing to match.
        if (message.contains("result") || message.contains("error")) return nullptr;
        return error_response(id, kInvalidRequest, "Invalid Request: no method");
    }
    if (message.value("jsonrpc", json()) != "2.0")
        return error_response(id, kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"");
    if (!message["method"].is_string())
        return error_response(id, kInvalidRequest, "Invalid Request: method must be a string");
    const std::string method = message["method"].get<std::string>();
    const json params = message.contains("params") ? message["params"] : json::object();
    if (!params.is_object() && !params.is_array())
        return error_response(id, kInvalidRequest,
                              "Invalid Request: params must be an object or an array");

    if (!has_id) {  // a notification: never answered
        if (method == "notifications/cancelled" && params.is_object()) cancel(params);
        // notifications/initialized needs nothing (requests are served once initialize was
        // answered); any other notification is ignored, as the protocol asks.
        return nullptr;
    }
    if (!params.is_object())
        return error_response(id, kInvalidParams, "Invalid params: params must be an object");

    if (call && method == "tools/call") {
        MutexLock lock(state_mutex_);
        if (initialize_answered_) {
            call->id = id;
            call->params = params;
            pending_ids_.insert(id.dump());
            deferred = true;
            return nullptr;
        }
    }
    return handle_request(id, method, params);
}

json McpServer::handle_request(const json& id, const std::string& method, const json& params) {
    if (method == "initialize") {
        if (!params.contains("protocolVersion") || !params["protocolVersion"].is_string())
            return error_response(
                id, kInvalidParams,
                "Invalid params: initialize needs params.protocolVersion (a string)");
        {
            MutexLock lock(state_mutex_);
            if (initialize_answered_)
                return error_response(id, kInvalidRequest,
                                      "Invalid Request: the session is already initialized");
        }
        return result_response(id, initialize(params));
    }
    if (method == "ping") return result_response(id, json::object());
    if (method != "tools/list" && method != "tools/call")
        return error_response(id, kMethodNotFound, "Method not found: " + method);
    {
        MutexLock lock(state_mutex_);
        if (!initialize_answered_)
            return error_response(id, kInvalidRequest,
                                  "Invalid Request: the server is not initialized; send "
                                  "initialize first");
    }
    if (method == "tools/list") {
        if (params.contains("cursor") && !params["cursor"].is_string() &&
            !params["cursor"].is_null())
            return error_response(id, kInvalidParams, "Invalid params: cursor must be a string");
        return result_response(id, list_tools());  // one page: the cursor has nothing to select
    }
    json error;
    json result = call_tool(params, error);
    return error.is_null() ? result_response(id, std::move(result))
                           : error_response(id, std::move(error));
}

json McpServer::initialize(const json& params) {
    const std::string requested = params["protocolVersion"].get<std::string>();
    const auto& versions = supported_versions();
    const bool known = std::find(versions.begin(), versions.end(), requested) != versions.end();
    const std::string version = known ? requested : versions.front();
    {
        MutexLock lock(state_mutex_);
        protocol_version_ = version;
        initialize_answered_ = true;
    }
    return {{"protocolVersion", version},
            {"capabilities", {{"tools", {{"listChanged", false}}}}},
            {"serverInfo", {{"name", options_.name}, {"version", options_.version}}},
            {"instructions", instructions(registry_, context_)}};
}

json McpServer::list_tools() const {
    json tools = json::array();
    for (const auto& tool : registry_.tools()) {
        tools.push_back({{"name", tool.name},
                         {"description", tool.description},
                         {"inputSchema", tool.input_schema},
                         // Every tool only reads the store, which is all they reach.
                         {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}});
    }
    return {{"tools", std::move(tools)}};
}

json McpServer::call_tool(const json& params, json& error) {
    error = nullptr;
    if (!params.contains("name") || !params["name"].is_string()) {
        error =
            error_object(kInvalidParams, "Invalid params: tools/call needs params.name (a string)");
        return nullptr;
    }
    const std::string name = params["name"].get<std::string>();
    if (!registry_.find(name)) {
        std::string known;
        for (const auto& tool : registry_.tools()) known += (known.empty() ? "" : ", ") + tool.name;
        error = error_object(kInvalidParams, "Unknown tool: " + name + " (tools: " + known + ")");
        return nullptr;
    }
    json arguments = params.contains("arguments") ? params["arguments"] : json::object();
    if (arguments.is_null()) arguments = json::object();
    if (!arguments.is_object()) {
        error = error_object(kInvalidParams, "Invalid params: params.arguments must be an object");
        return nullptr;
    }
    const tools::ToolResult r = registry_.call(name, arguments, context_);
    if (!r.ok) {
        // A failure the caller can read and correct (a bad argument, a refused statement): a
        // result, not a protocol error, so a model sees it.
        return {{"content", json::array({{{"type", "text"}, {"text", r.error}}})},
                {"isError", true}};
    }
    json result = {{"content", json::array({{{"type", "text"}, {"text", to_line(r.content)}}})},
                   {"isError", false}};
    if (r.content.is_object()) result["structuredContent"] = r.content;
    return result;
}

void McpServer::cancel(const json& params) {
    if (!params.contains("requestId") || !valid_id(params["requestId"])) return;
    const std::string key = params["requestId"].dump();
    MutexLock lock(state_mutex_);
    // Only a call still queued or running can be cancelled; anything else was answered already
    // (or never existed), and the notification is ignored.
    if (pending_ids_.count(key)) cancelled_ids_.insert(key);
}

json McpServer::run_call(const Call& call) {
    try {
        json error;
        json result = call_tool(call.params, error);
        return error.is_null() ? result_response(call.id, std::move(result))
                               : error_response(call.id, std::move(error));
    } catch (const std::exception& e) {
        return error_response(call.id, kInternalError, std::string("Internal error: ") + e.what());
    }
}

std::string McpServer::batch(const json& messages) {
    std::string version;
    {
        MutexLock lock(state_mutex_);
        version = protocol_version_;
    }
    if (version != kBatchVersion)
        return to_line(
            error_response(nullptr, kInvalidRequest,
                           "Invalid Request: JSON-RPC batches are not part of protocol version " +
                               (version.empty() ? std::string("(none negotiated yet)") : version)));
    if (messages.empty())
        return to_line(error_response(nullptr, kInvalidRequest, "Invalid Request: empty batch"));
    // The members are answered one after the other, tools/call included, and their responses
    // leave together as one array (none when every member is a notification).
    json responses = json::array();
    for (const auto& message : messages) {
        json response;
        if (message.is_object() && message.value("method", json()) == "initialize") {
            response = error_response(
                message.contains("id") && valid_id(message["id"]) ? message["id"] : json(nullptr),
                kInvalidRequest, "Invalid Request: initialize cannot be part of a batch");
        } else {
            bool deferred = false;
            try {
                response = dispatch(message, nullptr, deferred);
            } catch (const std::exception& e) {
                response = error_response(nullptr, kInternalError,
                                          std::string("Internal error: ") + e.what());
            }
        }
        if (!response.is_null()) responses.push_back(std::move(response));
    }
    return responses.empty() ? std::string() : to_line(responses);
}

void McpServer::worker_loop() {
    for (;;) {
        Call call;
        {
            MutexLock lock(queue_mutex_);
            while (!closing_ && queue_.empty()) lock.wait(queue_ready_);
            if (queue_.empty()) return;  // closing, and nothing left to answer
            call = std::move(queue_.front());
            queue_.pop_front();
        }
        const std::string key = call.id.dump();
        {
            MutexLock lock(state_mutex_);
            if (cancelled_ids_.erase(key)) {  // cancelled before it started: dropped
                pending_ids_.erase(key);
                continue;
            }
        }
        const json response = run_call(call);
        bool cancelled = false;
        {
            MutexLock lock(state_mutex_);
            cancelled = cancelled_ids_.erase(key) > 0;
            pending_ids_.erase(key);
        }
        if (!cancelled) write_message(to_line(response));  // a cancelled call is not answered
    }
}

void McpServer::write_message(const std::string& text) {
    MutexLock lock(out_mutex_);
    if (!out_) return;
    *out_ << text << '\n';
    out_->flush();
}

}  // namespace vcfagent::agent
