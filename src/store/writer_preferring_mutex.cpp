#include "store/writer_preferring_mutex.hpp"

#include <cerrno>
#include <system_error>

namespace vcfagent::store {

namespace {
void check(int rc, const char* what) {
    if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}
}  // namespace

WriterPreferringSharedMutex::WriterPreferringSharedMutex() {
    pthread_rwlockattr_t attr;
    check(pthread_rwlockattr_init(&attr), "pthread_rwlockattr_init");
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    const int rc = pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
    check(rc, "pthread_rwlock_init");
}

WriterPreferringSharedMutex::~WriterPreferringSharedMutex() {
    pthread_rwlock_destroy(&lock_);
}

void WriterPreferringSharedMutex::lock() {
    check(pthread_rwlock_wrlock(&lock_), "rwlock wrlock");
}
bool WriterPreferringSharedMutex::try_lock() {
    return pthread_rwlock_trywrlock(&lock_) == 0;
}
void WriterPreferringSharedMutex::unlock() {
    pthread_rwlock_unlock(&lock_);
}

void WriterPreferringSharedMutex::lock_shared() {
    int rc;
    // EAGAIN: too many concurrent readers; wait for one to leave.
    while ((rc = pthread_rwlock_rdlock(&lock_)) == EAGAIN) {
    }
    check(rc, "rwlock rdlock");
}
bool WriterPreferringSharedMutex::try_lock_shared() {
    return pthread_rwlock_tryrdlock(&lock_) == 0;
}
void WriterPreferringSharedMutex::unlock_shared() {
    pthread_rwlock_unlock(&lock_);
}

}  // namespace vcfagent::store
