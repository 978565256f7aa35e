#include "fake_embedding_server.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <stdexcept>

#include "embed/httplib_include.hpp"

namespace vcfagent::test {

namespace {

uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Shortest round-trip text of each float: several times faster than a JSON library's
// general writer, so a benchmark's in-process server takes little of the client's CPU.
std::string json_array(const std::vector<float>& v) {
    std::string s;
    s.reserve(v.size() * 12 + 2);
    s.push_back('[');
    char buf[32];
    for (size_t i = 0; i < v.size(); ++i) {
        if (i) s.push_back(',');
        const auto r = std::to_chars(buf, buf + sizeof buf, v[i]);
        s.append(buf, r.ptr);
    }
    s.push_back(']');
    return s;
}

// Idle keep-alive connections hold a server thread this long; short so stop() is quick.
constexpr int kKeepAliveSeconds = 1;

}  // namespace

FakeEmbeddingServer::FakeEmbeddingServer(FakeEmbeddingServerOptions options)
    : server_(std::make_unique<httplib::Server>()), options_(options) {
    const size_t threads = static_cast<size_t>(std::max(1, options.threads));
    server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_->set_keep_alive_max_count(1000000);
    server_->set_keep_alive_timeout(kKeepAliveSeconds);
    server_->set_tcp_nodelay(true);
    server_->Post("/api/embed", [this](const httplib::Request& req, httplib::Response& res) {
        handle(Api::Ollama, req, res);
    });
    server_->Post("/v1/embeddings", [this](const httplib::Request& req, httplib::Response& res) {
        handle(Api::OpenAi, req, res);
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("fake embedding server: cannot bind 127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeEmbeddingServer::~FakeEmbeddingServer() {
    stop();
}

std::string FakeEmbeddingServer::url() const {
    return "http://127.0.0.1:" + std::to_string(port_);
}

void FakeEmbeddingServer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    server_->stop();
    if (thread_.joinable()) thread_.join();
}

void FakeEmbeddingServer::fail_next(int count, int status) {
    std::lock_guard lock(mutex_);
    fail_count_ = count;
    fail_status_ = status;
}
void FakeEmbeddingServer::set_stall(std::chrono::milliseconds stall) {
    std::lock_guard lock(mutex_);
    stall_ = stall;
}
void FakeEmbeddingServer::set_latency(std::chrono::milliseconds latency,
                                      std::chrono::microseconds per_item) {
    std::lock_guard lock(mutex_);
    options_.latency = latency;
    options_.per_item = per_item;
}
void FakeEmbeddingServer::set_dimension(int dimension) {
    std::lock_guard lock(mutex_);
    options_.dimension = dimension;
}
void FakeEmbeddingServer::set_ragged(bool on) {
    std::lock_guard lock(mutex_);
    ragged_ = on;
}
void FakeEmbeddingServer::set_malformed(bool on) {
    std::lock_guard lock(mutex_);
    malformed_ = on;
}
void FakeEmbeddingServer::set_drop_one(bool on) {
    std::lock_guard lock(mutex_);
    drop_one_ = on;
}
void FakeEmbeddingServer::set_reverse_order(bool on) {
    std::lock_guard lock(mutex_);
    reverse_ = on;
}

size_t FakeEmbeddingServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}
size_t FakeEmbeddingServer::max_in_flight() const {
    std::lock_guard lock(mutex_);
    return max_in_flight_;
}
std::vector<size_t> FakeEmbeddingServer::batch_sizes() const {
    std::lock_guard lock(mutex_);
    return batch_sizes_;
}
std::vector<std::string> FakeEmbeddingServer::texts() const {
    std::lock_guard lock(mutex_);
    return texts_;
}
size_t FakeEmbeddingServer::connections() const {
    std::lock_guard lock(mutex_);
    return connections_.size();
}
std::string FakeEmbeddingServer::last_authorization() const {
    std::lock_guard lock(mutex_);
    return last_authorization_;
}
std::string FakeEmbeddingServer::last_model() const {
    std::lock_guard lock(mutex_);
    return last_model_;
}
void FakeEmbeddingServer::reset_stats() {
    std::lock_guard lock(mutex_);
    requests_ = 0;
    max_in_flight_ = in_flight_;
    batch_sizes_.clear();
    texts_.clear();
    connections_.clear();
}

std::vector<float> FakeEmbeddingServer::vector_for(std::string_view text, int dimension) {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    std::vector<float> v(static_cast<size_t>(std::max(0, dimension)));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(double(mix64(h + i) >> 11) * 0x1p-53 * 2.0 - 1.0);
    return v;
}

void FakeEmbeddingServer::sleep_for(std::chrono::microseconds d) {
    if (d.count() <= 0) return;
    std::unique_lock lock(mutex_);
    stop_cv_.wait_for(lock, d, [&] { return stopping_; });
}

void FakeEmbeddingServer::handle(Api api, const httplib::Request& req, httplib::Response& res) {
    FakeEmbeddingServerOptions opts;
    std::chrono::milliseconds stall{0};
    bool ragged, malformed, drop_one, reverse;
    int fail_status = 0;
    {
        std::lock_guard lock(mutex_);
        ++requests_;
        max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
        connections_.emplace(req.remote_addr, req.remote_port);
        last_authorization_ = req.get_header_value("Authorization");
        if (fail_count_ > 0) {
            --fail_count_;
            fail_status = fail_status_;
        }
        opts = options_;
        stall = stall_;
        ragged = ragged_;
        malformed = malformed_;
        drop_one = drop_one_;
        reverse = reverse_;
    }
    struct InFlight {
        FakeEmbeddingServer* self;
        ~InFlight() {
            std::lock_guard lock(self->mutex_);
            --self->in_flight_;
        }
    } in_flight{this};

    if (fail_status != 0) {
        res.status = fail_status;
        res.set_content(R"({"error":"injected failure"})", "application/json");
        return;
    }
    const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.contains("input") || !body.contains("model")) {
        res.status = 400;
        res.set_content(R"({"error":"request needs model and input"})", "application/json");
        return;
    }
    std::vector<std::string> inputs;
    if (body["input"].is_string())
        inputs.push_back(body["input"].get<std::string>());
    else
        inputs = body["input"].get<std::vector<std::string>>();
    const std::string model = body["model"].is_string() ? body["model"].get<std::string>() : "";
    {
        std::lock_guard lock(mutex_);
        last_model_ = model;
        batch_sizes_.push_back(inputs.size());
        texts_.insert(texts_.end(), inputs.begin(), inputs.end());
    }
    sleep_for(opts.latency + opts.per_item * static_cast<int64_t>(inputs.size()));
    if (stall.count() > 0) {
        sleep_for(stall);
        return;  // the client has given up; whatever is answered now is never read
    }
    if (malformed) {
        res.set_content(R"({"embeddings": [[0.1, 0.2,)", "application/json");
        return;
    }
    const size_t n = drop_one && !inputs.empty() ? inputs.size() - 1 : inputs.size();
    std::vector<std::string> vectors(n);
    for (size_t i = 0; i < n; ++i) {
        auto v = vector_for(inputs[i], opts.dimension);
        if (ragged && i + 1 == n && !v.empty()) v.pop_back();
        vectors[i] = json_array(v);
    }
    const std::string quoted_model = nlohmann::json(model).dump();
    std::string out;
    if (api == Api::Ollama) {
        out = "{\"model\":" + quoted_model + ",\"embeddings\":[";
        for (size_t i = 0; i < n; ++i) out += (i ? "," : "") + vectors[i];
        out += "]}";
    } else {
        out = "{\"object\":\"list\",\"model\":" + quoted_model + ",\"data\":[";
        for (size_t k = 0; k < n; ++k) {
            const size_t i = reverse ? n - 1 - k : k;
            out += std::string(k ? "," : "") +
                   "{\"object\":\"embedding\",\"index\":" + std::to_string(i) +
                   ",\"embedding\":" + vectors[i] + "}";
        }
        out += "]}";
    }
    res.set_content(out, "application/json");
}

}  // namespace vcfagent::test
