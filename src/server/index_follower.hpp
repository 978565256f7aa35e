#pragma once
// Keeps the server's variant index caught up with the graph while ingest jobs commit batches:
// a thread that notices a new write generation of the store (GraphStore::write_generation, a
// counter read without any statement) and runs the index's catch-up. Until the catch-up after
// a commit has finished, the index declines what only a current copy may answer (region
// lookups go to the graph), so readers never see a copy older than a commit they could see.
#include <condition_variable>
#include <functional>
#include <thread>

#include "common/mutex.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::server {

class IndexFollower {
  public:
    // `catch_up` runs on the follower's thread after each change (errors are logged and the
    // next change tries again).
    IndexFollower(const store::GraphStore& graph, std::function<void()> catch_up);
    ~IndexFollower();  // stops the thread (after a catch-up under way)
    IndexFollower(const IndexFollower&) = delete;
    IndexFollower& operator=(const IndexFollower&) = delete;

  private:
    void run();

    const store::GraphStore& graph_;
    const std::function<void()> catch_up_;
    Mutex mutex_;  // guards stopping_
    std::condition_variable wake_;
    bool stopping_ GUARDED_BY(mutex_) = false;
    std::thread thread_;
};

}  // namespace vcfagent::server
