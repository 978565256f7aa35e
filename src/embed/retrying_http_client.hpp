#pragma once
// The HTTP core every client of a model server shares (the embedders' request pool and the
// agent's chat clients): one kept-alive connection, timeouts on connect, send and each read,
// and retries of connection failures, 429 and 5xx with jittered exponential backoff (honouring
// Retry-After). Not thread-safe: one instance per thread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "embed/endpoint.hpp"

namespace httplib {
class Client;
}

namespace vcfagent::embed {

struct HttpClientOptions {
    Endpoint endpoint;
    std::string api_key;                       // sent as "Authorization: Bearer" when not empty
    std::chrono::milliseconds timeout{30000};  // connect, send and each read
    int max_retries = 4;
    std::chrono::milliseconds retry_base{250};
};

// Every attempt failed (transport errors, or 429/5xx until the retries ran out), or a retry
// was abandoned. `problem` describes the last failure.
class HttpError : public std::runtime_error {
  public:
    HttpError(std::string problem, int attempts, bool abandoned);
    const std::string& problem() const { return problem_; }
    int attempts() const { return attempts_; }
    bool abandoned() const { return abandoned_; }
    bool connection_failed = false;  // the last failure was the connection itself

  private:
    std::string problem_;
    int attempts_;
    bool abandoned_;
};

struct HttpReply {
    int status = 0;
    std::string body;  // empty when a 200 body went to the on_data callback
};

class RetryingHttpClient {
  public:
    explicit RetryingHttpClient(HttpClientOptions options);
    ~RetryingHttpClient();
    RetryingHttpClient(const RetryingHttpClient&) = delete;
    RetryingHttpClient& operator=(const RetryingHttpClient&) = delete;

    // Receives a 200 reply's body piece by piece as it arrives; false stops the transfer.
    using DataSink = std::function<bool(std::string_view piece)>;
    // Waits `delay` before a retry; false gives up (e.g. the caller is shutting down).
    using Pause = std::function<bool(std::chrono::milliseconds delay)>;

    // POSTs a JSON body to `path` (the whole path, base path included) on the endpoint. Returns the
    // first reply that is neither 429 nor 5xx (its status for the caller to judge). With `on_data`,
    // a 200 body is streamed to it and not kept; no retry follows once it has seen a byte. Throws
    // HttpError when every attempt failed.
    HttpReply post(std::string_view path, const std::string& body, const DataSink& on_data = {},
                   const Pause& pause = {});

    std::string url(std::string_view path) const {
        return options_.endpoint.origin() + std::string(path);
    }
    uint64_t requests() const { return requests_; }  // attempts, retries included
    uint64_t retries() const { return retries_; }

  private:
    httplib::Client& client();

    const HttpClientOptions options_;
    std::unique_ptr<httplib::Client> client_;  // rebuilt after a transport error
    uint64_t requests_ = 0, retries_ = 0;
};

}  // namespace vcfagent::embed
