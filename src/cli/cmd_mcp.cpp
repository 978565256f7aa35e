// vcf-agent mcp --db DIR : the tool catalogue served over the Model Context Protocol on
// stdin/stdout (newline-delimited JSON-RPC), for an MCP client that starts this process.
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <streambuf>
#include <string>

#include "agent/mcp_server.hpp"
#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "common/version.hpp"
#include "tools/tool_context.hpp"
#include "tools/tool_registry.hpp"

namespace vcfagent::cli {
namespace {

struct McpArgs {
    std::string db;
    std::string data_dir;
};

// An output stream buffer over a file descriptor: the protocol channel, once stdout itself has
// been pointed elsewhere.
class FdOutBuf : public std::streambuf {
  public:
    explicit FdOutBuf(int fd) : fd_(fd) { setp(buf_, buf_ + sizeof buf_); }
    ~FdOutBuf() override {
        drain();
        ::close(fd_);
    }

  protected:
    int_type overflow(int_type ch) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }
    int sync() override { return drain() ? 0 : -1; }

  private:
    bool drain() {
        const char* p = pbase();
        while (p < pptr()) {
            const ssize_t n = ::write(fd_, p, static_cast<size_t>(pptr() - p));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                setp(buf_, buf_ + sizeof buf_);  // the reader is gone; drop what is left
                return false;
            }
            p += n;
        }
        setp(buf_, buf_ + sizeof buf_);
        return true;
    }

    int fd_;
    char buf_[1 << 16];
};

int run(const McpArgs& a) {
    namespace fs = std::filesystem;
    if (!fs::exists(fs::path(a.db) / "graph.kz"))
        throw InputError(a.db, 0, "no store here (run `vcf-agent ingest` first)", kExitUsage);
    if (!a.data_dir.empty() && !fs::is_directory(a.data_dir))
        throw InputError(a.data_dir, 0, "--data-dir is not a directory", kExitUsage);

    // stdout carries protocol messages only: the server writes to a duplicate of it, and the
    // process's own stdout becomes stderr, so whatever else prints (a library, a stray log
    // line) cannot corrupt the stream.
    std::cout.flush();
    const int protocol_fd = ::dup(STDOUT_FILENO);
    if (protocol_fd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
        throw StoreError("cannot set up the protocol channel on stdout");
    // A client that goes away makes writes fail instead of killing the process; reading then
    // ends at end of input.
    std::signal(SIGPIPE, SIG_IGN);
    auto protocol_buf = std::make_unique<FdOutBuf>(protocol_fd);
    std::ostream protocol_out(protocol_buf.get());

    tools::ToolContext context(a.db, a.data_dir);
    agent::McpServerOptions options;
    options.version = kVersion;
    agent::McpServer server(tools::ToolRegistry::catalogue(), context, options);
    server.serve(std::cin, protocol_out);
    protocol_out.flush();
    return kExitOk;
}

const CommandRegistration registration("mcp", [](CLI::App& app) {
    auto args = std::make_shared<McpArgs>();
    auto* cmd = app.add_subcommand(
        "mcp", "Serve the read-only query tools over the Model Context Protocol (stdio)");
    add_db_option(*cmd, args->db);
    add_data_dir_option(*cmd, args->data_dir);
    cmd->footer(
        "An MCP client starts `vcf-agent mcp --db DIR` and talks JSON-RPC over its stdin and "
        "stdout (one message a line); diagnostics go to stderr. The store is opened read-only: "
        "the tools can query it but never change it. The session ends at end of input, once the "
        "calls in flight are answered.");
    cmd->callback([args] { set_exit_code(run(*args)); });
});

}  // namespace
}  // namespace vcfagent::cli
