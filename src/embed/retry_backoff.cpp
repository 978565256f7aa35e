#include "embed/retry_backoff.hpp"

#include <algorithm>
#include <random>

namespace vcfagent::embed {

std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        double unit_random, std::chrono::milliseconds cap) {
    double full = double(std::max<int64_t>(base.count(), 1));
    for (int i = 0; i < attempt && full < double(cap.count()); ++i) full *= 2;
    full = std::min(full, double(cap.count()));
    const double jittered = full * (0.5 + 0.5 * std::clamp(unit_random, 0.0, 1.0));
    return std::chrono::milliseconds(std::max<int64_t>(1, static_cast<int64_t>(jittered)));
}

std::chrono::milliseconds jittered_backoff(int attempt, std::chrono::milliseconds base) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    return backoff_delay(attempt, base, unit(rng));
}

}  // namespace vcfagent::embed
