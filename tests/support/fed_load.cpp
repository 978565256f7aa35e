#include "support/fed_load.hpp"

#include "ingest/ingest_job.hpp"

namespace vcfagent::test {

void load_with_feed(store::GraphStore& graph, const std::string& file, index::LoadFeed* feed) {
    ingest::IngestOptions opt;
    opt.batch_records = 1500;
    if (feed)
        opt.staged_chunks = [feed](std::unique_ptr<vcf::VariantBatch> chunk,
                                   std::vector<size_t> new_at, uint32_t source) {
            feed->add(std::move(chunk), std::move(new_at), source);
        };
    ingest::ingest_file(graph, file, opt, {});
}

}  // namespace vcfagent::test
