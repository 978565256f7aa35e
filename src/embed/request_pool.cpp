#include "embed/request_pool.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "embed/httplib_include.hpp"
#include "embed/protocol_json.hpp"
#include "embed/retry_backoff.hpp"
#include "embed/retrying_http_client.hpp"

namespace vcfagent::embed {

// One embed() call: its texts, its result rows, and how many of its jobs are outstanding.
struct RequestPool::Call {
    std::vector<std::string> texts;
    std::vector<std::vector<float>> rows;
    Mutex mutex;  // guards pending and error
    std::condition_variable done_cv;
    size_t pending GUARDED_BY(mutex) = 0;
    std::string error GUARDED_BY(mutex);  // first failure
    std::atomic<bool> failed{false};

    void finish(std::string failure) {
        MutexLock lock(mutex);
        const bool first_failure = !failure.empty() && error.empty();
        if (first_failure) {
            error = std::move(failure);
            failed = true;
        }
        if (--pending == 0 || first_failure) done_cv.notify_all();
    }
};

// A worker's connection: the shared HTTP core, one per worker thread.
class RequestPool::Worker {
  public:
    explicit Worker(const RequestPoolOptions& o)
        : http({o.endpoint, o.api_key, o.timeout, o.max_retries, o.retry_base}) {}
    RetryingHttpClient http;
};

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
        MutexLock lock(mutex_);
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
    {
        // No worker sees the call yet: the lock is uncontended, taken for the analysis.
        MutexLock lock(call->mutex);
        call->pending = (n + batch - 1) / batch;
    }
    {
        MutexLock lock(mutex_);
        if (stopping_) throw EmbedError("embedding pool is shutting down");
        for (size_t b = 0; b < n; b += batch)
            queue_.push_back(Job{call, b, std::min(n, b + batch)});
    }
    work_cv_.notify_all();
    MutexLock lock(call->mutex);
    // On failure return at once: the call's state is shared with the jobs still running.
    while (call->pending != 0 && !call->failed) lock.wait(call->done_cv);
    if (call->failed) throw EmbedError(call->error);
    return std::move(call->rows);
}

void RequestPool::worker_main() {
    Worker worker(options_);
    for (;;) {
        Job job;
        {
            MutexLock lock(mutex_);
            while (!stopping_ && queue_.empty()) lock.wait(work_cv_);
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
    MutexLock lock(mutex_);
    // wait_for with a predicate, spelled out: the deadline is fixed once, spurious wake-ups
    // wait on until it, and stopping_ is what decides (also when the deadline passed).
    const auto deadline = std::chrono::steady_clock::now() + delay;
    while (!stopping_)
        if (lock.wait_until(stop_cv_, deadline) == std::cv_status::timeout) break;
    return !stopping_;
}

std::vector<std::vector<float>> RequestPool::run_job(Worker& worker, const Job& job) {
    const size_t count = job.end - job.begin;
    const std::span<const std::string> texts(job.call->texts.data() + job.begin, count);
    const std::string body = protocol_->request_body(options_.model, texts);
    const std::string what = std::string(protocol_->name()) + " embedding request to " + url() +
                             " (model " + options_.model + ", " + std::to_string(count) +
                             " inputs)";
    const uint64_t requests_before = worker.http.requests(), retries_before = worker.http.retries();
    auto count_attempts = [&] {
        requests_ += worker.http.requests() - requests_before;
        retries_ += worker.http.retries() - retries_before;
    };
    HttpReply reply;
    try {
        reply = worker.http.post(path_, body, {}, [&](std::chrono::milliseconds delay) {
            return pause(delay) && !job.call->failed;
        });
    } catch (const HttpError& e) {
        count_attempts();
        if (e.abandoned()) throw EmbedError(what + " abandoned while retrying: " + e.problem());
        throw EmbedError(what + " failed after " + std::to_string(e.attempts()) +
                         (e.attempts() == 1 ? " attempt: " : " attempts: ") + e.problem());
    }
    count_attempts();
    if (reply.status != 200)
        throw EmbedError(what + ": HTTP " + std::to_string(reply.status) + " '" +
                         protocol_json::snippet(reply.body) + "'");
    try {
        auto rows = protocol_->parse_response(reply.body, count);
        check_rows(rows, count);
        return rows;
    } catch (const EmbedError& e) {
        throw EmbedError(what + ": " + e.what());
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
