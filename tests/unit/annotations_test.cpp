#include "vcf/annotations.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_env.hpp"
#include "vcf/reader.hpp"

namespace vcfagent::vcf {
namespace {

using test::TempDir;
using PerAlt = std::vector<std::vector<Annotation>>;

// Every record's per-ALT annotations. One per_alt vector is reused across records on purpose:
// stale annotations of an earlier record must never leak into a later one.
std::vector<PerAlt> parse_file(const std::string& path) {
    VcfReader reader(path);
    AnnotationParser parser(reader.header());
    std::vector<PerAlt> out;
    PerAlt per_alt;
    while (bcf1_t* rec = reader.next()) {
        parser.parse(reader.header(), rec, per_alt);
        out.push_back(per_alt);
    }
    return out;
}

std::vector<PerAlt> parse_text(const std::string& vcf_text) {
    TempDir dir;
    const std::string path = dir.file("in.vcf");
    test::write_file(path, vcf_text);
    return parse_file(path);
}

const char* kColumns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";

std::string header(const std::string& info_lines) {
    return "##fileformat=VCFv4.2\n##contig=<ID=1,length=1000000>\n" + info_lines + kColumns;
}

std::string record(int pos, const std::string& ref, const std::string& alt,
                   const std::string& info) {
    return "1\t" + std::to_string(pos) + "\t.\t" + ref + "\t" + alt + "\t50\tPASS\t" + info + "\n";
}

std::vector<std::string> genes(const std::vector<Annotation>& anns) {
    std::vector<std::string> out;
    for (const auto& a : anns) out.push_back(a.gene);
    return out;
}

// --- SnpEff EFF on a real file, checked against an independent reading of the raw text ---

TEST(AnnotationParser, SnpEffEffGenesMatchRawEffText) {
    const std::string path = test::data_path("test.snpeff.vcf");
    const auto query =
        test::run_shell("bcftools query -f '%CHROM:%POS\\t%INFO/EFF\\n' '" + path + "'");
    ASSERT_EQ(query.exit_code, 0) << query.err;

    // Referee: the 6th '|' field inside each "EFFECT(...)" is Gene_Name in this file's layout
    // (Effect_Impact | Functional_Class | Codon_Change | Amino_Acid_change |
    // Amino_Acid_length | Gene_Name | ...).
    std::vector<std::set<std::string>> expected_genes;
    std::vector<size_t> expected_counts;
    std::istringstream lines(query.out);
    std::string line;
    while (std::getline(lines, line)) {
        const std::string eff = line.substr(line.find('\t') + 1);
        std::set<std::string> names;
        size_t count = 0;
        std::istringstream entries(eff);
        std::string entry;
        while (std::getline(entries, entry, ',')) {
            const size_t open = entry.find('('), close = entry.rfind(')');
            ASSERT_NE(open, std::string::npos) << entry;
            std::istringstream inner(entry.substr(open + 1, close - open - 1));
            std::vector<std::string> fields;
            for (std::string field; std::getline(inner, field, '|');) fields.push_back(field);
            ASSERT_GT(fields.size(), 5u) << entry;
            names.insert(fields[5]);
            ++count;
        }
        expected_genes.push_back(names);
        expected_counts.push_back(count);
    }
    ASSERT_EQ(expected_genes.size(), 10u);

    const auto records = parse_file(path);
    ASSERT_EQ(records.size(), expected_genes.size());
    const std::set<std::string> impacts = {"HIGH", "MODERATE", "LOW", "MODIFIER"};
    for (size_t r = 0; r < records.size(); ++r) {
        ASSERT_EQ(records[r].size(), 1u) << "record " << r;
        const auto& anns = records[r][0];
        EXPECT_EQ(anns.size(), expected_counts[r]) << "record " << r;
        std::set<std::string> got;
        for (const auto& a : anns) {
            got.insert(a.gene);
            EXPECT_TRUE(impacts.count(a.impact))
                << "record " << r << " impact '" << a.impact << "'";
            EXPECT_EQ(a.source, "EFF");
        }
        EXPECT_EQ(got, expected_genes[r]) << "record " << r;
    }

    // chr1:30548, first entry:
    // DOWNSTREAM(MODIFIER||||85|FAM138A|protein_coding|CODING|ENST00000417324|)
    const Annotation& first = records[0][0][0];
    EXPECT_EQ(first.gene, "FAM138A");
    EXPECT_EQ(first.consequence, "DOWNSTREAM");
    EXPECT_EQ(first.impact, "MODIFIER");
    EXPECT_EQ(first.feature, "ENST00000417324");
    EXPECT_EQ(first.hgvs_p, "");
    // chr1:69270: SYNONYMOUS_CODING(LOW|SILENT|tcA/tcG|S60|305|OR4F5|protein_coding|CODING|...)
    const Annotation& syn = records[5][0][0];
    EXPECT_EQ(syn.consequence, "SYNONYMOUS_CODING");
    EXPECT_EQ(syn.impact, "LOW");
    EXPECT_EQ(syn.gene, "OR4F5");
    EXPECT_EQ(syn.hgvs_p, "p.S60=");
    // chr1:69428: NON_SYNONYMOUS_CODING(MODERATE|MISSENSE|tTt/tGt|F113C|305|OR4F5|...)
    const Annotation& mis = records[6][0][0];
    EXPECT_EQ(mis.consequence, "NON_SYNONYMOUS_CODING");
    EXPECT_EQ(mis.impact, "MODERATE");
    EXPECT_EQ(mis.feature, "ENST00000335137");
    EXPECT_EQ(mis.hgvs_p, "p.F113C");
    EXPECT_EQ(mis.hgvs_c, "");
}

// --- SnpEff ANN ---

const char* kAnnHeader =
    "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
    "Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | "
    "Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / "
    "CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' \">\n";

TEST(AnnotationParser, AnnEntriesGoToTheirAlt) {
    const std::string vcf =
        header(std::string(kAnnHeader) +
               "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n") +
        record(100, "A", "G,T",
               "ANN=T|stop_gained|HIGH|GENE2|ENSG2|transcript|ENST2|protein_coding|2/5|c.10A>T|"
               "p.Lys4*|10/900|10/300|4/99||,"
               "G|synonymous_variant|LOW|GENE1|ENSG1|transcript|ENST1|protein_coding|2/5|c.10A>G|"
               "p.Lys4Lys|10/900|10/300|4/99||,"
               "G-T|missense_variant|MODERATE|GENE3|ENSG3|transcript|ENST3|protein_coding|1/1|"
               "c.7A>G|p.Thr3Ala||||,"
               "C|missense_variant|MODERATE|GENE4|ENSG4|transcript|ENST4|protein_coding||||||||,"
               "garbage,,"
               "t|upstream_gene_variant|MODIFIER|GENE5|ENSG5|transcript|ENST5|protein_coding|||"
               "|||||120|") +
        record(200, "ACT", "A,ACTT",
               "ANN=-|frameshift_variant|HIGH|GENE6|ENSG6|transcript|ENST6|protein_coding|1/3|"
               "c.5_6delCT|p.Ser2fs||||,"
               "ACTT|frameshift_variant|HIGH|GENE7|ENSG7|transcript|ENST7|protein_coding|1/3|"
               "c.6dupT|p.Ser3fs||||") +
        record(300, "G", "C", "DP=3");
    const auto recs = parse_text(vcf);
    ASSERT_EQ(recs.size(), 3u);

    // Record 1: "G" and "G-T" (SnpEff's compound spelling, first allele G) belong to ALT 1;
    // "T" and the lower-case "t" to ALT 2; "C" matches no ALT and the bare "garbage" entry
    // has no fields: both dropped.
    ASSERT_EQ(recs[0].size(), 2u);
    ASSERT_EQ(genes(recs[0][0]), (std::vector<std::string>{"GENE1", "GENE3"}));
    ASSERT_EQ(genes(recs[0][1]), (std::vector<std::string>{"GENE2", "GENE5"}));
    const Annotation& g1 = recs[0][0][0];
    EXPECT_EQ(g1.gene_id, "ENSG1");
    EXPECT_EQ(g1.consequence, "synonymous_variant");
    EXPECT_EQ(g1.impact, "LOW");
    EXPECT_EQ(g1.feature, "ENST1");
    EXPECT_EQ(g1.hgvs_c, "c.10A>G");
    EXPECT_EQ(g1.hgvs_p, "p.Lys4Lys");
    EXPECT_EQ(g1.clinsig, "");
    EXPECT_EQ(g1.source, "ANN");
    const Annotation& g2 = recs[0][1][0];
    EXPECT_EQ(g2.impact, "HIGH");
    EXPECT_EQ(g2.consequence, "stop_gained");
    EXPECT_EQ(g2.hgvs_p, "p.Lys4*");
    EXPECT_EQ(recs[0][1][1].impact, "MODIFIER");
    EXPECT_EQ(recs[0][1][1].hgvs_c, "");

    // Record 2: '-' is the deletion ACT>A; the insertion is spelled as its ALT.
    ASSERT_EQ(recs[1].size(), 2u);
    ASSERT_EQ(genes(recs[1][0]), (std::vector<std::string>{"GENE6"}));
    ASSERT_EQ(genes(recs[1][1]), (std::vector<std::string>{"GENE7"}));
    EXPECT_EQ(recs[1][0][0].hgvs_c, "c.5_6delCT");

    // Record 3 has no ANN at all.
    ASSERT_EQ(recs[2].size(), 1u);
    EXPECT_TRUE(recs[2][0].empty());
}

// --- VEP CSQ with a custom field order ---

const char* kCsqHeader =
    "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl "
    "VEP. Format: IMPACT|Consequence|Gene|SYMBOL|Allele|Feature|HGVSp|HGVSc|EXON\">\n";

TEST(AnnotationParser, CsqCustomOrderAndVepIndelAlleles) {
    const std::string vcf =
        header(kCsqHeader) +
        // REF=AT ALT=A: VEP drops the shared A, so the deletion is '-'.
        record(100, "AT", "A",
               "CSQ=HIGH|frameshift_variant|ENSG0001|BRCA2|-|ENST0001|ENSP0001.1:p.Leu2fs|"
               "ENST0001.5:c.5del|3/27") +
        // REF=A ALT=AT,ATT: all share A -> alleles T and TT.
        record(200, "A", "AT,ATT",
               "CSQ=MODIFIER|intron_variant|ENSG0002|TP53|TT|ENST0002|||,"
               "MODIFIER|intron_variant&NMD_transcript_variant|ENSG0003|WRAP53|T|ENST0003|||") +
        // REF=AC ALT=A,AA: VEP alleles are '-' and 'A'; 'A' is ALT 2, not the literal ALT 1.
        record(300, "AC", "A,AA",
               "CSQ=MODERATE|inframe_deletion|ENSG0004|EGFR|-|ENST0004|||,"
               "LOW|synonymous_variant|ENSG0005|KRAS|A|ENST0005|ENSP0005.1:p.Leu12%3D||") +
        // REF=G ALT=A,GT: first bases differ, so VEP keeps the alleles as written.
        record(400, "G", "A,GT",
               "CSQ=LOW|missense_variant|ENSG0006|MYC|A|ENST0006|||,"
               "HIGH|frameshift_variant|ENSG0007|MAX|GT|ENST0007|||") +
        // One ALT: an allele VEP spells its own way still belongs to it; '.' and empty
        // fields become empty strings; an unknown impact becomes empty.
        record(500, "C", "<DEL>", "CSQ=.|deletion|.|SVGENE|deletion|.|||");
    const auto recs = parse_text(vcf);
    ASSERT_EQ(recs.size(), 5u);

    ASSERT_EQ(recs[0].size(), 1u);
    ASSERT_EQ(recs[0][0].size(), 1u);
    const Annotation& del = recs[0][0][0];
    EXPECT_EQ(del.gene, "BRCA2");
    EXPECT_EQ(del.gene_id, "ENSG0001");
    EXPECT_EQ(del.impact, "HIGH");
    EXPECT_EQ(del.consequence, "frameshift_variant");
    EXPECT_EQ(del.feature, "ENST0001");
    EXPECT_EQ(del.hgvs_c, "c.5del");
    EXPECT_EQ(del.hgvs_p, "p.Leu2fs");
    EXPECT_EQ(del.source, "CSQ");

    ASSERT_EQ(recs[1].size(), 2u);
    ASSERT_EQ(genes(recs[1][0]), (std::vector<std::string>{"WRAP53"}));
    ASSERT_EQ(genes(recs[1][1]), (std::vector<std::string>{"TP53"}));
    EXPECT_EQ(recs[1][0][0].consequence, "intron_variant&NMD_transcript_variant");

    ASSERT_EQ(recs[2].size(), 2u);
    ASSERT_EQ(genes(recs[2][0]), (std::vector<std::string>{"EGFR"}));
    ASSERT_EQ(genes(recs[2][1]), (std::vector<std::string>{"KRAS"}));
    EXPECT_EQ(recs[2][1][0].hgvs_p, "p.Leu12%3D");

    ASSERT_EQ(recs[3].size(), 2u);
    ASSERT_EQ(genes(recs[3][0]), (std::vector<std::string>{"MYC"}));
    ASSERT_EQ(genes(recs[3][1]), (std::vector<std::string>{"MAX"}));

    ASSERT_EQ(recs[4].size(), 1u);
    ASSERT_EQ(recs[4][0].size(), 1u);
    EXPECT_EQ(recs[4][0][0].gene, "SVGENE");
    EXPECT_EQ(recs[4][0][0].gene_id, "");
    EXPECT_EQ(recs[4][0][0].impact, "");
    EXPECT_EQ(recs[4][0][0].feature, "");
}

TEST(AnnotationParser, CsqAlleleNumberWins) {
    const std::string vcf =
        header(
            "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from "
            "Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|ALLELE_NUM\">\n") +
        // Both ALTs are spelled 'T' by VEP here; only ALLELE_NUM tells them apart.
        record(100, "A", "T,T", "CSQ=T|missense_variant|MODERATE|G1|2,T|stop_gained|HIGH|G2|1");
    const auto recs = parse_text(vcf);
    ASSERT_EQ(recs.size(), 1u);
    ASSERT_EQ(recs[0].size(), 2u);
    ASSERT_EQ(genes(recs[0][0]), (std::vector<std::string>{"G2"}));
    ASSERT_EQ(genes(recs[0][1]), (std::vector<std::string>{"G1"}));
}

// --- legacy SnpEff EFF with Genotype_Number ---

TEST(AnnotationParser, EffGenotypeNumberAndAminoAcidChange) {
    const std::string vcf =
        header(
            "##INFO=<ID=EFF,Number=.,Type=String,Description=\"Predicted effects for this "
            "variant.Format: 'Effect ( Effect_Impact | Functional_Class | Codon_Change | "
            "Amino_Acid_Change| Amino_Acid_Length | Gene_Name | Transcript_BioType | "
            "Gene_Coding | Transcript_ID | Exon_Rank  | Genotype_Number [ | ERRORS | WARNINGS ] "
            ")' \">\n") +
        record(100, "T", "C,A",
               "EFF=NON_SYNONYMOUS_CODING(MODERATE|MISSENSE|gTg/gCg|p.Val38Ala/c.113T>C|250|"
               "GENEA|protein_coding|CODING|ENST10|2|1),"
               "STOP_GAINED(HIGH|NONSENSE|Tgg/Agg|W39*|250|GENEA|protein_coding|CODING|ENST10|2|"
               "2|WARNING_TRANSCRIPT_INCOMPLETE),"
               "UPSTREAM(MODIFIER||||250|GENEB|protein_coding|CODING|ENST11||),"
               "BROKEN,"
               "INTRON(MODIFIER||||250|GENEC|protein_coding|CODING|ENST12|1|9)");
    const auto recs = parse_text(vcf);
    ASSERT_EQ(recs.size(), 1u);
    ASSERT_EQ(recs[0].size(), 2u);
    // No Genotype_Number (GENEB) or one out of range (GENEC): every ALT gets the entry.
    ASSERT_EQ(genes(recs[0][0]), (std::vector<std::string>{"GENEA", "GENEB", "GENEC"}));
    ASSERT_EQ(genes(recs[0][1]), (std::vector<std::string>{"GENEA", "GENEB", "GENEC"}));

    const Annotation& mis = recs[0][0][0];
    EXPECT_EQ(mis.consequence, "NON_SYNONYMOUS_CODING");
    EXPECT_EQ(mis.impact, "MODERATE");
    EXPECT_EQ(mis.feature, "ENST10");
    EXPECT_EQ(mis.hgvs_p, "p.Val38Ala");
    EXPECT_EQ(mis.hgvs_c, "c.113T>C");
    EXPECT_EQ(mis.source, "EFF");

    const Annotation& stop = recs[0][1][0];
    EXPECT_EQ(stop.consequence, "STOP_GAINED");
    EXPECT_EQ(stop.impact, "HIGH");
    EXPECT_EQ(stop.hgvs_p, "p.W39*");
    EXPECT_EQ(stop.hgvs_c, "");
}

// --- ClinVar GENEINFO / CLNSIG ---

const char* kClinvarHeader =
    "##INFO=<ID=GENEINFO,Number=1,Type=String,Description=\"Gene(s) for the variant reported "
    "as gene symbol:gene id. The gene symbol and id are delimited by a colon (:) and each "
    "pair is delimited by a vertical bar (|)\">\n"
    "##INFO=<ID=CLNSIG,Number=.,Type=String,Description=\"Clinical significance for this "
    "single variant\">\n";

TEST(AnnotationParser, ClinvarGeneinfoAndClnsig) {
    const std::string vcf =
        header(kClinvarHeader) +
        record(100, "G", "A", "GENEINFO=BRCA1:672|NBR2:10230;CLNSIG=Pathogenic/Likely_pathogenic") +
        record(200, "C", "T", "CLNSIG=Likely_benign") +
        record(300, "A", "G,T", "GENEINFO=TP53:7157;CLNSIG=Pathogenic,Benign") +
        record(400, "A", "C", "GENEINFO=CFTR:1080;CLNSIG=Pathogenic,_risk_factor") +
        record(500, "A", "C", "GENEINFO=.;CLNSIG=.") + record(600, "A", "C", "GENEINFO=LONE");
    const auto recs = parse_text(vcf);
    ASSERT_EQ(recs.size(), 6u);

    ASSERT_EQ(recs[0].size(), 1u);
    ASSERT_EQ(recs[0][0].size(), 2u);
    EXPECT_EQ(recs[0][0][0].gene, "BRCA1");
    EXPECT_EQ(recs[0][0][0].gene_id, "672");
    EXPECT_EQ(recs[0][0][0].clinsig, "Pathogenic/Likely_pathogenic");
    EXPECT_EQ(recs[0][0][0].source, "GENEINFO");
    EXPECT_EQ(recs[0][0][0].impact, "");
    EXPECT_EQ(recs[0][0][1].gene, "NBR2");
    EXPECT_EQ(recs[0][0][1].gene_id, "10230");
    EXPECT_EQ(recs[0][0][1].clinsig, "Pathogenic/Likely_pathogenic");

    ASSERT_EQ(recs[1][0].size(), 1u);
    EXPECT_EQ(recs[1][0][0].gene, "");
    EXPECT_EQ(recs[1][0][0].clinsig, "Likely_benign");
    EXPECT_EQ(recs[1][0][0].source, "GENEINFO");

    // Per-allele significance, one gene for both ALTs.
    ASSERT_EQ(recs[2].size(), 2u);
    ASSERT_EQ(recs[2][0].size(), 1u);
    ASSERT_EQ(recs[2][1].size(), 1u);
    EXPECT_EQ(recs[2][0][0].gene, "TP53");
    EXPECT_EQ(recs[2][0][0].clinsig, "Pathogenic");
    EXPECT_EQ(recs[2][1][0].gene, "TP53");
    EXPECT_EQ(recs[2][1][0].gene_id, "7157");
    EXPECT_EQ(recs[2][1][0].clinsig, "Benign");

    // ",_" joins parts of one significance in ClinVar, it does not split alleles.
    ASSERT_EQ(recs[3][0].size(), 1u);
    EXPECT_EQ(recs[3][0][0].clinsig, "Pathogenic,_risk_factor");

    EXPECT_TRUE(recs[4][0].empty());

    ASSERT_EQ(recs[5][0].size(), 1u);
    EXPECT_EQ(recs[5][0][0].gene, "LONE");
    EXPECT_EQ(recs[5][0][0].gene_id, "");
    EXPECT_EQ(recs[5][0][0].clinsig, "");
}

// --- several sources together, headers without annotations, odd records ---

TEST(AnnotationParser, SourcesCombineInOrder) {
    const std::string vcf =
        header(std::string(kAnnHeader) + kCsqHeader + kClinvarHeader) +
        record(100, "G", "A",
               "ANN=A|missense_variant|MODERATE|BRCA1|672|transcript|NM_007294.4|protein_coding|"
               "10/23|c.5G>A|p.Arg2His||||;"
               "CSQ=MODERATE|missense_variant|ENSG00000012048|BRCA1|A|ENST00000357654|||;"
               "GENEINFO=BRCA1:672;CLNSIG=Uncertain_significance");
    const auto recs = parse_text(vcf);
    ASSERT_EQ(recs.size(), 1u);
    ASSERT_EQ(recs[0][0].size(), 3u);
    EXPECT_EQ(recs[0][0][0].source, "ANN");
    EXPECT_EQ(recs[0][0][1].source, "CSQ");
    EXPECT_EQ(recs[0][0][2].source, "GENEINFO");
    EXPECT_EQ(recs[0][0][2].clinsig, "Uncertain_significance");
    EXPECT_EQ(recs[0][0][0].clinsig, "");
}

TEST(AnnotationParser, NoAnnotationTagsAndReferenceOnlySites) {
    TempDir dir;
    const std::string path = dir.file("plain.vcf");
    test::write_file(path, header("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n") +
                               record(100, "A", "G", "DP=4"));
    VcfReader reader(path);
    const AnnotationParser parser(reader.header());
    EXPECT_FALSE(parser.has_annotations());

    const auto recs = parse_text(header(kAnnHeader) + record(100, "A", ".", "ANN=A|x|HIGH|G|||||"));
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_TRUE(recs[0].empty());
}

TEST(AnnotationParser, MalformedEntriesAreSkipped) {
    const std::string vcf =
        header(std::string(kAnnHeader) + kCsqHeader +
               "##INFO=<ID=EFF,Number=.,Type=String,Description=\"Predicted effects\">\n") +
        record(100, "A", "G",
               "ANN=|||,,G;CSQ=|;EFF=(,INTRON(MODIFIER||||1|GENEX|protein_coding|CODING|T1|1") +
        record(200, "A", "G", "ANN=.;CSQ=.;EFF=.");
    const auto recs = parse_text(vcf);
    ASSERT_EQ(recs.size(), 2u);
    // "|||", the CSQ "|" and "EFF=(" have no values, "G" has no sub-fields at all: skipped.
    // The unterminated INTRON entry is read up to its end with the default EFF layout (this
    // header's Description names no fields).
    ASSERT_EQ(recs[0].size(), 1u);
    ASSERT_EQ(recs[0][0].size(), 1u);
    EXPECT_EQ(recs[0][0][0].source, "EFF");
    EXPECT_EQ(recs[0][0][0].consequence, "INTRON");
    EXPECT_EQ(recs[0][0][0].gene, "GENEX");
    EXPECT_EQ(recs[0][0][0].impact, "MODIFIER");
    EXPECT_EQ(recs[0][0][0].feature, "T1");
    EXPECT_TRUE(recs[1][0].empty());
}

}  // namespace
}  // namespace vcfagent::vcf
