#include "server/admission.hpp"

#include <algorithm>

namespace vcfagent::server {

Admission::Admission(size_t slots, size_t queue, std::chrono::milliseconds wait)
    : queue_limit_(queue), wait_(wait), free_(std::max<size_t>(1, slots)) {}

bool Admission::enter() {
    std::unique_lock lock(mutex_);
    if (free_ > 0 && queue_.empty()) {
        --free_;
        return true;
    }
    if (queue_.size() >= queue_limit_) return false;
    Waiter me;
    queue_.push_back(&me);
    // Admission happens under the lock, so a waiter that times out is still in the queue.
    if (me.cv.wait_for(lock, wait_, [&] { return me.admitted; })) return true;
    queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
    return false;
}

void Admission::leave() {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
        ++free_;
        return;
    }
    Waiter* next = queue_.front();
    queue_.pop_front();
    next->admitted = true;
    next->cv.notify_one();
}

size_t Admission::waiting() {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

}  // namespace vcfagent::server
