// Breaks the locking rules on purpose: tests/thread_safety/check.py requires clang to report an
// error on every line marked "expect", which shows the analysis is on and sees through the
// project's mutex wrappers.
#include "common/mutex.hpp"

namespace {
using vcfagent::Mutex;
using vcfagent::MutexLock;
using vcfagent::ReadLock;
using vcfagent::SharedMutex;
using vcfagent::WriteLock;

class Account {
  public:
    void deposit_unlocked(int n) {
        balance_ += n;  // expect: thread-safety (no lock held)
    }
    void deposit_while_reading(int n) {
        ReadLock<SharedMutex> read(history_mutex_);
        entries_ += n;  // expect: thread-safety (a shared lock does not allow writing)
    }
    void settle() REQUIRES(mutex_) { balance_ = 0; }
    void settle_unlocked() {
        settle();  // expect: thread-safety (settle requires mutex_)
    }
    void deposit(int n) {
        MutexLock lock(mutex_);
        balance_ += n;
    }
    int entries() {
        ReadLock<SharedMutex> read(history_mutex_);
        return entries_;
    }
    void add_entry() {
        WriteLock<SharedMutex> write(history_mutex_);
        ++entries_;
    }

  private:
    Mutex mutex_;
    int balance_ GUARDED_BY(mutex_) = 0;
    SharedMutex history_mutex_;
    int entries_ GUARDED_BY(history_mutex_) = 0;
};
}  // namespace

void use_account() {
    Account a;
    a.deposit(1);
    a.deposit_unlocked(1);
    a.deposit_while_reading(1);
    a.settle_unlocked();
    a.add_entry();
    (void)a.entries();
}
