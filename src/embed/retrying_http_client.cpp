#include "embed/retrying_http_client.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include "embed/httplib_include.hpp"
#include "embed/protocol_json.hpp"
#include "embed/retry_backoff.hpp"

namespace vcfagent::embed {

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

HttpError::HttpError(std::string problem, int attempts, bool abandoned)
    : std::runtime_error(problem),
      problem_(std::move(problem)),
      attempts_(attempts),
      abandoned_(abandoned) {}

RetryingHttpClient::RetryingHttpClient(HttpClientOptions options) : options_(std::move(options)) {}
RetryingHttpClient::~RetryingHttpClient() = default;

httplib::Client& RetryingHttpClient::client() {
    if (!client_) {
        client_ = std::make_unique<httplib::Client>(options_.endpoint.origin());
        client_->set_keep_alive(true);
        // Headers and body go out in separate writes; without this, Nagle's algorithm and
        // delayed ACKs add ~40 ms to every request on a kept-alive connection.
        client_->set_tcp_nodelay(true);
        client_->set_connection_timeout(options_.timeout);
        client_->set_read_timeout(options_.timeout);
        client_->set_write_timeout(options_.timeout);
        if (!options_.api_key.empty()) client_->set_bearer_token_auth(options_.api_key);
    }
    return *client_;
}

HttpReply RetryingHttpClient::post(std::string_view path, const std::string& body,
                                   const DataSink& on_data, const Pause& pause) {
    std::string problem;
    for (int attempt = 0;; ++attempt) {
        if (attempt > 0) ++retries_;
        ++requests_;
        httplib::Request req;
        req.method = "POST";
        req.path = std::string(path);
        req.body = body;
        req.set_header("Content-Type", "application/json");
        bool streaming = false, streamed_any = false;
        std::string error_body;  // a non-200 body while streaming, kept for the caller
        if (on_data) {
            req.response_handler = [&](const httplib::Response& r) {
                streaming = r.status == 200;
                return true;
            };
            req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
                if (!streaming) {
                    error_body.append(data, n);
                    return true;
                }
                streamed_any = true;
                return on_data(std::string_view(data, n));
            };
        }
        httplib::Response res;
        httplib::Error error = httplib::Error::Success;
        std::chrono::milliseconds wait_at_least{0};
        bool connection_failed = false;
        const bool sent = client().send(req, res, error);
        if (sent && on_data && !streaming) res.body = std::move(error_body);
        if (!sent) {
            problem = describe_transport_error(error, options_.timeout);
            connection_failed =
                error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout;
            client_.reset();  // a half-read reply must never be read as the next one
            if (streamed_any) throw HttpError(problem, attempt + 1, false);
        } else if (res.status == 429 || res.status >= 500) {
            problem = "HTTP " + std::to_string(res.status) + " '" +
                      protocol_json::snippet(res.body) + "'";
            wait_at_least = retry_after(res);
        } else {
            return {res.status, std::move(res.body)};
        }
        if (attempt >= options_.max_retries) {
            HttpError e(problem, attempt + 1, false);
            e.connection_failed = connection_failed;
            throw e;
        }
        const auto delay = std::max(wait_at_least, jittered_backoff(attempt, options_.retry_base));
        if (pause) {
            if (!pause(delay)) throw HttpError(problem, attempt + 1, true);
        } else {
            std::this_thread::sleep_for(delay);
        }
    }
}

}  // namespace vcfagent::embed
