// A batch is read and staged chunk by chunk and ends at Kuzu node-group boundaries: the store
// must not depend on where chunks and batches end, including when two records that trim to the
// same variant fall into different chunks of one batch, or when a batch boundary splits the
// ALT alleles of one record.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <string>

#include "ingest/ingest_job.hpp"
#include "store/batch_writer.hpp"
#include "store/graph_store.hpp"
#include "support/graph_referee.hpp"
#include "support/test_env.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::test {
namespace {

// Records 1 (AT>AC at 100) and 2 (T>C at 101) are the same variant 1:101:T:C. Sample A carries
// it in both, B in the first only: two edges. Record 3 adds a variant carried by both.
const char* const kOverlappingRecords =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=1,length=1000>\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\n"
    "1\t100\t.\tAT\tAC\t.\tPASS\t.\tGT\t0/1\t1/1\n"
    "1\t101\t.\tT\tC\t.\tPASS\t.\tGT\t1/1\t0/0\n"
    "1\t200\t.\tG\tA\t.\tPASS\t.\tGT\t0/1\t0|1\n";

struct Loaded {
    ingest::IngestReport report;
    std::map<std::string, int64_t> counts;
    std::string edges;  // "variant sample gt" lines in key order
};

Loaded load(const std::string& db, const std::string& vcf, size_t chunk_calls,
            size_t batch_records) {
    Loaded out;
    {
        store::GraphStore graph(db);
        ingest::IngestOptions opt;
        opt.chunk_calls = chunk_calls;
        opt.batch_records = batch_records;
        out.report = ingest::ingest_file(graph, vcf, opt, {});
        auto t = graph.read_only_query(
            "MATCH (v:Variant)-[c:CarriedBy]->(s:Sample) RETURN v.id, s.id, c.gt "
            "ORDER BY v.id, s.id");
        for (const auto& row : t.rows)
            out.edges += row[0].get<std::string>() + " " + row[1].get<std::string>() + " " +
                         row[2].get<std::string>() + "\n";
    }
    out.counts = store_counts(db);
    return out;
}

TEST(ChunkedBatchTest, SameVariantInTwoChunksOfOneBatchGetsEachEdgeOnce) {
    TempDir tmp;
    const std::string vcf = tmp.file("overlap.vcf");
    write_file(vcf, kOverlappingRecords);
    const std::string expected_edges =
        "1:101:T:C A 0/1\n"
        "1:101:T:C B 1/1\n"
        "1:200:G:A A 0/1\n"
        "1:200:G:A B 0|1\n";
    // Every record its own chunk, one batch: the repeat meets the first record's staged edges.
    const auto chunked = load(tmp.file("chunked"), vcf, 1, 0);
    EXPECT_EQ(chunked.report.batches, 1);
    EXPECT_EQ(chunked.edges, expected_edges);
    EXPECT_EQ(chunked.report.new_variants, 2);
    EXPECT_EQ(chunked.report.new_edges, 4);
    EXPECT_EQ(chunked.counts.at("Variant"), 2);
    EXPECT_EQ(chunked.counts.at("CarriedBy"), 4);
    // One chunk, and one batch per record (the repeat meets the committed store): the same.
    const auto whole = load(tmp.file("whole"), vcf, 1000000, 0);
    const auto per_record = load(tmp.file("per_record"), vcf, 1000000, 1);
    EXPECT_EQ(per_record.report.batches, 3);
    EXPECT_EQ(whole.edges, expected_edges);
    EXPECT_EQ(per_record.edges, expected_edges);
    EXPECT_EQ(whole.counts, chunked.counts);
    EXPECT_EQ(per_record.counts, chunked.counts);
}

TEST(ChunkedBatchTest, RealFileLoadsTheSameWhateverTheChunkSize) {
    TempDir tmp;
    const std::string vcf = data_path("hapmap_exome_chr22.vcf.gz");  // 22 samples
    const auto small_chunks = load(tmp.file("a"), vcf, 50, 0);
    const auto one_chunk = load(tmp.file("b"), vcf, 1000000, 0);
    EXPECT_EQ(small_chunks.report.batches, 1);
    EXPECT_EQ(small_chunks.report.records, one_chunk.report.records);
    EXPECT_EQ(small_chunks.counts, one_chunk.counts);
    EXPECT_EQ(small_chunks.edges, one_chunk.edges);
    int64_t nonref_calls = 0;
    for (const auto& [sample, n] : bcftools_nonref_calls(vcf)) nonref_calls += n;
    ASSERT_GT(nonref_calls, 0);
    EXPECT_EQ(small_chunks.counts.at("CarriedBy"), nonref_calls);
}

vcf::Variant variant_at(int64_t pos, const std::string& alt, int64_t line) {
    vcf::Variant v;
    v.chrom = "1";
    v.pos = v.record_pos = v.end = pos;
    v.ref = "A";
    v.alt = alt;
    v.key = vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt);
    v.line = line;
    return v;
}

TEST(ChunkedBatchTest, StageStopsAtTheNodeGroupBoundaryAndCountsOnlyWholeRecords) {
    TempDir tmp;
    store::GraphStore graph(tmp.file("db"));
    store::BatchWriter batches(graph);
    constexpr int64_t kNodeGroup = 131072;  // Kuzu 0.11's rows per node group
    constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();
    EXPECT_EQ(batches.variants_to_node_group_end(), kNodeGroup);

    // Line 10 is one record with two ALTs; line 11 a single-ALT record.
    vcf::VariantBatch chunk;
    chunk.variants = {variant_at(5, "C", 10), variant_at(5, "G", 10), variant_at(9, "T", 11)};
    chunk.records = 2;
    store::SourceRecord source;
    source.id = "test";
    source.num = 1;
    source.status = "loading";
    graph.put_source(source);

    auto first = batches.stage(chunk, 0, 1, kNoLimit, {}, source);
    EXPECT_EQ(first.end, 1u);
    EXPECT_EQ(first.records, 0);  // the record's second ALT is not staged yet
    EXPECT_EQ(batches.staged_new_variants(), 1);
    auto written = batches.commit_batch(source);
    EXPECT_EQ(written.new_variants, 1);
    EXPECT_EQ(batches.variants_to_node_group_end(), kNodeGroup - 1);

    auto rest = batches.stage(chunk, first.end, kNoLimit, kNoLimit, {}, source);
    EXPECT_EQ(rest.end, 3u);
    EXPECT_EQ(rest.records, 2);
    EXPECT_EQ(batches.staged_new_variants(), 2);
    batches.discard_batch();
    EXPECT_EQ(batches.staged_new_variants(), 0);
    EXPECT_EQ(batches.variants_to_node_group_end(), kNodeGroup - 1);
    const auto counts = graph.table_counts();
    const std::map<std::string, int64_t> by_table(counts.begin(), counts.end());
    EXPECT_EQ(by_table.at("Variant"), 1);

    // Re-staging the committed ALT finds it in the store: only the other two are new.
    auto again = batches.stage(chunk, 0, kNoLimit, kNoLimit, {}, source);
    EXPECT_EQ(again.new_variants, 2);
    batches.commit_batch(source);
    EXPECT_EQ(batches.variants_to_node_group_end(), kNodeGroup - 3);
}

}  // namespace
}  // namespace vcfagent::test
