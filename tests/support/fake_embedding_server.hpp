#pragma once
// A loopback embedding server for tests and benchmarks that speaks both the Ollama
// (POST /api/embed) and the OpenAI (POST /v1/embeddings) protocol. Vectors are a deterministic
// function of the text (vector_for), so a client's output can be checked row by row. Latency
// and failures are injected on demand; what clients did (requests, batch sizes, concurrency,
// connections) is recorded.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace vcfagent::test {

struct FakeEmbeddingServerOptions {
    int dimension = 32;
    std::chrono::milliseconds latency{0};   // per request
    std::chrono::microseconds per_item{0};  // per input text
    int threads = 16;                       // requests served at once
};

class FakeEmbeddingServer {
  public:
    // Listens on 127.0.0.1 on a free port; ready when the constructor returns.
    explicit FakeEmbeddingServer(FakeEmbeddingServerOptions options = {});
    ~FakeEmbeddingServer();
    FakeEmbeddingServer(const FakeEmbeddingServer&) = delete;
    FakeEmbeddingServer& operator=(const FakeEmbeddingServer&) = delete;

    int port() const { return port_; }
    std::string url() const;  // http://127.0.0.1:<port>
    // Stops listening and releases stalled requests; idempotent.
    void stop();

    // --- failure modes, applied to requests that arrive afterwards
    void fail_next(int count, int status);            // `count` requests answer `status`
    void set_stall(std::chrono::milliseconds stall);  // hold each request (0 = off)
    void set_latency(std::chrono::milliseconds latency, std::chrono::microseconds per_item = {});
    void set_dimension(int dimension);  // vectors of this size from now on
    void set_ragged(bool on);           // the last vector of a response is one shorter
    void set_malformed(bool on);        // a 200 whose body is not JSON
    void set_drop_one(bool on);         // one vector fewer than inputs
    void set_reverse_order(bool on);    // OpenAI: data listed last-first (indices stay right)

    // --- observations
    size_t requests() const;                  // every POST, failed ones included
    size_t max_in_flight() const;             // most requests handled at once
    std::vector<size_t> batch_sizes() const;  // inputs per request that got vectors
    std::vector<std::string> texts() const;   // every input embedded, in arrival order
    size_t connections() const;               // distinct client sockets seen
    std::string last_authorization() const;
    std::string last_model() const;
    void reset_stats();

    // The vector the server returns for `text` (not normalised).
    static std::vector<float> vector_for(std::string_view text, int dimension);

  private:
    enum class Api { Ollama, OpenAi };
    void handle(Api api, const httplib::Request& req, httplib::Response& res);
    // Sleeps up to `d`; returns early when the server stops.
    void sleep_for(std::chrono::microseconds d);

    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
    FakeEmbeddingServerOptions options_;
    int fail_count_ = 0, fail_status_ = 500;
    std::chrono::milliseconds stall_{0};
    bool ragged_ = false, malformed_ = false, drop_one_ = false, reverse_ = false;

    size_t requests_ = 0, in_flight_ = 0, max_in_flight_ = 0;
    std::vector<size_t> batch_sizes_;
    std::vector<std::string> texts_;
    std::set<std::pair<std::string, int>> connections_;
    std::string last_authorization_, last_model_;
};

}  // namespace vcfagent::test
