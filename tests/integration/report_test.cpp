// `vcf-agent report` against bcftools: the .vchk beside the page must hold the same data lines
// as `bcftools stats -s -` section by section, the page's summary, per-sample and per-chromosome
// numbers must be bcftools' (read from the data attributes of its tables), the file_report
// tool must answer the same numbers, and Debian's headless chromium must render every section
// and chart of the page (tests/web/report_test.mjs, driven through playwright-core).
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/stats_text.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

using nlohmann::json;

const std::vector<std::string> kFiles = {"chr22.vcf.gz", "hapmap_exome_chr22.vcf.gz",
                                         "structural.vcf", "valid-4.1.vcf", "test.snpeff.vcf"};
const std::vector<std::string> kStatsSections = {"ID",  "SN", "TSTV", "SiS", "AF",  "QUAL",
                                                 "IDD", "ST", "DP",   "PSC", "PSI", "HWE"};
const std::vector<std::string> kPageSections = {
    "summary", "variant-classes", "substitutions", "indels", "allele-frequency", "quality", "depth",
    "samples", "chromosomes",     "consequences",  "genes"};
const char* kBrowser = "/usr/bin/chromium";

std::string bcftools_stats(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"bcftools", "stats"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_command(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
}

struct Report {
    std::string html;
    std::string vchk;
};

// Runs `vcf-agent report` into `dir`; the .vchk is found at its default place.
Report make_report(const TempDir& dir, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"report"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"-o", dir.file("report.html")});
    const auto r = run_agent(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir.file("report.vchk")));
    return {read_file(dir.file("report.html")), read_file(dir.file("report.vchk"))};
}

void expect_sections_equal(const std::string& ours, const std::string& theirs) {
    for (const auto& section : kStatsSections)
        EXPECT_EQ(section_lines(ours, {section}), section_lines(theirs, {section})) << section;
    ASSERT_EQ(section_lines(theirs, {"ST"}).size(), 12u);
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

class ReportFile : public ::testing::TestWithParam<std::string> {};

TEST_P(ReportFile, VchkHoldsTheSectionsOfBcftoolsStats) {
    TempDir dir;
    const std::string file = data_path(GetParam());
    const Report report = make_report(dir, {file});
    expect_sections_equal(report.vchk, bcftools_stats({"-s", "-", file}));
    EXPECT_TRUE(contains(report.vchk, "This file was produced by bcftools stats"));
}

TEST_P(ReportFile, PageNumbersEqualBcftools) {
    TempDir dir;
    const std::string file = data_path(GetParam());
    const Report report = make_report(dir, {file});
    const std::string ref = bcftools_stats({"-s", "-", file});
    for (const auto& id : kPageSections)
        EXPECT_TRUE(contains(report.html, "<section id=\"" + id + "\">")) << id;
    const auto sn = section_lines(ref, {"SN"});
    ASSERT_EQ(sn.size(), 9u);
    for (const auto& line : sn) {
        const auto f = split_tabs(line);
        EXPECT_TRUE(contains(report.html, "data-key=\"" + f[2] + "\" data-value=\"" + f[3] + "\""))
            << line;
    }
    const auto psc = section_lines(ref, {"PSC"});
    ASSERT_FALSE(psc.empty());
    for (const auto& line : psc) {
        const auto f = split_tabs(line);
        EXPECT_TRUE(contains(report.html, "data-sample=\"" + f[2] + "\" data-hets=\"" + f[5] +
                                              "\" data-hom-alt=\"" + f[4] + "\" data-missing=\"" +
                                              f[13] + "\" data-singletons=\"" + f[10] + "\""))
            << line;
    }
    // Records per chromosome: bcftools' CHROM column, counted.
    const auto chroms = run_shell("bcftools query -f '%CHROM\\n' '" + file + "' | sort | uniq -c");
    ASSERT_EQ(chroms.exit_code, 0) << chroms.err;
    std::istringstream in(chroms.out);
    std::string count, chrom;
    int n = 0;
    while (in >> count >> chrom) {
        ++n;
        EXPECT_TRUE(
            contains(report.html, "data-chrom=\"" + chrom + "\" data-value=\"" + count + "\""))
            << chrom << " " << count;
    }
    EXPECT_GT(n, 0);
}

INSTANTIATE_TEST_SUITE_P(TestData, ReportFile, ::testing::ValuesIn(kFiles), [](const auto& info) {
    std::string name = info.param;
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
});

TEST(Report, RegionAndSamplesAsBcftools) {
    TempDir dir;
    const std::string file = data_path("chr22.vcf.gz");
    const std::vector<std::string> selection = {"-r", "22:50400000-50450000", "-s",
                                                "HG00101,HG00097"};
    std::vector<std::string> args = selection;
    args.push_back(file);
    const Report report = make_report(dir, args);
    expect_sections_equal(report.vchk, bcftools_stats(args));
    size_t rows = 0;
    for (size_t at = report.html.find("data-sample=\""); at != std::string::npos;
         at = report.html.find("data-sample=\"", at + 1))
        ++rows;
    EXPECT_EQ(rows, 2u);
    // The region changes the numbers: the page is not the whole file's.
    const auto whole = section_lines(bcftools_stats({file}), {"SN"});
    EXPECT_NE(section_lines(report.vchk, {"SN"}), whole);
}

TEST(Report, VchkPathOption) {
    TempDir dir;
    const auto r = run_agent({"report", data_path("valid-4.1.vcf"), "-o", dir.file("page.html"),
                              "--vchk", dir.file("elsewhere.txt")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir.file("page.html")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("page.vchk")));
    expect_sections_equal(read_file(dir.file("elsewhere.txt")),
                          bcftools_stats({"-s", "-", data_path("valid-4.1.vcf")}));
}

TEST(Report, EscapesNamesFromTheFile) {
    TempDir dir;
    const std::string path = dir.file("names.vcf");
    write_file(path,
               "##fileformat=VCFv4.2\n##contig=<ID=1,length=1000>\n"
               "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: "
               "'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | "
               "Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p'\">\n"
               "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t<b>S&1\tS\"2\n"
               "1\t10\t.\tA\tG\t50\t.\tANN=G|missense_variant|MODERATE|<img src=x>|g1|"
               "transcript|t1|protein_coding|1/1|c.1A>G|p.K1E\tGT\t0/1\t1/1\n");
    const auto r = run_agent({"report", path, "-o", dir.file("page.html")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string html = read_file(dir.file("page.html"));
    EXPECT_FALSE(contains(html, "<img")) << "a gene name became markup";
    EXPECT_FALSE(contains(html, "<b>S")) << "a sample name became markup";
    EXPECT_TRUE(contains(html, "&lt;img src=x&gt;"));
    EXPECT_TRUE(contains(html, "&lt;b&gt;S&amp;1"));
    EXPECT_TRUE(contains(html, "S&quot;2"));
    // The annotation was read: one MODERATE allele, one gene.
    EXPECT_TRUE(contains(html, "missense_variant"));
}

TEST(Report, ToolAnswersTheSameNumbers) {
    const std::string file = data_path("hapmap_exome_chr22.vcf.gz");
    const std::string ref = bcftools_stats({"-s", "-", file});
    auto call = [](const json& args) {
        const auto r = run_agent({"tools", "call", "file_report", args.dump(), "--data-dir",
                                  std::filesystem::path(data_path("x")).parent_path().string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return json::parse(r.out);
    };
    const json all = call({{"path", "hapmap_exome_chr22.vcf.gz"}});
    const auto psc = section_lines(ref, {"PSC"});
    ASSERT_EQ(all.at("total").get<size_t>(), psc.size());
    ASSERT_EQ(all.at("rows").size(), psc.size());
    for (size_t i = 0; i < psc.size(); ++i) {
        const auto f = split_tabs(psc[i]);
        EXPECT_EQ(all["rows"][i].at("sample").get<std::string>(), f[2]);
        EXPECT_EQ(all["rows"][i].at("hets").get<uint64_t>(), std::stoull(f[5]));
        EXPECT_EQ(all["rows"][i].at("hom_alt").get<uint64_t>(), std::stoull(f[4]));
        EXPECT_EQ(all["rows"][i].at("missing").get<uint64_t>(), std::stoull(f[13]));
    }
    for (const auto& line : section_lines(ref, {"ST"})) {
        const auto f = split_tabs(line);
        EXPECT_EQ(all.at("substitution_types").at(f[2]).get<uint64_t>(), std::stoull(f[3]));
    }
    EXPECT_FALSE(all.at("truncated").get<bool>());
    const json cut = call({{"path", "hapmap_exome_chr22.vcf.gz"}, {"limit", 3}});
    EXPECT_EQ(cut.at("rows").size(), 3u);
    EXPECT_EQ(cut.at("total").get<size_t>(), psc.size());
    EXPECT_TRUE(cut.at("truncated").get<bool>());

    // Genes and impacts of the SnpEff EFF annotations: every record of the file is bi-allelic,
    // so an allele annotated with a gene is a record whose EFF names it.
    const std::string snpeff = data_path("test.snpeff.vcf");
    const json ann = call({{"path", "test.snpeff.vcf"}});
    const auto annotated =
        run_shell("bcftools query -f '%INFO/EFF\\n' '" + snpeff + "' | grep -vc '^\\.$'");
    EXPECT_EQ(ann.at("annotated_alleles").get<int64_t>(), std::stoll(annotated.out));
    uint64_t impacts = 0;
    for (const auto& [name, n] : ann.at("impacts").items()) impacts += n.get<uint64_t>();
    EXPECT_EQ(impacts, ann.at("annotated_alleles").get<uint64_t>());
    ASSERT_FALSE(ann.at("top_genes").empty());
    for (const auto& g : ann["top_genes"]) {
        const std::string gene = g.at("gene");
        const auto n = run_shell("bcftools query -f '%INFO/EFF\\n' '" + snpeff + "' | grep -c '|" +
                                 gene + "|'");
        EXPECT_EQ(g.at("alleles").get<int64_t>(), std::stoll(n.out)) << gene;
    }
}

TEST(Report, ErrorsNameTheFile) {
    TempDir dir;
    const auto missing = run_agent({"report", dir.file("absent.vcf"), "-o", dir.file("p.html")});
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_TRUE(contains(missing.err, "absent.vcf")) << missing.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("p.html")));
    const auto no_output = run_agent({"report", data_path("valid-4.1.vcf")});
    EXPECT_NE(no_output.exit_code, 0);
    const auto bad_dir =
        run_agent({"report", data_path("valid-4.1.vcf"), "-o", dir.file("no/such/dir/p.html")});
    EXPECT_NE(bad_dir.exit_code, 0);
    EXPECT_TRUE(contains(bad_dir.err, "no/such/dir")) << bad_dir.err;
    const auto bad_sample =
        run_agent({"report", data_path("valid-4.1.vcf"), "-s", "NOPE", "-o", dir.file("p.html")});
    EXPECT_NE(bad_sample.exit_code, 0);
    EXPECT_TRUE(contains(bad_sample.err, "NOPE")) << bad_sample.err;
}

// Runs the browser script on a page; returns its JSON summary.
json render_in_chromium(const std::string& page, const std::string& png,
                        const std::vector<std::string>& plots) {
    const std::string web_dir = std::string(VCF_AGENT_TEST_DATA) + "/../web";
    std::string sections, plot_list;
    for (const auto& s : kPageSections) sections += (sections.empty() ? "" : ",") + s;
    for (const auto& p : plots) plot_list += (plot_list.empty() ? "" : ",") + p;
    const auto r =
        run_command({"node", web_dir + "/report_test.mjs", "--file", page, "--png", png,
                     "--sections", sections, "--plots", plot_list, "--browser", kBrowser});
    json summary;
    try {
        summary = json::parse(r.out);
    } catch (const std::exception&) {
        ADD_FAILURE() << "exit " << r.exit_code << "\n" << r.out << r.err;
        return json::object();
    }
    EXPECT_EQ(r.exit_code, 0) << summary.dump(2) << r.err;
    EXPECT_TRUE(summary.value("ok", false)) << summary.dump(2);
    return summary;
}

TEST(Report, ChromiumRendersEverySectionAndChart) {
    // The browser and its driver are test dependencies like bcftools: missing is a broken
    // set-up, and a skipped test would hide that the page was never rendered.
    ASSERT_EQ(run_shell("command -v node >/dev/null 2>&1").exit_code, 0)
        << "node is not on PATH; run scripts/setup.sh";
    const std::string web_dir = std::string(VCF_AGENT_TEST_DATA) + "/../web";
    ASSERT_TRUE(std::filesystem::exists(web_dir + "/node_modules/playwright-core/package.json"))
        << "the browser test driver is not installed (tests/web/node_modules); run "
           "scripts/setup.sh";
    ASSERT_TRUE(std::filesystem::exists(kBrowser))
        << kBrowser << " is missing (Debian package chromium); run scripts/setup.sh";

    const std::vector<std::string> common = {"variant-classes", "substitution-types",
                                             "indel-lengths",   "allele-frequency",
                                             "quality",         "depth",
                                             "sample-hets",     "sample-het-hom-ratio",
                                             "contig-counts"};
    TempDir dir;
    // Annotated: every chart of the page.
    auto plots = common;
    plots.insert(plots.end(), {"positions-chr1", "impacts", "consequences", "top-genes"});
    const std::string annotated = dir.file("snpeff.html");
    ASSERT_EQ(run_agent({"report", data_path("test.snpeff.vcf"), "-o", annotated}).exit_code, 0);
    const json a = render_in_chromium(annotated, dir.file("snpeff.png"), plots);
    EXPECT_GE(a.value("plots", json::array()).size(), plots.size()) << a.dump(2);
    EXPECT_GT(std::filesystem::file_size(dir.file("snpeff.png")), 10000u);

    // Real exome calls with depth, 22 samples, no annotation.
    plots = common;
    plots.push_back("positions-22");
    const std::string exome = dir.file("exome.html");
    ASSERT_EQ(run_agent({"report", data_path("hapmap_exome_chr22.vcf.gz"), "-o", exome}).exit_code,
              0);
    const json e = render_in_chromium(exome, dir.file("exome.png"), plots);
    EXPECT_TRUE(e.value("requests", json::array()).empty()) << e.dump(2);
    EXPECT_GE(e.value("png", json::object()).value("colours", 0), 8) << e.dump(2);
}

}  // namespace
}  // namespace vcfagent::test
