#pragma once
// Mutexes the thread-safety analysis knows (see thread_annotations.hpp), and their scoped locks.
// Lock them through the scoped types; a condition variable waits through MutexLock::wait, in a
// loop whose condition reads the guarded state (the analysis checks the condition too, which
// it cannot do for a predicate lambda).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>

#include "common/thread_annotations.hpp"

namespace vcfagent {

class CAPABILITY("mutex") Mutex {
  public:
    void lock() ACQUIRE() { mutex_.lock(); }
    void unlock() RELEASE() { mutex_.unlock(); }

  private:
    friend class MutexLock;
    std::mutex mutex_;
};

// Holds a Mutex for its scope; waits on condition variables with it.
class SCOPED_CAPABILITY MutexLock {
  public:
    explicit MutexLock(Mutex& m) ACQUIRE(m) : lock_(m.mutex_) {}
    ~MutexLock() RELEASE() {}
    MutexLock(const MutexLock&) = delete;
    MutexLock& operator=(const MutexLock&) = delete;

    // Releases the mutex while blocked and holds it again on return (spurious wake-ups
    // included: call it in a loop).
    void wait(std::condition_variable& cv) { cv.wait(lock_); }
    template <class Clock, class Duration>
    std::cv_status wait_until(std::condition_variable& cv,
                              const std::chrono::time_point<Clock, Duration>& t) {
        return cv.wait_until(lock_, t);
    }

  private:
    std::unique_lock<std::mutex> lock_;
};

class CAPABILITY("shared mutex") SharedMutex {
  public:
    void lock() ACQUIRE() { mutex_.lock(); }
    void unlock() RELEASE() { mutex_.unlock(); }
    void lock_shared() ACQUIRE_SHARED() { mutex_.lock_shared(); }
    void unlock_shared() RELEASE_SHARED() { mutex_.unlock_shared(); }

  private:
    std::shared_mutex mutex_;
};

// Holds any exclusive capability with lock()/unlock() for its scope (a Mutex that no condition
// variable waits on, a SharedMutex, store::WriterPreferringSharedMutex).
template <class M>
class SCOPED_CAPABILITY WriteLock {
  public:
    explicit WriteLock(M& m) ACQUIRE(m) : m_(m) { m_.lock(); }
    ~WriteLock() RELEASE() { m_.unlock(); }
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

  private:
    M& m_;
};

// Holds a shared capability (lock_shared()/unlock_shared()) for its scope.
template <class M>
class SCOPED_CAPABILITY ReadLock {
  public:
    explicit ReadLock(M& m) ACQUIRE_SHARED(m) : m_(m) { m_.lock_shared(); }
    ~ReadLock() RELEASE() { m_.unlock_shared(); }
    ReadLock(const ReadLock&) = delete;
    ReadLock& operator=(const ReadLock&) = delete;

  private:
    M& m_;
};

// A shared hold of `m` taken without locking it, by a thread that holds `writers`: the lock
// every change to m's data also holds. Such a thread reads that data as if it held `m` shared
// (no writer can run meanwhile) and still locks `m` to change it, after this scope ends.
// That the caller holds `writers` is for the caller's own REQUIRES to check: on a scoped
// capability's constructor clang reads REQUIRES as adopting the lock, not as a precondition.
template <class M, class W>
class SCOPED_CAPABILITY WritersExcluded {
  public:
    WritersExcluded([[maybe_unused]] M& m, W& /*writers*/) ACQUIRE_SHARED(m) {}
    ~WritersExcluded() RELEASE() {}
    WritersExcluded(const WritersExcluded&) = delete;
    WritersExcluded& operator=(const WritersExcluded&) = delete;
};

}  // namespace vcfagent
