#pragma once
// How long to wait before retrying a failed embedding request: exponential in the attempt,
// capped, with jitter so many clients (or workers) that failed together do not retry together.
#include <chrono>

namespace vcfagent::embed {

inline constexpr std::chrono::milliseconds kMaxBackoff{10000};

// attempt: 0 for the first retry. unit_random in [0, 1). The result lies in
// [d/2, d) with d = min(cap, base * 2^attempt) ("equal jitter": never a zero wait).
std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        double unit_random,
                                        std::chrono::milliseconds cap = kMaxBackoff);

// backoff_delay with a per-thread random source.
std::chrono::milliseconds jittered_backoff(int attempt, std::chrono::milliseconds base);

}  // namespace vcfagent::embed
