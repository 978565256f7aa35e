#pragma once
// Overload control: at most `slots` requests run at once, at most `queue` more wait, each for
// at most `wait`; anything beyond is refused at once (the server answers 503), so a burst
// cannot pile up work the machine will never finish in time.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace vcfagent::server {

class Admission {
  public:
    Admission(size_t slots, size_t queue, std::chrono::milliseconds wait)
        : slots_(slots ? slots : 1), queue_(queue), wait_(wait) {}
    // True when the caller may run (and must call leave()); false when it must be refused.
    bool enter() {
        std::unique_lock lock(mutex_);
        if (running_ < slots_) {
            ++running_;
            return true;
        }
        if (waiting_ >= queue_) return false;
        ++waiting_;
        const bool got = free_.wait_for(lock, wait_, [&] { return running_ < slots_; });
        --waiting_;
        if (got) ++running_;
        return got;
    }
    void leave() {
        {
            std::lock_guard lock(mutex_);
            --running_;
        }
        free_.notify_one();
    }

  private:
    const size_t slots_, queue_;
    const std::chrono::milliseconds wait_;
    std::mutex mutex_;  // guards running_ and waiting_
    std::condition_variable free_;
    size_t running_ = 0, waiting_ = 0;
};

}  // namespace vcfagent::server
