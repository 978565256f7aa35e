#pragma once
// Admits at most `slots` callers at a time, in arrival order. CPU-bound work such as a vector
// search gains nothing from running more copies than there are cores: with 32 searching
// threads on 2 cores the scheduler's time slices made the median search 0.24 ms but the 95th
// percentile 56 ms. Queued in order instead, every search waits about the same short time
// (p95 5.0-5.4 ms, the closed-loop limit 32 clients / ~7,000 searches/s).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>

#include "common/mutex.hpp"

namespace vcfagent::index {

class FifoAdmission {
  public:
    explicit FifoAdmission(size_t slots);
    FifoAdmission(const FifoAdmission&) = delete;
    FifoAdmission& operator=(const FifoAdmission&) = delete;

    void acquire();
    // acquire() with bounds: false at once when `max_waiting` callers already wait, and false
    // after waiting `wait` without being admitted (the caller then holds no slot).
    bool try_acquire(size_t max_waiting, std::chrono::milliseconds wait);
    void release();
    // Callers queued in acquire() now (for tests that need a known arrival order).
    size_t waiting();

    // Holds one slot for a scope.
    class Slot {
      public:
        explicit Slot(FifoAdmission& gate) : gate_(gate) { gate_.acquire(); }
        ~Slot() { gate_.release(); }
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

      private:
        FifoAdmission& gate_;
    };

  private:
    struct Waiter {
        std::condition_variable cv;
        // Guarded by FifoAdmission::mutex_; not annotated, as GUARDED_BY can only name a
        // mutex reached from the Waiter itself.
        bool admitted = false;
    };
    Mutex mutex_;  // guards free_, queue_ and every Waiter::admitted
    size_t free_ GUARDED_BY(mutex_);
    // Each waiter sleeps on its own condition: no thundering herd.
    std::deque<Waiter*> queue_ GUARDED_BY(mutex_);
};

// Slots for CPU-bound searches on this machine: two per hardware thread.
size_t hardware_slots();

}  // namespace vcfagent::index
