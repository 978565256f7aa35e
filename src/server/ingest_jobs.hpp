#pragma once
// Ingest as a job of the server: files are loaded one at a time on a thread of their own into
// the store the server holds open for writing, while readers keep being served from it. Each
// job reports progress (records, records/s, ETA) and, at the end, the ingest report or error.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/mutex.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::server {

class IngestJobs {
  public:
    // `max_queued`: jobs waiting beyond the running one; submit() refuses more. `after_job`
    // runs after each load that committed something (the server brings its variant index up
    // to date there).
    IngestJobs(store::GraphStore& graph, size_t max_queued, std::function<void()> after_job);
    ~IngestJobs();  // stop()
    IngestJobs(const IngestJobs&) = delete;
    IngestJobs& operator=(const IngestJobs&) = delete;

    // Queues `path` (already checked to be a readable file); its job id, or "" when the queue
    // is full.
    std::string submit(const std::string& path, const std::string& label);
    // {id, path, status: queued|running|done|failed|cancelled|interrupted, records, bytes,
    // total_bytes,
    //  records_per_second, eta_seconds, report | error}; null for an unknown id.
    nlohmann::json status(const std::string& id) const;
    size_t running() const;
    int64_t records_total() const { return records_total_.load(); }
    // Cancels the queued jobs and stops the running one at its next chunk boundary: its open
    // batch commits, the job ends "interrupted", and the file's next load resumes after the
    // batches it committed. Waits for that commit.
    void stop();

  private:
    struct Job {
        std::string id, path, label;  // fixed before the job is queued
        // status, report, error and started are guarded by IngestJobs::mutex_; not annotated,
        // as GUARDED_BY can only name a mutex reached from the Job itself.
        std::string status = "queued";
        nlohmann::json report, error;
        std::atomic<int64_t> records{0}, bytes{0}, total_bytes{-1};
        std::chrono::steady_clock::time_point started;
    };
    void run();

    store::GraphStore& graph_;
    const std::function<void()> after_job_;
    const size_t max_queued_;
    // Guards jobs_, queue_, stopping_ and each job's status, report, error and started.
    mutable Mutex mutex_;
    std::condition_variable work_;
    std::map<std::string, std::shared_ptr<Job>> jobs_ GUARDED_BY(mutex_);
    std::deque<std::shared_ptr<Job>> queue_ GUARDED_BY(mutex_);
    bool stopping_ GUARDED_BY(mutex_) = false;
    // Set by stop(); the running load reads it after each chunk (lock-free: the load runs
    // without mutex_).
    std::atomic<bool> stop_running_{false};
    std::atomic<int64_t> records_total_{0};  // records read by every job, for /metrics
    std::thread worker_;
};

}  // namespace vcfagent::server
