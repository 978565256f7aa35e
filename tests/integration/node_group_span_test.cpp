// Loads that span several Kuzu node groups (131,072 variants each). Every COPY into CarriedBy
// walks all node groups of Variant: the ones it adds no edges to must stay as they were (Kuzu is
// patched to leave them alone, see third_party/kuzu), and edges added later to variants of an old,
// full node group must be found beside that group's first edges — after reopening too (each
// `vcf-agent graph` call opens the store afresh).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "support/graph_referee.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

void add_counts(std::map<std::string, int64_t>& into, const std::map<std::string, int64_t>& from) {
    for (const auto& [sample, n] : from) into[sample] += n;
}

TEST(NodeGroupSpanTest, EdgesOfEveryNodeGroupSurviveLaterCopiesThatSkipOrExtendIt) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    // One contig, 150,000 records: more than one node group of split variants.
    const std::string big = tmp.file("big.vcf.gz");
    auto g = run_command({generator_binary(), "--records", "150000", "--samples", "3", "--seed",
                          "11", "--chroms", "chr1", "-o", big});
    ASSERT_EQ(g.exit_code, 0) << g.err;
    // The first 2,000 records again, carried by other samples: new edges on variants of the
    // first (full) node group only.
    const std::string again = tmp.file("again.vcf.gz");
    write_file(tmp.file("names.txt"), "R1\nR2\nR3\n");
    auto h = run_shell("(bcftools view -h " + big + "; bcftools view -H " + big +
                       " | head -n 2000) | bcftools reheader -s " + tmp.file("names.txt") + " -o " +
                       again);
    ASSERT_EQ(h.exit_code, 0) << h.err;
    // A real file on another contig: new variants after the last node group.
    const std::string hapmap = data_path("hapmap_exome_chr22.vcf.gz");

    std::map<std::string, int64_t> expected;
    for (const auto& vcf : {big, again, hapmap}) {
        auto r = run_agent({"ingest", vcf, "--db", db, "--no-vectors"});
        ASSERT_EQ(r.exit_code, 0) << vcf << "\n" << r.err;
        add_counts(expected, bcftools_nonref_calls(vcf));
        EXPECT_EQ(store_edge_counts(db), expected) << "after " << vcf;
    }
    const int64_t variants = count_of(db, "MATCH (v:Variant) RETURN count(*)");
    ASSERT_GT(variants, 131072 + 10000);  // the store really spans node groups
    // Edges of the first node group's variants, reached from those variants and from samples.
    const int64_t first_group_edges = count_of(
        db,
        "MATCH (v:Variant)-[c:CarriedBy]->(s:Sample) WHERE offset(id(v)) < 131072 AND s.id "
        "STARTS WITH 'R' RETURN count(*)");
    EXPECT_EQ(first_group_edges, expected.at("R1") + expected.at("R2") + expected.at("R3"));
}

}  // namespace
}  // namespace vcfagent::test
