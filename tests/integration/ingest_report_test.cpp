// What ingest reports about itself: its peak RSS agrees with the kernel's count, and a memory
// budget it cannot meet shrinks its batches to the floor and says so, without changing what is
// loaded.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

TEST(IngestReportTest, PeakRssMatchesWhatTheKernelMeasured) {
    TempDir tmp;
    const std::string times = tmp.file("time.txt");
    auto r = run_shell("/usr/bin/time -f %M -o " + times + " " + agent_binary() + " ingest " +
                       data_path("chr22.vcf.gz") + " --db " + tmp.file("db") +
                       " -O json --no-vectors");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const double reported_mb = nlohmann::json::parse(r.out).at("peak_rss_mb").get<double>();
    const double kernel_mb = std::stod(read_file(times)) / 1024.0;  // time's %M is in KiB
    EXPECT_GT(reported_mb, 10.0);
    // The report is taken just before exit (--no-vectors: no index catch-up follows the load);
    // only teardown can add to the peak after it.
    EXPECT_NEAR(reported_mb, kernel_mb, kernel_mb * 0.05);
}

TEST(IngestReportTest, UnreachableMemoryBudgetShrinksBatchesAndSaysSo) {
    TempDir tmp;
    const std::string vcf = data_path("hapmap_exome_chr22.vcf.gz");
    const std::string a = tmp.file("a"), b = tmp.file("b");
    // 40 MB starts at 40,000 calls per batch; a store process passes 32 MB at once.
    auto r = run_agent({"ingest", vcf, "--db", a, "--memory-limit-mb", "40", "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report.at("batch_calls").get<int64_t>(), 20000);
    EXPECT_NE(r.err.find("exceeded --memory-limit-mb 40"), std::string::npos) << r.err;
    ASSERT_EQ(run_agent({"ingest", vcf, "--db", b}).exit_code, 0);
    EXPECT_EQ(store_counts(a), store_counts(b));
}

}  // namespace
}  // namespace vcfagent::test
