#pragma once
// The server's background work (ingest jobs, the variant index's catch-ups after their
// commits, and, in a server that ingests, Kuzu's worker threads, which run the jobs' COPY and
// checkpoints) yields the processor to requests: its threads run at a higher niceness, which
// the threads they start inherit.
namespace vcfagent::server {

inline constexpr int kBackgroundNiceness = 10;

// Lowers the calling thread's priority to kBackgroundNiceness; false (and a warning logged
// naming `what`) when the system refuses.
bool run_in_background(const char* what);

}  // namespace vcfagent::server
