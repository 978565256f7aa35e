#pragma once
// The server's counters for /metrics (Prometheus text format 0.0.4) and the alert rules /health
// reports: requests and errors per endpoint, latency histograms per endpoint, connections and
// requests in flight, resident memory. Alerts (memory, error rate, p95 latency over a recent
// window) are logged once when raised and once when cleared.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "common/mutex.hpp"

namespace vcfagent::server {

struct AlertThresholds {
    uint64_t memory_mb = 0;         // resident memory above this raises "memory" (0: off)
    double error_rate = 0;          // 5xx share of the window's requests above this (0: off)
    double p95_latency_ms = 0;      // window p95 above this (0: off)
    size_t window_requests = 1000;  // the window: the most recent requests
};

class Metrics {
  public:
    static constexpr std::array<double, 13> kBuckets = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    void observe(const std::string& endpoint, int status, double seconds);
    std::atomic<int64_t> active_connections{0};
    std::atomic<int64_t> in_flight{0};
    std::atomic<uint64_t> rejected_overload{0};

    // Prometheus text; `extra` lines (gauges owned by others) are appended as they are.
    std::string render(const std::string& extra) const;

    void set_thresholds(const AlertThresholds& t);
    AlertThresholds thresholds() const;
    // Re-evaluates the alerts (memory now, the window's error rate and p95); logs changes.
    // Returns the active alerts' descriptions.
    std::vector<std::string> evaluate_alerts();

  private:
    struct Series {
        uint64_t requests = 0, errors = 0;
        std::array<uint64_t, kBuckets.size()> buckets{};  // cumulative at render time
        double sum = 0;
    };
    mutable Mutex mutex_;  // guards series_, window_, thresholds_, active_
    std::map<std::string, Series> series_ GUARDED_BY(mutex_);
    std::deque<std::pair<double, bool>> window_ GUARDED_BY(mutex_);  // recent (seconds, was 5xx)
    AlertThresholds thresholds_ GUARDED_BY(mutex_);
    std::map<std::string, std::string> active_ GUARDED_BY(mutex_);  // alert name -> description
};

}  // namespace vcfagent::server
