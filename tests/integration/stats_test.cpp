// `vcf-agent stats` against `bcftools stats` run on the same input: the data lines of every
// section (SN, TSTV, SiS, AF, QUAL, IDD, ST, DP; PSC, PSI, HWE with samples) must be identical,
// and the JSON output must carry the same numbers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/stats_text.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

const std::vector<std::string> kRealFiles = {"chr22.vcf.gz", "hapmap_exome_chr22.vcf.gz",
                                             "structural.vcf", "valid-4.1.vcf", "test.snpeff.vcf"};

bool has_bcftools() {
    static const bool available = run_shell("bcftools --version >/dev/null 2>&1").exit_code == 0;
    return available;
}

#define REQUIRE_BCFTOOLS() \
    if (!has_bcftools()) GTEST_SKIP() << "bcftools is not installed"

CommandResult bcftools_stats(std::vector<std::string> args) {
    args.insert(args.begin(), {"bcftools", "stats"});
    return run_command(args);
}

// Runs both tools with the same arguments and compares the given sections.
void expect_same_sections(const std::vector<std::string>& args,
                          const std::vector<std::string>& sections, size_t min_lines) {
    const CommandResult ref = bcftools_stats(args);
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    std::vector<std::string> agent_args{"stats"};
    agent_args.insert(agent_args.end(), args.begin(), args.end());
    const CommandResult ours = run_agent(agent_args);
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    const auto expected = section_lines(ref.out, sections);
    ASSERT_GE(expected.size(), min_lines) << "bcftools printed too few lines:\n" << ref.out;
    EXPECT_EQ(section_lines(ours.out, sections), expected);
}

// A file exercising the corner cases of the classification: multi-allelic sites mixing SNPs,
// MNPs and indels, '*', '<*>', '.', symbolic and breakend ALTs, an N reference, lower case,
// haploid/triploid/missing genotypes, and depth from DP or (when DP is absent) from AD.
const char* kEdgeCases =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=1,length=1000000>\n"
    "##contig=<ID=X,length=1000000>\n"
    "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allele depths\">\n"
    "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\n"
    "1\t10\t.\tA\tG\t.\t.\t.\tGT:AD\t0/1:3,4\t1/1:0,9\t./.:.\n"
    "1\t20\t.\tC\tT,A\t.\t.\t.\tGT:AD\t1/2:1,2,3\t0/2:5,.,2\t0|0:10,0,0\n"
    "1\t30\t.\tAC\tA,ACT,GC\t.\t.\t.\tGT\t1/2\t2/3\t3/3\n"
    "1\t40\t.\tACG\tTCA\t.\t.\t.\tGT\t0/1\t1\t0\n"
    "1\t50\t.\tN\tA\t.\t.\t.\tGT\t0/1\t./1\t.\n"
    "1\t60\t.\tA\t.\t.\t.\t.\tGT\t0/0\t0/0\t0\n"
    "1\t70\t.\tA\t<*>\t.\t.\t.\tGT\t0/0\t0/1\t1\n"
    "1\t80\t.\tA\t*,G\t.\t.\t.\tGT\t1/2\t0/2\t2/2\n"
    "1\t90\t.\tg\tc\t.\t.\t.\tGT:DP\t0/1:5\t1/1:.\t0/0:7\n"
    "1\t100\t.\tAT\tGC,A\t.\t.\t.\tGT:DP\t1/1:3\t2/2:4\t1/2:5\n"
    "1\t110\t.\tA\t<DEL>\t.\t.\tEND=200\tGT\t0/1\t1/1\t0/0\n"
    "1\t120\t.\tA\tA[1:500[\t.\t.\t.\tGT\t0/1\t1/1\t0/0\n"
    "1\t130\t.\tA\tC,N\t.\t.\t.\tGT\t0/2\t1/2\t2/2\n"
    "X\t5\t.\tA\tG\t.\t.\t.\tGT:DP\t1\t0\t0/1/1:9\n"
    "X\t6\t.\tAC\tGT,A,G\t.\t.\t.\tGT\t1/2\t1/3\t2/3\n"
    "X\t7\t.\tA\tAAA,C\t.\t.\t.\tGT\t0/2\t1/1\t2/1\n";

// INFO/AC and AN (AF bins from them, AN 0, AC 1 singletons), QUAL from missing and negative to
// the logarithmic bins above 10^4, indels longer than the 60-base last IDD bin, het indels with
// and without usable AD (mean VAF), INFO/DP below 0, at 0, at and above the 500 DP bin.
const char* kDistributionCases =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=1,length=1000000>\n"
    "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"AC\">\n"
    "##INFO=<ID=AN,Number=1,Type=Integer,Description=\"AN\">\n"
    "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allele depths\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\n"
    "1\t10\t.\tA\tG\t0\t.\tAC=1;AN=6;DP=0\tGT:AD\t0/1:3,4\t0/0:9,0\t0/0:5,0\n"
    "1\t20\t.\tC\tT,A\t3.45\t.\tAC=2,1;AN=6;DP=1000\tGT:AD\t1/2:1,2,3\t0/1:5,2,0\t0/0:10,0,0\n"
    "1\t30\t.\tAC\tA,ACT\t99999.9\t.\tAC=3,2;AN=6;DP=-3\tGT:AD\t1/2:0,4,5\t1/1:0,7,0\t0/2:3,0,3\n"
    "1\t40\t.\tACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT\tA\t"
    "123456.7\t.\tAC=2;AN=6;DP=500\tGT:AD\t0/1:6,2\t0/1:.,3\t1/1:0,4\n"
    "1\t50\t.\tA\tAGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG,T\t"
    "7654321\t.\tDP=501\tGT:AD\t0/1:2,2,0\t1/2:0,0,0\t2/2:0,0,9\n"
    "1\t60\t.\tG\tA\t-5\t.\tAC=0;AN=0\tGT\t./.\t./.\t./.\n"
    "1\t70\t.\tT\tC\t12.3\t.\tAC=6;AN=6\tGT\t1/1\t1/1\t1/1\n";

// The sections bcftools prints for every file, and those it adds with samples.
const std::vector<std::string> kSiteSections = {"SN",   "TSTV", "SiS", "AF",
                                                "QUAL", "IDD",  "ST",  "DP"};
const std::vector<std::string> kAllSections = {"SN", "TSTV", "SiS", "AF",  "QUAL", "IDD",
                                               "ST", "DP",   "PSC", "PSI", "HWE"};

// Runs both tools and compares each section on its own, so a failure names the section.
void expect_each_section_equal(const std::vector<std::string>& args,
                               const std::vector<std::string>& sections) {
    const CommandResult ref = bcftools_stats(args);
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    std::vector<std::string> agent_args{"stats"};
    agent_args.insert(agent_args.end(), args.begin(), args.end());
    const CommandResult ours = run_agent(agent_args);
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    for (const auto& section : sections) {
        const auto expected = section_lines(ref.out, {section});
        // ST always has its 12 substitution lines; a section bcftools left empty must be
        // empty here too.
        if (section == "ST") EXPECT_EQ(expected.size(), 12u);
        EXPECT_EQ(section_lines(ours.out, {section}), expected) << section;
    }
}

class StatsRealFile : public ::testing::TestWithParam<std::string> {};

TEST_P(StatsRealFile, DistributionSectionsEqualBcftools) {
    REQUIRE_BCFTOOLS();
    expect_each_section_equal({data_path(GetParam())}, kSiteSections);
}

TEST_P(StatsRealFile, AllSectionsWithSamplesEqualBcftools) {
    REQUIRE_BCFTOOLS();
    expect_each_section_equal({"-s", "-", data_path(GetParam())}, kAllSections);
}

TEST_P(StatsRealFile, SummaryAndTsTvEqualBcftools) {
    REQUIRE_BCFTOOLS();
    expect_same_sections({data_path(GetParam())}, {"SN", "TSTV"}, 10);
}

TEST_P(StatsRealFile, PerSampleCountsEqualBcftools) {
    REQUIRE_BCFTOOLS();
    expect_same_sections({"-s", "-", data_path(GetParam())}, {"SN", "TSTV", "PSC"}, 11);
}

INSTANTIATE_TEST_SUITE_P(TestData, StatsRealFile, ::testing::ValuesIn(kRealFiles),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST(Stats, EdgeCasesEqualBcftools) {
    REQUIRE_BCFTOOLS();
    TempDir dir;
    const std::string path = dir.file("edge.vcf");
    write_file(path, kEdgeCases);
    expect_same_sections({"-s", "-", path}, {"SN", "TSTV", "PSC"}, 13);
}

TEST(Stats, EdgeCaseDistributionsEqualBcftools) {
    REQUIRE_BCFTOOLS();
    TempDir dir;
    const std::string path = dir.file("edge.vcf");
    write_file(path, kEdgeCases);
    expect_each_section_equal({"-s", "-", path}, kAllSections);
    expect_each_section_equal({path}, kSiteSections);
}

TEST(Stats, AlleleCountsQualityIndelsAndDepthEqualBcftools) {
    REQUIRE_BCFTOOLS();
    TempDir dir;
    const std::string path = dir.file("distributions.vcf");
    write_file(path, kDistributionCases);
    expect_each_section_equal({"-s", "-", path}, kAllSections);
    expect_each_section_equal({path}, kSiteSections);
    // The fixture reaches the bins it was written for: a logarithmic QUAL bin, the last IDD
    // bin (60 or longer), a mean VAF, and both ends of the DP bins.
    const auto ref = bcftools_stats({"-s", "-", path});
    const auto qual = section_lines(ref.out, {"QUAL"});
    ASSERT_FALSE(qual.empty());
    EXPECT_GT(std::stod(split_tabs(qual.back())[2]), 100000.0) << qual.back();
    const auto idd = section_lines(ref.out, {"IDD"});
    ASSERT_GE(idd.size(), 2u);
    EXPECT_EQ(split_tabs(idd.front())[2], "-60");
    EXPECT_EQ(split_tabs(idd.back())[2], "60");
    bool has_vaf = false;
    for (const auto& line : idd) has_vaf |= split_tabs(line)[5] != ".";
    EXPECT_TRUE(has_vaf);
    const auto dp = section_lines(ref.out, {"DP"});
    ASSERT_GE(dp.size(), 2u);
    EXPECT_EQ(split_tabs(dp.front())[2], "<0");
    EXPECT_EQ(split_tabs(dp.back())[2], ">500");
}

TEST(Stats, DistributionsOfRegionsAndSubsetsEqualBcftools) {
    REQUIRE_BCFTOOLS();
    const std::string file = data_path("chr22.vcf.gz");
    expect_each_section_equal({"-r", "22:50400000-50450000", file}, kSiteSections);
    expect_each_section_equal({"-s", "-", "-r", "22:50400000-50450000", file}, kAllSections);
    expect_each_section_equal({"-s", "HG00101,HG00097", file}, kAllSections);
    // Leading samples in header order: bcftools reads their own FORMAT/DP and AD.
    expect_each_section_equal(
        {"-s", "NA07034@1099927558,NA07048@1099927687", data_path("hapmap_exome_chr22.vcf.gz")},
        kAllSections);
}

TEST(Stats, TextIsRecognisedByMultiQc) {
    // MultiQC's bcftools module picks files by this phrase and names them by the ID line.
    const auto ours = run_agent({"stats", data_path("valid-4.1.vcf")});
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    EXPECT_NE(ours.out.find("This file was produced by bcftools stats"), std::string::npos);
    EXPECT_EQ(section_lines(ours.out, {"ID"}).size(), 1u);
}

TEST(Stats, JsonCarriesTheDistributionSections) {
    REQUIRE_BCFTOOLS();
    const std::string file = data_path("hapmap_exome_chr22.vcf.gz");
    const auto ref = bcftools_stats({"-s", "-", file});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    const auto ours = run_agent({"stats", "-O", "json", "-s", "-", file});
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    const nlohmann::json j = nlohmann::json::parse(ours.out);
    for (const auto& line : section_lines(ref.out, {"ST"})) {
        const auto f = split_tabs(line);
        EXPECT_EQ(j.at("substitution_types").at(f[2]).get<uint64_t>(), std::stoull(f[3])) << f[2];
    }
    const auto idd = section_lines(ref.out, {"IDD"});
    ASSERT_EQ(j.at("indel_lengths").size(), idd.size());
    for (size_t i = 0; i < idd.size(); ++i) {
        const auto f = split_tabs(idd[i]);
        EXPECT_EQ(j["indel_lengths"][i].at("length").get<int>(), std::stoi(f[2]));
        EXPECT_EQ(j["indel_lengths"][i].at("sites").get<uint64_t>(), std::stoull(f[3]));
    }
    const auto qual = section_lines(ref.out, {"QUAL"});
    ASSERT_EQ(j.at("quality").size(), qual.size());
    for (size_t i = 0; i < qual.size(); ++i)
        EXPECT_EQ(j["quality"][i].at("snps").get<uint64_t>(), std::stoull(split_tabs(qual[i])[3]));
    const auto dp = section_lines(ref.out, {"DP"});
    ASSERT_EQ(j.at("depth").size(), dp.size());
    for (size_t i = 0; i < dp.size(); ++i) {
        EXPECT_EQ(j["depth"][i].at("bin").get<std::string>(), split_tabs(dp[i])[2]);
        EXPECT_EQ(j["depth"][i].at("genotypes").get<uint64_t>(), std::stoull(split_tabs(dp[i])[3]));
    }
    const auto af = section_lines(ref.out, {"AF"});
    ASSERT_EQ(j.at("allele_frequency").size(), af.size());
    const auto psi = section_lines(ref.out, {"PSI"});
    ASSERT_EQ(j.at("per_sample_indels").size(), psi.size());
    for (size_t i = 0; i < psi.size(); ++i) {
        const auto f = split_tabs(psi[i]);
        EXPECT_EQ(j["per_sample_indels"][i].at("sample").get<std::string>(), f[2]);
        EXPECT_EQ(j["per_sample_indels"][i].at("ins_hets").get<uint64_t>(), std::stoull(f[7]));
        EXPECT_EQ(j["per_sample_indels"][i].at("del_hets").get<uint64_t>(), std::stoull(f[8]));
    }
}

TEST(Stats, BcfInputEqualsBcftools) {
    REQUIRE_BCFTOOLS();
    TempDir dir;
    const std::string bcf = dir.file("hapmap.bcf");
    const auto conv =
        run_command({"bcftools", "view", "-Ob", "-o", bcf, data_path("hapmap_exome_chr22.vcf.gz")});
    ASSERT_EQ(conv.exit_code, 0) << conv.err;
    expect_same_sections({bcf}, {"SN", "TSTV"}, 10);
    expect_same_sections({"-s", "-", bcf}, {"SN", "TSTV", "PSC"}, 10 + 22);
    expect_each_section_equal({"-s", "-", bcf}, kAllSections);
}

TEST(Stats, ThreadsGiveTheSameNumbers) {
    REQUIRE_BCFTOOLS();
    expect_same_sections({"--threads", "2", data_path("chr22.vcf.gz")}, {"SN", "TSTV"}, 10);
}

TEST(Stats, SampleSubsetInRequestedOrder) {
    REQUIRE_BCFTOOLS();
    // bcftools lists PSC lines in the order of -s, not the header order.
    expect_same_sections({"-s", "HG00101,HG00097", data_path("chr22.vcf.gz")},
                         {"SN", "TSTV", "PSC"}, 12);
    const auto ours = run_agent({"stats", "-s", "HG00101,HG00097", data_path("chr22.vcf.gz")});
    const auto psc = section_lines(ours.out, {"PSC"});
    ASSERT_EQ(psc.size(), 2u);
    EXPECT_EQ(split_tabs(psc[0])[2], "HG00101");
    EXPECT_EQ(split_tabs(psc[1])[2], "HG00097");
}

TEST(Stats, SampleSubsetWithDepthEqualsBcftoolsForLeadingSamples) {
    REQUIRE_BCFTOOLS();
    // Samples that lead the header in header order: bcftools reads their FORMAT/DP correctly.
    expect_same_sections(
        {"-s", "NA07034@1099927558,NA07048@1099927687", data_path("hapmap_exome_chr22.vcf.gz")},
        {"SN", "TSTV", "PSC"}, 12);
}

TEST(Stats, SubsetDepthIsTheSamplesOwn) {
    REQUIRE_BCFTOOLS();
    // bcftools 1.16 takes a subset's depth from the wrong column (the n-th of the header rather
    // than the n-th selected sample). We report the selected sample's own depth: the same line
    // bcftools prints for that sample when all samples are analysed.
    const auto all = bcftools_stats({"-s", "-", data_path("valid-4.1.vcf")});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    std::string expected;
    for (const auto& line : section_lines(all.out, {"PSC"}))
        if (split_tabs(line)[2] == "NA00003") expected = line;
    ASSERT_FALSE(expected.empty());
    const auto ours = run_agent({"stats", "-s", "NA00003", data_path("valid-4.1.vcf")});
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    const auto psc = section_lines(ours.out, {"PSC"});
    ASSERT_EQ(psc.size(), 1u);
    auto ours_fields = split_tabs(psc[0]);
    auto expected_fields = split_tabs(expected);
    // Singletons depend on which samples are analysed; every other column must agree.
    ours_fields[10] = expected_fields[10] = "";
    EXPECT_EQ(ours_fields, expected_fields);
}

TEST(Stats, SamplesFileOption) {
    REQUIRE_BCFTOOLS();
    TempDir dir;
    const std::string list = dir.file("samples.txt");
    write_file(list, "HG00099\nHG00096\n");
    expect_same_sections({"-S", list, data_path("chr22.vcf.gz")}, {"SN", "TSTV", "PSC"}, 12);
}

TEST(Stats, RegionsEqualBcftools) {
    REQUIRE_BCFTOOLS();
    const std::string file = data_path("chr22.vcf.gz");
    expect_same_sections({"-r", "22:50500000-50600000", file}, {"SN", "TSTV"}, 10);
    // Starts inside a 9-base deletion at 22:50325392: the record overlaps and is counted.
    expect_same_sections({"-r", "22:50325395-50351505", file}, {"SN", "TSTV"}, 10);
    // Overlapping regions count each record once.
    expect_same_sections({"-r", "22:50300000-50400000,22:50350000-50700000", file}, {"SN", "TSTV"},
                         10);
    expect_same_sections({"-s", "-", "-r", "22:50400000-50450000", file}, {"SN", "TSTV", "PSC"},
                         15);

    const auto region = run_agent({"stats", "-r", "22:50500000-50600000", file});
    const auto whole = run_agent({"stats", file});
    EXPECT_NE(section_lines(region.out, {"SN"}), section_lines(whole.out, {"SN"}));
}

TEST(Stats, RegionsFileEqualsBcftools) {
    REQUIRE_BCFTOOLS();
    TempDir dir;
    const std::string bed = dir.file("regions.bed");
    write_file(bed, "22\t50325394\t50325396\n22\t50500000\t50600000\n");
    expect_same_sections({"-R", bed, data_path("chr22.vcf.gz")}, {"SN", "TSTV"}, 10);
}

TEST(Stats, StdinPlainVcf) {
    REQUIRE_BCFTOOLS();
    const std::string file = data_path("valid-4.1.vcf");
    const auto ref = bcftools_stats({"-s", "-", file});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    const auto ours = run_agent({"stats", "-s", "-", "-"}, read_file(file));
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    const auto expected = section_lines(ref.out, {"SN", "TSTV", "PSC"});
    ASSERT_EQ(expected.size(), 13u);
    EXPECT_EQ(section_lines(ours.out, {"SN", "TSTV", "PSC"}), expected);
}

// Every number of the JSON output against the corresponding bcftools text field.
TEST(Stats, JsonCarriesTheTextNumbers) {
    REQUIRE_BCFTOOLS();
    const std::string file = data_path("hapmap_exome_chr22.vcf.gz");
    const auto ref = bcftools_stats({"-s", "-", file});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    const auto ours = run_agent({"stats", "-O", "json", "-s", "-", file});
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    const nlohmann::json j = nlohmann::json::parse(ours.out);

    std::map<std::string, std::string> sn;
    for (const auto& line : section_lines(ref.out, {"SN"})) {
        const auto f = split_tabs(line);
        sn[f[2]] = f[3];
    }
    ASSERT_EQ(sn.size(), 9u);
    const std::vector<std::pair<std::string, std::string>> keys = {
        {"samples", "number of samples:"},
        {"records", "number of records:"},
        {"no_alts", "number of no-ALTs:"},
        {"snps", "number of SNPs:"},
        {"mnps", "number of MNPs:"},
        {"indels", "number of indels:"},
        {"others", "number of others:"},
        {"multiallelic_sites", "number of multiallelic sites:"},
        {"multiallelic_snp_sites", "number of multiallelic SNP sites:"},
    };
    for (const auto& [json_key, text_key] : keys)
        EXPECT_EQ(j.at(json_key).get<uint64_t>(), std::stoull(sn.at(text_key))) << json_key;

    auto two_decimals = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", v);
        return std::string(buf);
    };
    const auto tstv = section_lines(ref.out, {"TSTV"});
    ASSERT_EQ(tstv.size(), 1u);
    const auto t = split_tabs(tstv[0]);
    const auto& jt = j.at("tstv");
    EXPECT_EQ(jt.at("ts").get<uint64_t>(), std::stoull(t[2]));
    EXPECT_EQ(jt.at("tv").get<uint64_t>(), std::stoull(t[3]));
    EXPECT_EQ(two_decimals(jt.at("ts_tv").get<double>()), t[4]);
    EXPECT_EQ(jt.at("ts_1st_alt").get<uint64_t>(), std::stoull(t[5]));
    EXPECT_EQ(jt.at("tv_1st_alt").get<uint64_t>(), std::stoull(t[6]));
    EXPECT_EQ(two_decimals(jt.at("ts_tv_1st_alt").get<double>()), t[7]);

    const auto psc = section_lines(ref.out, {"PSC"});
    const auto& per = j.at("per_sample");
    ASSERT_EQ(per.size(), psc.size());
    ASSERT_EQ(psc.size(), 22u);
    const std::vector<std::string> columns = {
        "ref_hom", "non_ref_hom", "hets",    "transitions", "transversions", "indels",
        "",        "singletons",  "hap_ref", "hap_alt",     "missing"};
    for (size_t i = 0; i < psc.size(); ++i) {
        const auto f = split_tabs(psc[i]);
        ASSERT_EQ(f.size(), 14u);
        EXPECT_EQ(per[i].at("sample").get<std::string>(), f[2]);
        for (size_t c = 0; c < columns.size(); ++c) {
            if (columns[c].empty()) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.1f", per[i].at("average_depth").get<double>());
                EXPECT_EQ(std::string(buf), f[3 + c]) << f[2];
            } else {
                EXPECT_EQ(per[i].at(columns[c]).get<uint64_t>(), std::stoull(f[3 + c]))
                    << f[2] << " " << columns[c];
            }
        }
    }
}

TEST(Stats, JsonWithoutSamplesHasNoPerSampleCounts) {
    const auto ours = run_agent({"stats", "-O", "json", data_path("test.snpeff.vcf")});
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    const nlohmann::json j = nlohmann::json::parse(ours.out);
    EXPECT_EQ(j.at("records").get<int>(), 10);
    EXPECT_EQ(j.at("samples").get<int>(), 4);
    EXPECT_FALSE(j.contains("per_sample"));
}

TEST(Stats, NoInputIsAUsageError) {
    const auto r = run_agent({"stats"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("FILE"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST(Stats, HeaderOnlyFileIsAnError) {
    TempDir dir;
    const std::string path = dir.file("header_only.vcf");
    write_file(path, "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    const auto r = run_agent({"stats", path});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("header_only.vcf"), std::string::npos) << r.err;
}

TEST(Stats, PerSampleCountsNeedSampleColumns) {
    TempDir dir;
    const std::string path = dir.file("sites.vcf");
    write_file(path,
               "##fileformat=VCFv4.2\n##contig=<ID=1>\n"
               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t5\t.\tA\tG\t.\t.\t.\n");
    const auto plain = run_agent({"stats", path});
    EXPECT_EQ(plain.exit_code, 0) << plain.err;
    EXPECT_NE(plain.out.find("SN\t0\tnumber of SNPs:\t1\n"), std::string::npos) << plain.out;
    const auto r = run_agent({"stats", "-s", "-", path});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("sample"), std::string::npos) << r.err;
}

TEST(Stats, GenotypeWithUndeclaredAlleleNamesTheLine) {
    TempDir dir;
    const std::string path = dir.file("bad_gt.vcf");
    write_file(path,
               "##fileformat=VCFv4.2\n##contig=<ID=1>\n"
               "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
               "1\t5\t.\tA\tG\t.\t.\t.\tGT\t0/1\n"
               "1\t6\t.\tA\tG\t.\t.\t.\tGT\t1/3\n");
    const auto r = run_agent({"stats", "-s", "-", path});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("line 6"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vcfagent::test
