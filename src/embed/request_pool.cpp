#include "embed/request_pool.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "embed/httplib_include.hpp"
#include "embed/protocol_json.hpp"
#include "embed/retry_backoff.hpp"

namespace vcfagent::embed {

// One embed() call: its texts, its result rows, and how many of its jobs are outstanding.
struct RequestPool::Call {
    std::vector<std::string> texts;
    std::vector<std::vector<float>> rows;
    std::mutex mutex;
    std::condition_variable done_cv;
    size_t pending = 0;  // guarded by mutex
    std::string error;   // first failure, guarded by mutex
    std::atomic<bool> failed{false};

    void finish(std::string failure) {
        std::lock_guard lock(mutex);
        const bool first_failure = !failure.empty() && error.empty();
        if (first_failure) {
            error = std::move(failure);
            failed = true;
        }
        if (--pending == 0 || first_failure) done_cv.notify_all();
    }
};

// A worker's connection. Rebuilt after a transport error so a half-read response on a
// kept-alive socket can never be mistaken for the next answer.
class RequestPool::Worker {
  public:
    explicit Worker(const RequestPoolOptions& o) : options_(o) {}

    httplib::Client& client() {
        if (!client_) {
            client_ = std::make_unique<httplib::Client>(options_.endpoint.origin());
            client_->set_keep_alive(true);
            // Headers and body go out in separate writes; without this, Nagle's algorithm
            // and delayed ACKs add ~40 ms to every request on a kept-alive connection.
            client_->set_tcp_nodelay(true);
            client_->set_connection_timeout(options_.timeout);
            client_->set_read_timeout(options_.timeout);
            client_->set_write_timeout(options_.timeout);
            if (!options_.api_key.empty()) client_->set_bearer_token_auth(options_.api_key);
        }
        return *client_;
    }
    void reset() { client_.reset(); }

  private:
    const RequestPoolOptions& options_;
    std::unique_ptr<httplib::Client> client_;
};

namespace {

std::string describe_transport_error(httplib::Error e, std::chrono::milliseconds timeout) {
    const std::string t = std::to_string(timeout.count()) + " ms";
    switch (e) {
        case httplib::Error::Connection:
            return "cannot connect (is the server running?)";
        case httplib::Error::ConnectionTimeout:
            return "connect timed out after " + t;
        case httplib::Error::Read:
            return "no complete response within the " + t +
                   " timeout (or the server closed the connection)";
        case httplib::Error::Write:
            return "could not send the request within " + t;
        case httplib::Error::SSLConnection:
        case httplib::Error::SSLLoadingCerts:
        case httplib::Error::SSLServerVerification:
            return "TLS failure: " + httplib::to_string(e);
        default:
            return httplib::to_string(e);
    }
}

// Retry-After in seconds (the HTTP-date form is rare for APIs and ignored).
std::chrono::milliseconds retry_after(const httplib::Response& res) {
    const std::string v = res.get_header_value("Retry-After");
    int seconds = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
    if (ec != std::errc() || seconds <= 0) return std::chrono::milliseconds(0);
    return std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds), kMaxBackoff);
}

}  // namespace

RequestPool::RequestPool(RequestPoolOptions options, std::unique_ptr<EmbeddingProtocol> protocol)
    : options_(std::move(options)),
      protocol_(std::move(protocol)),
      path_(protocol_->path(options_.endpoint)) {
    if (options_.batch_size < 1) throw EmbedError("batch_size must be at least 1");
    if (options_.concurrency < 1) throw EmbedError("concurrency must be at least 1");
    if (options_.timeout.count() < 1) throw EmbedError("timeout_ms must be at least 1");
    if (options_.max_retries < 0) throw EmbedError("max_retries must not be negative");
    threads_.reserve(static_cast<size_t>(options_.concurrency));
    for (int i = 0; i < options_.concurrency; ++i) threads_.emplace_back([this] { worker_main(); });
}

RequestPool::~RequestPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_cv_.notify_all();
    stop_cv_.notify_all();
    for (auto& t : threads_) t.join();
}

std::string RequestPool::url() const {
    return options_.endpoint.origin() + path_;
}

bool RequestPool::expect_dimension(int dimension) {
    int expected = 0;
    return dimension_.compare_exchange_strong(expected, dimension) || expected == dimension;
}

std::vector<std::vector<float>> RequestPool::embed(std::vector<std::string> texts) {
    if (texts.empty()) return {};
    auto call = std::make_shared<Call>();
    call->texts = std::move(texts);
    const size_t n = call->texts.size();
    const size_t batch = static_cast<size_t>(options_.batch_size);
    call->rows.resize(n);
    call->pending = (n + batch - 1) / batch;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) throw EmbedError("embedding pool is shutting down");
        for (size_t b = 0; b < n; b += batch)
            queue_.push_back(Job{call, b, std::min(n, b + batch)});
    }
    work_cv_.notify_all();
    std::unique_lock lock(call->mutex);
    // On failure return at once: the call's state is shared with the jobs still running.
    call->done_cv.wait(lock, [&] { return call->pending == 0 || call->failed; });
    if (call->failed) throw EmbedError(call->error);
    return std::move(call->rows);
}

void RequestPool::worker_main() {
    Worker worker(options_);
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        std::string failure;
        if (job.call->failed) {
            failure = "abandoned";  // another batch of the call already failed
        } else {
            try {
                auto rows = run_job(worker, job);
                std::move(rows.begin(), rows.end(),
                          job.call->rows.begin() + static_cast<ptrdiff_t>(job.begin));
            } catch (const std::exception& e) {
                failure = e.what();
            }
        }
        job.call->finish(std::move(failure));
    }
}

bool RequestPool::pause(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !stop_cv_.wait_for(lock, delay, [&] { return stopping_; });
}

std::vector<std::vector<float>> RequestPool::run_job(Worker& worker, const Job& job) {
    const size_t count = job.end - job.begin;
    const std::span<const std::string> texts(job.call->texts.data() + job.begin, count);
    const std::string body = protocol_->request_body(options_.model, texts);
    const std::string what = std::string(protocol_->name()) + " embedding request to " + url() +
                             " (model " + options_.model + ", " + std::to_string(count) +
                             " inputs)";
    std::string problem;
    for (int attempt = 0;; ++attempt) {
        if (attempt > 0) ++retries_;
        ++requests_;
        std::chrono::milliseconds wait_at_least{0};
        httplib::Result res = worker.client().Post(path_, body, "application/json");
        if (!res) {
            problem = describe_transport_error(res.error(), options_.timeout);
            worker.reset();
        } else if (res->status == 200) {
            try {
                auto rows = protocol_->parse_response(res->body, count);
                check_rows(rows, count);
                return rows;
            } catch (const EmbedError& e) {
                throw EmbedError(what + ": " + e.what());
            }
        } else if (res->status == 429 || res->status >= 500) {
            problem = "HTTP " + std::to_string(res->status) + " '" +
                      protocol_json::snippet(res->body) + "'";
            wait_at_least = retry_after(*res);
        } else {
            throw EmbedError(what + ": HTTP " + std::to_string(res->status) + " '" +
                             protocol_json::snippet(res->body) + "'");
        }
        if (attempt >= options_.max_retries)
            throw EmbedError(what + " failed after " + std::to_string(attempt + 1) +
                             (attempt == 0 ? " attempt: " : " attempts: ") + problem);
        const auto delay = std::max(wait_at_least, jittered_backoff(attempt, options_.retry_base));
        if (!pause(delay) || job.call->failed)
            throw EmbedError(what + " abandoned while retrying: " + problem);
    }
}

void RequestPool::check_rows(std::vector<std::vector<float>>& rows, size_t expected) {
    if (rows.size() != expected)
        throw EmbedError("got " + std::to_string(rows.size()) + " vectors for " +
                         std::to_string(expected) + " inputs");
    const int d = static_cast<int>(rows.front().size());
    for (size_t i = 0; i < rows.size(); ++i) {
        if (static_cast<int>(rows[i].size()) != d)
            throw EmbedError("inconsistent vector sizes in one response: vector 0 has " +
                             std::to_string(d) + " dimensions, vector " + std::to_string(i) +
                             " has " + std::to_string(rows[i].size()));
    }
    int fixed = 0;
    if (!dimension_.compare_exchange_strong(fixed, d) && fixed != d)
        throw EmbedError("server returned " + std::to_string(d) +
                         "-dimensional vectors, expected " + std::to_string(fixed) +
                         " (as before for this model)");
    for (auto& row : rows) {
        double norm = 0;
        for (float x : row) {
            if (!std::isfinite(x))
                throw EmbedError("server returned a non-finite vector component");
            norm += double(x) * x;
        }
        if (norm <= 0) continue;
        const float inv = static_cast<float>(1.0 / std::sqrt(norm));
        for (float& x : row) x *= inv;
    }
}

}  // namespace vcfagent::embed
