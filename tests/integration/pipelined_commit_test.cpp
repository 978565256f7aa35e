// A batch is staged while the one before it commits on another thread: a chunk that reaches
// into the committing batch's loci must wait for it (its keys are in neither the store nor the
// open batch until then), and a commit that fails must take nothing of itself or of what it
// made the next batch skip (here: a gene it would have added) into the store.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/batch_writer.hpp"
#include "store/graph_store.hpp"
#include "support/test_env.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::test {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kNodeGroup = store::GraphStore::kNodeGroupRows;
constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

// One variant on contig 1 carried by sample S (index 0), annotated to `gene` when not empty.
vcf::Variant variant(int64_t pos, const std::string& gene = "") {
    vcf::Variant v;
    v.chrom = "1";
    v.pos = v.record_pos = v.end = pos;
    v.ref = "A";
    v.alt = "G";
    v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
    v.line = pos;
    vcf::SampleCall call;
    call.sample = 0;
    call.gt = "0/1";
    call.zygosity = vcf::Zygosity::Het;
    v.calls.push_back(call);
    if (!gene.empty()) {
        vcf::Annotation a;
        a.gene = gene;
        a.consequence = "missense_variant";
        a.impact = "MODERATE";
        a.source = "ANN";
        v.annotations.push_back(a);
    }
    return v;
}

vcf::VariantBatch chunk_of(std::vector<vcf::Variant> variants) {
    vcf::VariantBatch chunk;
    chunk.records = variants.size();
    chunk.variants = std::move(variants);
    return chunk;
}

std::map<std::string, int64_t> counts(store::GraphStore& graph) {
    const auto c = graph.table_counts();
    return {c.begin(), c.end()};
}

struct Fixture {
    TempDir tmp;
    store::GraphStore graph{tmp.file("db")};
    store::BatchWriter batches{graph};
    store::SourceRecord source;
    const std::vector<std::string> samples{"S"};
    Fixture() {
        source.id = "test";
        source.status = "loading";
        graph.put_source(source);
        graph.ensure_samples(samples);
    }
    store::StageResult stage(const vcf::VariantBatch& chunk) {
        return batches.stage(chunk, 0, kNoLimit, kNoLimit, samples, source);
    }
};

TEST(PipelinedCommitTest, ChunkReachingIntoTheCommittingBatchWaitsAndThenFindsItsKeys) {
    Fixture f;
    const auto first = chunk_of({variant(100), variant(200)});
    f.stage(first);
    f.batches.seal_batch();
    std::promise<void> release;
    auto released = release.get_future().share();
    auto committing = std::async(std::launch::async, [&] {
        return f.batches.commit_batch(f.source, [&] { released.wait(); });
    });

    // Outside the committing batch's loci: staged at once, while the commit is held.
    const auto apart = chunk_of({variant(300)});
    EXPECT_EQ(f.stage(apart).new_variants, 1);
    // Overlapping them: waits for the commit, then sees 1:200 in the store.
    const auto overlapping = chunk_of({variant(200), variant(250)});
    auto staging = std::async(std::launch::async, [&] { return f.stage(overlapping); });
    EXPECT_EQ(staging.wait_for(300ms), std::future_status::timeout);
    release.set_value();
    EXPECT_EQ(committing.get().new_variants, 2);
    const auto staged = staging.get();
    EXPECT_EQ(staged.new_variants, 1);  // 1:250 only
    EXPECT_EQ(f.batches.staged_new_variants(), 2);
    f.batches.commit_batch(f.source);
    const auto c = counts(f.graph);
    EXPECT_EQ(c.at("Variant"), 4);
    EXPECT_EQ(c.at("CarriedBy"), 4);  // 1:200 carried once, not twice
    EXPECT_EQ(f.batches.variants_to_node_group_end(), kNodeGroup - 4);
}

TEST(PipelinedCommitTest, FailedCommitLeavesNothingAndTheNextBatchIsStagedAgain) {
    Fixture f;
    f.stage(chunk_of({variant(100, "GENE1")}));
    f.batches.seal_batch();
    std::promise<void> release;
    auto released = release.get_future().share();
    auto committing = std::async(std::launch::async, [&] {
        return f.batches.commit_batch(f.source, [&] {
            released.wait();
            throw std::runtime_error("commit failed");
        });
    });
    // Staged meanwhile: GENE1 is taken as known, since the committing batch adds it.
    f.stage(chunk_of({variant(500, "GENE1")}));
    release.set_value();
    EXPECT_THROW(committing.get(), std::runtime_error);
    f.batches.discard_batch();  // what the caller must do after a failed commit
    EXPECT_EQ(f.batches.staged_new_variants(), 0);
    EXPECT_EQ(f.batches.variants_to_node_group_end(), kNodeGroup);
    auto c = counts(f.graph);
    EXPECT_EQ(c.at("Variant"), 0);
    EXPECT_EQ(c.at("Gene"), 0);

    // Staged again, the second batch must add GENE1 itself.
    EXPECT_EQ(f.stage(chunk_of({variant(500, "GENE1")})).new_variants, 1);
    f.batches.commit_batch(f.source);
    c = counts(f.graph);
    EXPECT_EQ(c.at("Variant"), 1);
    EXPECT_EQ(c.at("Gene"), 1);
    EXPECT_EQ(c.at("InGene"), 1);
    EXPECT_EQ(c.at("CarriedBy"), 1);
    EXPECT_EQ(f.batches.variants_to_node_group_end(), kNodeGroup - 1);
}

}  // namespace
}  // namespace vcfagent::test
