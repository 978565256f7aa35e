#pragma once
// A blocking FIFO with a fixed capacity between pipeline stages: a fast producer waits for the
// consumer instead of growing memory. close() wakes everyone; pop() then drains what is left
// and returns false. fail() carries a producer's exception to the consumer.
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>

namespace vcfagent::ingest {

template <typename T>
class BoundedQueue {
public:
    explicit BoundedQueue(size_t capacity) : capacity_(capacity ? capacity : 1) {}

    // False when the queue was closed (the consumer gave up); the item is dropped.
    bool push(T item) {
        std::unique_lock lock(mutex_);
        not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
        if (closed_) return false;
        items_.push_back(std::move(item));
        not_empty_.notify_one();
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
        not_full_.notify_one();
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
    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<T> items_;
    bool closed_ = false;
    std::exception_ptr error_;
};

}  // namespace vcfagent::ingest
