#pragma once
// A reader/writer lock that lets a waiting writer in ahead of newly arriving readers.
// std::shared_mutex on glibc prefers readers, so a steady stream of searches or queries could
// keep a vector commit or a graph COMMIT waiting indefinitely. Meets the SharedMutex requirements, so it works
// with std::unique_lock and std::shared_lock. Not recursive: a thread holding it shared must
// not lock it again.
#include <pthread.h>

namespace vcfagent::store {

class WriterPreferringSharedMutex {
  public:
    WriterPreferringSharedMutex();
    ~WriterPreferringSharedMutex();
    WriterPreferringSharedMutex(const WriterPreferringSharedMutex&) = delete;
    WriterPreferringSharedMutex& operator=(const WriterPreferringSharedMutex&) = delete;

    void lock();
    bool try_lock();
    void unlock();
    void lock_shared();
    bool try_lock_shared();
    void unlock_shared();

  private:
    pthread_rwlock_t lock_;
};

}  // namespace vcfagent::store
