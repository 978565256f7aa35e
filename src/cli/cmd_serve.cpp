// vcf-agent serve --db DIR --listen HOST:PORT --tokens FILE : the REST server, and
// vcf-agent token add --role reader|writer --tokens FILE : a new bearer token.
#include <csignal>
#include <iostream>
#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "server/api_server.hpp"
#include "server/token_store.hpp"

namespace vcfagent::cli {
namespace {

int g_stop_pipe[2] = {-1, -1};  // written by the signal handler, read by the stopper thread

struct ServeArgs {
    server::ServerOptions options;
    std::string listen = "127.0.0.1:8080";
    std::string llm_kind, llm_url, model;
    int statement_timeout_ms = 10000;
    int max_wait_ms = 2000;
    std::optional<size_t> index_code_mb;
    bool agent_off = false, vectors_off = false;
};

void parse_listen(ServeArgs& a) {
    const auto colon = a.listen.rfind(':');
    try {
        if (colon == std::string::npos) throw std::invalid_argument("no port");
        a.options.host = a.listen.substr(0, colon);
        if (a.options.host.size() > 2 && a.options.host.front() == '[')
            a.options.host = a.options.host.substr(1, a.options.host.size() - 2);
        size_t used = 0;
        const std::string port = a.listen.substr(colon + 1);
        a.options.port = std::stoi(port, &used);
        if (used != port.size() || a.options.port < 0 || a.options.port > 65535)
            throw std::invalid_argument(port);
    } catch (const std::exception&) {
        throw InputError("--listen " + a.listen, 0, "expected HOST:PORT (port 0: any free port)",
                         kExitUsage);
    }
}

int serve(ServeArgs& a) {
    parse_listen(a);
    a.options.statement_timeout = std::chrono::milliseconds(a.statement_timeout_ms);
    a.options.max_wait = std::chrono::milliseconds(a.max_wait_ms);
    if (a.index_code_mb) a.options.index_code_bytes = *a.index_code_mb << 20;
    a.options.flags.agent = !a.agent_off;
    a.options.flags.vectors = !a.vectors_off;
    a.options.flags = server::flags_from_environment(a.options.flags);
    if (!a.llm_kind.empty()) {
        agent::ChatClientConfig llm;
        llm.kind = a.llm_kind;
        llm.url = a.llm_url;
        llm.model = a.model;
        a.options.llm = llm;
    }
    // Logs (alerts, warnings) go to stderr; stdout stays free.
    spdlog::set_default_logger(spdlog::stderr_color_mt("vcf-agent"));
    std::signal(SIGPIPE, SIG_IGN);
    server::ApiServer api(a.options);
    const int port = api.bind();
    // SIGTERM and SIGINT stop the server through a pipe read by one thread, so requests in
    // flight are answered before the process exits (the handler itself only writes a byte:
    // stop() is not async-signal-safe; a handler rather than sigwait, because libraries start
    // threads of their own before main that would otherwise take the default action).
    if (pipe(g_stop_pipe) != 0) throw std::runtime_error("pipe failed");
    struct sigaction sa {};
    sa.sa_handler = [](int) {
        const char byte = 1;
        [[maybe_unused]] auto n = write(g_stop_pipe[1], &byte, 1);
    };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    std::cerr << "vcf-agent: serving " << a.options.db << " on http://" << a.options.host << ":"
              << port << " (Ctrl-C or SIGTERM stops)\n";
    std::thread stopper([&] {
        char byte = 0;
        while (read(g_stop_pipe[0], &byte, 1) < 0 && errno == EINTR) {
        }
        if (byte == 1) api.stop();
    });
    api.run();
    const char done = 2;  // wakes the stopper when the server stopped by itself
    [[maybe_unused]] auto n = write(g_stop_pipe[1], &done, 1);
    stopper.join();
    std::cerr << "vcf-agent: server stopped\n";
    return kExitOk;
}

const CommandRegistration serve_registration("serve", [](CLI::App& app) {
    auto a = std::make_shared<ServeArgs>();
    auto* cmd =
        app.add_subcommand("serve", "Serve the store over a JSON REST API, metrics and a web page");
    add_db_option(*cmd, a->options.db);
    add_data_dir_option(*cmd, a->options.data_dir);
    cmd->add_option("--listen", a->listen, "HOST:PORT to listen on (port 0: any free port)")
        ->capture_default_str();
    cmd->add_option("--tokens", a->options.tokens_file, "Tokens file (vcf-agent token add)")
        ->required();
    cmd->add_option("--port-file", a->options.port_file, "Write the bound port to this file");
    cmd->add_option("--threads", a->options.connection_threads, "Connections served at once")
        ->capture_default_str();
    cmd->add_option("--max-running", a->options.max_running, "Requests executing at once")
        ->capture_default_str();
    cmd->add_option("--max-queue", a->options.max_waiting,
                    "Requests waiting beyond those (then 503)")
        ->capture_default_str();
    cmd->add_option("--max-wait-ms", a->max_wait_ms, "Longest wait for a slot before 503")
        ->capture_default_str();
    cmd->add_option("--max-body-bytes", a->options.max_body_bytes,
                    "Largest request body (then 413)")
        ->capture_default_str();
    cmd->add_option("--index-codes-mb", a->index_code_mb,
                    "Memory the variant index's genotype codes may take (default 256; past it, "
                    "and with 0, genotype filters run in the graph)");
    cmd->add_option("--timeout-ms", a->statement_timeout_ms, "Time limit of each store statement")
        ->capture_default_str();
    cmd->add_option("--llm", a->llm_kind,
                    "Agent chat protocol: ollama or openai (none: /v1/ask off)")
        ->check(CLI::IsMember({"ollama", "openai"}));
    cmd->add_option("--llm-url", a->llm_url, "Chat server base URL");
    cmd->add_option("--model", a->model, "Chat model");
    cmd->add_option("--alert-memory-mb", a->options.alerts.memory_mb,
                    "Alert above this resident memory");
    cmd->add_option("--alert-error-rate", a->options.alerts.error_rate,
                    "Alert above this 5xx share");
    cmd->add_option("--alert-p95-ms", a->options.alerts.p95_latency_ms,
                    "Alert above this p95 latency");
    cmd->add_flag("--allow-ingest", a->options.allow_ingest,
                  "Hold the store open for writing and take POST /v1/ingest (writer tokens, files "
                  "below --data-dir); readers are served meanwhile");
    cmd->add_flag("--agent-off", a->agent_off,
                  "Feature flag: no /v1/ask (env VCF_AGENT_AGENT=off)");
    cmd->add_flag("--vectors-off", a->vectors_off,
                  "Feature flag: no similarity search (env VCF_AGENT_VECTORS=off)");
    cmd->footer(
        "Binds 127.0.0.1 unless told otherwise. Every request but /, /health and "
        "/openapi.json needs Authorization: Bearer TOKEN.");
    cmd->callback([a] { set_exit_code(serve(*a)); });
});

struct TokenArgs {
    std::string role = "reader";
    std::string file;
    std::string label;
};

const CommandRegistration token_registration("token", [](CLI::App& app) {
    auto a = std::make_shared<TokenArgs>();
    auto* cmd = app.add_subcommand("token", "Manage the REST server's bearer tokens");
    cmd->require_subcommand(1);
    auto* add = cmd->add_subcommand("add", "Make a token; prints it once (only its hash is kept)");
    add->add_option("--role", a->role, "reader or writer")
        ->check(CLI::IsMember({"reader", "writer"}))
        ->capture_default_str();
    add->add_option("--tokens", a->file, "Tokens file")->required();
    add->add_option("--label", a->label, "Who or what the token is for");
    add->callback([a] {
        server::Role role;
        server::parse_role(a->role, role);
        std::cout << server::TokenStore::add(a->file, role, a->label) << "\n";
        set_exit_code(kExitOk);
    });
});

}  // namespace
}  // namespace vcfagent::cli
