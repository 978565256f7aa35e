// Graph store ingest and queries, refereed by bcftools on the same real files.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "store/graph_store.hpp"
#include "support/graph_referee.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

class GraphIngestTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GraphIngestTest, PerSampleEdgesEqualBcftoolsNonRefCallsAndReingestIsIdempotent) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    const std::string vcf = data_path(GetParam());
    auto r = run_agent({"ingest", vcf, "--db", db, "--batch-size", "300"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto expected = bcftools_nonref_calls(vcf);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(store_edge_counts(db), expected);

    // Split variant count equals bcftools' records after splitting (distinct keys).
    auto n = run_shell("bcftools norm -m- " + vcf + " 2>/dev/null | bcftools view -H | wc -l");
    const int64_t split_records = std::stoll(n.out);
    const int64_t variants = count_of(db, "MATCH (v:Variant) RETURN count(*)");
    EXPECT_LE(variants, split_records);
    EXPECT_GE(variants,
              split_records * 99 / 100);  // only records that normalise to the same key merge

    const int64_t edges = count_of(db, "MATCH ()-[h:CarriedBy]->() RETURN count(*)");
    r = run_agent({"ingest", vcf, "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("already loaded"), std::string::npos) << r.out;
    r = run_agent({"ingest", vcf, "--db", db, "--force", "--batch-size", "500"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count_of(db, "MATCH (v:Variant) RETURN count(*)"), variants);
    EXPECT_EQ(count_of(db, "MATCH ()-[h:CarriedBy]->() RETURN count(*)"), edges);
    EXPECT_EQ(store_edge_counts(db), expected);
}

INSTANTIATE_TEST_SUITE_P(RealFiles, GraphIngestTest,
                         ::testing::Values("chr22.vcf.gz", "hapmap_exome_chr22.vcf.gz",
                                           "test.snpeff.vcf"));

TEST(GraphIngestBatchTest, BatchCallsEndsBatchesByGenotypeCallsWithTheSameResult) {
    TempDir tmp;
    const std::string vcf = data_path("hapmap_exome_chr22.vcf.gz");  // 22 samples, ~1,000 records
    const std::string db = tmp.file("db");
    auto r = run_agent(
        {"ingest", vcf, "--db", db, "--no-vectors", "--batch-calls", "1000", "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);
    const int64_t calls = report["new_edges"].get<int64_t>();
    ASSERT_GT(calls, 5000);
    // Records are never split across batches, so a batch may pass the limit by one record's calls.
    EXPECT_GE(report["batches"].get<int64_t>(), calls / (1000 + 22));
    EXPECT_EQ(store_edge_counts(db), bcftools_nonref_calls(vcf));
}

std::set<std::string> bcftools_region_records(const std::string& vcf, const std::string& region) {
    auto r = run_shell("bcftools view -H -r " + region + " " + vcf + " | cut -f1,2,4,5");
    std::set<std::string> out;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string chrom, pos;
        f >> chrom >> pos;
        out.insert(chrom + ":" + pos);
    }
    return out;
}

TEST(GraphQueryTest, RegionQueryReturnsExactlyTheRecordsOfBcftoolsView) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    for (const std::string file : {"chr22.vcf.gz", "hapmap_exome_chr22.vcf.gz"}) {
        ASSERT_EQ(run_agent({"ingest", data_path(file), "--db", db}).exit_code, 0);
    }
    // Both files are in one store, so a region answers with the records of both.
    for (const std::string region :
         {"22:50300000-50310000", "22:50500000-50600000", "22:50999000-51000000",
          "22:20000000-30000000", "22:50000000-51000000"}) {
        auto expected = bcftools_region_records(data_path("chr22.vcf.gz"), region);
        expected.merge(bcftools_region_records(data_path("hapmap_exome_chr22.vcf.gz"), region));
        auto r = run_agent({"query", "region", region, "--db", db, "-O", "json"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        std::set<std::string> got;
        for (const auto& row : nlohmann::json::parse(r.out))
            got.insert(row["chrom"].get<std::string>() + ":" +
                       std::to_string(row["record_pos"].get<int64_t>()));
        ASSERT_FALSE(expected.empty()) << region;
        EXPECT_EQ(got, expected) << region;
    }
}

TEST(GraphQueryTest, GeneQueryMatchesEffAnnotations) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    const std::string vcf = data_path("test.snpeff.vcf");
    ASSERT_EQ(run_agent({"ingest", vcf, "--db", db}).exit_code, 0);
    // Referee: gene names inside each record's EFF entries:
    // Effect(Impact|Class|Codon|AA|Len|Gene|...).
    auto r = run_shell("bcftools query -f '%CHROM:%POS\\t%INFO/EFF\\n' " + vcf);
    std::map<std::string, std::set<std::string>> gene_records;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line)) {
        const std::string rec = line.substr(0, line.find('\t'));
        std::string eff = line.substr(line.find('\t') + 1);
        size_t open = 0;
        while ((open = eff.find('(', open)) != std::string::npos) {
            const size_t close = eff.find(')', open);
            std::string inner = eff.substr(open + 1, close - open - 1);
            std::vector<std::string> parts;
            std::stringstream ss(inner);
            std::string p;
            while (std::getline(ss, p, '|')) parts.push_back(p);
            if (parts.size() > 5 && !parts[5].empty()) gene_records[parts[5]].insert(rec);
            open = close;
        }
    }
    ASSERT_GE(gene_records.size(), 2u);
    for (const auto& [gene, records] : gene_records) {
        auto q = run_agent({"query", "gene", gene, "--db", db, "-O", "json"});
        ASSERT_EQ(q.exit_code, 0) << q.err;
        std::set<std::string> got;
        for (const auto& row : nlohmann::json::parse(q.out))
            got.insert(row["chrom"].get<std::string>() + ":" +
                       std::to_string(row["pos"].get<int64_t>()));
        EXPECT_EQ(got, records) << gene;
    }
}

TEST(GraphQueryTest, SampleSharedAndGenotypeQueriesAgreeWithBcftools) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    const std::string vcf = data_path("chr22.vcf.gz");
    ASSERT_EQ(run_agent({"ingest", vcf, "--db", db}).exit_code, 0);
    auto sample = run_agent({"query", "sample", "HG00097", "--db", db, "-O", "tsv"});
    ASSERT_EQ(sample.exit_code, 0) << sample.err;
    const auto expected = bcftools_nonref_calls(vcf);
    EXPECT_EQ(std::count(sample.out.begin(), sample.out.end(), '\n') - 1, expected.at("HG00097"));

    // Shared by HG00096 and HG00097: both GTs carry an ALT.
    auto shared_ref = run_shell("bcftools query -s HG00096,HG00097 -f '[%GT\\t]\\n' " + vcf +
                                " | awk -F'\\t' '$1 ~ /1/ && $2 ~ /1/' | wc -l");
    auto shared = run_agent({"query", "shared", "HG00096", "HG00097", "--db", db, "-O", "tsv"});
    ASSERT_EQ(shared.exit_code, 0) << shared.err;
    EXPECT_EQ(std::count(shared.out.begin(), shared.out.end(), '\n') - 1,
              std::stoll(shared_ref.out));

    // het in HG00096 and no ALT in HG00097.
    auto gt_ref =
        run_shell("bcftools query -s HG00096,HG00097 -f '[%GT\\t]\\n' " + vcf +
                  " | awk -F'\\t' '($1==\"0|1\"||$1==\"1|0\"||$1==\"0/1\") && $2 !~ /1/' | wc -l");
    auto gt = run_agent(
        {"query", "genotype", "--het", "HG00096", "--hom-ref", "HG00097", "--db", db, "-O", "tsv"});
    ASSERT_EQ(gt.exit_code, 0) << gt.err;
    EXPECT_EQ(std::count(gt.out.begin(), gt.out.end(), '\n') - 1, std::stoll(gt_ref.out));

    // Combined: het in HG00096, no ALT in HG00097, at least 2 carriers overall.
    auto combo_ref = run_shell(
        "bcftools query -s HG00096,HG00097,HG00099,HG00100,HG00101 -f '[%GT\\t]\\n' " + vcf +
        " | awk -F'\\t' '{n=0; for(i=1;i<=5;i++) if ($i ~ /1/) n++; "
        "if (($1==\"0|1\"||$1==\"1|0\") && $2 !~ /1/ && n>=2) c++} END {print c+0}'");
    auto combo = run_agent({"query", "genotype", "--het", "HG00096", "--hom-ref", "HG00097",
                            "--min-carriers", "2", "--db", db, "-O", "tsv"});
    ASSERT_EQ(combo.exit_code, 0) << combo.err;
    EXPECT_EQ(std::count(combo.out.begin(), combo.out.end(), '\n') - 1, std::stoll(combo_ref.out));

    // Carried by at least 4 of the 5 samples.
    auto min_ref = run_shell("bcftools query -f '[%GT\\t]\\n' " + vcf +
                             " | awk -F'\\t' '{n=0; for(i=1;i<=NF;i++) if ($i ~ /1/) n++; if "
                             "(n>=4) c++} END {print c+0}'");
    auto mc = run_agent({"query", "genotype", "--min-carriers", "4", "--db", db, "-O", "tsv"});
    EXPECT_EQ(std::count(mc.out.begin(), mc.out.end(), '\n') - 1, std::stoll(min_ref.out));

    // Carriers of one rsID.
    auto carriers = run_agent({"query", "variant", "rs7410291", "--db", db, "-O", "json"});
    auto car_ref = run_shell("bcftools view -H -i 'ID=\"rs7410291\"' " + vcf +
                             " | cut -f10- | tr '\\t' '\\n' | cut -d: -f1 | grep -c 1");
    EXPECT_EQ(static_cast<int64_t>(nlohmann::json::parse(carriers.out).size()),
              std::stoll(car_ref.out));
}

TEST(GraphQueryTest, WriteStatementsAreRefused) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    ASSERT_EQ(run_agent({"ingest", data_path("test.snpeff.vcf"), "--db", db}).exit_code, 0);
    const int64_t before = count_of(db, "MATCH (n) RETURN count(*)");
    for (const std::string q :
         {"CREATE (:Sample {id: 'x'})", "MATCH (s:Sample) DELETE s",
          "MATCH (v:Variant) SET v.rsid = 'x'", "MERGE (:Gene {symbol: 'Q'})", "DROP TABLE Gene",
          "ALTER TABLE Gene ADD x INT64", "COPY Gene FROM 'genes.csv'",
          "ATTACH 'other.kz' AS o (dbtype kuzu)", "INSTALL json", "CALL threads=1"}) {
        auto r = run_agent({"graph", q, "--db", db});
        EXPECT_NE(r.exit_code, 0) << q;
        EXPECT_NE(r.err.find("refused"), std::string::npos) << q << ": " << r.err;
    }
    EXPECT_EQ(count_of(db, "MATCH (n) RETURN count(*)"), before);
    // The in-process path (server/agent) decides the same on a writable store.
    store::GraphStore graph(db);
    EXPECT_THROW(graph.read_only_query("CREATE (:Sample {id: 'y'})"), store::WriteRefused);
    EXPECT_THROW(graph.read_only_query("MATCH (s:Sample) SET s.id = 'z'"), std::exception);
    EXPECT_EQ(
        graph.read_only_query("MATCH (s:Sample) RETURN count(*)").rows.at(0).at(0).get<int64_t>(),
        4);
}

// chr22 records with one bad record (too few columns) at data record `bad_at`.
std::string file_with_bad_record(const TempDir& tmp, int records, int bad_at, int64_t& bad_line) {
    const std::string out = tmp.file("bad.vcf");
    auto r = run_shell("bcftools view -h " + data_path("chr22.vcf.gz") + " > " + out +
                       " && bcftools view -H " + data_path("chr22.vcf.gz") + " | head -" +
                       std::to_string(records) + " | awk -v b=" + std::to_string(bad_at) +
                       " 'NR==b {print \"22\\t1\\tbroken\"; next} {print}' >> " + out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto h = run_shell("bcftools view -h " + data_path("chr22.vcf.gz") + " | wc -l");
    bad_line = std::stoll(h.out) + bad_at;
    return out;
}

TEST(GraphIngestFailureTest, BadRecordKeepsEarlierBatchesAndLeavesNothingOfItsBatch) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    int64_t bad_line = 0;
    const std::string vcf = file_with_bad_record(tmp, 1000, 751, bad_line);
    auto r = run_agent({"ingest", vcf, "--db", db, "--batch-size", "200"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(vcf + ":" + std::to_string(bad_line)), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("3 batches (600 records) were committed"), std::string::npos) << r.err;
    // Exactly the first 600 records' variants and calls are in the store.
    auto first600 = run_shell("head -" + std::to_string(bad_line - 751 + 600) + " " + vcf +
                              " | bcftools query -f '[%GT\\n]' | grep -c 1");
    EXPECT_EQ(count_of(db, "MATCH (v:Variant) RETURN count(*)"), 600);
    EXPECT_EQ(count_of(db, "MATCH ()-[h:CarriedBy]->() RETURN count(*)"), std::stoll(first600.out));
    auto src =
        graph_json(db, "MATCH (s:Source) RETURN s.status AS status, s.records_committed AS n");
    EXPECT_EQ(src.at(0)["status"], "loading");
    EXPECT_EQ(src.at(0)["n"], 600);

    // --skip-invalid loads everything else and says how many it skipped.
    const std::string db2 = tmp.file("db2");
    r = run_agent({"ingest", vcf, "--db", db2, "--skip-invalid", "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["skipped_invalid"], 1);
    EXPECT_EQ(count_of(db2, "MATCH (v:Variant) RETURN count(*)"), 999);
}

// Rolling back one file's load (GraphStore::undo_source: a load the graph lost rows of) deletes
// its variants and their edges. Kuzu 0.11.3 then freed the genotype edges of every variant of
// the node group when the deleted ones filled whole 1,024-variant regions (third_party/kuzu
// patch 0006): another file's calls vanished without an error. The other file's edges must
// stay exactly bcftools' calls, also after the store is closed and opened again.
TEST(GraphUndoTest, RollingBackOneLoadKeepsTheCallsOfAnotherLoadInTheSameNodeGroup) {
    TempDir tmp;
    const std::string db = tmp.file("db"), a = tmp.file("a.vcf"), b = tmp.file("b.vcf");
    // Biallelic SNVs only, so each record is one variant: `a` fills exactly two regions.
    const std::string snvs = "bcftools view -m2 -M2 -v snps " + data_path("chr22.vcf.gz");
    ASSERT_EQ(run_shell("(" + snvs + " -h; " + snvs + " -H | head -2048) > " + a).exit_code, 0);
    ASSERT_EQ(run_shell("(" + snvs + " -h; " + snvs + " -H | sed -n 2049,3048p) > " + b).exit_code,
              0);
    auto r = run_agent({"ingest", a, "--db", db, "--no-vectors"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(count_of(db, "MATCH (v:Variant) RETURN count(*)"), 2048);
    r = run_agent({"ingest", b, "--db", db, "--no-vectors", "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string b_id = nlohmann::json::parse(r.out)["source"].get<std::string>();
    const auto a_calls = bcftools_nonref_calls(a);
    ASSERT_FALSE(a_calls.empty());
    {
        store::GraphStore graph(db);
        auto source = graph.find_source(b_id);
        ASSERT_TRUE(source.has_value());
        graph.undo_source(*source);
        // In this process too (undo_source checkpoints: the edges are read back from disk).
        int64_t edges = 0;
        for (const auto& [sample, n] : a_calls) edges += n;
        const auto t = graph.read("MATCH ()-[h:CarriedBy]->() RETURN count(*)");
        EXPECT_EQ(t.rows.at(0).at(0).get<int64_t>(), edges);
    }
    EXPECT_EQ(count_of(db, "MATCH (v:Variant) RETURN count(*)"), 2048);
    EXPECT_EQ(store_edge_counts(db), a_calls);
}

TEST(GraphIngestTest2, SecondFileAddsOnlyNewVariantsAndGeneFileMapsByOverlap) {
    TempDir tmp;
    const std::string db = tmp.file("db");
    const std::string vcf = data_path("chr22.vcf.gz");
    auto r = run_agent({"ingest", vcf, "-r", "22:50300000-50400000", "--db", db, "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int64_t first = nlohmann::json::parse(r.out)["new_variants"];
    r = run_agent({"ingest", vcf, "--db", db, "-O", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto total = run_shell("bcftools view -H " + vcf + " | wc -l");
    EXPECT_EQ(nlohmann::json::parse(r.out)["new_variants"].get<int64_t>(),
              std::stoll(total.out) - first);
    EXPECT_EQ(count_of(db, "MATCH (v:Variant) RETURN count(*)"), std::stoll(total.out));

    // `stats --db` reports the same per-table counts.
    auto st = run_agent({"stats", "--db", db, "-O", "json"});
    ASSERT_EQ(st.exit_code, 0) << st.err;
    std::map<std::string, int64_t> counts;
    for (const auto& row : nlohmann::json::parse(st.out)) counts[row["table"]] = row["count"];
    EXPECT_EQ(counts["Variant"], std::stoll(total.out));
    EXPECT_EQ(counts["Source"], 2);
    EXPECT_EQ(counts["Sample"], 5);
    EXPECT_EQ(counts["CarriedBy"], count_of(db, "MATCH ()-[h:CarriedBy]->() RETURN count(*)"));

    // Genes from a BED file: every record overlapping the interval links to the gene.
    const std::string bed = tmp.file("genes.bed");
    write_file(bed, "22\t50400000\t50450000\tGENEA\n22\t50600000\t50610000\tGENEB\n");
    const std::string db2 = tmp.file("db2");
    r = run_agent({"ingest", vcf, "--genes", bed, "--db", db2});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto a = bcftools_region_records(vcf, "22:50400001-50450000");
    EXPECT_EQ(
        count_of(db2, "MATCH (v:Variant)-[:InGene]->(:Gene {symbol: 'GENEA'}) RETURN count(*)"),
        static_cast<int64_t>(a.size()));
    auto b = bcftools_region_records(vcf, "22:50600001-50610000");
    EXPECT_EQ(
        count_of(db2, "MATCH (v:Variant)-[:InGene]->(:Gene {symbol: 'GENEB'}) RETURN count(*)"),
        static_cast<int64_t>(b.size()));
}

}  // namespace
}  // namespace vcfagent::test

namespace vcfagent::test {
namespace {

// QUAL and INFO/AF reach the store with every digit the file gives (within single precision,
// htslib's type for both); a fixed 6-digit rendering once stored QUAL 101944.44 as 101944.
TEST(GraphIngestPrecisionTest, QualAndAfKeepTheirDigits) {
    TempDir tmp;
    const std::string vcf = data_path("hapmap_exome_chr22.vcf.gz");
    ASSERT_EQ(run_agent({"ingest", vcf, "--db", tmp.file("db"), "--no-vectors"}).exit_code, 0);
    // The file's own text is the referee: bcftools prints QUAL rounded to 6 digits itself.
    auto r = run_shell("gzip -dc " + vcf +
                       " | grep -v '^#' | awk -F'\\t' '$5 !~ /,/' | cut -f1,2,4,5,6");
    ASSERT_EQ(r.exit_code, 0);
    std::map<std::string, double> file_qual;
    std::istringstream in(r.out);
    std::string chrom, pos, ref, alt, qual;
    while (in >> chrom >> pos >> ref >> alt >> qual)
        if (qual != ".") file_qual[chrom + ":" + pos + ":" + ref + ":" + alt] = std::stod(qual);
    ASSERT_GT(file_qual.size(), 500u);
    size_t long_quals = 0, compared = 0;
    for (const auto& row :
         graph_json(tmp.file("db"), "MATCH (v:Variant) RETURN v.id AS k, v.qual AS q")) {
        auto it = file_qual.find(row["k"].get<std::string>());
        if (it == file_qual.end() || row["q"].is_null()) continue;
        ++compared;
        if (it->second >= 100000) ++long_quals;
        EXPECT_NEAR(row["q"].get<double>(), it->second, it->second * 1e-7) << it->first;
    }
    EXPECT_GT(compared, 500u);
    EXPECT_GT(long_quals, 10u) << "the file has QUALs of more than 6 digits";
}

}  // namespace
}  // namespace vcfagent::test
