// `vcf-agent compare A B` refereed by bcftools on real files: the site sets against
// `bcftools isec -c MODE` (record counts of 0000/0001/0002) and the genotype concordance against
// `bcftools stats -s - A B` (GCsAF/GCiAF, NRDs/NRDi, GCsS/GCiS, GCTs/GCTi lines), both run on
// `bcftools norm -m -any` versions of the inputs; a sample swap made with `bcftools reheader`;
// unreadable and unsorted inputs. Every expected number comes from bcftools.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/stats_text.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

using nlohmann::json;

const std::string kChr22 = data_path("chr22.vcf.gz");
const std::string kHapmap = data_path("hapmap_exome_chr22.vcf.gz");
const std::vector<std::string> kModes = {"none", "snps", "indels", "both", "all", "some"};
const std::vector<std::string> kConcordanceSections = {"GCsAF", "GCiAF", "NRDs", "NRDi",
                                                       "GCsS",  "GCiS",  "GCTs", "GCTi"};

bool has_bcftools() {
    static const bool available = run_shell("bcftools --version >/dev/null 2>&1").exit_code == 0 &&
                                  run_shell("tabix --version >/dev/null 2>&1").exit_code == 0;
    return available;
}

#define REQUIRE_BCFTOOLS() \
    if (!has_bcftools()) GTEST_SKIP() << "bcftools/tabix are not installed"

void shell(const std::string& command) {
    const auto r = run_shell(command);
    ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.err;
}

// `bcftools norm -m -any IN` into OUT (bgzip, indexed): the form isec and stats compare.
void split_copy(const std::string& in, const std::string& out) {
    shell("bcftools norm -m -any -Oz -o " + out + " " + in + " 2>/dev/null && tabix -f -p vcf " +
          out);
}

int64_t count_records(const std::string& vcf) {
    const auto r = run_shell("grep -vc '^#' " + vcf);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    return std::stoll(r.out);
}

struct SiteCounts {
    int64_t only_a = -1, only_b = -1, both = -1;
};

SiteCounts isec_counts(const std::string& a, const std::string& b, const std::string& mode,
                       const std::string& dir, const std::string& region = "") {
    std::filesystem::remove_all(dir);
    const std::string r = region.empty() ? "" : " -r " + region;
    const auto run = run_shell("bcftools isec -c " + mode + r + " -p " + dir + " " + a + " " + b);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return {count_records(dir + "/0000.vcf"), count_records(dir + "/0001.vcf"),
            count_records(dir + "/0002.vcf")};
}

json compare_json(std::vector<std::string> args) {
    args.insert(args.begin(), "compare");
    args.insert(args.end(), {"-O", "json"});
    const auto r = run_agent(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json::object();
}

// The awk program that derives B from a subset of chr22: every 17th SNP gets another ALT base,
// every 23rd SNP a second ALT, every 41st SNP becomes an insertion, every 19th insertion a
// longer ALT, and a few genotypes of the first three samples change (to het, to missing, to
// hom-alt, to hom-ref).
const char* kPerturb = R"AWK(
BEGIN { FS = OFS = "\t" }
/^#/ { print; next }
{
    n++
    snp = length($4) == 1 && length($5) == 1
    if (snp && n % 17 == 0) { $5 = other($4, $5) }
    else if (snp && n % 23 == 0) { $5 = $5 "," other($4, $5) }
    else if (snp && n % 41 == 0) { $5 = $4 "A" }
    else if (n % 19 == 0 && length($5) > length($4) && index($5, ",") == 0 && $5 !~ /</) { $5 = $5 "T" }
    if (n % 7 == 0) sub(/^0\|0/, "0|1", $10)
    if (n % 11 == 0) sub(/^[^:]*/, "./.", $11)
    if (n % 13 == 0) { sub(/^0\|1/, "1|1", $12); sub(/^1\|0/, "1|1", $12) }
    if (n % 29 == 0) sub(/^1\|1/, "0|0", $10)
    if (n % 31 == 0) sub(/^0\|1/, "0|0", $11)
    print
}
function other(ref, alt,   bases, i, b) {
    bases = "ACGT"
    for (i = 1; i <= 4; i++) { b = substr(bases, i, 1); if (b != ref && b != alt) return b }
}
)AWK";

// Inputs shared by the tests, made once: A (chr22), B (a region and three samples of it with
// changed alleles and genotypes), their split copies, and chr22 with two samples swapped.
class CompareTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!has_bcftools()) return;
        dir_ = new TempDir();
        write_file(file("perturb.awk"), kPerturb);
        shell("bcftools view -r 22:50400000-50900000 -s HG00096,HG00097,HG00100 " + kChr22 +
              " | awk -f " + file("perturb.awk") + " | bgzip -c > " + file("b.vcf.gz") +
              " && tabix -p vcf " + file("b.vcf.gz"));
        split_copy(kChr22, file("a.split.vcf.gz"));
        split_copy(file("b.vcf.gz"), file("b.split.vcf.gz"));
        split_copy(kHapmap, file("hapmap.split.vcf.gz"));
        write_file(file("swap.txt"), "HG00096 HG00097\nHG00097 HG00096\n");
        shell("bcftools reheader -s " + file("swap.txt") + " -o " + file("swapped.vcf.gz") + " " +
              kChr22 + " && tabix -p vcf " + file("swapped.vcf.gz"));
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static std::string file(const std::string& name) { return dir_->file(name); }
    static TempDir* dir_;
};
TempDir* CompareTest::dir_ = nullptr;

TEST_F(CompareTest, SiteSetsEqualBcftoolsIsecInEveryCollapseMode) {
    REQUIRE_BCFTOOLS();
    for (const auto& mode : kModes) {
        const auto expected =
            isec_counts(file("a.split.vcf.gz"), file("b.split.vcf.gz"), mode, file("isec"));
        const json ours = compare_json({kChr22, file("b.vcf.gz"), "-c", mode});
        EXPECT_EQ(ours["only_a"], expected.only_a) << "-c " << mode;
        EXPECT_EQ(ours["only_b"], expected.only_b) << "-c " << mode;
        EXPECT_EQ(ours["both"], expected.both) << "-c " << mode;
    }
    // The perturbation must have made the modes differ, or the test proves little.
    const auto none =
        isec_counts(file("a.split.vcf.gz"), file("b.split.vcf.gz"), "none", file("isec"));
    const auto all =
        isec_counts(file("a.split.vcf.gz"), file("b.split.vcf.gz"), "all", file("isec"));
    const auto both =
        isec_counts(file("a.split.vcf.gz"), file("b.split.vcf.gz"), "both", file("isec"));
    EXPECT_LT(none.both, both.both);
    EXPECT_LT(both.both, all.both) << "an SNV of A pairs with an indel of B only under -c all";
    EXPECT_GT(none.only_b, 20);
}

TEST_F(CompareTest, RegionRestrictsBothInputsAsIsecDoes) {
    REQUIRE_BCFTOOLS();
    const std::string region = "22:50500000-50700000";
    const auto expected =
        isec_counts(file("a.split.vcf.gz"), file("b.split.vcf.gz"), "none", file("isec"), region);
    const json ours = compare_json({kChr22, file("b.vcf.gz"), "-r", region});
    EXPECT_EQ(ours["only_a"], expected.only_a);
    EXPECT_EQ(ours["only_b"], expected.only_b);
    EXPECT_EQ(ours["both"], expected.both);
    EXPECT_GT(expected.both, 100);
}

TEST_F(CompareTest, ConcordanceSectionsEqualBcftoolsStats) {
    REQUIRE_BCFTOOLS();
    for (const std::string mode : {"none", "all"}) {
        const auto ref = run_command({"bcftools", "stats", "-c", mode, "-s", "-",
                                      file("a.split.vcf.gz"), file("b.split.vcf.gz")});
        ASSERT_EQ(ref.exit_code, 0) << ref.err;
        const auto ours = run_agent({"compare", kChr22, file("b.vcf.gz"), "-c", mode});
        ASSERT_EQ(ours.exit_code, 0) << ours.err;
        const auto expected = section_lines(ref.out, kConcordanceSections);
        // 3 samples x (GCsS, GCiS, GCTs, GCTi), 2 NRD lines, some AF bins.
        ASSERT_GE(expected.size(), 3u * 4 + 2 + 5) << ref.out;
        EXPECT_EQ(section_lines(ours.out, kConcordanceSections), expected) << "-c " << mode;
    }
}

// Multi-allelic records, missing genotypes, and allele frequencies counted from the genotypes
// (A has no INFO/AC or INFO/AN): hapmap against a copy with changed genotypes.
TEST_F(CompareTest, MultiAllelicFileWithoutAlleleCountsEqualsBcftoolsStats) {
    REQUIRE_BCFTOOLS();
    const std::string a = file("hapmap.noac.vcf.gz"), b = file("hapmap.gt.vcf.gz");
    shell("bcftools annotate -x INFO/AC,INFO/AN -Oz -o " + a + " " + kHapmap + " && tabix -p vcf " +
          a);
    write_file(file("hapmap.awk"),
               "BEGIN { FS = OFS = \"\\t\" }\n/^#/ { print; next }\n{ n++\n"
               "  if (n % 5 == 0) sub(/^0\\/0/, \"0/1\", $10)\n"
               "  if (n % 7 == 0) sub(/^[^:]*/, \"./.\", $11)\n"
               "  if (n % 3 == 0) sub(/^0\\/1/, \"1/1\", $12)\n"
               "  if (n % 4 == 0) sub(/^[^:]*/, \"0/1\", $13)\n"
               "  print }\n");
    shell("bcftools view " + kHapmap + " | awk -f " + file("hapmap.awk") + " | bgzip -c > " + b +
          " && tabix -p vcf " + b);
    split_copy(a, file("hapmap.noac.split.vcf.gz"));
    split_copy(b, file("hapmap.gt.split.vcf.gz"));
    const auto ref = run_command({"bcftools", "stats", "-s", "-", file("hapmap.noac.split.vcf.gz"),
                                  file("hapmap.gt.split.vcf.gz")});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    const auto ours = run_agent({"compare", a, b});
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    const auto expected = section_lines(ref.out, kConcordanceSections);
    ASSERT_GE(expected.size(), 22u * 4 + 2 + 5) << ref.out;
    EXPECT_EQ(section_lines(ours.out, kConcordanceSections), expected);
    const auto isec = isec_counts(file("hapmap.noac.split.vcf.gz"), file("hapmap.gt.split.vcf.gz"),
                                  "none", file("isec"));
    const json counts = compare_json({a, b});
    EXPECT_EQ(counts["both"], isec.both);
    EXPECT_EQ(counts["only_a"], 0);
    EXPECT_EQ(counts["only_b"], 0);
}

TEST_F(CompareTest, JsonCarriesBcftoolsNumbers) {
    REQUIRE_BCFTOOLS();
    const auto ref = run_command(
        {"bcftools", "stats", "-s", "-", file("a.split.vcf.gz"), file("b.split.vcf.gz")});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    const json ours = compare_json({kChr22, file("b.vcf.gz")});
    ASSERT_EQ(ours["samples"].size(), 3u);
    const char* kClass[] = {"hom_ref", "het", "hom_alt", "", "missing"};
    for (const auto& kind : {std::string("snps"), std::string("indels")}) {
        const std::string gct = kind == "snps" ? "GCTs" : "GCTi";
        const std::string gcs = kind == "snps" ? "GCsS" : "GCiS";
        size_t row = 0;
        for (const auto& line : section_lines(ref.out, {gct})) {
            const auto f = split_tabs(line);
            ASSERT_EQ(f.size(), 27u);
            const json& sample = ours["samples"][row++];
            EXPECT_EQ(sample["a"], f[1]);
            // 5 x 5 classes in bcftools' order; the "AA het" row and column stay 0.
            for (int j = 0; j < 5; ++j)
                for (int k = 0; k < 5; ++k) {
                    const int64_t v = std::stoll(f[2 + 5 * j + k]);
                    if (j == 3 || k == 3)
                        EXPECT_EQ(v, 0);
                    else
                        EXPECT_EQ(sample[kind]["table"][kClass[j]][kClass[k]], v)
                            << gct << " " << f[1] << " " << j << "," << k;
                }
        }
        EXPECT_EQ(row, 3u);
        row = 0;
        for (const auto& line : section_lines(ref.out, {gcs})) {
            const auto f = split_tabs(line);
            const json& sample = ours["samples"][row++];
            EXPECT_NEAR(sample[kind]["nrd"].get<double>(), std::stod(f[3]), 0.0005) << line;
        }
        const auto nrd = split_tabs(section_lines(ref.out, {kind == "snps" ? "NRDs" : "NRDi"})[0]);
        const json& overall = ours["overall"][kind];
        EXPECT_NEAR(overall["nrd"].get<double>(), std::stod(nrd[2]), 1e-6);
        EXPECT_NEAR(overall["rr_discordance"].get<double>(), std::stod(nrd[3]), 1e-6);
        EXPECT_NEAR(overall["ra_discordance"].get<double>(), std::stod(nrd[4]), 1e-6);
        EXPECT_NEAR(overall["aa_discordance"].get<double>(), std::stod(nrd[5]), 1e-6);
        const auto bins = section_lines(ref.out, {kind == "snps" ? "GCsAF" : "GCiAF"});
        ASSERT_EQ(ours["af_bins"][kind].size(), bins.size());
        for (size_t i = 0; i < bins.size(); ++i) {
            const auto f = split_tabs(bins[i]);
            const json& bin = ours["af_bins"][kind][i];
            EXPECT_NEAR(bin["af"].get<double>(), std::stod(f[2]), 1e-6);
            EXPECT_EQ(bin["matches"]["hom_ref"], std::stoll(f[3]));
            EXPECT_EQ(bin["matches"]["het"], std::stoll(f[4]));
            EXPECT_EQ(bin["matches"]["hom_alt"], std::stoll(f[5]));
            EXPECT_EQ(bin["mismatches"]["hom_ref"], std::stoll(f[6]));
            EXPECT_EQ(bin["mismatches"]["het"], std::stoll(f[7]));
            EXPECT_EQ(bin["mismatches"]["hom_alt"], std::stoll(f[8]));
            EXPECT_EQ(bin["genotypes"], std::stoll(f[10]));
        }
    }
    // The perturbation shows: some genotypes differ, most agree.
    EXPECT_GT(ours["overall"]["all"]["mismatches"].get<int64_t>(), 10);
    EXPECT_GT(ours["overall"]["all"]["concordance"].get<double>(), 0.9);
}

TEST_F(CompareTest, TwoRealFilesThatOverlap) {
    REQUIRE_BCFTOOLS();
    for (const std::string mode : {"none", "snps", "all"}) {
        const auto expected =
            isec_counts(file("a.split.vcf.gz"), file("hapmap.split.vcf.gz"), mode, file("isec"));
        const json ours = compare_json({kChr22, kHapmap, "-c", mode});
        EXPECT_EQ(ours["only_a"], expected.only_a) << "-c " << mode;
        EXPECT_EQ(ours["only_b"], expected.only_b) << "-c " << mode;
        EXPECT_EQ(ours["both"], expected.both) << "-c " << mode;
        EXPECT_GT(expected.both, 40) << "the files share ~51 sites";
        EXPECT_EQ(ours["paired_samples"], 0) << "no sample names in common";
    }
    // B first: the order of the contigs comes from B's header now.
    const auto reversed =
        isec_counts(file("hapmap.split.vcf.gz"), file("a.split.vcf.gz"), "none", file("isec"));
    const json ours = compare_json({kHapmap, kChr22});
    EXPECT_EQ(ours["only_a"], reversed.only_a);
    EXPECT_EQ(ours["only_b"], reversed.only_b);
    EXPECT_EQ(ours["both"], reversed.both);
}

TEST_F(CompareTest, SwappedSamplesAreFound) {
    REQUIRE_BCFTOOLS();
    const json ours = compare_json({kChr22, file("swapped.vcf.gz")});
    ASSERT_EQ(ours["swap_check"].size(), 5u);
    std::map<std::string, json> rows;
    for (const auto& r : ours["swap_check"]) rows[r["sample"]] = r;
    // reheader gave HG00096's genotypes the name HG00097 and the reverse.
    EXPECT_EQ(rows["HG00096"]["best"], "HG00097");
    EXPECT_EQ(rows["HG00097"]["best"], "HG00096");
    EXPECT_EQ(rows["HG00096"]["best_discordance"], 0.0);
    EXPECT_TRUE(rows["HG00096"]["suspect"].get<bool>());
    EXPECT_TRUE(rows["HG00097"]["suspect"].get<bool>());
    EXPECT_GT(rows["HG00096"]["expected_discordance"].get<double>(), 0.01);
    for (const char* s : {"HG00099", "HG00100", "HG00101"}) {
        EXPECT_EQ(rows[s]["best"], s);
        EXPECT_FALSE(rows[s]["suspect"].get<bool>()) << s;
    }
    EXPECT_EQ(ours["suspected_swaps"], 2);
    // bcftools gtcheck (A's samples queried against B's) names the same best matches.
    const auto gtcheck =
        run_command({"bcftools", "gtcheck", "-u", "GT,GT", "-g", file("swapped.vcf.gz"), kChr22});
    ASSERT_EQ(gtcheck.exit_code, 0) << gtcheck.err;
    std::map<std::string, std::pair<double, std::string>> gtcheck_best;
    for (const auto& line : section_lines(gtcheck.out, {"DC"})) {
        const auto f = split_tabs(line);
        ASSERT_GE(f.size(), 4u) << line;
        const double d = std::stod(f[3]);
        auto it = gtcheck_best.find(f[1]);
        if (it == gtcheck_best.end() || d < it->second.first) gtcheck_best[f[1]] = {d, f[2]};
    }
    ASSERT_EQ(gtcheck_best.size(), 5u) << gtcheck.out;
    for (const auto& [sample, best] : gtcheck_best)
        EXPECT_EQ(rows[sample]["best"], best.second) << sample;
    // Pairing the samples by hand restores full concordance.
    const json paired = compare_json(
        {kChr22, file("swapped.vcf.gz"), "--pairs", "HG00096=HG00097,HG00097=HG00096"});
    ASSERT_EQ(paired["samples"].size(), 2u);
    for (const auto& s : paired["samples"]) EXPECT_EQ(s["all"]["mismatches"], 0) << s["a"];
    EXPECT_EQ(paired["suspected_swaps"], 0);
    const auto text = run_agent({"compare", kChr22, file("swapped.vcf.gz")});
    EXPECT_NE(text.out.find("SWAP?"), std::string::npos) << text.out;
}

TEST_F(CompareTest, SiteListsAsTsvAndIsecStyleVcf) {
    REQUIRE_BCFTOOLS();
    const auto expected =
        isec_counts(file("a.split.vcf.gz"), file("b.split.vcf.gz"), "snps", file("isec"));
    const auto tsv = run_agent({"compare", kChr22, file("b.vcf.gz"), "-c", "snps", "-O", "tsv"});
    ASSERT_EQ(tsv.exit_code, 0) << tsv.err;
    std::map<std::string, int64_t> sets;
    std::istringstream in(tsv.out);
    std::string line;
    while (std::getline(in, line))
        if (line[0] != '#') ++sets[split_tabs(line)[0]];
    EXPECT_EQ(sets["only_a"], expected.only_a);
    EXPECT_EQ(sets["only_b"], expected.only_b);
    EXPECT_EQ(sets["both"], expected.both);

    const std::string out = file("lists");
    const auto vcf =
        run_agent({"compare", kChr22, file("b.vcf.gz"), "-c", "snps", "-O", "vcf", "-o", out});
    ASSERT_EQ(vcf.exit_code, 0) << vcf.err;
    EXPECT_EQ(count_records(out + "/0000.vcf"), expected.only_a);
    EXPECT_EQ(count_records(out + "/0001.vcf"), expected.only_b);
    EXPECT_EQ(count_records(out + "/0002.vcf"), expected.both);
    EXPECT_EQ(count_records(out + "/0003.vcf"), expected.both);
    // The lists are VCF bcftools reads, and the sites only in B are the ones isec found.
    const auto ours_b =
        run_shell("bcftools query -f '%CHROM:%POS:%REF:%ALT\\n' " + out + "/0001.vcf | sort");
    const auto isec_b = run_shell("bcftools query -f '%CHROM:%POS:%REF:%ALT\\n' " + file("isec") +
                                  "/0001.vcf | sort");
    ASSERT_EQ(ours_b.exit_code, 0) << ours_b.err;
    EXPECT_EQ(ours_b.out, isec_b.out);
}

TEST_F(CompareTest, ToolComparesFilesOfTheDataDirectory) {
    REQUIRE_BCFTOOLS();
    const auto expected =
        isec_counts(file("a.split.vcf.gz"), file("hapmap.split.vcf.gz"), "none", file("isec"));
    const std::string data = std::filesystem::path(kChr22).parent_path().string();
    const json args = {{"a", "chr22.vcf.gz"}, {"b", "hapmap_exome_chr22.vcf.gz"}};
    const auto r = run_agent({"tools", "call", "compare_files", args.dump(), "--db",
                              file("no-store"), "--data-dir", data, "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json out = json::parse(r.out);
    EXPECT_EQ(out["only_a"], expected.only_a);
    EXPECT_EQ(out["only_b"], expected.only_b);
    EXPECT_EQ(out["both"], expected.both);
    EXPECT_EQ(out["a"], "chr22.vcf.gz");
    const json outside = {{"a", "../CMakeLists.txt"}, {"b", "chr22.vcf.gz"}};
    const auto refused = run_agent({"tools", "call", "compare_files", outside.dump(), "--db",
                                    file("no-store"), "--data-dir", data});
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("outside the data directory"), std::string::npos) << refused.err;
}

// Hand-made corner cases of the pairing at one position, refereed by isec and stats in every
// mode: several SNVs and indels at one position, a duplicate record, a reference-only record,
// lower case, a multi-allelic record, an MNV against an SNV, a symbolic allele, a record whose
// trimmed site lies past the next record's, contigs only B has, and genotypes that differ.
TEST(CompareCorners, PairingAtOnePositionEqualsBcftools) {
    if (!has_bcftools()) GTEST_SKIP() << "bcftools/tabix are not installed";
    TempDir dir;
    const std::string header =
        "##fileformat=VCFv4.2\n##contig=<ID=1>\n##contig=<ID=2>\n"
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";
    const std::string columns =
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\n";
    const std::string a_text = header + columns +
                               "1\t100\t.\tA\tC\t.\t.\t.\tGT\t0/1\t1/1\t0/0\n"
                               "1\t100\t.\tA\tG\t.\t.\t.\tGT\t0/0\t0/1\t./.\n"
                               "1\t200\t.\tAT\tA\t.\t.\t.\tGT\t0/1\t0/0\t1/1\n"
                               "1\t200\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/1\t0/1\n"
                               "1\t300\t.\tC\tT\t.\t.\t.\tGT\t1/1\t0/1\t0/0\n"
                               "1\t400\t.\tG\tA\t.\t.\t.\tGT\t0/1\t0/0\t0/0\n"
                               "1\t400\t.\tG\tA\t.\t.\t.\tGT\t0/0\t0/1\t0/0\n"
                               "1\t500\t.\tT\t.\t.\t.\t.\tGT\t0/0\t0/0\t0/0\n"
                               "1\t600\t.\ta\tc\t.\t.\t.\tGT\t0/1\t0/1\t1/1\n"
                               "1\t700\t.\tG\tA,T\t.\t.\t.\tGT\t1/2\t0/2\t2/2\n"
                               "1\t800\t.\tAC\tGT\t.\t.\t.\tGT\t0/1\t0/0\t1/1\n"
                               "1\t900\t.\tA\t<DEL>\t.\t.\t.\tGT\t0/1\t0/0\t0/0\n"
                               "1\t1000\t.\tC\tCA,T\t.\t.\t.\tGT\t1/2\t0/1\t2/2\n"
                               "1\t1100\t.\tACGT\tACGA\t.\t.\t.\tGT\t0/1\t0/0\t1/1\n"
                               "1\t1101\t.\tC\tT\t.\t.\t.\tGT\t0/1\t0/1\t0/0\n";
    const std::string b_text =
        "##fileformat=VCFv4.2\n##contig=<ID=1>\n##contig=<ID=2>\n"
        "##contig=<ID=3>\n"
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
        columns +
        "1\t100\t.\tA\tT\t.\t.\t.\tGT\t0/1\t0/1\t0/0\n"
        "1\t200\t.\tA\tAC\t.\t.\t.\tGT\t0/1\t0/0\t0/1\n"
        "1\t300\t.\tC\tCA\t.\t.\t.\tGT\t1/1\t0/0\t0/0\n"
        "1\t400\t.\tG\tA\t.\t.\t.\tGT\t0/1\t0/1\t0/0\n"
        "1\t500\t.\tT\tC\t.\t.\t.\tGT\t0/1\t0/0\t0/0\n"
        "1\t600\t.\tA\tC\t.\t.\t.\tGT\t0/1\t1/1\t1/1\n"
        "1\t700\t.\tG\tT\t.\t.\t.\tGT\t0/1\t0/1\t1/1\n"
        "1\t800\t.\tA\tG\t.\t.\t.\tGT\t0/1\t0/0\t0/1\n"
        "1\t900\t.\tA\t<DEL>\t.\t.\t.\tGT\t0/1\t./.\t0/0\n"
        "1\t1000\t.\tC\tT,CA\t.\t.\t.\tGT\t2/1\t0/2\t1/1\n"
        "1\t1100\t.\tACGT\tACGA\t.\t.\t.\tGT\t0/1\t0/1\t1/1\n"
        "1\t1101\t.\tC\tT\t.\t.\t.\tGT\t0/1\t0/1\t0/1\n"
        "2\t50\t.\tG\tC\t.\t.\t.\tGT\t0/1\t0/0\t0/0\n"
        "3\t50\t.\tG\tC\t.\t.\t.\tGT\t0/1\t0/0\t0/0\n";
    const std::string a = dir.file("a.vcf.gz"), b = dir.file("b.vcf.gz");
    bgzip_bytes(a_text, a);
    bgzip_bytes(b_text, b);
    shell("tabix -p vcf " + a + " && tabix -p vcf " + b);
    split_copy(a, dir.file("a.split.vcf.gz"));
    split_copy(b, dir.file("b.split.vcf.gz"));
    for (const auto& mode : kModes) {
        const auto expected = isec_counts(dir.file("a.split.vcf.gz"), dir.file("b.split.vcf.gz"),
                                          mode, dir.file("isec"));
        const json ours = compare_json({a, b, "-c", mode});
        EXPECT_EQ(ours["only_a"], expected.only_a) << "-c " << mode;
        EXPECT_EQ(ours["only_b"], expected.only_b) << "-c " << mode;
        EXPECT_EQ(ours["both"], expected.both) << "-c " << mode;
        const auto ref = run_command({"bcftools", "stats", "-c", mode, "-s", "-",
                                      dir.file("a.split.vcf.gz"), dir.file("b.split.vcf.gz")});
        ASSERT_EQ(ref.exit_code, 0) << ref.err;
        const auto text = run_agent({"compare", a, b, "-c", mode});
        ASSERT_EQ(text.exit_code, 0) << text.err;
        EXPECT_EQ(section_lines(text.out, kConcordanceSections),
                  section_lines(ref.out, kConcordanceSections))
            << "-c " << mode;
    }
}

// A file loaded into a store (`--db`, named by its sha256) compares as the file does: the
// site sets equal isec's, and the per-sample sections and NRD totals equal bcftools stats (the
// allele-frequency bins differ: a store keeps no INFO/AC or AN, so the bins come from the
// store's calls).
TEST_F(CompareTest, StoreSourceComparesAsItsFile) {
    REQUIRE_BCFTOOLS();
    const std::string db = file("db");
    const auto ingest = run_agent({"ingest", kChr22, "--db", db, "--no-vectors"});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    const auto sha = run_shell("sha256sum " + kChr22 + " | cut -d' ' -f1");
    ASSERT_EQ(sha.exit_code, 0) << sha.err;
    const std::string source = sha.out.substr(0, sha.out.find('\n'));
    const auto expected =
        isec_counts(file("a.split.vcf.gz"), file("b.split.vcf.gz"), "none", file("isec"));
    const json ours = compare_json({"--db", db, source, file("b.vcf.gz")});
    EXPECT_EQ(ours["only_a"], expected.only_a);
    EXPECT_EQ(ours["only_b"], expected.only_b);
    EXPECT_EQ(ours["both"], expected.both);
    const auto ref = run_command(
        {"bcftools", "stats", "-s", "-", file("a.split.vcf.gz"), file("b.split.vcf.gz")});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    const auto text = run_agent({"compare", "--db", db, source, file("b.vcf.gz")});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    const std::vector<std::string> per_sample = {"NRDs", "NRDi", "GCsS", "GCiS", "GCTs", "GCTi"};
    EXPECT_EQ(section_lines(text.out, per_sample), section_lines(ref.out, per_sample));
    const auto unknown = run_agent({"compare", "--db", db, "no-such-source", kChr22});
    EXPECT_NE(unknown.exit_code, 0);
    EXPECT_NE(unknown.err.find("no-such-source"), std::string::npos) << unknown.err;
}

TEST(CompareErrors, MissingFileIsNamed) {
    TempDir dir;
    const std::string missing = dir.file("missing.vcf.gz");
    const auto r = run_agent({"compare", kChr22, missing});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;
}

TEST(CompareErrors, UnsortedFileNamesFileAndRecord) {
    TempDir dir;
    const std::string header =
        "##fileformat=VCFv4.2\n##contig=<ID=1>\n##contig=<ID=2>\n"
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";
    const std::string sorted = dir.file("sorted.vcf");
    write_file(sorted, header + "1\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1\n");
    const std::string backwards = dir.file("backwards.vcf");
    write_file(backwards, header +
                              "1\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1\n"
                              "1\t300\t.\tC\tT\t.\t.\t.\tGT\t0/1\n"
                              "1\t200\t.\tG\tA\t.\t.\t.\tGT\t0/1\n");
    auto r = run_agent({"compare", sorted, backwards});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(backwards), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 8"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not sorted"), std::string::npos) << r.err;

    // Contigs in another order than A's header: 2 before 1.
    const std::string contigs = dir.file("contigs.vcf");
    write_file(contigs, header +
                            "2\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1\n"
                            "1\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1\n");
    r = run_agent({"compare", sorted, contigs});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(contigs), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 7"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not sorted"), std::string::npos) << r.err;
}

TEST(CompareErrors, UnknownPairAndModeAreUsageErrors) {
    auto r = run_agent({"compare", kChr22, kChr22, "--pairs", "HG00096=NOPE"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("NOPE"), std::string::npos) << r.err;
    r = run_agent({"compare", kChr22, kChr22, "-c", "sometimes"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("sometimes"), std::string::npos) << r.err;
}

TEST(CompareSelf, AFileAgreesWithItself) {
    const json ours = compare_json({kChr22, kChr22});
    EXPECT_EQ(ours["only_a"], 0);
    EXPECT_EQ(ours["only_b"], 0);
    EXPECT_GT(ours["both"].get<int64_t>(), 10000);
    EXPECT_EQ(ours["overall"]["all"]["mismatches"], 0);
    EXPECT_EQ(ours["suspected_swaps"], 0);
}

}  // namespace
}  // namespace vcfagent::test
