// `vcf-agent report --db`: the report of a store equals `bcftools stats -s -` of the records the
// store keeps of its file (bcftools norm -m -any, trimmed; see support/bcftools_norm.hpp),
// section by section, for a whole store, one loaded file, a region and a sample subset.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>

#include "support/bcftools_norm.hpp"
#include "support/stats_text.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

// The data lines of one section, joined.
std::string section(const std::string& vchk, const std::string& name) {
    std::string out;
    for (const auto& line : section_lines(vchk, {name})) out += line + "\n";
    return out;
}

std::string bcftools_stats(const std::string& file, const std::string& args = "") {
    const auto r = run_shell("bcftools stats -s - " + args + " " + file);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
}

// Sections whose every line must agree (DP is checked apart: the store keeps no INFO/DP).
const char* const kSections[] = {"SN",  "TSTV", "SiS", "AF",  "QUAL",
                                 "IDD", "ST",   "PSC", "PSI", "HWE"};

TEST(ReportStoreTest, StoreReportEqualsBcftoolsStatsOfTheNormalisedFile) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    auto r = run_agent({"ingest", data_path("chr22.vcf.gz"), "--db", db, "--no-vectors"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_agent({"report", "--db", db, "-o", tmp.file("store.html")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string ours = read_file(tmp.file("store.vchk"));
    NormaliseOptions norm;
    norm.drop_ac_an = true;
    const std::string file = bcftools_normalised(data_path("chr22.vcf.gz"), tmp, "chr22", norm);
    const std::string theirs = bcftools_stats(file);
    for (const char* s : kSections) {
        EXPECT_FALSE(section(theirs, s).empty()) << s;
        EXPECT_EQ(section(ours, s), section(theirs, s)) << s;
    }
    // The page shows the store's numbers too.
    const std::string page = read_file(tmp.file("store.html"));
    EXPECT_NE(page.find("<svg"), std::string::npos);

    // The store_report tool: the same numbers (SN of bcftools, PSC hets per sample).
    r = run_agent({"tools", "call", "store_report", R"({"limit": 500})", "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto tool = nlohmann::json::parse(r.out);
    for (const auto& line : section_lines(theirs, {"SN"})) {
        const auto f = split_tabs(line);
        if (f[2] == "number of records:") EXPECT_EQ(tool["records"], std::stoll(f[3]));
        if (f[2] == "number of SNPs:") EXPECT_EQ(tool["snps"], std::stoll(f[3]));
        if (f[2] == "number of indels:") EXPECT_EQ(tool["indels"], std::stoll(f[3]));
    }
    const auto psc = section_lines(theirs, {"PSC"});
    ASSERT_EQ(tool["rows"].size(), psc.size());
    for (size_t i = 0; i < psc.size(); ++i) {
        const auto f = split_tabs(psc[i]);
        EXPECT_EQ(tool["rows"][i]["sample"], f[2]);
        EXPECT_EQ(tool["rows"][i]["hets"], std::stoll(f[5])) << f[2];
    }

    // A region and two samples.
    const std::string region = "22:50400000-50600000";
    r = run_agent(
        {"report", "--db", db, "-r", region, "-s", "HG00097,HG00100", "-o", tmp.file("part.html")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string part = read_file(tmp.file("part.vchk"));
    const std::string sub = tmp.file("part.bcf");
    ASSERT_EQ(
        run_shell("bcftools view -r " + region + " -s HG00097,HG00100 -Ob -o " + sub + " " + file)
            .exit_code,
        0);
    const std::string expected = bcftools_stats(sub);
    for (const char* s : {"SN", "TSTV", "ST", "PSC", "IDD", "QUAL"})
        EXPECT_EQ(section(part, s), section(expected, s)) << s;
}

TEST(ReportStoreTest, OneLoadedFileWithItsDepthsAndAlleleDepths) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    // Another file first: the report of one source reads only that file's variants and samples.
    auto r = run_agent({"ingest", data_path("test.snpeff.vcf"), "--db", db, "--no-vectors"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_agent({"ingest", data_path("hapmap_exome_chr22.vcf.gz"), "--db", db, "--no-vectors",
                   "--call-depths"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_agent(
        {"report", "--db", db, "--source", "hapmap_exome_chr22.vcf.gz", "-o", tmp.file("h.html")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string ours = read_file(tmp.file("h.vchk"));
    NormaliseOptions norm;
    norm.drop_ac_an = true;
    norm.ad_per_allele = true;
    const std::string theirs =
        bcftools_stats(bcftools_normalised(data_path("hapmap_exome_chr22.vcf.gz"), tmp, "h", norm));
    for (const char* s : kSections) EXPECT_EQ(section(ours, s), section(theirs, s)) << s;
    // DP: the genotype columns of every bin that has genotypes (bcftools adds bins that only
    // INFO/DP of sites fills, and their site columns, which a store does not keep).
    auto genotype_bins = [](const std::string& dp) {
        std::istringstream in(dp);
        std::string out;
        for (std::string line; std::getline(in, line);) {
            std::istringstream f(line);
            std::string tag, id, bin, genotypes, fraction;
            f >> tag >> id >> bin >> genotypes >> fraction;
            if (genotypes != "0") out += bin + " " + genotypes + " " + fraction + "\n";
        }
        return out;
    };
    EXPECT_FALSE(genotype_bins(section(theirs, "DP")).empty());
    EXPECT_EQ(genotype_bins(section(ours, "DP")), genotype_bins(section(theirs, "DP")));
}

TEST(ReportStoreTest, BadStoreArgumentsFailClearly) {
    TempDir tmp;
    auto r = run_agent({"report", "--db", tmp.file("none"), "-o", tmp.file("x.html")});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("none"), std::string::npos) << r.err;
    r = run_agent(
        {"report", data_path("chr22.vcf.gz"), "--db", tmp.file("none"), "-o", tmp.file("x.html")});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("not both"), std::string::npos) << r.err;
    r = run_agent(
        {"report", data_path("chr22.vcf.gz"), "--source", "a.vcf", "-o", tmp.file("x.html")});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("--db"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vcfagent::test
