#pragma once
// `vcf-agent serve`: the tool registry as a JSON REST API (one endpoint per tool plus plain
// GETs for lookups), the agent, OpenAPI, health, Prometheus metrics and the web page, over
// cpp-httplib. Every request is authenticated (bearer tokens, see token_store.hpp), admitted
// by a bounded pool (overload answers 503 at once), timed into the metrics, and answered with
// JSON errors carrying a stable code.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "agent/chat_client.hpp"
#include "server/metrics.hpp"

namespace vcfagent::server {

// Switches of the seed plan's rollback strategy: each can be turned off in the configuration
// or the environment (VCF_AGENT_AGENT=off, VCF_AGENT_VECTORS=off) and /health shows them.
struct FeatureFlags {
    bool agent = true;    // POST /v1/ask
    bool vectors = true;  // similarity search
};

struct ServerOptions {
    std::string db;
    std::string data_dir;
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port (see port_file)
    std::string tokens_file;
    std::string port_file;        // written with the bound port once listening
    int connection_threads = 64;  // connections served at once (keep-alive holds one each)
    size_t max_running = 4;       // requests executing at once
    size_t max_waiting = 64;      // requests queued for a slot beyond that
    std::chrono::milliseconds max_wait{2000};
    size_t max_body_bytes = 1 << 20;
    std::chrono::milliseconds statement_timeout{10000};
    // Memory the variant index's genotype codes may take (unset: the index's default).
    std::optional<size_t> index_code_bytes;
    std::optional<agent::ChatClientConfig> llm;  // the agent's model; none: /v1/ask is off
    int agent_max_steps = 8;
    AlertThresholds alerts;
    FeatureFlags flags;
    // Hold the store open for writing and accept POST /v1/ingest (writer tokens, files below
    // data_dir); readers are then served from the same store while a job loads.
    bool allow_ingest = false;
    size_t max_queued_ingests = 8;
};

class ApiServer {
  public:
    explicit ApiServer(ServerOptions options);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Binds the listening socket; returns the port (and writes port_file).
    int bind();
    // Serves until stop(); returns after in-flight requests have been answered.
    void run();
    // Safe from any thread (not from a signal handler).
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Flags from the environment over `flags` (VCF_AGENT_AGENT, VCF_AGENT_VECTORS: on|off).
FeatureFlags flags_from_environment(FeatureFlags flags);

}  // namespace vcfagent::server
