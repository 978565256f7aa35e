#include "server/ingest_jobs.hpp"

#include <spdlog/spdlog.h>

#include "common/elapsed.hpp"
#include "ingest/ingest_job.hpp"
#include "server/background_priority.hpp"
#include "server/token_store.hpp"

namespace vcfagent::server {

using nlohmann::json;

namespace {
json report_json(const ingest::IngestReport& r) {
    return {{"records", r.records},
            {"variants", r.variants},
            {"new_variants", r.new_variants},
            {"new_edges", r.new_edges},
            {"batches", r.batches},
            {"seconds", r.seconds},
            {"skipped_already_loaded", r.skipped_already_loaded},
            {"resumed", r.resumed},
            {"interrupted", r.interrupted}};
}
}  // namespace

IngestJobs::IngestJobs(store::GraphStore& graph, size_t max_queued, std::function<void()> after_job)
    : graph_(graph),
      after_job_(std::move(after_job)),
      max_queued_(max_queued),
      worker_([this] { run(); }) {}

IngestJobs::~IngestJobs() {
    stop();
}

std::string IngestJobs::submit(const std::string& path, const std::string& label) {
    auto job = std::make_shared<Job>();
    job->id = random_hex(8);
    job->path = path;
    job->label = label;
    {
        MutexLock lock(mutex_);
        if (stopping_ || queue_.size() >= max_queued_) return "";
        jobs_[job->id] = job;
        queue_.push_back(job);
    }
    work_.notify_one();
    return job->id;
}

json IngestJobs::status(const std::string& id) const {
    MutexLock lock(mutex_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return nullptr;
    const Job& j = *it->second;
    json out = {{"id", j.id},
                {"path", j.label},
                {"status", j.status},
                {"records", j.records.load()},
                {"bytes", j.bytes.load()},
                {"total_bytes", j.total_bytes.load()}};
    if (j.status == "running") {
        const double secs = seconds_since(j.started);
        const double rate = secs > 0 ? static_cast<double>(j.records.load()) / secs : 0;
        out["records_per_second"] = rate;
        const int64_t total = j.total_bytes.load(), done = j.bytes.load();
        out["eta_seconds"] =
            total > 0 && done > 0
                ? json(secs * static_cast<double>(total - done) / static_cast<double>(done))
                : json(nullptr);
    }
    if (!j.report.is_null()) out["report"] = j.report;
    if (!j.error.is_null()) out["error"] = j.error;
    return out;
}

size_t IngestJobs::running() const {
    MutexLock lock(mutex_);
    size_t n = 0;
    for (const auto& [id, j] : jobs_) n += j->status == "running";
    return n;
}

void IngestJobs::stop() {
    {
        MutexLock lock(mutex_);
        if (stopping_ && !worker_.joinable()) return;
        stopping_ = true;
        stop_running_ = true;
        for (auto& j : queue_) j->status = "cancelled";
        queue_.clear();
    }
    work_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void IngestJobs::run() {
    run_in_background("ingest jobs");
    for (;;) {
        std::shared_ptr<Job> job;
        {
            MutexLock lock(mutex_);
            while (!stopping_ && queue_.empty()) lock.wait(work_);
            if (queue_.empty()) return;
            job = queue_.front();
            queue_.pop_front();
            job->status = "running";
            job->started = std::chrono::steady_clock::now();
        }
        ingest::IngestOptions options;
        options.stop_requested = &stop_running_;
        ingest::IngestReport partial;
        json report, error;
        bool interrupted = false;
        try {
            const auto r = ingest::ingest_file(
                graph_, job->path, options,
                [&](int64_t records, int64_t bytes, int64_t total) {
                    records_total_ += records - job->records.load();
                    job->records = records;
                    job->bytes = bytes;
                    job->total_bytes = total;
                },
                &partial);
            report = report_json(r);
            interrupted = r.interrupted;
        } catch (const std::exception& e) {
            error = e.what();
            report = report_json(partial);
        }
        // A stopped load leaves the variant index to the next reader (it is a cache).
        if (after_job_ && !interrupted) {
            try {
                after_job_();
            } catch (const std::exception& e) {
                if (error.is_null()) error = std::string("the variant index: ") + e.what();
            }
        }
        MutexLock lock(mutex_);
        job->report = report;
        job->error = error;
        job->status = !error.is_null() ? "failed" : interrupted ? "interrupted" : "done";
    }
}

}  // namespace vcfagent::server
