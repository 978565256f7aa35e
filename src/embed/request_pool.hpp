#pragma once
// The shared core of the HTTP embedders: splits texts into batches, keeps up to `concurrency`
// requests in flight on worker threads (each with its own keep-alive connection, reused across
// requests), retries 429/5xx/connection failures with jittered exponential backoff, validates
// every response, and returns the vectors in input order. It never waits without bound: every
// request has timeouts and every retry loop a limit.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/mutex.hpp"
#include "embed/embedder.hpp"
#include "embed/embedding_protocol.hpp"
#include "embed/endpoint.hpp"

namespace vcfagent::embed {

struct RequestPoolOptions {
    Endpoint endpoint;
    std::string model;
    std::string api_key;  // sent as "Authorization: Bearer" when not empty
    int batch_size = 64;
    int concurrency = 4;
    std::chrono::milliseconds timeout{30000};  // connect, send and each read
    int max_retries = 4;
    std::chrono::milliseconds retry_base{250};
};

class RequestPool {
  public:
    RequestPool(RequestPoolOptions options, std::unique_ptr<EmbeddingProtocol> protocol);
    ~RequestPool();
    RequestPool(const RequestPool&) = delete;
    RequestPool& operator=(const RequestPool&) = delete;

    // One vector per text, in order, all of dimension(); L2-normalised. Thread-safe: calls
    // from several threads share the workers. Throws EmbedError on the first batch that fails
    // for good; the other batches of that call are abandoned.
    std::vector<std::vector<float>> embed(std::vector<std::string> texts);

    // The vector size the server answers with: 0 until the first response (or expect_dimension)
    // fixes it; a later response of another size is an error.
    int dimension() const { return dimension_.load(); }
    // Fixes the dimension before any response (e.g. from a loaded reducer); false if another
    // dimension is already fixed.
    bool expect_dimension(int dimension);

    std::string url() const;  // the full request URL, for messages
    std::string_view protocol_name() const { return protocol_->name(); }
    uint64_t requests() const { return requests_.load(); }  // HTTP attempts, retries included
    uint64_t retries() const { return retries_.load(); }

  private:
    struct Call;
    struct Job {
        std::shared_ptr<Call> call;
        size_t begin = 0, end = 0;
    };
    class Worker;

    void worker_main();
    std::vector<std::vector<float>> run_job(Worker& worker, const Job& job);
    void check_rows(std::vector<std::vector<float>>& rows, size_t expected);
    // Sleeps up to `delay`, returning early (false) when the pool is shutting down.
    bool pause(std::chrono::milliseconds delay);

    const RequestPoolOptions options_;
    const std::unique_ptr<EmbeddingProtocol> protocol_;
    const std::string path_;

    Mutex mutex_;                      // guards queue_ and stopping_
    std::condition_variable work_cv_;  // jobs queued or stopping
    std::condition_variable stop_cv_;  // wakes backoff sleeps at shutdown
    std::deque<Job> queue_ GUARDED_BY(mutex_);
    bool stopping_ GUARDED_BY(mutex_) = false;
    std::vector<std::thread> threads_;  // started by the constructor, joined by the destructor

    std::atomic<int> dimension_{0};
    std::atomic<uint64_t> requests_{0}, retries_{0};
};

}  // namespace vcfagent::embed
