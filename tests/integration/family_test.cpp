// Pedigrees and inheritance queries (`ped load`, `ingest --ped`, `family ...`), refereed by
// bcftools on the bundled chr22 file: five real samples declared as two families in a PED,
// +mendelian for Mendelian errors, +trio-dnm2 --use-NAIVE for de novo calls, `view -i`
// genotype expressions for the recessive, dominant and X-linked patterns (on a copy of the
// file renamed to X with males made haploid by +fixploidy). Compound hets and the call
// thresholds on a constructed family whose answers are known by construction.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

// Sample order in chr22.vcf.gz: HG00096 HG00097 HG00099 HG00100 HG00101 (GT[0] .. GT[4]).
// F1: father HG00097 (affected), mother HG00099, son HG00096 (affected), daughter HG00100;
// F2: HG00101 alone, affected.
const char* kPed =
    "# family\tsample\tfather\tmother\tsex\tphenotype\tcohort\n"
    "F1\tHG00096\tHG00097\tHG00099\t1\t2\tbatch1\n"
    "F1\tHG00100\tHG00097\tHG00099\t2\t1\tbatch1\n"
    "F1\tHG00097\t0\t0\t1\t2\tbatch1\n"
    "F1\tHG00099\t0\t0\t2\t1\tbatch2\n"
    "F2\tHG00101\t0\t0\t2\t2\tbatch2\n";

std::set<std::string> lines_of(const std::string& text) {
    std::set<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.insert(l);
    return out;
}

// Keys (chrom:pos:ref:alt) bcftools prints for a filtered view of `file`.
std::set<std::string> bcftools_keys(const std::string& pipeline_head) {
    const auto r = run_shell(pipeline_head + " | bcftools query -f '%CHROM:%POS:%REF:%ALT\\n'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return lines_of(r.out);
}

struct FamilyRun {
    nlohmann::json json;
    std::string err;
    std::set<std::string> keys;
    // Keys of the rows whose `samples` column names `sample`.
    std::set<std::string> keys_of(const std::string& sample) const {
        std::set<std::string> out;
        for (const auto& row : json["variants"]) {
            std::string samples = "," + row["samples"].get<std::string>() + ",";
            if (samples.find("," + sample + ",") != std::string::npos)
                out.insert(row["key"].get<std::string>());
        }
        return out;
    }
};

// Keys `vcf-agent query genotype` returns.
std::set<std::string> genotype_query(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"query", "genotype", "--db", db, "-O", "json"});
    const auto r = run_agent(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> keys;
    if (r.exit_code != 0) return keys;
    for (const auto& row : nlohmann::json::parse(r.out)) keys.insert(row["key"].get<std::string>());
    return keys;
}

FamilyRun family(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), "family");
    args.insert(args.end(), {"--db", db, "-O", "json"});
    const auto r = run_agent(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    FamilyRun out;
    out.err = r.err;
    out.json = nlohmann::json::parse(r.out.empty() ? "{}" : r.out);
    for (const auto& row : out.json["variants"]) out.keys.insert(row["key"].get<std::string>());
    return out;
}

class FamilyTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        write_file(dir_->file("f.ped"), kPed);
        db_ = dir_->file("db");
        const auto r = run_agent(
            {"ingest", chr22(), "--db", db_, "--no-vectors", "--ped", dir_->file("f.ped")});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        ingest_out_ = r.out;
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static std::string chr22() { return data_path("chr22.vcf.gz"); }
    // The same file on X, males (HG00096, HG00097) made haploid outside the PARs, in a store
    // of its own with the same PED; built on first use.
    static const std::string& x_db() {
        if (x_db_.empty()) {
            write_file(dir_->file("ren.txt"), "22 X\n");
            write_file(dir_->file("sex.txt"),
                       "HG00096 M\nHG00097 M\nHG00099 F\nHG00100 F\nHG00101 F\n");
            x_file_ = dir_->file("x.vcf.gz");
            const auto x = run_shell("bcftools annotate --rename-chrs " + dir_->file("ren.txt") +
                                     " " + chr22() + " -Ou | bcftools +fixploidy -Oz -o " +
                                     x_file_ + " -- -s " + dir_->file("sex.txt"));
            EXPECT_EQ(x.exit_code, 0) << x.err;
            const auto db = dir_->file("xdb");
            const auto xi = run_agent(
                {"ingest", x_file_, "--db", db, "--no-vectors", "--ped", dir_->file("f.ped")});
            EXPECT_EQ(xi.exit_code, 0) << xi.err;
            x_db_ = db;
        }
        return x_db_;
    }

    static inline TempDir* dir_ = nullptr;
    static inline std::string db_, x_db_, x_file_, ingest_out_;
};

TEST_F(FamilyTest, PedigreeIsInTheGraph) {
    EXPECT_NE(ingest_out_.find("5 of 5 PED samples recorded"), std::string::npos) << ingest_out_;
    const auto r = run_agent({"graph", "--db", db_, "-O", "tsv",
                              "MATCH (p:Sample)-[r:ParentOf]->(c:Sample) RETURN c.id, r.role, p.id "
                              "ORDER BY c.id, r.role"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "c.id\tr.role\tp.id\n"
              "HG00096\tfather\tHG00097\nHG00096\tmother\tHG00099\n"
              "HG00100\tfather\tHG00097\nHG00100\tmother\tHG00099\n");
    const auto s = run_agent({"graph", "--db", db_, "-O", "tsv",
                              "MATCH (s:Sample) RETURN s.id, s.family, s.sex, s.phenotype, "
                              "s.ped_extra ORDER BY s.id"});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(s.out,
              "s.id\ts.family\ts.sex\ts.phenotype\ts.ped_extra\n"
              "HG00096\tF1\t1\t2\tbatch1\nHG00097\tF1\t1\t2\tbatch1\nHG00099\tF1\t2\t1\tbatch2\n"
              "HG00100\tF1\t2\t1\tbatch1\nHG00101\tF2\t2\t2\tbatch2\n");
}

// One call vector per variant and file: as many as bcftools counts records (the file has no
// multi-allelic record), after a forced reload too, and their codes agree with bcftools' GT.
TEST_F(FamilyTest, CallVectorsMatchBcftoolsGenotypesAndSurviveAForcedReload) {
    const auto records = run_shell("bcftools view -H " + chr22() + " | wc -l");
    auto count = [&] {
        const auto r = run_agent({"graph", "--db", db_, "-O", "tsv",
                                  "MATCH (v:Variant)-[:CalledIn]->(g:Calls) WHERE g.first = 0 "
                                  "RETURN count(*)"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out.substr(r.out.find('\n') + 1);
    };
    EXPECT_EQ(count(), records.out);
    const auto again = run_agent({"ingest", chr22(), "--db", db_, "--no-vectors", "--force"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(count(), records.out);
    // Codes per sample: 0/0 -> 0, 0/1 or 1/0 -> 1, 1/1 -> 2, as bcftools prints GT.
    const auto gts = run_shell("bcftools query -f '%CHROM:%POS\\t[%GT]\\n' " + chr22() +
                               " | sed 's/0|0/0/g; s/0|1/1/g; s/1|0/1/g; s/1|1/2/g' | sort");
    const auto ours =
        run_agent({"graph", "--db", db_, "-O", "tsv",
                   "MATCH (v:Variant)-[:CalledIn]->(g:Calls) RETURN concat(v.chrom, ':', "
                   "CAST(v.rec_pos AS STRING)), g.gt"});
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    std::string body = ours.out.substr(ours.out.find('\n') + 1);
    std::vector<std::string> lines;
    std::istringstream in(body);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    std::sort(lines.begin(), lines.end());
    std::string sorted;
    for (const auto& l : lines) sorted += l + "\n";
    EXPECT_EQ(sorted, gts.out);
}

TEST_F(FamilyTest, PedSamplesMissingFromTheStoreAndTheReverseAreWarnedAbout) {
    // Only F2 again (unchanged) plus a sample the store does not hold.
    write_file(dir_->file("partial.ped"), "F2 HG00101 0 0 2 2\nF3 NA12878 0 0 2 1\n");
    const auto r = run_agent({"ped", "load", dir_->file("partial.ped"), "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("1 PED samples are not samples of the store and were left out: NA12878"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("4 samples of the store are not in the PED: HG00096, HG00097, HG00099, "
                         "HG00100"),
              std::string::npos)
        << r.err;
}

// Each malformed PED is refused with its file, line and reason, and the store keeps the
// pedigree it had.
TEST_F(FamilyTest, BadPedigreesAreRefusedWithLineAndReason) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"F1 A B C 1\n", ":1: expected 6 columns"},
        {"F1 HG00096 0 0 3 2\n", "sex '3' is not one of"},
        {"F1 HG00096 0 0 1 7\n", "phenotype '7' is not one of"},
        {"F1 HG00096 HG00096 0 1 2\nF1 X 0 0 1 1\n", "is its own parent"},
        {"F1 HG00096 HG00097 0 1 2\n",
         "father HG00097 of sample HG00096 is not a sample of this PED"},
        {"F1 HG00096 HG00099 0 1 2\nF1 HG00099 0 0 2 1\n",
         "father HG00099 of sample HG00096 has sex 2"},
        {"F1 HG00096 0 0 1 2\nF1 HG00096 0 0 1 2\n", "is listed again (first on line 1)"},
        {"F1 A B 0 1 2\nF1 B C 0 1 2\nF1 C A 0 1 2\n", "the pedigree has a cycle"},
        {"F1 HG00096 HG00097 0 1 2\nF2 HG00097 0 0 1 1\n", "is in family F2, not F1"},
    };
    int n = 0;
    for (const auto& [text, reason] : cases) {
        const std::string ped = dir_->file("bad" + std::to_string(++n) + ".ped");
        write_file(ped, text);
        const auto r = run_agent({"ped", "load", ped, "--db", db_});
        EXPECT_NE(r.exit_code, 0) << text;
        EXPECT_NE(r.err.find(ped), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(reason), std::string::npos) << "for\n" << text << "got: " << r.err;
    }
    const auto s = run_agent({"graph", "--db", db_, "-O", "tsv",
                              "MATCH (s:Sample {id: 'HG00096'}) RETURN s.family, s.father"});
    EXPECT_EQ(s.out, "s.family\ts.father\nF1\tHG00097\n");
}

// Mendelian errors per variant and per child against `bcftools +mendelian` (both trios).
TEST_F(FamilyTest, MendelErrorsMatchBcftoolsMendelian) {
    write_file(dir_->file("trios.txt"), "HG00099,HG00097,HG00096\nHG00099,HG00097,HG00100\n");
    const auto expected = bcftools_keys("bcftools +mendelian " + chr22() + " -T " +
                                        dir_->file("trios.txt") + " -m x");
    ASSERT_GT(expected.size(), 100u);
    const auto ours = family(db_, {"mendel-errors"});
    EXPECT_EQ(ours.keys, expected);
    // Per child: nOK nBad nSkipped as +mendelian -m c counts them.
    for (const auto& kid : {"HG00096", "HG00100"}) {
        const auto c = run_shell("bcftools +mendelian " + chr22() + " -t HG00099,HG00097," + kid +
                                 " -m c | grep -v '^#'");
        ASSERT_EQ(c.exit_code, 0) << c.err;
        std::istringstream in(c.out);
        int64_t ok = -1, bad = -1, skipped = -1;
        in >> ok >> bad >> skipped;
        bool found = false;
        for (const auto& row : ours.json["samples"]) {
            if (row["sample"] != kid) continue;
            found = true;
            EXPECT_EQ(row["checked"].get<int64_t>() - row["errors"].get<int64_t>(), ok) << kid;
            EXPECT_EQ(row["errors"].get<int64_t>(), bad) << kid;
            EXPECT_EQ(row["skipped_missing"].get<int64_t>(), skipped) << kid;
            EXPECT_EQ(row["errors"].get<int64_t>(), row["de_novo"].get<int64_t>() +
                                                        row["upd_or_loh"].get<int64_t>() +
                                                        row["impossible"].get<int64_t>());
        }
        EXPECT_TRUE(found) << kid;
        EXPECT_EQ(static_cast<int64_t>(ours.keys_of(kid).size()), bad) << kid;
    }
}

// De novo: bcftools +trio-dnm2's naive model flags every GT-inconsistent site of the trio;
// those whose parents are both hom-ref are the de novo carriers.
TEST_F(FamilyTest, DeNovoMatchesTrioDnm2Naive) {
    const auto naive =
        bcftools_keys("bcftools +trio-dnm2 --use-NAIVE -p HG00096,HG00097,HG00099 " + chr22() +
                      " | bcftools view -i 'FMT/DNM[0]=1 && GT[1]=\"RR\" && GT[2]=\"RR\"'");
    ASSERT_GT(naive.size(), 50u);
    const auto lenient = family(db_, {"de-novo", "--lenient"});
    EXPECT_EQ(lenient.keys_of("HG00096"), naive);
    // Strict: the child must be het; the file has no GQ/DP/AD, so no threshold applies, and
    // the notes say so.
    const auto strict = family(db_, {"de-novo"});
    EXPECT_EQ(strict.keys_of("HG00096"),
              bcftools_keys("bcftools view -i 'GT[0]=\"het\" && GT[1]=\"RR\" && GT[2]=\"RR\"' " +
                            chr22()));
    EXPECT_EQ(strict.keys_of("HG00100"),
              bcftools_keys("bcftools view -i 'GT[3]=\"het\" && GT[1]=\"RR\" && GT[2]=\"RR\"' " +
                            chr22()));
    const std::string notes = strict.json["notes"].dump();
    for (const char* field : {"GQ", "DP", "AD"})
        EXPECT_NE(notes.find(std::string(field) + " threshold not applied"), std::string::npos)
            << notes;
}

TEST_F(FamilyTest, RecessiveAndDominantMatchBcftoolsExpressions) {
    // F1: affected HG00096 and HG00097 hom-alt, the son's unaffected mother het, unaffected
    // daughter not hom-alt.
    const auto rec = family(db_, {"recessive", "--family", "F1"});
    EXPECT_EQ(rec.keys, bcftools_keys("bcftools view -i 'GT[0]=\"AA\" && GT[1]=\"AA\" && "
                                      "GT[2]=\"het\" && GT[3]!=\"AA\"' " +
                                      chr22()));
    EXPECT_FALSE(rec.keys.empty());
    // F1: affected het, unaffected hom-ref.
    const auto dom = family(db_, {"dominant", "--family", "F1"});
    const auto dom_expected = bcftools_keys(
        "bcftools view -i 'GT[0]=\"het\" && GT[1]=\"het\" && GT[2]=\"RR\" && GT[3]=\"RR\"' " +
        chr22());
    EXPECT_EQ(dom.keys, dom_expected);
    EXPECT_FALSE(dom.keys.empty());
    // Both families (F2: HG00101 het), and --min-kindreds 2 keeps the variants of both.
    const auto both = family(db_, {"dominant", "--min-kindreds", "2"});
    EXPECT_EQ(both.keys, bcftools_keys("bcftools view -i 'GT[0]=\"het\" && GT[1]=\"het\" && "
                                       "GT[2]=\"RR\" && GT[3]=\"RR\" && GT[4]=\"het\"' " +
                                       chr22()));
    for (const auto& row : both.json["variants"]) EXPECT_EQ(row["kindreds"], 2);
    // A region narrows the same question as bcftools -r does.
    const auto region = family(db_, {"dominant", "--family", "F1", "-r", "22:50500000-50900000"});
    EXPECT_EQ(region.keys,
              bcftools_keys("bcftools view -r 22:50500000-50900000 -i 'GT[0]=\"het\" && "
                            "GT[1]=\"het\" && GT[2]=\"RR\" && GT[3]=\"RR\"' " +
                            chr22()));
    EXPECT_LT(region.keys.size(), dom.keys.size());
}

TEST_F(FamilyTest, XLinkedPatternsMatchBcftoolsOnHaploidMales) {
    const std::string& db = x_db();
    // Affected males (HG00096, HG00097) carry, the affected son's mother is het, the
    // unaffected daughter is not hom-alt.
    const auto xr = family(db, {"x-recessive", "--family", "F1"});
    EXPECT_EQ(xr.keys, bcftools_keys("bcftools view -i 'GT[0]=\"alt\" && GT[1]=\"alt\" && "
                                     "GT[2]=\"het\" && GT[3]!=\"AA\"' " +
                                     x_file_));
    EXPECT_FALSE(xr.keys.empty());
    // A son's X comes from his mother alone: his father's call does not matter.
    const auto xdn = family(db, {"x-de-novo"});
    EXPECT_EQ(xdn.keys_of("HG00096"),
              bcftools_keys("bcftools view -i 'GT[0]=\"alt\" && GT[2]=\"RR\"' " + x_file_));
    EXPECT_EQ(xdn.keys_of("HG00100"),
              bcftools_keys("bcftools view -i 'GT[3]=\"het\" && GT[1]=\"ref\" && GT[2]=\"RR\"' " +
                            x_file_));
    // X-linked dominant: the affected father's daughter HG00100 is unaffected, so no variant
    // fits family F1.
    EXPECT_TRUE(family(db, {"x-dominant", "--family", "F1"}).keys.empty());
    // Mendelian errors with haploid males, as +mendelian's GRCh37 rules have them.
    write_file(dir_->file("xtrios.txt"), "HG00099,HG00097,HG00096\nHG00099,HG00097,HG00100\n");
    EXPECT_EQ(family(db, {"mendel-errors"}).keys,
              bcftools_keys("bcftools +mendelian " + x_file_ + " -T " + dir_->file("xtrios.txt") +
                            " -m x"));
    // Autosomal modes find nothing X-specific: the same file's chr22 store has no X rows.
    EXPECT_TRUE(family(db_, {"x-recessive"}).keys.empty());
}

// The family tools of the registry answer as the CLI does (the agent, MCP and the server use
// them), rows capped by `limit` while `total` counts them all.
TEST_F(FamilyTest, FamilyToolsAnswerAsTheCli) {
    const auto cli = family(db_, {"mendel-errors"});
    const auto r = run_agent(
        {"tools", "call", "family_mendel_errors", "{\"limit\": 5}", "--db", db_, "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["total"].get<size_t>(), cli.keys.size());
    EXPECT_EQ(j["rows"].size(), 5u);
    EXPECT_TRUE(j["truncated"].get<bool>());
    EXPECT_EQ(j["per_child"]["rows"].size(), 2u);
    const auto d = run_agent({"tools", "call", "family_de_novo",
                              "{\"lenient\": true, \"families\": [\"F1\"], \"limit\": 500}", "--db",
                              db_, "-O", "json"});
    ASSERT_EQ(d.exit_code, 0) << d.err;
    std::set<std::string> keys;
    const auto dj = nlohmann::json::parse(d.out);  // outlives the loop over its rows
    for (const auto& row : dj["rows"]) keys.insert(row["key"].get<std::string>());
    EXPECT_EQ(keys, family(db_, {"de-novo", "--lenient", "--family", "F1"}).keys);
}

// Genotype filters with group quantifiers, read from the call vectors, against bcftools
// genotype expressions on the same file.
TEST_F(FamilyTest, GenotypeGroupsMatchBcftoolsExpressions) {
    auto view = [&](const std::string& expr) {
        return bcftools_keys("bcftools view -i '" + expr + "' " + chr22());
    };
    const auto all_none = genotype_query(
        db_, {"--group", "all:het:HG00096,HG00097", "--group", "none:carrier:HG00099"});
    EXPECT_EQ(all_none, view("GT[0]=\"het\" && GT[1]=\"het\" && GT[2]=\"RR\""));
    EXPECT_FALSE(all_none.empty());
    const auto at_least = genotype_query(db_, {"--group", "2:carrier:HG00096,HG00097,HG00099"});
    EXPECT_EQ(at_least, view("(GT[0]=\"alt\" && GT[1]=\"alt\") || (GT[0]=\"alt\" && "
                             "GT[2]=\"alt\") || (GT[1]=\"alt\" && GT[2]=\"alt\")"));
    const auto any =
        genotype_query(db_, {"--group", "any:hom_alt:HG00100,HG00101", "--hom-ref", "HG00096"});
    EXPECT_EQ(any, view("(GT[3]=\"AA\" || GT[4]=\"AA\") && GT[0]=\"RR\""));
    EXPECT_FALSE(any.empty());
    const auto carriers = genotype_query(db_, {"--het", "HG00096", "--min-carriers", "3"});
    EXPECT_EQ(carriers, view("GT[0]=\"het\" && N_PASS(GT=\"alt\")>=3"));
    EXPECT_FALSE(carriers.empty());
    // A DP threshold on a file without FORMAT/DP is an error, not an empty answer.
    const auto r =
        run_agent({"query", "genotype", "--db", db_, "--het", "HG00096", "--min-dp", "10"});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("holds no per-sample DP"), std::string::npos) << r.err;
    const auto bad = run_agent({"query", "genotype", "--db", db_, "--group", "most:het:HG00096"});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.err.find("the quantifier is all, any, none or a number"), std::string::npos)
        << bad.err;
}

// A constructed trio (affected son, parents unaffected) with DP, GQ and AD, whose answers are
// known by construction: phase by transmission, cis pairs dropped, thresholds applied.
const char* kConstructed =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=1,length=1000000>\n"
    "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
    "Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | "
    "Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length "
    "| AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
    "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">\n"
    "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\tdad\tmom\n";

std::string record(int pos, const std::string& gene, const std::string& kid, const std::string& dad,
                   const std::string& mom) {
    return "1\t" + std::to_string(pos) + "\t.\tA\tT\t50\tPASS\tANN=T|missense_variant|MODERATE|" +
           gene + "|" + gene + "|transcript|TX" + gene +
           "|protein_coding|1/1|c.1A>T|p.M1L|||||\tGT:DP:GQ:AD\t" + kid + "\t" + dad + "\t" + mom +
           "\n";
}

class ConstructedFamilyTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const std::string het = "0/1:30:99:15,15", ref = "0/0:30:99:30,0", alt = "1/1:30:99:0,30";
        std::string vcf = kConstructed;
        vcf += record(100, "G1", het, het, ref);            // paternal
        vcf += record(200, "G1", het, ref, het);            // maternal: in trans with 100
        vcf += record(300, "G2", het, het, ref);            // paternal
        vcf += record(400, "G2", het, het, ref);            // paternal: in cis with 300
        vcf += record(500, "G3", het, het, het);            // both parents carry
        vcf += record(600, "G3", het, ref, het);            // maternal: weaker pair with 500
        vcf += record(700, "G4", het, "./.:0:0:0,0", ref);  // father not called: phase unknown
        vcf += record(800, "G4", het, ref, het);
        vcf += record(900, "G5", het, het, ref);   // alone in its gene
        vcf += record(1000, "G6", alt, het, het);  // hom-alt: not a het of a pair
        vcf += record(1100, "G6", het, ref, het);
        vcf += record(1200, "G7", het, het, ref);
        vcf += record(1300, "G7", "0/1:30:99:28,2", ref, het);  // allele balance 0.07
        // de novo candidates (gene G8): clean, low mother GQ, low child AB, parental ALT reads
        vcf += record(2000, "G8", het, ref, ref);
        vcf += record(2100, "G8", het, ref, "0/0:30:10:30,0");
        vcf += record(2200, "G8", "0/1:30:99:27,3", ref, ref);
        vcf += record(2300, "G8", het, ref, "0/0:30:99:28,2");
        // Alone in its gene, annotated on two of its transcripts: still no pair.
        std::string two_transcripts = record(3000, "G9", het, het, het);
        const std::string ann = "T|missense_variant|MODERATE|G9|G9|transcript|TXG9|";
        two_transcripts.replace(two_transcripts.find(ann), ann.size(),
                                "T|missense_variant|MODERATE|G9|G9|transcript|TXG9b|protein_coding|"
                                "1/1|c.1A>T|p.M1L|||||," +
                                    ann);
        vcf += two_transcripts;
        write_file(dir_.file("trio.vcf"), vcf);
        write_file(dir_.file("trio.ped"), "T kid dad mom 1 2\nT dad 0 0 1 1\nT mom 0 0 2 1\n");
        db_ = dir_.file("db");
        const auto r = run_agent({"ingest", dir_.file("trio.vcf"), "--db", db_, "--no-vectors",
                                  "--ped", dir_.file("trio.ped")});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    std::map<std::string, int> priorities(const std::vector<std::string>& extra) {
        std::vector<std::string> args = {"comp-het"};
        args.insert(args.end(), extra.begin(), extra.end());
        std::map<std::string, int> out;
        const auto run = family(db_, args);  // outlives the loop over its rows
        for (const auto& row : run.json["variants"])
            out[row["key"].get<std::string>()] = row["priority"].get<int>();
        return out;
    }
    TempDir dir_;
    std::string db_;
};

TEST_F(ConstructedFamilyTest, CompoundHetsArePhasedByTransmission) {
    // G1 in trans (1); G2 in cis (none); G3 a het both parents carry with a maternal one (3);
    // G4 the father not called (2); G5-G7 a single passing het each (none: 1300's allele
    // balance fails); G8 three de novo hets, transmitted by neither parent (3; 2200's
    // allele balance fails).
    std::map<std::string, int> expected = {{"1:100:A:T", 1},  {"1:200:A:T", 1},  {"1:500:A:T", 3},
                                           {"1:600:A:T", 3},  {"1:700:A:T", 2},  {"1:800:A:T", 2},
                                           {"1:2000:A:T", 3}, {"1:2100:A:T", 3}, {"1:2300:A:T", 3}};
    EXPECT_EQ(priorities({}), expected);
    // Lenient: the unbalanced hets count, 1300 (maternal) pairing in trans with 1200.
    auto lenient = expected;
    lenient["1:1200:A:T"] = 1;
    lenient["1:1300:A:T"] = 1;
    lenient["1:2200:A:T"] = 3;
    EXPECT_EQ(priorities({"--lenient"}), lenient);
    // Without parents every pair of passing hets in a gene is a candidate of unknown phase.
    std::map<std::string, int> unphased;
    for (const char* k :
         {"1:100:A:T", "1:200:A:T", "1:300:A:T", "1:400:A:T", "1:500:A:T", "1:600:A:T", "1:700:A:T",
          "1:800:A:T", "1:2000:A:T", "1:2100:A:T", "1:2300:A:T"})
        unphased[k] = 2;
    EXPECT_EQ(priorities({"--no-parents"}), unphased);
}

TEST_F(ConstructedFamilyTest, DeNovoThresholdsFollowTheCalls) {
    // Strict: only the clean candidate; 2100 fails the mother's GQ, 2200 the child's allele
    // balance, 2300 the parents' ALT reads. The file has GQ, DP and AD: no note about them.
    const auto strict = family(db_, {"de-novo", "--gene", "G8"});
    EXPECT_EQ(strict.keys, (std::set<std::string>{"1:2000:A:T"}));
    EXPECT_EQ(strict.json["notes"].dump().find("threshold not applied"), std::string::npos);
    const auto lenient = family(db_, {"de-novo", "--gene", "G8", "--lenient"});
    EXPECT_EQ(lenient.keys,
              (std::set<std::string>{"1:2000:A:T", "1:2100:A:T", "1:2200:A:T", "1:2300:A:T"}));
    // A lower parental GQ bar lets 2100 through.
    const auto low = family(db_, {"de-novo", "--gene", "G8", "--parent-min-gq", "10"});
    EXPECT_EQ(low.keys, (std::set<std::string>{"1:2000:A:T", "1:2100:A:T"}));
}

TEST_F(ConstructedFamilyTest, GenotypeThresholdsApplyToTheNamedCalls) {
    // kid het and mom hom-ref: every record but those where mom carries or kid is hom-alt.
    std::set<std::string> expected;
    for (int pos : {100, 300, 400, 700, 900, 1200, 2000, 2100, 2200, 2300})
        expected.insert("1:" + std::to_string(pos) + ":A:T");
    EXPECT_EQ(genotype_query(db_, {"--het", "kid", "--hom-ref", "mom"}), expected);
    // The mother's GQ is 10 at 2100.
    expected.erase("1:2100:A:T");
    EXPECT_EQ(genotype_query(db_, {"--het", "kid", "--hom-ref", "mom", "--min-gq", "20"}),
              expected);
    // The father is not called at 700: not hom-ref, and not a carrier either.
    EXPECT_EQ(genotype_query(db_, {"--group", "all:missing:dad"}),
              (std::set<std::string>{"1:700:A:T"}));
}

TEST_F(ConstructedFamilyTest, AStoreWithoutPedigreeSaysHowToLoadOne) {
    TempDir other;
    const auto r =
        run_agent({"ingest", dir_.file("trio.vcf"), "--db", other.file("db"), "--no-vectors"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto f = run_agent({"family", "de-novo", "--db", other.file("db")});
    EXPECT_NE(f.exit_code, 0);
    EXPECT_NE(f.err.find("ped load"), std::string::npos) << f.err;
    // Loaded without --ped or --call-depths, the store has genotype codes but no depths: the
    // thresholds are not applied, and the notes say why.
    ASSERT_EQ(run_agent({"ped", "load", dir_.file("trio.ped"), "--db", other.file("db")}).exit_code,
              0);
    const auto loose = family(other.file("db"), {"de-novo", "--gene", "G8"});
    EXPECT_EQ(loose.keys,
              (std::set<std::string>{"1:2000:A:T", "1:2100:A:T", "1:2200:A:T", "1:2300:A:T"}));
    EXPECT_NE(loose.json["notes"].dump().find("--call-depths"), std::string::npos) << loose.json;
}

}  // namespace
}  // namespace vcfagent::test
