// Every tool of the registry called as a user or a script would (`vcf-agent tools call`) on the
// bundled real files, each answer refereed by bcftools on the same file; argument validation,
// bounded results and the read-only guarantee.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/graph_referee.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

using nlohmann::json;

const std::string kChr22 = data_path("chr22.vcf.gz");
const std::string kRegion = "22:50300000-50400000";

struct ToolCall {
    int exit_code;
    json result;        // the tool's object when exit_code == 0
    std::string error;  // stderr otherwise
};

ToolCall call_tool(const std::string& db, const std::string& name, const json& args,
                   std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"tools", "call", name, args.dump(), "--db", db, "-O", "json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto r = run_agent(argv);
    ToolCall c{r.exit_code, json(), r.err};
    if (r.exit_code == 0) c.result = json::parse(r.out);
    return c;
}

int64_t shell_count(const std::string& command) {
    auto r = run_shell(command);
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    return std::stoll(r.out);
}

// bcftools stats of the file after splitting multi-allelic records (one ALT per record, as the
// store holds them): the SN and TSTV numbers by name.
std::map<std::string, int64_t> bcftools_split_stats(const std::string& vcf) {
    auto r =
        run_shell("bcftools norm -m -any " + vcf +
                  " 2>/dev/null | bcftools stats - | awk -F'\\t' '$1==\"SN\" {print $4\"\\t\"$3} "
                  "$1==\"TSTV\" {print $3\"\\tts\"; print $4\"\\ttv\"}'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, int64_t> out;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        out[line.substr(tab + 1)] = std::stoll(line.substr(0, tab));
    }
    return out;
}

class ToolsTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        auto r = run_agent({"ingest", kChr22, "--db", db()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static std::string db() { return dir_->file("db"); }
    static TempDir* dir_;
};
TempDir* ToolsTest::dir_ = nullptr;

TEST_F(ToolsTest, CatalogueListsEveryToolWithAnObjectSchema) {
    auto r = run_agent({"tools", "list", "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto catalogue = json::parse(r.out);
    std::set<std::string> names;
    for (const auto& t : catalogue) {
        names.insert(t["name"]);
        EXPECT_EQ(t["input_schema"]["type"], "object") << t["name"];
        EXPECT_EQ(t["input_schema"]["additionalProperties"], false) << t["name"];
        EXPECT_GT(t["description"].get<std::string>().size(), 40u) << t["name"];
    }
    for (const char* n :
         {"store_overview", "variant_stats", "variants_in_region", "variants_in_gene",
          "sample_variants", "variant_carriers", "shared_variants", "genotype_filter",
          "similar_variants", "cypher", "validate_file", "file_stats", "compare_files",
          "file_report", "store_report", "variant_genotypes"})
        EXPECT_TRUE(names.count(n)) << n;
    EXPECT_NE(r.err.find("tokens"), std::string::npos)
        << "the catalogue's size in tokens is reported";
}

TEST_F(ToolsTest, OverviewAndStatsEqualBcftools) {
    auto o = call_tool(db(), "store_overview", json::object());
    ASSERT_EQ(o.exit_code, 0) << o.error;
    EXPECT_EQ(o.result["sample_count"], shell_count("bcftools query -l " + kChr22 + " | wc -l"));
    const auto sn = bcftools_split_stats(kChr22);
    EXPECT_EQ(o.result["total"], sn.at("number of records:"));
    ASSERT_EQ(o.result["contigs"].size(), 1u);
    EXPECT_EQ(o.result["contigs"][0]["chrom"], "22");
    EXPECT_EQ(o.result["truncated"], false);

    auto s = call_tool(db(), "variant_stats", json::object());
    ASSERT_EQ(s.exit_code, 0) << s.error;
    EXPECT_EQ(s.result["variants"], sn.at("number of records:"));
    EXPECT_EQ(s.result["snvs"], sn.at("number of SNPs:"));
    EXPECT_EQ(s.result["indels"], sn.at("number of indels:"));
    EXPECT_EQ(s.result["transitions"], sn.at("ts"));
    EXPECT_EQ(s.result["transversions"], sn.at("tv"));

    // The subset one sample carries, in a region: bcftools keeps the sample's non-ref calls.
    auto sub = call_tool(db(), "variant_stats", {{"sample", "HG00097"}, {"region", kRegion}});
    ASSERT_EQ(sub.exit_code, 0) << sub.error;
    // (bcftools view -r needs an index; the split stream has none, so view the region first)
    const auto region_split =
        run_shell("bcftools view -r " + kRegion + " -s HG00097 " + kChr22 +
                  " | bcftools norm -m -any 2>/dev/null | bcftools view -H -i 'GT~\"1\"' | wc -l");
    EXPECT_EQ(sub.result["variants"], std::stoll(region_split.out));
    EXPECT_GT(sub.result["variants"].get<int64_t>(), 0);
    EXPECT_EQ(
        sub.result["by_zygosity"].value("het", 0) + sub.result["by_zygosity"].value("hom_alt", 0),
        sub.result["variants"].get<int64_t>());
}

TEST_F(ToolsTest, RegionCarriersSharedAndGenotypeFilterEqualBcftools) {
    const std::string view_region =
        "bcftools view -r " + kRegion + " " + kChr22 + " | bcftools norm -m -any 2>/dev/null";
    auto region = call_tool(db(), "variants_in_region", {{"region", kRegion}, {"limit", 7}});
    ASSERT_EQ(region.exit_code, 0) << region.error;
    EXPECT_EQ(region.result["total"], shell_count(view_region + " | bcftools view -H | wc -l"));
    EXPECT_EQ(region.result["rows"].size(), 7u);
    EXPECT_EQ(region.result["truncated"], true);
    const json first = region.result["rows"][0];
    EXPECT_GE(first["pos"].get<int64_t>(), 50300000);

    // Carriers of the first variant of the region, by key and by rsID.
    const std::string key = first["key"];
    auto carriers = call_tool(db(), "variant_carriers", {{"variant", key}});
    ASSERT_EQ(carriers.exit_code, 0) << carriers.error;
    const std::string pos = std::to_string(first["pos"].get<int64_t>());
    const int64_t expected = shell_count("bcftools query -r 22:" + pos + "-" + pos +
                                         " -f '[%GT\\n]' " + kChr22 + " | grep -c 1 || true");
    EXPECT_EQ(carriers.result["total"], expected);
    if (first["rsid"].is_string() && !first["rsid"].get<std::string>().empty()) {
        auto by_rsid = call_tool(db(), "variant_carriers", {{"variant", first["rsid"]}});
        ASSERT_EQ(by_rsid.exit_code, 0);
        EXPECT_EQ(by_rsid.result["total"], expected);
    }

    // Shared by two samples; het in one and absent in the other.
    const std::string pair =
        "bcftools view -s HG00096,HG00097 " + kChr22 + " | bcftools norm -m -any 2>/dev/null";
    auto shared =
        call_tool(db(), "shared_variants", {{"sample_a", "HG00096"}, {"sample_b", "HG00097"}});
    ASSERT_EQ(shared.exit_code, 0) << shared.error;
    EXPECT_EQ(
        shared.result["total"],
        shell_count(pair +
                    " | bcftools query -f '[%GT\\t]\\n' | awk '$1 ~ /1/ && $2 ~ /1/' | wc -l"));
    auto gt = call_tool(db(), "genotype_filter", {{"het", {"HG00096"}}, {"hom_ref", {"HG00097"}}});
    ASSERT_EQ(gt.exit_code, 0) << gt.error;
    EXPECT_EQ(
        gt.result["total"],
        shell_count(
            pair +
            " | bcftools query -f '[%GT\\t]\\n' | "
            "awk '($1==\"0|1\"||$1==\"1|0\"||$1==\"0/1\"||$1==\"1/0\") && $2 !~ /1/' | wc -l"));
    EXPECT_GT(gt.result["total"].get<int64_t>(), 0);

    auto mine = call_tool(db(), "sample_variants", {{"sample", "HG00099"}, {"region", kRegion}});
    ASSERT_EQ(mine.exit_code, 0) << mine.error;
    EXPECT_EQ(mine.result["total"],
              shell_count(
                  "bcftools view -s HG00099 -r " + kRegion + " " + kChr22 +
                  " | bcftools norm -m -any 2>/dev/null | bcftools view -H -i 'GT~\"1\"' | wc -l"));
}

TEST_F(ToolsTest, SimilarVariantsReturnsTheVariantItselfFirstAndHonoursFilters) {
    auto region = call_tool(db(), "variants_in_region", {{"region", kRegion}, {"limit", 1}});
    ASSERT_EQ(region.exit_code, 0);
    const std::string key = region.result["rows"][0]["key"];
    auto sim = call_tool(db(), "similar_variants", {{"variant", key}, {"k", 5}});
    ASSERT_EQ(sim.exit_code, 0) << sim.error;
    ASSERT_EQ(sim.result["rows"].size(), 5u);
    EXPECT_EQ(sim.result["rows"][0]["key"], key);
    EXPECT_FLOAT_EQ(sim.result["rows"][0]["distance"].get<float>(), 0.0f);
    auto del =
        call_tool(db(), "similar_variants", {{"variant", key}, {"k", 3}, {"classes", {"DEL"}}});
    ASSERT_EQ(del.exit_code, 0) << del.error;
    for (const auto& row : del.result["rows"]) EXPECT_EQ(row["class"], "DEL");
    auto missing = call_tool(db(), "similar_variants", {{"variant", "22:1:A:C"}});
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_NE(missing.error.find("not in the store"), std::string::npos) << missing.error;
}

TEST_F(ToolsTest, BadArgumentsGiveErrorsAModelCanCorrect) {
    auto r = call_tool(db(), "variants_in_region", json::object());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.error.find("region"), std::string::npos) << r.error;
    r = call_tool(db(), "variants_in_region", {{"region", 22}});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.error.find("invalid arguments"), std::string::npos) << r.error;
    r = call_tool(db(), "variants_in_region", {{"region", kRegion}, {"colour", "red"}});
    EXPECT_NE(r.exit_code, 0);
    r = call_tool(db(), "variants_in_region", {{"region", kRegion}, {"limit", 100000}});
    EXPECT_NE(r.exit_code, 0) << "a limit above the hard maximum is refused";
    r = call_tool(db(), "variants_in_region", {{"region", "22:x-y"}});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.error.find("bad region"), std::string::npos) << r.error;
    r = call_tool(db(), "sample_variants", {{"sample", "NOBODY"}});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.error.find("no sample named NOBODY"), std::string::npos) << r.error;
    r = call_tool(db(), "no_such_tool", json::object());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.error.find("store_overview"), std::string::npos)
        << "lists the real tools: " << r.error;
    r = call_tool(db(), "genotype_filter", json::object());
    EXPECT_NE(r.exit_code, 0) << "a genotype filter with no condition is refused";
}

TEST_F(ToolsTest, NoToolCanWriteTheStore) {
    const auto before = store_counts(db());
    for (const char* q :
         {"CREATE (:Sample {id: 'intruder'})", "MATCH (v:Variant) DETACH DELETE v",
          "MATCH (s:Sample) SET s.id = 'x'", "MERGE (:Gene {symbol: 'X'})",
          "COPY Sample FROM '/etc/passwd'", "LOAD FROM '/etc/passwd' RETURN *", "CALL checkpoint()",
          "DROP TABLE Sample", "ATTACH '/tmp/x' AS x (dbtype kuzu)"}) {
        auto r = call_tool(db(), "cypher", {{"query", q}});
        EXPECT_NE(r.exit_code, 0) << q;
    }
    // Injection through string arguments reaches Cypher only as parameters.
    auto r = call_tool(db(), "sample_variants", {{"sample", "x'}) DETACH DELETE s //"}});
    EXPECT_NE(r.exit_code, 0);
    r = call_tool(db(), "variants_in_gene", {{"gene", "X' OR 1=1 DETACH DELETE v //"}});
    EXPECT_EQ(r.exit_code, 0) << r.error;
    EXPECT_EQ(r.result["total"], 0);
    EXPECT_EQ(store_counts(db()), before);

    auto ok = call_tool(db(), "cypher",
                        {{"query", "MATCH (v:Variant) RETURN v.vtype AS t, count(*) AS n"}});
    ASSERT_EQ(ok.exit_code, 0) << ok.error;
    int64_t sum = 0;
    for (const auto& row : ok.result["rows"]) sum += row["n"].get<int64_t>();
    EXPECT_EQ(sum, before.at("Variant"));
}

TEST_F(ToolsTest, StatementsStopAtTheirTimeLimit) {
    auto r = call_tool(
        db(), "cypher",
        {{"query", "MATCH (a:Variant), (b:Variant) WHERE a.pos + b.pos = 7 RETURN count(*)"}},
        {"--timeout-ms", "50"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.error.find("time limit"), std::string::npos) << r.error;
}

TEST_F(ToolsTest, FileToolsReadOnlyBelowTheDataDirectory) {
    const std::string data = std::filesystem::path(kChr22).parent_path().string();
    auto stats = call_tool(db(), "file_stats", {{"path", "chr22.vcf.gz"}}, {"--data-dir", data});
    ASSERT_EQ(stats.exit_code, 0) << stats.error;
    EXPECT_EQ(stats.result["records"], shell_count("bcftools view -H " + kChr22 + " | wc -l"));
    EXPECT_EQ(stats.result["snps"], shell_count("bcftools view -H -v snps " + kChr22 + " | wc -l"));
    auto valid = call_tool(db(), "validate_file", {{"path", "chr22.vcf.gz"}}, {"--data-dir", data});
    ASSERT_EQ(valid.exit_code, 0) << valid.error;
    EXPECT_EQ(valid.result["valid"], true);
    auto invalid =
        call_tool(db(), "validate_file", {{"path", "invalid-4.0.vcf"}}, {"--data-dir", data});
    ASSERT_EQ(invalid.exit_code, 0) << invalid.error;
    EXPECT_EQ(invalid.result["valid"], false);
    EXPECT_GT(invalid.result["rows"].size(), 0u);
    for (const char* outside : {"../CMakeLists.txt", "/etc/passwd", "bad/../../CMakeLists.txt"}) {
        auto r = call_tool(db(), "file_stats", {{"path", outside}}, {"--data-dir", data});
        EXPECT_NE(r.exit_code, 0) << outside;
        EXPECT_NE(r.error.find("outside the data directory"), std::string::npos) << r.error;
    }
    auto none = call_tool(db(), "file_stats", {{"path", "chr22.vcf.gz"}});
    EXPECT_NE(none.exit_code, 0) << "without --data-dir no file is readable";
}

TEST(ToolsGeneTest, GeneToolsFollowTheFilesAnnotations) {
    TempDir tmp;
    const std::string vcf = data_path("test.snpeff.vcf");
    auto r = run_agent({"ingest", vcf, "--db", tmp.file("db"), "--no-vectors"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Records whose EFF names the gene, as grep on the file counts them.
    auto gene = call_tool(tmp.file("db"), "variants_in_gene", {{"gene", "FAM138A"}});
    ASSERT_EQ(gene.exit_code, 0) << gene.error;
    EXPECT_EQ(gene.result["total"],
              shell_count("bcftools view -H " + vcf + " | grep -c '|FAM138A|' || true"));
    EXPECT_GT(gene.result["total"].get<int64_t>(), 0);
    auto stats = call_tool(tmp.file("db"), "variant_stats", {{"gene", "FAM138A"}});
    ASSERT_EQ(stats.exit_code, 0) << stats.error;
    EXPECT_EQ(stats.result["variants"], gene.result["total"]);
}

}  // namespace
}  // namespace vcfagent::test

namespace vcfagent::test {
namespace {

// A region inside a long variant finds it, as bcftools view -r does (region scans start at the
// contig's longest variant span before the region, not at the region).
TEST(ToolsRegionTest, RegionsInsideLongVariantsFindThem) {
    TempDir tmp;
    const std::string vcf = tmp.file("sv.vcf.gz");
    ASSERT_EQ(run_shell("bcftools view -Oz -o " + vcf + " " + data_path("structural.vcf") +
                        " && tabix -p vcf " + vcf)
                  .exit_code,
              0);
    auto r = run_agent({"ingest", vcf, "--db", tmp.file("db"), "--no-vectors"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* region :
         {"3:12670000-12680000", "2:321700-321800", "1:2827600-2827650", "3:1-100"}) {
        auto c = call_tool(tmp.file("db"), "variants_in_region", {{"region", region}});
        ASSERT_EQ(c.exit_code, 0) << c.error;
        EXPECT_EQ(c.result["total"], shell_count("bcftools view -H -r " + std::string(region) +
                                                 " " + vcf + " | wc -l"))
            << region;
    }
}

}  // namespace
}  // namespace vcfagent::test
