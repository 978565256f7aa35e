#pragma once
// Kuzu settings for tests that open an engine of their own.
#include <kuzu.hpp>

namespace vcfagent::test {

// A small address-space reservation: the default 8 TiB does not fit beside ThreadSanitizer's
// shadow memory (the store reserves less under TSan for the same reason).
inline kuzu::main::SystemConfig small_kuzu_config() {
    kuzu::main::SystemConfig config;
    config.maxDBSize = uint64_t{1} << 37;
    return config;
}

}  // namespace vcfagent::test
