#include "server/index_follower.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

#include "server/background_priority.hpp"

namespace vcfagent::server {

namespace {
// How often the write generation is looked at: short beside a batch's commit, and reading an
// atomic costs nothing.
constexpr std::chrono::milliseconds kPoll{10};
}  // namespace

IndexFollower::IndexFollower(const store::GraphStore& graph, std::function<void()> catch_up)
    : graph_(graph), catch_up_(std::move(catch_up)), thread_([this] { run(); }) {}

IndexFollower::~IndexFollower() {
    {
        MutexLock lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void IndexFollower::run() {
    // A catch-up is background work like the job whose commits it follows (its appends hold
    // the index's lock only a page at a time; the rest, reading, embedding and saving, need
    // not go before requests).
    run_in_background("the variant index's catch-ups");
    uint64_t seen = graph_.write_generation();
    bool failed = false;  // logged once per run of failures
    for (;;) {
        {
            MutexLock lock(mutex_);
            if (!stopping_) lock.wait_until(wake_, std::chrono::steady_clock::now() + kPoll);
            if (stopping_) return;
        }
        const uint64_t now = graph_.write_generation();
        if (now == seen) continue;
        // Read before the catch-up, which reads it again: a commit during the catch-up is
        // seen at the next look.
        seen = now;
        try {
            catch_up_();
            failed = false;
        } catch (const std::exception& e) {
            if (!failed) spdlog::warn("the variant index could not catch up: {}", e.what());
            failed = true;
        }
    }
}

}  // namespace vcfagent::server
