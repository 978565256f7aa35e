// The server's overload control: never more requests running than slots, waiters admitted in
// arrival order, a full queue refused at once, and a waiter that waited its limit refused and
// gone from the queue.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "server/admission.hpp"

namespace vcfagent::server {
namespace {

using std::chrono::milliseconds;

void wait_until_waiting(Admission& gate, size_t n) {
    while (gate.waiting() < n) std::this_thread::sleep_for(milliseconds(1));
}

TEST(ServerAdmission, NeverRunsMoreThanItsSlots) {
    Admission gate(2, 64, milliseconds(10000));
    std::atomic<int> inside{0}, most{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 12; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                ASSERT_TRUE(gate.enter());
                const int now = ++inside;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                std::this_thread::sleep_for(std::chrono::microseconds(50));
                --inside;
                gate.leave();
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(most.load(), 2);
}

TEST(ServerAdmission, AdmitsWaitersInArrivalOrder) {
    Admission gate(1, 16, milliseconds(10000));
    ASSERT_TRUE(gate.enter());  // every thread below has to queue
    std::mutex order_mutex;
    std::vector<int> order;
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            ASSERT_TRUE(gate.enter());
            {
                std::lock_guard lock(order_mutex);
                order.push_back(t);
            }
            gate.leave();
        });
        wait_until_waiting(gate, static_cast<size_t>(t + 1));
    }
    // A newcomer arriving while they wait does not take the slot the oldest is owed.
    gate.leave();
    for (auto& t : threads) t.join();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(ServerAdmission, RefusesAtOnceWhenTheQueueIsFull) {
    Admission gate(1, 1, milliseconds(10000));
    ASSERT_TRUE(gate.enter());
    std::thread queued([&] {
        ASSERT_TRUE(gate.enter());
        gate.leave();
    });
    wait_until_waiting(gate, 1);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(gate.enter());  // the one queue place is taken
    EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(1000));
    gate.leave();
    queued.join();
}

TEST(ServerAdmission, AWaiterPastItsLimitIsRefusedAndLeavesTheQueue) {
    Admission gate(1, 4, milliseconds(50));
    ASSERT_TRUE(gate.enter());
    EXPECT_FALSE(gate.enter());  // waits 50 ms, then gives up
    EXPECT_EQ(gate.waiting(), 0u);
    gate.leave();
    // The slot it did not take is free for the next request.
    EXPECT_TRUE(gate.enter());
    gate.leave();
}

}  // namespace
}  // namespace vcfagent::server
