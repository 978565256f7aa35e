#pragma once
// A blocking FIFO with a fixed capacity between pipeline stages: a fast producer waits for the
// consumer instead of growing memory. close() wakes everyone; pop() then drains what is left
// and returns false. fail() carries a producer's exception to the consumer.
// Capacity 0 is a hand-off: push() returns only once the consumer has taken the item, so the
// producer never starts the next item while one waits (one item fewer alive than capacity 1).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <optional>
#include <utility>

#include "common/mutex.hpp"

namespace vcfagent {

template <typename T>
class BoundedQueue {
  public:
    explicit BoundedQueue(size_t capacity)
        : capacity_(capacity ? capacity : 1), handoff_(capacity == 0) {}

    // False when the queue was closed (the consumer gave up); the item is dropped.
    bool push(T item) {
        MutexLock lock(mutex_);
        while (!closed_ && items_.size() >= capacity_) lock.wait(not_full_);
        if (closed_) return false;
        items_.push_back(std::move(item));
        const uint64_t ticket = ++pushed_;
        not_empty_.notify_one();
        if (handoff_) {
            while (!closed_ && popped_ < ticket) lock.wait(not_full_);
            return popped_ >= ticket;
        }
        return true;
    }

    // False at the end of the stream. Rethrows a producer failure once the items before it
    // were consumed.
    bool pop(T& out) {
        MutexLock lock(mutex_);
        while (!closed_ && items_.empty()) lock.wait(not_empty_);
        if (items_.empty()) {
            if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
            return false;
        }
        out = std::move(items_.front());
        items_.pop_front();
        ++popped_;
        not_full_.notify_all();
        return true;
    }

    void close() {
        MutexLock lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }

    void fail(std::exception_ptr e) {
        MutexLock lock(mutex_);
        error_ = e;
        closed_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }

  private:
    const size_t capacity_;
    const bool handoff_;
    Mutex mutex_;  // guards the rest
    std::condition_variable not_empty_, not_full_;
    uint64_t pushed_ GUARDED_BY(mutex_) = 0;
    uint64_t popped_ GUARDED_BY(mutex_) = 0;
    std::deque<T> items_ GUARDED_BY(mutex_);
    bool closed_ GUARDED_BY(mutex_) = false;
    std::exception_ptr error_ GUARDED_BY(mutex_);
};

}  // namespace vcfagent
