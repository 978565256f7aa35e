// Variant.carriers is the number of samples with a CarriedBy edge, kept by the writer as it adds
// edges (so no reader counts edges). A later file with the same samples adds edges to variants
// an earlier file added, and a variant can come again within one file: both must leave every
// count equal to the edges, which must equal bcftools' count of samples carrying the ALT in
// either file.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "ingest/ingest_job.hpp"
#include "store/graph_store.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

// key -> the samples whose GT holds allele 1, over biallelic SNVs (whose key is the record's own
// CHROM:POS:REF:ALT), from `bcftools query` on each file.
void carriers_by_bcftools(const std::string& file, std::map<std::string, std::set<int>>& out) {
    const auto r = run_shell(
        "bcftools query -i 'TYPE=\"snp\" && N_ALT=1' -f "
        "'%CHROM:%POS:%REF:%ALT[\\t%GT]\\n' " +
        file);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream cells(line);
        std::string key, gt;
        cells >> key;
        auto& samples = out[key];
        for (int s = 0; cells >> gt; ++s)
            if (gt.find('1') != std::string::npos) samples.insert(s);
    }
}

TEST(CarriersCount, EqualsTheEdgesAndBcftoolsAfterLoadsThatAddEdgesToExistingVariants) {
    TempDir tmp;
    const std::string first = data_path("chr22.vcf.gz");
    // The same samples; adds edges to variants the first file added, and adds some of them
    // again by a later record of the same load, in a later batch.
    const std::string second = tmp.file("second.vcf");
    write_more_carriers_chr22(second);

    store::GraphStore graph(tmp.file("db"));
    ingest::IngestOptions opt;
    opt.batch_records = 700;  // several batches per file: repeats cross them
    ingest::ingest_file(graph, first, opt, {});
    const uint64_t after_first = graph.last_batch();
    ingest::ingest_file(graph, second, opt, {});

    std::map<std::string, std::set<int>> expected;
    carriers_by_bcftools(first, expected);
    carriers_by_bcftools(second, expected);

    size_t rows = 0, recounted = 0, compared = 0, raised = 0;
    auto each_count = [&](const std::function<void(const store::RowView&)>& row) {
        graph.scan(
            "MATCH (v:Variant) RETURN v.id, v.carriers, v.carriers_batch, COUNT { MATCH "
            "(v)-[:CarriedBy]->(:Sample) }",
            {}, row);
    };
    each_count([&](const store::RowView& r) {
        ++rows;
        const std::string key = r.text(0);
        EXPECT_EQ(r.integer(1), r.integer(3)) << key;
        if (r.integer(2) > 0) {
            ++recounted;
            EXPECT_GT(static_cast<uint64_t>(r.integer(2)), after_first) << key;
        }
        const auto it = expected.find(key);
        if (it == expected.end()) return;
        ++compared;
        EXPECT_EQ(r.integer(1), static_cast<int64_t>(it->second.size())) << key;
        raised += r.integer(2) > 0;
    });
    EXPECT_EQ(rows, 10376u);  // the second file adds no variant
    EXPECT_GT(compared, 9000u);
    // The first 800 records' variants that had a hom-ref call got edges from the second file
    // (and were compared with bcftools, unless not a biallelic SNV).
    EXPECT_GT(recounted, 700u);
    EXPECT_LE(recounted, 800u);
    EXPECT_GT(raised, 700u);

    // A forced reload of the first file takes its edges away (the second file's stay) and adds
    // them again: every count still equals the edges, and bcftools.
    opt.force = true;
    ingest::ingest_file(graph, first, opt, {});
    size_t after_reload = 0;
    each_count([&](const store::RowView& r) {
        ++after_reload;
        EXPECT_EQ(r.integer(1), r.integer(3)) << r.text(0);
        const auto it = expected.find(r.text(0));
        if (it != expected.end()) {
            EXPECT_EQ(r.integer(1), static_cast<int64_t>(it->second.size())) << r.text(0);
        }
    });
    EXPECT_EQ(after_reload, 10376u);
}

}  // namespace
}  // namespace vcfagent::test
