#include "server/api_server.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "agent/agent.hpp"
#include "agent/mcp_server.hpp"
#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "common/mutex.hpp"
#include "common/version.hpp"
#include "embed/httplib_include.hpp"
#include "index/variant_index.hpp"
#include "server/admission.hpp"
#include "server/background_priority.hpp"
#include "server/beacon.hpp"
#include "server/index_follower.hpp"
#include "server/ingest_jobs.hpp"
#include "server/openapi.hpp"
#include "server/token_store.hpp"
#include "server/web_page.hpp"
#include "store/graph_store.hpp"
#include "tools/tool_context.hpp"
#include "tools/tool_registry.hpp"

namespace vcfagent::server {

using nlohmann::json;

FeatureFlags flags_from_environment(FeatureFlags flags) {
    auto read = [](const char* name, bool& flag) {
        const char* v = std::getenv(name);
        if (!v) return;
        const std::string s(v);
        if (s == "off" || s == "0" || s == "false") flag = false;
        if (s == "on" || s == "1" || s == "true") flag = true;
    };
    read("VCF_AGENT_AGENT", flags.agent);
    read("VCF_AGENT_VECTORS", flags.vectors);
    return flags;
}

namespace {

// An answer other than 200, with a stable code for clients to branch on.
struct ApiError {
    int status;
    std::string code;
    std::string message;
};

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, const ApiError& e) {
    send_json(res, e.status, {{"error", {{"code", e.code}, {"message", e.message}}}});
    if (e.status == 401) res.set_header("WWW-Authenticate", "Bearer");
    if (e.status == 503 || e.status == 429) res.set_header("Retry-After", "1");
}

// httplib serves each connection as one task of its queue: counting the tasks running counts
// the open connections.
class CountingThreadPool final : public httplib::TaskQueue {
  public:
    CountingThreadPool(size_t threads, Metrics& metrics) : pool_(threads), metrics_(metrics) {}
    void enqueue(std::function<void()> fn) override {
        pool_.enqueue([this, fn = std::move(fn)] {
            ++metrics_.active_connections;
            fn();
            --metrics_.active_connections;
        });
    }
    void shutdown() override { pool_.shutdown(); }

  private:
    httplib::ThreadPool pool_;
    Metrics& metrics_;
};

enum class Access { Public, Reader, Writer };

// The store a server with ingest jobs writes to, opened on a thread of background priority:
// Kuzu's worker threads, which run every statement's work (a job's COPY and checkpoint
// included), start as the store opens and inherit that priority, so the requests the variant
// index answers from memory go before the graph's work.
std::unique_ptr<store::GraphStore> open_writable_store(const std::string& db) {
    std::unique_ptr<store::GraphStore> graph;
    std::exception_ptr error;
    std::thread([&] {
        run_in_background("the graph's worker threads");
        try {
            graph = std::make_unique<store::GraphStore>(db);
        } catch (...) {
            error = std::current_exception();
        }
    }).join();
    if (error) std::rethrow_exception(error);
    return graph;
}
}  // namespace

struct ApiServer::Impl {
    // The listening socket, as cpp-httplib made it (set while binding; bind() widens its
    // backlog).
    socket_t listen_socket = INVALID_SOCKET;
    explicit Impl(ServerOptions o)
        : options(std::move(o)),
          tokens(TokenStore::load(options.tokens_file)),
          graph(options.allow_ingest ? open_writable_store(options.db) : nullptr),
          context_holder(make_context()),
          context(*context_holder),
          jobs(graph ? std::make_unique<IngestJobs>(*graph, options.max_queued_ingests,
                                                    [this] { context.refresh_index(); })
                     : nullptr),
          admission(options.max_running, options.max_waiting, options.max_wait),
          lookup_admission(2 * options.max_running, options.max_waiting, options.max_wait) {
        metrics.set_thresholds(options.alerts);
    }

    std::unique_ptr<tools::ToolContext> make_context() {
        const tools::ToolLimits limits{50, 500, options.statement_timeout,
                                       options.index_code_bytes};
        if (graph) return std::make_unique<tools::ToolContext>(*graph, options.data_dir, limits);
        return std::make_unique<tools::ToolContext>(options.db, options.data_dir, limits);
    }

    ServerOptions options;
    const TokenStore tokens;
    // With ingest allowed, the graph open for writing; the tools read through it.
    std::unique_ptr<store::GraphStore> graph;
    std::unique_ptr<tools::ToolContext> context_holder;
    tools::ToolContext& context;
    std::unique_ptr<IngestJobs> jobs;  // declared after the stores: stopped before they close
    // With ingest allowed and vectors on: the variant index caught up after every commit
    // (started once the index is open; stopped before the jobs and the stores).
    std::unique_ptr<IndexFollower> follower;
    const tools::ToolRegistry& registry = tools::ToolRegistry::catalogue();
    Admission admission;
    // Region lookups and searches, which the variant index answers from memory (the graph only
    // while the index catches up with a commit), take slots of their own: they never queue
    // behind statements that wait at the graph's commit gate while a batch commits. Twice
    // --max-running of them: each holds its slot for well under a millisecond, unless its
    // thread is preempted (beside an ingest job), and then the queue behind it stalls.
    Admission lookup_admission;
    Metrics metrics;
    httplib::Server http;

    // MCP sessions of the Streamable HTTP transport by Mcp-Session-Id, oldest first in
    // mcp_order; past kMaxMcpSessions the oldest is dropped (its client must initialize again).
    static constexpr size_t kMaxMcpSessions = 256;
    Mutex mcp_mutex;  // guards mcp_sessions and mcp_order
    std::map<std::string, std::shared_ptr<agent::McpServer>> mcp_sessions GUARDED_BY(mcp_mutex);
    std::deque<std::string> mcp_order GUARDED_BY(mcp_mutex);

    json mcp(const httplib::Request& req, httplib::Response& res) {
        const json message = body_json(req);
        if (!message.is_object())
            throw ApiError{400, "bad_argument", "send one JSON-RPC message per request"};
        std::string sid = req.get_header_value("Mcp-Session-Id");
        std::shared_ptr<agent::McpServer> session;
        if (message.value("method", json()) == "initialize") {
            session = std::make_shared<agent::McpServer>(
                registry, context, agent::McpServerOptions{"vcf-agent", kVersion, 1});
            sid = random_hex(16);
            MutexLock lock(mcp_mutex);
            mcp_sessions[sid] = session;
            mcp_order.push_back(sid);
            while (mcp_order.size() > kMaxMcpSessions) {
                mcp_sessions.erase(mcp_order.front());
                mcp_order.pop_front();
            }
        } else {
            if (sid.empty())
                throw ApiError{400, "bad_argument", "no Mcp-Session-Id header (initialize first)"};
            MutexLock lock(mcp_mutex);
            auto it = mcp_sessions.find(sid);
            if (it == mcp_sessions.end())
                throw ApiError{404, "unknown_session",
                               "no MCP session " + sid + " (initialize again)"};
            session = it->second;
        }
        json reply = session->handle(message);
        res.set_header("Mcp-Session-Id", sid);
        if (reply.is_null()) {
            res.status = 202;  // a notification or a response: accepted, nothing to say
            return json();
        }
        return reply;
    }

    // Wraps a handler: access check, admission, errors as JSON, metrics under `name`.
    using Handler = std::function<json(const httplib::Request&, httplib::Response&)>;
    enum class Slots { Graph, Lookup };
    httplib::Server::Handler endpoint(const std::string& name, Access access, Handler handler,
                                      Slots slots = Slots::Graph) {
        Admission& gate = slots == Slots::Lookup ? lookup_admission : admission;
        return [this, name, access, handler, &gate](const httplib::Request& req,
                                                    httplib::Response& res) {
            const auto start = std::chrono::steady_clock::now();
            ++metrics.in_flight;
            bool admitted = false;
            try {
                authorize(req, access);
                if (access != Access::Public) {
                    admitted = gate.enter();
                    if (!admitted) {
                        ++metrics.rejected_overload;
                        throw ApiError{503, "overloaded",
                                       "the server is at capacity; retry in a moment"};
                    }
                }
                json body = handler(req, res);
                if (!body.is_null()) send_json(res, 200, body);
            } catch (const ApiError& e) {
                send_error(res, e);
            } catch (const std::exception& e) {
                send_error(res, {500, "internal", e.what()});
            }
            if (admitted) gate.leave();
            --metrics.in_flight;
            metrics.observe(name, res.status, seconds_since(start));
        };
    }

    void authorize(const httplib::Request& req, Access access) const {
        if (access == Access::Public) return;
        const std::string header = req.get_header_value("Authorization");
        const std::string prefix = "Bearer ";
        if (header.rfind(prefix, 0) != 0)
            throw ApiError{401, "unauthorized", "send Authorization: Bearer <token>"};
        const auto role = tokens.role_of(std::string_view(header).substr(prefix.size()));
        if (!role) throw ApiError{401, "unauthorized", "unknown token"};
        if (access == Access::Writer && *role != Role::Writer)
            throw ApiError{403, "forbidden", "this needs a writer token"};
    }

    // Runs a tool; its failures become the matching HTTP answers.
    json tool(const std::string& name, const json& args) {
        if (name == "similar_variants" && !options.flags.vectors)
            throw ApiError{503, "vectors_off", "similarity search is switched off on this server"};
        const auto r = registry.call(name, args, context);
        if (r.ok) return r.content;
        if (r.error_kind == "unknown_tool") throw ApiError{404, "unknown_tool", r.error};
        if (r.error_kind == "invalid_arguments") throw ApiError{400, "bad_argument", r.error};
        if (r.error_kind == "refused") throw ApiError{403, "write_refused", r.error};
        throw ApiError{400, "tool_error", r.error};
    }

    static json body_json(const httplib::Request& req) {
        if (req.body.empty()) return json::object();
        try {
            return json::parse(req.body);
        } catch (const json::parse_error& e) {
            throw ApiError{400, "bad_json",
                           std::string("the request body is not JSON: ") + e.what()};
        }
    }

    static json query_args(const httplib::Request& req,
                           const std::vector<std::pair<std::string, std::string>>& names) {
        json args = json::object();
        for (const auto& [param, type] : names) {
            if (!req.has_param(param)) continue;
            const std::string v = req.get_param_value(param);
            try {
                if (type == "integer") {
                    size_t used = 0;
                    const long long n = std::stoll(v, &used);
                    if (used != v.size()) throw std::invalid_argument(v);
                    args[param] = n;
                } else if (type == "number") {
                    args[param] = std::stod(v);
                } else if (type == "list") {
                    json list = json::array();
                    std::stringstream in(v);
                    for (std::string item; std::getline(in, item, ',');)
                        if (!item.empty()) list.push_back(item);
                    args[param] = list;
                } else {
                    args[param] = v;
                }
            } catch (const std::exception&) {
                throw ApiError{400, "bad_argument", param + "=" + v + " is not a " + type};
            }
        }
        return args;
    }

    json health() {
        auto reasons = metrics.evaluate_alerts();
        if (!std::filesystem::exists(std::filesystem::path(options.db) / "graph.kz"))
            reasons.push_back("store: no store at " + options.db);
        json out = {{"status", reasons.empty() ? "ok" : "degraded"},
                    {"reasons", reasons},
                    {"version", kVersion},
                    {"flags",
                     {{"agent", options.flags.agent && options.llm.has_value()},
                      {"vectors", options.flags.vectors}}}};
        // Whether the variant index holds every committed batch (then it answers region
        // lookups; until its catch-up after a commit, the graph does).
        if (const auto* index = context.opened_index())
            out["variant_index"] = {{"rows", index->size()}, {"current", index->current()}};
        return out;
    }

    std::string store_gauges() {
        std::string out;
        if (jobs)
            out +=
                "# HELP vcf_agent_ingest_records_total Records read by ingest jobs.\n"
                "# TYPE vcf_agent_ingest_records_total counter\nvcf_agent_ingest_records_total " +
                std::to_string(jobs->records_total()) +
                "\n# HELP vcf_agent_ingest_jobs_running Ingest jobs loading now.\n"
                "# TYPE vcf_agent_ingest_jobs_running gauge\nvcf_agent_ingest_jobs_running " +
                std::to_string(jobs->running()) + "\n";
        out +=
            "# HELP vcf_agent_graph_rows Rows per table of the graph store.\n"
            "# TYPE vcf_agent_graph_rows gauge\n";
        try {
            for (const auto& [table, n] : context.graph().table_counts())
                out += "vcf_agent_graph_rows{table=\"" + table + "\"} " + std::to_string(n) + "\n";
            if (options.flags.vectors) {
                const auto stats = context.variant_index().stats();
                out +=
                    "# HELP vcf_agent_vector_rows Rows of the variant index.\n"
                    "# TYPE vcf_agent_vector_rows gauge\nvcf_agent_vector_rows " +
                    std::to_string(context.variant_index().size()) +
                    "\n# HELP vcf_agent_region_lookups_total Region lookups (without gene or "
                    "impact "
                    "filters) by who answered: the variant index (current), or the graph (the "
                    "index was catching up).\n"
                    "# TYPE vcf_agent_region_lookups_total counter\n"
                    "vcf_agent_region_lookups_total{answered_by=\"index\"} " +
                    std::to_string(stats.regions_answered) +
                    "\nvcf_agent_region_lookups_total{answered_by=\"graph\"} " +
                    std::to_string(stats.regions_declined) +
                    "\n# HELP vcf_agent_genotype_filters_total Genotype filters (without DP/GQ "
                    "thresholds, gene or impact filters) by who answered: the variant index's "
                    "call columns, or the graph (the index was catching up, or keeps no codes "
                    "of the filter's file).\n"
                    "# TYPE vcf_agent_genotype_filters_total counter\n"
                    "vcf_agent_genotype_filters_total{answered_by=\"index\"} " +
                    std::to_string(stats.genotypes_answered) +
                    "\nvcf_agent_genotype_filters_total{answered_by=\"graph\"} " +
                    std::to_string(stats.genotypes_declined) + "\n";
            }
        } catch (const std::exception& e) {
            spdlog::warn("metrics: store sizes unavailable: {}", e.what());
        }
        return out;
    }

    // POST /v1/ask. With `Accept: text/event-stream` the answer streams as Server-Sent Events:
    // `text` events with pieces of the answer as the model writes them, then one `done` event
    // with the whole answer and its tool calls (or an `error` event).
    json ask(const httplib::Request& req, httplib::Response& res) {
        if (!options.flags.agent || !options.llm)
            throw ApiError{503, "agent_off",
                           "the agent is off on this server (start it with --llm and --model)"};
        const json body = body_json(req);
        if (!body.contains("question") || !body["question"].is_string() ||
            body["question"].get<std::string>().empty())
            throw ApiError{400, "bad_argument", "give {\"question\": \"...\"}"};
        const std::string question = body["question"];
        if (req.get_header_value("Accept").find("text/event-stream") == std::string::npos) {
            const auto client = llm_client();
            agent::Agent a(*client, registry, context, agent_options({}));
            try {
                return a.ask(question).to_json();
            } catch (const agent::LlmError& e) {
                throw ApiError{502, "llm_failed", e.what()};
            }
        }
        res.status = 200;
        res.set_header("Cache-Control", "no-cache");
        res.set_chunked_content_provider("text/event-stream", [this, question](
                                                                  size_t, httplib::DataSink& sink) {
            auto event = [&sink](const char* name, const json& data) {
                const std::string text =
                    std::string("event: ") + name +
                    "\ndata: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
                return sink.write(text.data(), text.size());
            };
            // The stream runs after the handler returned, so it takes a slot of its own.
            if (!admission.enter()) {
                ++metrics.rejected_overload;
                event("error", {{"code", "overloaded"}, {"message", "the server is at capacity"}});
                sink.done();
                return true;
            }
            try {
                auto client = llm_client();
                agent::Agent a(*client, registry, context,
                               agent_options([&](std::string_view piece) {
                                   event("text", {{"text", std::string(piece)}});
                               }));
                event("done", a.ask(question).to_json());
            } catch (const std::exception& e) {
                event("error", {{"code", "llm_failed"}, {"message", e.what()}});
            }
            admission.leave();
            sink.done();
            return true;
        });
        return json();
    }

    std::unique_ptr<agent::ChatClient> llm_client() const {
        return agent::make_chat_client(*options.llm);
    }
    agent::AgentOptions agent_options(std::function<void(std::string_view)> on_text) const {
        agent::AgentOptions ao;
        ao.max_steps = options.agent_max_steps;
        ao.on_text = std::move(on_text);
        return ao;
    }

    void routes() {
        http.Get("/", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(kWebPage, "text/html; charset=utf-8");
        });
        http.Get("/health",
                 endpoint("health", Access::Public, [this](auto&, auto&) { return health(); }));
        http.Get("/openapi.json", endpoint("openapi", Access::Public, [this](auto&, auto&) {
                     return openapi_document(registry, kVersion);
                 }));
        http.Get("/metrics",
                 endpoint("metrics", Access::Reader, [this](auto&, httplib::Response& res) {
                     metrics.evaluate_alerts();
                     res.set_content(metrics.render(store_gauges()), "text/plain; version=0.0.4");
                     return json();
                 }));
        http.Get("/v1/tools", endpoint("tools", Access::Reader,
                                       [this](auto&, auto&) { return registry.describe(); }));
        http.Post(R"(/v1/tools/([A-Za-z0-9_]+))",
                  endpoint("tool_call", Access::Reader, [this](const httplib::Request& req, auto&) {
                      return tool(req.matches[1], body_json(req));
                  }));
        http.Get("/v1/variants", endpoint(
                                     "variants", Access::Reader,
                                     [this](const httplib::Request& req, auto&) {
                                         return tool("variants_in_region",
                                                     query_args(req, {{"region", "string"},
                                                                      {"gene", "string"},
                                                                      {"impact", "string"},
                                                                      {"variant_class", "string"},
                                                                      {"limit", "integer"}}));
                                     },
                                     Slots::Lookup));
        http.Get("/v1/search",
                 endpoint(
                     "search", Access::Reader,
                     [this](const httplib::Request& req, auto&) {
                         json args = query_args(req, {{"k", "integer"},
                                                      {"chroms", "list"},
                                                      {"classes", "list"},
                                                      {"genes", "list"},
                                                      {"impacts", "list"},
                                                      {"region", "string"},
                                                      {"min_af", "number"},
                                                      {"max_af", "number"}});
                         if (!req.has_param("like"))
                             throw ApiError{400, "bad_argument", "give like=<variant key>"};
                         args["variant"] = req.get_param_value("like");
                         return tool("similar_variants", args);
                     },
                     Slots::Lookup));
        http.Post("/v1/cypher",
                  endpoint("cypher", Access::Reader, [this](const httplib::Request& req, auto&) {
                      return tool("cypher", body_json(req));
                  }));
        http.Get("/v1/g_variants",
                 endpoint("g_variants", Access::Reader, [this](const httplib::Request& req, auto&) {
                     std::map<std::string, std::string> params;
                     for (const auto& [k, v] : req.params) params[k] = v;
                     store::ReadLimits limits;
                     limits.max_rows = context.row_cap(0);
                     limits.timeout = options.statement_timeout;
                     try {
                         return beacon_g_variants(context.graph(), params, limits);
                     } catch (const std::invalid_argument& e) {
                         throw ApiError{400, "bad_argument", e.what()};
                     }
                 }));
        http.Post("/mcp", endpoint("mcp", Access::Reader,
                                   [this](const httplib::Request& req, httplib::Response& res) {
                                       return mcp(req, res);
                                   }));
        http.Delete("/mcp",
                    endpoint("mcp", Access::Reader, [this](const httplib::Request& req, auto&) {
                        MutexLock lock(mcp_mutex);
                        const std::string sid = req.get_header_value("Mcp-Session-Id");
                        if (!mcp_sessions.erase(sid))
                            throw ApiError{404, "unknown_session", "no MCP session " + sid};
                        mcp_order.erase(std::find(mcp_order.begin(), mcp_order.end(), sid));
                        return json::object();
                    }));
        http.Get("/mcp", endpoint("mcp", Access::Reader, [](auto&, auto&) -> json {
                     throw ApiError{405, "method_not_allowed",
                                    "this server sends no stream on GET; POST JSON-RPC messages"};
                 }));
        http.Post(
            "/v1/ingest",
            endpoint("ingest", Access::Writer,
                     [this](const httplib::Request& req, httplib::Response& res) {
                         if (!jobs)
                             throw ApiError{
                                 503, "ingest_off",
                                 "this server does not ingest (start it with --allow-ingest)"};
                         const json body = body_json(req);
                         if (!body.contains("path") || !body["path"].is_string())
                             throw ApiError{400, "bad_argument",
                                            "give {\"path\": \"file below the data directory\"}"};
                         std::filesystem::path file;
                         try {
                             file = context.allowed_file(body["path"]);
                         } catch (const tools::ToolError& e) {
                             throw ApiError{400, "bad_argument", e.what()};
                         }
                         const std::string id = jobs->submit(file.string(), body["path"]);
                         if (id.empty())
                             throw ApiError{503, "overloaded", "too many ingest jobs are waiting"};
                         res.status = 202;
                         send_json(res, 202, {{"job", id}, {"status_url", "/v1/jobs/" + id}});
                         return json();
                     }));
        http.Get(R"(/v1/jobs/([0-9a-f]+))",
                 endpoint("jobs", Access::Reader, [this](const httplib::Request& req, auto&) {
                     json s = jobs ? jobs->status(req.matches[1]) : json();
                     if (s.is_null()) throw ApiError{404, "unknown_job", "no such job"};
                     return s;
                 }));
        http.Post("/v1/ask", endpoint("ask", Access::Reader,
                                      [this](const httplib::Request& req, httplib::Response& res) {
                                          return ask(req, res);
                                      }));
        http.Put(
            "/v1/admin/alerts",
            endpoint("admin_alerts", Access::Writer, [this](const httplib::Request& req, auto&) {
                const json body = body_json(req);
                AlertThresholds t = metrics.thresholds();
                try {
                    t.memory_mb = body.value("memory_mb", t.memory_mb);
                    t.error_rate = body.value("error_rate", t.error_rate);
                    t.p95_latency_ms = body.value("p95_latency_ms", t.p95_latency_ms);
                } catch (const json::exception& e) {
                    throw ApiError{400, "bad_argument", e.what()};
                }
                metrics.set_thresholds(t);
                return json{{"memory_mb", t.memory_mb},
                            {"error_rate", t.error_rate},
                            {"p95_latency_ms", t.p95_latency_ms},
                            {"alerts", metrics.evaluate_alerts()}};
            }));
        http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return;
            if (res.status == 413)
                send_error(
                    res, {413, "too_large", "the request body is larger than the server accepts"});
            else if (res.status == 404)
                send_error(res, {404, "not_found", "no such endpoint (see /openapi.json)"});
            else
                send_error(res, {res.status, "http_error", "HTTP " + std::to_string(res.status)});
        });
    }
};

ApiServer::ApiServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
    auto& o = impl_->options;
    if (!std::filesystem::exists(std::filesystem::path(o.db) / "graph.kz"))
        throw StoreError("no store at " + o.db + " (run `vcf-agent ingest` first)");
    if (impl_->tokens.size() == 0)
        throw InputError(o.tokens_file, 0,
                         "no tokens: create one with `vcf-agent token add --role reader --tokens " +
                             o.tokens_file + "`",
                         kExitUsage);
    impl_->context.graph();  // open now: a broken store fails the start, not the first request
    if (o.flags.vectors) {
        // Open (and if need be build) the variant index now: searches and region lookups are
        // answered from it from the first request on.
        impl_->context.variant_index();
        if (impl_->graph)
            impl_->follower = std::make_unique<IndexFollower>(
                *impl_->graph, [this] { impl_->context.refresh_index(); });
    }
    impl_->http.new_task_queue = [this] {
        return new CountingThreadPool(
            static_cast<size_t>(std::max(1, impl_->options.connection_threads)), impl_->metrics);
    };
    impl_->http.set_payload_max_length(o.max_body_bytes);
    impl_->http.set_keep_alive_max_count(1000);
    impl_->http.set_read_timeout(std::chrono::seconds(30));
    impl_->http.set_tcp_nodelay(true);
    impl_->http.set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        impl_->listen_socket = sock;  // the last socket made is the one that bound
    });
    impl_->routes();
}

ApiServer::~ApiServer() = default;

int ApiServer::bind() {
    auto& o = impl_->options;
    int port = o.port;
    if (port == 0) {
        port = impl_->http.bind_to_any_port(o.host);
    } else if (!impl_->http.bind_to_port(o.host, port)) {
        port = -1;
    }
    if (port <= 0)
        throw InputError("--listen " + o.host + ":" + std::to_string(o.port), 0,
                         "cannot listen there (in use, or not an address of this machine)",
                         kExitUsage);
    // cpp-httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into the
    // library): when more clients connect at once than the accepting thread takes in, the
    // kernel drops their SYNs and each waits a retransmit, 1 s then 3 s (seen under 64 wrk
    // connections: the ListenOverflows counter grew). Linux applies the backlog of a repeated
    // listen() to the socket already listening.
    if (impl_->listen_socket == INVALID_SOCKET || ::listen(impl_->listen_socket, SOMAXCONN) != 0)
        spdlog::warn(
            "could not widen the listening socket's backlog: clients connecting at once "
            "beyond a few may wait");
    if (!o.port_file.empty()) {
        const std::string tmp = o.port_file + ".tmp";
        std::ofstream(tmp) << port << "\n";
        std::filesystem::rename(tmp, o.port_file);
    }
    return port;
}

void ApiServer::run() {
    impl_->http.listen_after_bind();
}

void ApiServer::stop() {
    impl_->http.stop();
}

}  // namespace vcfagent::server
