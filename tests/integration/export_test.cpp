// `vcf-agent export` against bcftools: a store loaded from real files, exported again, holds
// the records `bcftools norm -m -any` makes of each file (same sites, same genotypes); the
// filters select what bcftools selects; the tables and the Parquet files hold the store's
// rows, read back by Kuzu's own LOAD FROM.
#include <gtest/gtest.h>

#include <kuzu.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "support/bcftools_norm.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

namespace fs = std::filesystem;

CommandResult must(const std::string& command_line) {
    auto r = run_shell(command_line);
    EXPECT_EQ(r.exit_code, 0) << command_line << "\n" << r.err;
    return r;
}

int64_t count_lines(const std::string& command_line) {
    const auto r = must(command_line + " | wc -l");
    return std::stoll(r.out);
}

// CHROM:POS:REF:ALT and each sample's GT with the alleles sorted and the phase dropped (a
// split het of two ALTs is 1/0 or 0/1 by convention only), one line per record, sorted.
std::string genotype_table(const std::string& vcf) {
    return must("bcftools query -f '%CHROM:%POS:%REF:%ALT[\\t%GT]\\n' " + vcf +
                " | awk -F'\\t' '{o=$1; for(i=2;i<=NF;i++){g=$i; gsub(/\\|/,\"/\",g); "
                "n=split(g,a,\"/\"); if(n==2 && a[1]>a[2]){t=a[1];a[1]=a[2];a[2]=t} g=a[1]; "
                "for(j=2;j<=n;j++) g=g\"/\"a[j]; o=o\"\\t\"g} print o}' | sort")
        .out;
}

// "" when the two texts are equal, else their first differing lines (a short failure message).
std::string first_difference(const std::string& a, const std::string& b) {
    if (a == b) return "";
    std::istringstream x(a), y(b);
    std::string lx, ly;
    for (int line = 1;; ++line) {
        const bool more_x = static_cast<bool>(std::getline(x, lx));
        const bool more_y = static_cast<bool>(std::getline(y, ly));
        if (!more_x && !more_y) return "";
        if (lx != ly || more_x != more_y)
            return "line " + std::to_string(line) + ": '" + (more_x ? lx : "<end>") + "' vs '" +
                   (more_y ? ly : "<end>") + "'";
    }
}

class ExportTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        db_ = dir_->file("db");
        for (const char* f : {"chr22.vcf.gz", "hapmap_exome_chr22.vcf.gz", "test.snpeff.vcf"}) {
            auto r = run_agent({"ingest", data_path(f), "--db", db_, "--no-vectors"});
            ASSERT_EQ(r.exit_code, 0) << r.err;
        }
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static TempDir* dir_;
    static std::string db_;
};
TempDir* ExportTest::dir_ = nullptr;
std::string ExportTest::db_;

TEST_F(ExportTest, EachSourceExportsAsItsNormalisedRecordsWithTheSameGenotypes) {
    TempDir tmp;
    for (const std::string f : {"chr22.vcf.gz", "hapmap_exome_chr22.vcf.gz", "test.snpeff.vcf"}) {
        SCOPED_TRACE(f);
        const std::string norm = bcftools_normalised(data_path(f), tmp, f);
        const std::string out = tmp.file(f + ".export.vcf.gz");
        auto r = run_agent({"export", "--db", db_, "--source", f, "-o", out});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        ASSERT_TRUE(fs::exists(out + ".tbi"));
        const int64_t expected = count_lines("bcftools view -H " + norm);
        EXPECT_EQ(count_lines("bcftools view -H " + out), expected);
        // Nothing private to either side: the same sites.
        EXPECT_EQ(count_lines("bcftools isec -c none -n-1 " + norm + " " + out + " 2>/dev/null"),
                  0);
        // The file's samples in its order, and every genotype.
        EXPECT_EQ(must("bcftools query -l " + out).out, must("bcftools query -l " + norm).out);
        EXPECT_EQ(first_difference(genotype_table(out), genotype_table(norm)), "");
    }
}

TEST_F(ExportTest, BcfIsIndexedAndRegionsReadThroughTheIndex) {
    TempDir tmp;
    const std::string norm = bcftools_normalised(data_path("chr22.vcf.gz"), tmp, "chr22");
    const std::string out = tmp.file("chr22.bcf");
    auto r = run_agent({"export", "--db", db_, "--source", "chr22.vcf.gz", "-O", "bcf", "-o", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(fs::exists(out + ".csi"));
    const std::string region = "22:50500000-50600000";
    const int64_t expected = count_lines("bcftools view -H -r " + region + " " + norm);
    ASSERT_GT(expected, 100);
    EXPECT_EQ(count_lines("bcftools view -H -r " + region + " " + out), expected);
}

TEST_F(ExportTest, FiltersSelectWhatBcftoolsSelects) {
    TempDir tmp;
    const std::string norm = bcftools_normalised(data_path("chr22.vcf.gz"), tmp, "chr22");
    const std::string region = "22:50400000-50700000";
    const std::string out = tmp.file("r.vcf.gz");
    // A region and two samples (in the order asked).
    auto r = run_agent({"export", "--db", db_, "--source", "chr22.vcf.gz", "-r", region, "-s",
                        "HG00099,HG00096", "-o", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count_lines("bcftools view -H " + out),
              count_lines("bcftools view -H -r " + region + " " + norm));
    EXPECT_EQ(must("bcftools query -l " + out).out, "HG00099\nHG00096\n");
    const std::string subset = tmp.file("subset.vcf.gz");
    must("bcftools view -r " + region + " -s HG00099,HG00096 -Oz -o " + subset + " " + norm);
    EXPECT_EQ(first_difference(genotype_table(out), genotype_table(subset)), "");

    // A genotype filter: het in one sample, called hom-ref in another.
    const std::string g = tmp.file("g.vcf.gz");
    r = run_agent({"export", "--db", db_, "--source", "chr22.vcf.gz", "--het", "HG00099",
                   "--hom-ref", "HG00096", "-o", g});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // bcftools reads the genotypes, awk counts the rows that match.
    const int64_t expected =
        count_lines("bcftools query -s HG00099,HG00096 -f '[%GT\\t]\\n' " + norm +
                    " | awk '($1==\"0|1\"||$1==\"1|0\"||$1==\"0/1\"||$1==\"1/0\") && "
                    "($2==\"0|0\"||$2==\"0/0\")'");
    ASSERT_GT(expected, 10);
    EXPECT_EQ(count_lines("bcftools view -H " + g), expected);

    // A gene of the SnpEff file: the records whose EFF names it.
    const std::string gene = tmp.file("gene.vcf.gz");
    r = run_agent({"export", "--db", db_, "--gene", "FAM138A", "-o", gene});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int64_t in_gene =
        count_lines("bcftools view -H " + data_path("test.snpeff.vcf") + " | grep '|FAM138A|'");
    ASSERT_GT(in_gene, 0);
    EXPECT_EQ(count_lines("bcftools view -H " + gene), in_gene);
    // The annotation comes back as an ANN that names the gene.
    EXPECT_EQ(count_lines("bcftools query -f '%ANN\\n' " + gene + " | grep FAM138A"),
              count_lines("bcftools view -H " + gene));
}

TEST_F(ExportTest, TablesCountVariantsAndCarriers) {
    TempDir tmp;
    const std::string norm = bcftools_normalised(data_path("chr22.vcf.gz"), tmp, "chr22");
    auto r = run_agent({"export", "--db", db_, "--source", "chr22.vcf.gz", "-O", "tsv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int64_t variants = count_lines("bcftools view -H " + norm);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), variants + 1);  // + header
    EXPECT_EQ(r.out.substr(0, 4), "key\t");

    r = run_agent(
        {"export", "--db", db_, "--source", "chr22.vcf.gz", "-O", "json", "--rows", "carriers"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = nlohmann::json::parse(r.out);
    // Carriers: every non-reference genotype of the file.
    const int64_t carriers =
        count_lines("bcftools query -f '[%GT\\n]' " + norm + " | grep '[1-9]'");
    ASSERT_GT(carriers, 1000);
    EXPECT_EQ(static_cast<int64_t>(rows.size()), carriers);
    std::map<std::string, int64_t> per_sample;
    for (const auto& row : rows) ++per_sample[row["sample"].get<std::string>()];
    for (const auto& [sample, n] : per_sample)
        EXPECT_EQ(n, count_lines("bcftools query -s " + sample + " -f '[%GT\\n]' " + norm +
                                 " | grep '[1-9]'"))
            << sample;
}

TEST_F(ExportTest, ParquetPartitionsReadBackWithKuzu) {
    TempDir tmp;
    const std::string out = tmp.file("pq");
    auto r = run_agent({"export", "--db", db_, "-O", "parquet", "-o", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto counts = store_counts(db_);
    // One partition per chromosome the store holds (22 and the SnpEff file's chr1).
    std::set<std::string> partitions;
    for (const auto& e : fs::directory_iterator(out + "/variants"))
        partitions.insert(e.path().filename().string());
    EXPECT_EQ(partitions, (std::set<std::string>{"chrom=chr1", "chrom=22"}));

    kuzu::main::SystemConfig config;
    config.bufferPoolSize = 64ull << 20;
    config.maxDBSize = 1ull << 30;
    kuzu::main::Database kz(":memory:", config);
    kuzu::main::Connection conn(&kz);
    auto count = [&](const std::string& table) {
        int64_t total = 0;
        for (const auto& p : partitions) {
            auto q = conn.query("LOAD FROM '" + out + "/" + table + "/" + p +
                                "/part-0.parquet' RETURN count(*)");
            EXPECT_TRUE(q->isSuccess()) << q->getErrorMessage();
            if (q->isSuccess()) total += q->getNext()->getValue(0)->getValue<int64_t>();
        }
        return total;
    };
    EXPECT_EQ(count("variants"), counts.at("Variant"));
    EXPECT_EQ(count("calls"), counts.at("CarriedBy"));
    EXPECT_EQ(count("genes"), counts.at("InGene"));
    ASSERT_GT(counts.at("InGene"), 0);

    // Values of one record as bcftools reads them from the original file.
    auto q = conn.query("LOAD FROM '" + out +
                        "/variants/chrom=22/part-0.parquet' WHERE id = 'rs7410291' RETURN pos, "
                        "ref, alt, af, carriers");
    ASSERT_TRUE(q->isSuccess()) << q->getErrorMessage();
    ASSERT_TRUE(q->hasNext());
    auto row = q->getNext();
    const auto truth = must(
                           "bcftools query -i 'ID=\"rs7410291\"' -f "
                           "'%POS %REF %ALT %INFO/AF [%GT ]' " +
                           data_path("chr22.vcf.gz"))
                           .out;
    std::istringstream t(truth);
    int64_t pos = 0;
    std::string ref, alt;
    double af = 0;
    t >> pos >> ref >> alt >> af;
    int64_t carriers = 0;
    for (std::string gt; t >> gt;) carriers += gt.find('1') != std::string::npos;
    EXPECT_EQ(row->getValue(0)->getValue<int64_t>(), pos);
    EXPECT_EQ(row->getValue(1)->getValue<std::string>(), ref);
    EXPECT_EQ(row->getValue(2)->getValue<std::string>(), alt);
    EXPECT_NEAR(row->getValue(3)->getValue<double>(), af, 1e-6);
    EXPECT_EQ(row->getValue(4)->getValue<int64_t>(), carriers);
    EXPECT_TRUE(fs::exists(out + "/samples.parquet"));
    EXPECT_TRUE(fs::exists(out + "/sources.parquet"));

    // One loaded file: its calls only (the other files' samples carry shared variants too).
    const std::string one = tmp.file("pq-chr22");
    r = run_agent({"export", "--db", db_, "--source", "chr22.vcf.gz", "-O", "parquet", "-o", one});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto calls =
        conn.query("LOAD FROM '" + one + "/calls/chrom=22/part-0.parquet' RETURN count(*)");
    ASSERT_TRUE(calls->isSuccess()) << calls->getErrorMessage();
    const auto file_carriers =
        must("bcftools query -f '[%GT\\n]' " + data_path("chr22.vcf.gz") + " | grep -c '[1-9]'");
    EXPECT_EQ(calls->getNext()->getValue(0)->getValue<int64_t>(), std::stoll(file_carriers.out));
}

TEST_F(ExportTest, ToolShowsTheExportedGenotypes) {
    TempDir tmp;
    const std::string norm = bcftools_normalised(data_path("chr22.vcf.gz"), tmp, "chr22");
    const std::string region = "22:50300000-50310000";
    auto r =
        run_agent({"tools", "call", "variant_genotypes",
                   R"({"samples": ["HG00096", "HG00100"], "source": "chr22.vcf.gz", "region": ")" +
                       region + R"(", "limit": 500})",
                   "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto out = nlohmann::json::parse(r.out);
    const auto truth = must("bcftools query -r " + region +
                            " -s HG00096,HG00100 -f '%CHROM:%POS:%REF:%ALT[ %GT]\\n' " + norm)
                           .out;
    std::map<std::string, std::string> expected;
    std::istringstream in(truth);
    for (std::string key, a, b; in >> key >> a >> b;) expected[key] = a + " " + b;
    ASSERT_GT(expected.size(), 5u);
    EXPECT_EQ(out["total"].get<size_t>(), expected.size());
    ASSERT_EQ(out["rows"].size(), expected.size());
    for (const auto& row : out["rows"]) {
        const std::string key = row["chrom"].get<std::string>() + ":" +
                                std::to_string(row["pos"].get<int64_t>()) + ":" +
                                row["ref"].get<std::string>() + ":" + row["alt"].get<std::string>();
        auto unphase = [](std::string gt) {
            // Hom-ref and missing calls are written unphased; compare carriers exactly.
            if (gt == "0|0") return std::string("0/0");
            return gt;
        };
        const std::string got = row["genotypes"]["HG00096"].get<std::string>() + " " +
                                row["genotypes"]["HG00100"].get<std::string>();
        const std::string want = expected[key];
        const auto space = want.find(' ');
        EXPECT_EQ(got, unphase(want.substr(0, space)) + " " + unphase(want.substr(space + 1)))
            << key;
    }
}

TEST_F(ExportTest, BadRequestsFailWithAClearMessage) {
    TempDir tmp;
    const std::string busy = tmp.file("busy");
    fs::create_directories(busy);
    write_file(busy + "/keep.txt", "x");
    auto r = run_agent({"export", "--db", db_, "-O", "parquet", "-o", busy});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("not empty"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(busy + "/keep.txt"));

    r = run_agent({"export", "--db", db_, "-s", "NOBODY", "-o", tmp.file("x.vcf.gz")});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("NOBODY"), std::string::npos) << r.err;

    r = run_agent({"export", "--db", db_, "--source", "nosuch.vcf", "-o", tmp.file("y.vcf.gz")});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("nosuch.vcf"), std::string::npos) << r.err;

    r = run_agent({"export", "--db", tmp.file("nostore"), "-o", tmp.file("z.vcf.gz")});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("nostore"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vcfagent::test
