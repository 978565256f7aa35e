#include "index/fifo_admission.hpp"

#include <algorithm>
#include <thread>

namespace vcfagent::index {

FifoAdmission::FifoAdmission(size_t slots) : free_(std::max<size_t>(1, slots)) {}

void FifoAdmission::acquire() {
    MutexLock lock(mutex_);
    if (free_ > 0 && queue_.empty()) {
        --free_;
        return;
    }
    Waiter me;
    queue_.push_back(&me);
    while (!me.admitted) lock.wait(me.cv);
}

bool FifoAdmission::try_acquire(size_t max_waiting, std::chrono::milliseconds wait) {
    MutexLock lock(mutex_);
    if (free_ > 0 && queue_.empty()) {
        --free_;
        return true;
    }
    if (queue_.size() >= max_waiting) return false;
    Waiter me;
    queue_.push_back(&me);
    // Waits until admitted or the deadline, spurious wake-ups included; admitted decides, also
    // when the deadline passed. Admission happens under the lock, so a waiter that timed out is
    // still in the queue.
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (!me.admitted)
        if (lock.wait_until(me.cv, deadline) == std::cv_status::timeout) break;
    if (me.admitted) return true;
    queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
    return false;
}

void FifoAdmission::release() {
    MutexLock lock(mutex_);
    if (queue_.empty()) {
        ++free_;
        return;
    }
    // The slot passes straight to the oldest waiter, so a newcomer cannot overtake it.
    Waiter* next = queue_.front();
    queue_.pop_front();
    next->admitted = true;
    next->cv.notify_one();
}

size_t hardware_slots() {
    // Two per hardware thread: a slot handed to a sleeping waiter takes a wake-up before it
    // runs, and the spare slots keep the cores busy meanwhile. Measured with 32 clients on 2
    // cores (README "Measured"): 2 slots/core beat 1, and 4 were no better.
    return 2 * std::max<size_t>(1, std::thread::hardware_concurrency());
}

size_t FifoAdmission::waiting() {
    MutexLock lock(mutex_);
    return queue_.size();
}

}  // namespace vcfagent::index
