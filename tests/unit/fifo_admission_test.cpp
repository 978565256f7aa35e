// FifoAdmission: never more callers inside than slots, and waiters are admitted in arrival order.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "index/fifo_admission.hpp"

namespace vcfagent::index {
namespace {

TEST(FifoAdmission, NeverAdmitsMoreThanItsSlots) {
    FifoAdmission gate(2);
    std::atomic<int> inside{0}, most{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 12; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                FifoAdmission::Slot slot(gate);
                const int now = ++inside;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                std::this_thread::sleep_for(std::chrono::microseconds(50));
                --inside;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(most.load(), 2);
}

TEST(FifoAdmission, AdmitsWaitersInArrivalOrder) {
    FifoAdmission gate(1);
    gate.acquire();  // every thread below has to queue
    std::mutex order_mutex;
    std::vector<int> order;
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            FifoAdmission::Slot slot(gate);
            std::lock_guard lock(order_mutex);
            order.push_back(t);
        });
        // Thread t is in the queue before thread t+1 starts (a fixed sleep was not enough on a
        // loaded machine).
        while (gate.waiting() < static_cast<size_t>(t + 1))
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    gate.release();
    for (auto& t : threads) t.join();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

}  // namespace
}  // namespace vcfagent::index
