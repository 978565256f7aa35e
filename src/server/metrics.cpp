#include "server/metrics.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "common/process_memory.hpp"

namespace vcfagent::server {

void Metrics::observe(const std::string& endpoint, int status, double seconds) {
    MutexLock lock(mutex_);
    Series& s = series_[endpoint];
    ++s.requests;
    if (status >= 500) ++s.errors;
    s.sum += seconds;
    for (size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) {
            ++s.buckets[i];
            break;
        }
    window_.emplace_back(seconds, status >= 500);
    while (window_.size() > std::max<size_t>(1, thresholds_.window_requests)) window_.pop_front();
}

std::string Metrics::render(const std::string& extra) const {
    std::string out;
    char buf[256];
    auto line = [&](const char* fmt, auto... args) {
        std::snprintf(buf, sizeof buf, fmt, args...);
        out += buf;
    };
    out +=
        "# HELP vcf_agent_resident_memory_bytes Resident set size of the server process.\n"
        "# TYPE vcf_agent_resident_memory_bytes gauge\n";
    line("vcf_agent_resident_memory_bytes %llu\n",
         static_cast<unsigned long long>(current_rss_bytes()));
    out +=
        "# HELP vcf_agent_active_connections Open client connections.\n"
        "# TYPE vcf_agent_active_connections gauge\n";
    line("vcf_agent_active_connections %lld\n", static_cast<long long>(active_connections.load()));
    out +=
        "# HELP vcf_agent_requests_in_flight Requests being answered.\n"
        "# TYPE vcf_agent_requests_in_flight gauge\n";
    line("vcf_agent_requests_in_flight %lld\n", static_cast<long long>(in_flight.load()));
    out +=
        "# HELP vcf_agent_overload_rejections_total Requests answered 503 because the queue was "
        "full.\n"
        "# TYPE vcf_agent_overload_rejections_total counter\n";
    line("vcf_agent_overload_rejections_total %llu\n",
         static_cast<unsigned long long>(rejected_overload.load()));
    MutexLock lock(mutex_);
    out +=
        "# HELP vcf_agent_requests_total Requests answered, per endpoint.\n"
        "# TYPE vcf_agent_requests_total counter\n";
    for (const auto& [name, s] : series_)
        line("vcf_agent_requests_total{endpoint=\"%s\"} %llu\n", name.c_str(),
             static_cast<unsigned long long>(s.requests));
    out +=
        "# HELP vcf_agent_request_errors_total Requests answered with a 5xx status, per endpoint.\n"
        "# TYPE vcf_agent_request_errors_total counter\n";
    for (const auto& [name, s] : series_)
        line("vcf_agent_request_errors_total{endpoint=\"%s\"} %llu\n", name.c_str(),
             static_cast<unsigned long long>(s.errors));
    out +=
        "# HELP vcf_agent_request_duration_seconds Request latency, per endpoint.\n"
        "# TYPE vcf_agent_request_duration_seconds histogram\n";
    for (const auto& [name, s] : series_) {
        uint64_t cumulative = 0;
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += s.buckets[i];
            line("vcf_agent_request_duration_seconds_bucket{endpoint=\"%s\",le=\"%g\"} %llu\n",
                 name.c_str(), kBuckets[i], static_cast<unsigned long long>(cumulative));
        }
        line("vcf_agent_request_duration_seconds_bucket{endpoint=\"%s\",le=\"+Inf\"} %llu\n",
             name.c_str(), static_cast<unsigned long long>(s.requests));
        line("vcf_agent_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n", name.c_str(), s.sum);
        line("vcf_agent_request_duration_seconds_count{endpoint=\"%s\"} %llu\n", name.c_str(),
             static_cast<unsigned long long>(s.requests));
    }
    out += "# HELP vcf_agent_alert Active alerts (1 while raised).\n# TYPE vcf_agent_alert gauge\n";
    for (const char* a : {"memory", "error_rate", "p95_latency"})
        line("vcf_agent_alert{alert=\"%s\"} %d\n", a, active_.count(a) ? 1 : 0);
    return out + extra;
}

void Metrics::set_thresholds(const AlertThresholds& t) {
    MutexLock lock(mutex_);
    thresholds_ = t;
}

AlertThresholds Metrics::thresholds() const {
    MutexLock lock(mutex_);
    return thresholds_;
}

std::vector<std::string> Metrics::evaluate_alerts() {
    const double rss_mb = static_cast<double>(current_rss_bytes()) / (1 << 20);
    MutexLock lock(mutex_);
    std::map<std::string, std::string> now;
    char buf[160];
    if (thresholds_.memory_mb && rss_mb > static_cast<double>(thresholds_.memory_mb)) {
        std::snprintf(buf, sizeof buf, "resident memory %.0f MB above %llu MB", rss_mb,
                      static_cast<unsigned long long>(thresholds_.memory_mb));
        now["memory"] = buf;
    }
    if (!window_.empty()) {
        size_t errors = 0;
        std::vector<double> latencies;
        latencies.reserve(window_.size());
        for (const auto& [seconds, error] : window_) {
            errors += error;
            latencies.push_back(seconds);
        }
        const double rate = static_cast<double>(errors) / static_cast<double>(window_.size());
        if (thresholds_.error_rate > 0 && rate > thresholds_.error_rate) {
            std::snprintf(buf, sizeof buf, "error rate %.3f above %.3f over the last %zu requests",
                          rate, thresholds_.error_rate, window_.size());
            now["error_rate"] = buf;
        }
        const size_t k = (latencies.size() * 95 + 99) / 100 - 1;
        std::nth_element(latencies.begin(), latencies.begin() + static_cast<ptrdiff_t>(k),
                         latencies.end());
        const double p95_ms = latencies[k] * 1000;
        if (thresholds_.p95_latency_ms > 0 && p95_ms > thresholds_.p95_latency_ms) {
            std::snprintf(buf, sizeof buf, "p95 latency %.1f ms above %.1f ms", p95_ms,
                          thresholds_.p95_latency_ms);
            now["p95_latency"] = buf;
        }
    }
    for (const auto& [name, text] : now)
        if (!active_.count(name)) spdlog::warn("alert raised: {}: {}", name, text);
    for (const auto& [name, text] : active_)
        if (!now.count(name)) spdlog::info("alert cleared: {}", name);
    active_ = now;
    std::vector<std::string> out;
    for (const auto& [name, text] : active_) out.push_back(name + ": " + text);
    return out;
}

}  // namespace vcfagent::server
