#pragma once
// The tool catalogue served over the Model Context Protocol, stdio transport: newline-delimited
// JSON-RPC 2.0, one message a line. The server offers the `tools` capability only (tools/list,
// tools/call) plus the lifecycle (initialize, notifications/initialized), ping and cancellation.
//
// Protocol versions 2025-06-18, 2025-03-26 and 2024-11-05: a client's version is echoed when it
// is one of these, otherwise the server answers with its latest and the client decides. JSON-RPC
// batches are accepted only when 2025-03-26 was negotiated (the one version that has them).
//
// tools/call requests run on a small pool of workers, so a slow query does not hold up the
// next call or a ping; every other message is answered in the order it was read. Responses
// carry their request's id and may therefore leave out of order. At end of input, serve()
// waits for the calls in flight, writes their responses and returns.
//
// Nothing but protocol messages is written to `out`; a caller serving stdout must keep
// everything else (logs, diagnostics of libraries) off it.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <iosfwd>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/mutex.hpp"
#include "tools/tool_context.hpp"
#include "tools/tool_registry.hpp"

namespace vcfagent::agent {

struct McpServerOptions {
    std::string name = "vcf-agent";  // serverInfo.name
    std::string version;             // serverInfo.version
    size_t call_workers = 2;         // tools/call requests processed at once (at least 1)
};

class McpServer {
  public:
    // Protocol versions this server speaks, newest first.
    static const std::vector<std::string>& supported_versions();

    McpServer(const tools::ToolRegistry& registry, tools::ToolContext& context,
              McpServerOptions options = {});
    ~McpServer();
    McpServer(const McpServer&) = delete;
    McpServer& operator=(const McpServer&) = delete;

    // Reads messages from `in` until end of input and writes the responses to `out`. Returns
    // after the last response has been written. One serve() at a time per server.
    void serve(std::istream& in, std::ostream& out);

    // One message answered on the caller's thread (the Streamable HTTP transport answers each
    // POST itself): the response, or null for a notification or a client's response. The
    // session state (initialize, negotiated version) is this server's, as on stdio.
    nlohmann::json handle(const nlohmann::json& message);

  private:
    struct Call {
        nlohmann::json id;
        nlohmann::json params;
    };

    // The response to one parsed message, or null when it gets none. Sets `deferred` instead
    // when `call` is non-null and the message is a tools/call request to run on a worker.
    nlohmann::json dispatch(const nlohmann::json& message, Call* call, bool& deferred);
    nlohmann::json handle_request(const nlohmann::json& id, const std::string& method,
                                  const nlohmann::json& params);
    nlohmann::json initialize(const nlohmann::json& params);
    nlohmann::json list_tools() const;
    // The tools/call result, or a JSON-RPC error object ({"code", "message"}) in `error`.
    nlohmann::json call_tool(const nlohmann::json& params, nlohmann::json& error);
    void cancel(const nlohmann::json& params);
    nlohmann::json run_call(const Call& call);
    std::string batch(const nlohmann::json& messages);

    void worker_loop();
    void write_message(const std::string& text);

    const tools::ToolRegistry& registry_;
    tools::ToolContext& context_;
    const McpServerOptions options_;

    Mutex state_mutex_;  // guards the session state below
    bool initialize_answered_ GUARDED_BY(state_mutex_) = false;
    std::string protocol_version_ GUARDED_BY(state_mutex_);  // negotiated; empty before initialize
    // Requests (their ids dumped) queued or running on a worker, and those of them the client
    // cancelled: a cancelled call that has not started is dropped, one that has is not answered.
    std::set<std::string> pending_ids_ GUARDED_BY(state_mutex_);
    std::set<std::string> cancelled_ids_ GUARDED_BY(state_mutex_);

    Mutex queue_mutex_;  // guards queue_ and closing_
    std::condition_variable queue_ready_;
    std::deque<Call> queue_ GUARDED_BY(queue_mutex_);
    bool closing_ GUARDED_BY(queue_mutex_) = false;
    std::vector<std::thread> workers_;  // touched by serve() and the destructor only

    // Guards out_ and the stream it points to: one whole message line and its flush at a time.
    Mutex out_mutex_;
    std::ostream* out_ GUARDED_BY(out_mutex_) PT_GUARDED_BY(out_mutex_) = nullptr;
};

}  // namespace vcfagent::agent
