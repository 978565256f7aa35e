#pragma once
// Overload control: at most `slots` requests run at once, at most `queue` more wait, each for
// at most `wait`; anything beyond is refused at once (the server answers 503), so a burst
// cannot pile up work the machine will never finish in time. Waiters are admitted in arrival
// order (index::FifoAdmission: a freed slot passes straight to the oldest one), so no request
// is overtaken again and again; with a condition variable shared by all waiters, a region
// request could wait seconds while newer ones ran (p99 4 s beside a p50 of 250 ms under 64
// connections).
#include <chrono>
#include <cstddef>

#include "index/fifo_admission.hpp"

namespace vcfagent::server {

class Admission {
  public:
    Admission(size_t slots, size_t queue, std::chrono::milliseconds wait)
        : gate_(slots), queue_(queue), wait_(wait) {}
    // True when the caller may run (and must call leave()); false when it must be refused.
    bool enter() { return gate_.try_acquire(queue_, wait_); }
    void leave() { gate_.release(); }
    // Requests waiting in enter() now (for tests that need a known arrival order).
    size_t waiting() { return gate_.waiting(); }

  private:
    index::FifoAdmission gate_;
    const size_t queue_;
    const std::chrono::milliseconds wait_;
};

}  // namespace vcfagent::server
