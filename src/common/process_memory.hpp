#pragma once
// This process's resident memory, as the kernel counts it (what `time -v` reports as maximum
// resident set size): the numbers ingest reports and its memory budget is checked against.
#include <cstdint>

namespace vcfagent {

// Peak resident set size so far, in bytes.
uint64_t peak_rss_bytes();
// Current resident set size, in bytes (0 if it cannot be read).
uint64_t current_rss_bytes();

}  // namespace vcfagent
