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
#include <mutex>
#include <optional>

namespace vcfagent {

template <typename T>
class BoundedQueue {
  public:
    explicit BoundedQueue(size_t capacity)
        : capacity_(capacity ? capacity : 1), handoff_(capacity == 0) {}

    // False when the queue was closed (the consumer gave up); the item is dropped.
    bool push(T item) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
        if (closed_) return false;
        items_.push_back(std::move(item));
        const uint64_t ticket = ++pushed_;
        not_empty_.notify_one();
        if (handoff_) {
            not_full_.wait(lock, [&] { return closed_ || popped_ >= ticket; });
            return popped_ >= ticket;
        }
        return true;
    }

    // False at the end of the stream. Rethrows a producer failure once the items before it
    // were consumed.
    bool pop(T& out) {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
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
        std::lock_guard lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }

    void fail(std::exception_ptr e) {
        std::lock_guard lock(mutex_);
        error_ = e;
        closed_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }

  private:
    size_t capacity_;
    bool handoff_;
    uint64_t pushed_ = 0, popped_ = 0;
    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<T> items_;
    bool closed_ = false;
    std::exception_ptr error_;
};

}  // namespace vcfagent
