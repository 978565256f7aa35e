#pragma once
// Wall-clock seconds since a steady-clock time point: the one way stage timings are taken.
#include <chrono>

namespace vcfagent {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace vcfagent
