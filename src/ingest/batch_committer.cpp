#include "ingest/batch_committer.hpp"

#include "common/error.hpp"

namespace vcfagent::ingest {

BatchCommitter::~BatchCommitter() {
    if (committing_.valid()) committing_.wait();
}

store::BatchWriteResult BatchCommitter::commit(const store::SourceRecord& source_after) {
    if (committing_.valid())
        throw StoreError("ingest: the previous batch's commit was not waited for");
    store::BatchWriteResult staged;
    try {
        staged = batches_.seal_batch();
    } catch (...) {
        batches_.discard_batch();
        throw;
    }
    committing_ = std::async(concurrent_ ? std::launch::async : std::launch::deferred,
                             [this, source_after] { return batches_.commit_batch(source_after); });
    if (!concurrent_) committing_.wait();  // runs it here, now
    return staged;
}

std::optional<store::BatchWriteResult> BatchCommitter::wait() {
    if (!committing_.valid()) return std::nullopt;
    try {
        return committing_.get();
    } catch (...) {
        batches_.discard_batch();
        throw;
    }
}

void BatchCommitter::discard() {
    try {
        wait();
    } catch (...) {  // wait() dropped the open batch with the failed one
    }
    batches_.discard_batch();
}

}  // namespace vcfagent::ingest
