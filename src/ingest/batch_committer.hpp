#pragma once
// Commits an ingest's batches: in the concurrent mode each batch's COPY and COMMIT run on a
// background thread while the caller stages the next batch; in the sync mode (the fallback
// path) in the caller's thread. At most one batch is committing at a time. A batch is in the
// graph whole or not at all (store::BatchWriter::commit_batch); the graph is the only store
// written, the variant index catches up from it afterwards.
#include <future>
#include <optional>

#include "store/batch_writer.hpp"

namespace vcfagent::ingest {

class BatchCommitter {
  public:
    BatchCommitter(store::BatchWriter& batches, bool concurrent)
        : batches_(batches), concurrent_(concurrent) {}
    ~BatchCommitter();
    BatchCommitter(const BatchCommitter&) = delete;
    BatchCommitter& operator=(const BatchCommitter&) = delete;

    // Hands the open batch over (wait() must have been called for the previous one) and
    // returns what it holds; `source_after` is the Source row to commit with it.
    store::BatchWriteResult commit(const store::SourceRecord& source_after);
    // Waits for the batch handed over last: its result, or nullopt when none is pending. If it
    // failed, drops the batch staged since (it may rely on the failed one) and rethrows.
    std::optional<store::BatchWriteResult> wait();
    // Drops the open batch, after waiting for a commit in progress (whose failure it ignores:
    // the caller is already reporting another error).
    void discard();

  private:
    store::BatchWriter& batches_;
    const bool concurrent_;
    std::future<store::BatchWriteResult> committing_;
};

}  // namespace vcfagent::ingest
