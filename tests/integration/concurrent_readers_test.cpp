// Readers during an ingest: in-process clients query the graph and search the variant index
// while ingest_file commits batch after batch and the index catches up with them. None of them
// may fail, the ingest may not fail, and every graph read sees whole batches only: the Variant
// rows and the Source progress written by the same batch transaction always agree within one
// read.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ingest/ingest_job.hpp"
#include "embed/embedder.hpp"
#include "index/variant_index.hpp"
#include "store/graph_store.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

TEST(ConcurrentReadersTest, QueriesDuringIngestNeverFailAndSeeWholeBatches) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    index::VariantIndex variant_index(graph, embed::make_embedder({}));
    std::atomic<bool> done{false};
    std::atomic<int64_t> reads{0}, searches{0};
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    auto fail = [&](const std::string& what) {
        std::lock_guard lock(failures_mutex);
        failures.push_back(what);
    };

    ingest::IngestReport report;
    std::string ingest_error;
    std::thread writer([&] {
        try {
            ingest::IngestOptions opt;
            opt.batch_records = 800;  // ~13 batches, each a COMMIT with a forced checkpoint
            report = ingest::ingest_file(graph, data_path("chr22.vcf.gz"), opt, {});
        } catch (const std::exception& e) {
            ingest_error = e.what();
        }
        done = true;
    });
    // The index follows the commits while they happen, as the server's does after its loads.
    std::atomic<int64_t> catch_ups{0};
    std::thread indexer([&] {
        while (!done) {
            try {
                if (variant_index.catch_up().rows_added > 0) ++catch_ups;
            } catch (const std::exception& e) {
                fail(std::string("index catch-up: ") + e.what());
            }
        }
    });

    std::vector<std::thread> readers;
    for (int c = 0; c < 8; ++c) {
        readers.emplace_back([&, c] {
            int64_t last_seen = 0;
            while (!done) {
                try {
                    auto t = graph.read_only_query(
                        "MATCH (s:Source) WITH coalesce(sum(s.variants), 0) AS promised "
                        "OPTIONAL MATCH (v:Variant) RETURN promised, count(v)");
                    const int64_t promised = t.rows.at(0).at(0).get<int64_t>();
                    const int64_t present = t.rows.at(0).at(1).get<int64_t>();
                    if (promised != present)
                        fail("a read saw " + std::to_string(present) +
                             " variants but sources promising " + std::to_string(promised));
                    if (present < last_seen) fail("the variant count went backwards");
                    last_seen = present;
                    ++reads;
                    if (c % 2 == 0 && variant_index.size() > 0) {
                        auto hits = variant_index.search(
                            std::vector<float>(static_cast<size_t>(variant_index.dimension()),
                                               0.1f),
                            5);
                        if (hits.empty()) fail("a search over a non-empty store returned nothing");
                        ++searches;
                    }
                } catch (const std::exception& e) {
                    fail(std::string("reader: ") + e.what());
                }
            }
        });
    }
    writer.join();
    indexer.join();
    for (auto& r : readers) r.join();

    EXPECT_EQ(ingest_error, "");
    EXPECT_GT(report.batches, 5);
    EXPECT_GT(reads.load(), 0);
    EXPECT_GT(searches.load(), 0);
    EXPECT_GT(catch_ups.load(), 1);
    for (const auto& f : failures) ADD_FAILURE() << f;
    // What the readers raced with is the same load as without them.
    auto counts = graph.table_counts();
    int64_t variants = -1;
    for (const auto& [table, n] : counts)
        if (table == "Variant") variants = n;
    EXPECT_EQ(variants, report.new_variants);
    variant_index.catch_up();
    EXPECT_EQ(static_cast<int64_t>(variant_index.size()), variants);
}

}  // namespace
}  // namespace vcfagent::test
