// The report's parts that take no file: ReportBuilder fed records parsed from text in memory
// (as a store's records will be), refereed by bcftools stats on the same text written out;
// the position histogram's bin doubling; the outlier rule.
#include <gtest/gtest.h>

#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include <sstream>
#include <string>
#include <vector>

#include "report/position_histogram.hpp"
#include "report/report_builder.hpp"
#include "report/sample_outliers.hpp"
#include "support/test_env.hpp"
#include "vcf/stats.hpp"

namespace vcfagent::report {
namespace {

const char* kHeader =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=1,length=2000000>\n"
    "##contig=<ID=2>\n"
    "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allele depths\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tA\tB\tC\n";
const std::vector<std::string> kRecords = {
    "1\t100\t.\tA\tG\t30\t.\tDP=12\tGT:AD\t0/1:4,5\t1/1:0,8\t0/0:9,0",
    "1\t1500000\t.\tAC\tA,ACC\t12.5\t.\tDP=40\tGT:AD\t1/2:1,3,4\t0/1:5,5,0\t./.:.",
    "2\t7\t.\tC\tT\t.\t.\t.\tGT:AD\t0/0:3,0\t0/1:2,2\t1/1:0,6",
    "2\t9000\t.\tG\tGTT\t99\t.\tDP=600\tGT:AD\t0/1:7,3\t0/0:10,0\t0/1:1,1",
};

std::vector<std::string> data_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty() && line[0] != '#' && line.rfind("ID\t", 0) != 0) out.push_back(line);
    return out;
}

TEST(ReportBuilder, RecordsFromMemoryGiveBcftoolsStats) {
    bcf_hdr_t* hdr = bcf_hdr_init("r");
    ASSERT_EQ(bcf_hdr_parse(hdr, const_cast<char*>(kHeader)), 0);
    ReportOptions options;
    options.source = "memory";
    options.sample_columns = {0, 1, 2};
    ReportData data;
    {
        ReportBuilder builder(hdr, options);
        bcf1_t* rec = bcf_init();
        for (const auto& line : kRecords) {
            kstring_t text = {0, 0, nullptr};
            kputs(line.c_str(), &text);
            ASSERT_EQ(vcf_parse(&text, hdr, rec), 0) << line;
            free(text.s);
            builder.add(rec);
        }
        bcf_destroy(rec);
        data = builder.finish();
    }
    bcf_hdr_destroy(hdr);

    test::TempDir dir;
    const std::string path = dir.file("memory.vcf");
    std::string vcf = kHeader;
    for (const auto& line : kRecords) vcf += line + "\n";
    test::write_file(path, vcf);
    const auto ref = test::run_command({"bcftools", "stats", "-s", "-", path});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    EXPECT_EQ(data_lines(vcf::format_stats_text(data.stats)), data_lines(ref.out));

    ASSERT_EQ(data.contigs.size(), 2u);
    EXPECT_EQ(data.contigs[0].contig(), "1");
    EXPECT_EQ(data.contigs[0].total(), 2u);
    EXPECT_EQ(data.contigs[0].length(), 2000000);
    EXPECT_EQ(data.contigs[1].total(), 2u);
    ASSERT_EQ(data.samples.size(), 3u);
    EXPECT_EQ(data.samples[1].name, "B");
}

TEST(PositionHistogram, DoublesItsBinsAndKeepsEveryCount) {
    PositionHistogram h("x", 0, 10);
    uint64_t added = 0;
    for (int64_t pos = 1; pos <= 1000000; pos += 997) {
        h.add(pos);
        ++added;
    }
    EXPECT_EQ(h.total(), added);
    EXPECT_LE(h.bins().size(), 10u);
    uint64_t sum = 0;
    for (uint64_t b : h.bins()) sum += b;
    EXPECT_EQ(sum, added);
    EXPECT_GE(h.bin_width() * 10, h.max_position());

    // A declared length sets the width from the start: no merging needed.
    PositionHistogram sized("y", 1000, 10);
    EXPECT_EQ(sized.bin_width(), 100);
    sized.add(1000);
    sized.add(1);
    EXPECT_EQ(sized.bins().size(), 10u);
    EXPECT_EQ(sized.bins().front(), 1u);
    EXPECT_EQ(sized.bins().back(), 1u);
}

TEST(OutlierRule, MarksFarValuesOnlyWhenThereIsSpread) {
    const OutlierRule rule = outlier_rule({10, 11, 9, 10, 12, 8, 40});
    EXPECT_TRUE(rule.usable);
    EXPECT_DOUBLE_EQ(rule.median, 10);
    EXPECT_TRUE(rule.is_outlier(40));
    EXPECT_FALSE(rule.is_outlier(12));
    // No spread (most values equal) or too few samples: nothing is marked.
    EXPECT_FALSE(outlier_rule({5, 5, 5, 5, 5, 100}).is_outlier(100));
    EXPECT_FALSE(outlier_rule({1, 2, 100}).is_outlier(100));
}

}  // namespace
}  // namespace vcfagent::report
