#pragma once
// A reader/writer lock that lets a waiting writer in ahead of newly arriving readers.
// std::shared_mutex on glibc prefers readers, so a steady stream of searches or queries could
// keep a vector commit or a graph COMMIT waiting indefinitely. Meets the SharedMutex requirements,
// so it works with std::unique_lock and std::shared_lock. Not recursive: a thread holding it shared
// must not lock it again.
#include <pthread.h>

#include "common/thread_annotations.hpp"

namespace vcfagent::store {

class CAPABILITY("shared mutex") WriterPreferringSharedMutex {
  public:
    WriterPreferringSharedMutex();
    ~WriterPreferringSharedMutex();
    WriterPreferringSharedMutex(const WriterPreferringSharedMutex&) = delete;
    WriterPreferringSharedMutex& operator=(const WriterPreferringSharedMutex&) = delete;

    void lock() ACQUIRE();
    bool try_lock() TRY_ACQUIRE(true);
    void unlock() RELEASE();
    void lock_shared() ACQUIRE_SHARED();
    bool try_lock_shared() TRY_ACQUIRE_SHARED(true);
    void unlock_shared() RELEASE_SHARED();

  private:
    pthread_rwlock_t lock_;
};

}  // namespace vcfagent::store
