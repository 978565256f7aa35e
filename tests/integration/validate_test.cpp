// `vcf-agent validate`: every rule on a crafted file (tests/data/bad), the real invalid-4.0.vcf
// against line numbers worked out from the file itself, real valid files, BCF, stdin, JSON.
#include <gtest/gtest.h>
#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

using nlohmann::json;

std::vector<std::string> file_lines(const std::string& path) {
    std::vector<std::string> out;
    std::istringstream in(read_file(path));
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

std::vector<std::string> split_tabs(const std::string& s) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(s);
    while (std::getline(in, field, '\t')) out.push_back(field);
    if (!s.empty() && s.back() == '\t') out.emplace_back();
    return out;
}

// 1-based numbers of the lines containing `marker`; an empty marker selects the empty lines.
std::vector<int64_t> lines_with(const std::string& path, const std::string& marker) {
    std::vector<int64_t> out;
    const auto lines = file_lines(path);
    for (size_t i = 0; i < lines.size(); ++i) {
        const bool hit =
            marker.empty() ? lines[i].empty() : lines[i].find(marker) != std::string::npos;
        if (hit) out.push_back(static_cast<int64_t>(i + 1));
    }
    return out;
}

struct Validation {
    CommandResult run;
    json report;
};

Validation validate_json(const std::string& path, std::vector<std::string> extra = {},
                         const std::string& stdin_text = "") {
    std::vector<std::string> args{"validate", "-O", "json", path};
    args.insert(args.end(), extra.begin(), extra.end());
    Validation v{run_agent(args, stdin_text), json()};
    v.report = json::parse(v.run.out);  // throws (test error) if stdout is not JSON
    return v;
}

std::vector<int64_t> lines_of_rule(const json& report, const std::string& rule) {
    std::vector<int64_t> out;
    for (const auto& f : report["findings"])
        if (f["rule"] == rule) out.push_back(f["line"].get<int64_t>());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::set<std::string> rules_in(const json& report) {
    std::set<std::string> out;
    for (const auto& f : report["findings"]) out.insert(f["rule"].get<std::string>());
    return out;
}

std::vector<int64_t> error_lines(const json& report) {
    std::vector<int64_t> out;
    for (const auto& f : report["findings"])
        if (f["severity"] == "error") out.push_back(f["line"].get<int64_t>());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void vcf_to_bcf(const std::string& in, const std::string& out) {
    htsFile* src = hts_open(in.c_str(), "r");
    ASSERT_NE(src, nullptr);
    bcf_hdr_t* hdr = bcf_hdr_read(src);
    ASSERT_NE(hdr, nullptr);
    htsFile* dst = hts_open(out.c_str(), "wb");
    ASSERT_NE(dst, nullptr);
    ASSERT_EQ(bcf_hdr_write(dst, hdr), 0);
    bcf1_t* rec = bcf_init();
    while (bcf_read(src, hdr, rec) == 0) ASSERT_EQ(bcf_write(dst, hdr, rec), 0);
    bcf_destroy(rec);
    bcf_hdr_destroy(hdr);
    hts_close(dst);
    hts_close(src);
}

// --- one crafted file per rule -------------------------------------------------------------

struct RuleCase {
    std::string rule;
    std::string severity;   // of the findings at the marker lines; error means exit 1
    std::string marker;     // the defect's lines contain it ("" = empty lines; "<file>" = line 0)
    std::string file = {};  // default: tests/data/bad/<rule>.vcf
    std::set<std::string> also_allowed = {};  // other rules the defect legitimately triggers
};

void PrintTo(const RuleCase& c, std::ostream* os) {
    *os << c.rule;
}

std::string case_name(const testing::TestParamInfo<RuleCase>& info) {
    std::string s = info.param.rule;
    std::replace(s.begin(), s.end(), '.', '_');
    return s;
}

class RuleTest : public testing::TestWithParam<RuleCase> {};

TEST_P(RuleTest, FlagsExactlyTheDefectLines) {
    const RuleCase& c = GetParam();
    const std::string path = data_path("bad/" + (c.file.empty() ? c.rule + ".vcf" : c.file));
    const std::vector<int64_t> expected =
        c.marker == "<file>" ? std::vector<int64_t>{0} : lines_with(path, c.marker);
    ASSERT_FALSE(expected.empty()) << "fixture has no line with marker '" << c.marker << "'";

    const Validation v = validate_json(path);
    EXPECT_EQ(v.run.exit_code, c.severity == "error" ? 1 : 0) << v.run.out << v.run.err;
    EXPECT_EQ(lines_of_rule(v.report, c.rule), expected) << v.run.out;
    bool severity_seen = false;
    for (const auto& f : v.report["findings"]) {
        const std::string rule = f["rule"];
        if (rule == c.rule) {
            severity_seen |= f["severity"] == c.severity;
            EXPECT_FALSE(f["message"].get<std::string>().empty());
        } else {
            EXPECT_TRUE(c.also_allowed.count(rule)) << "unexpected finding: " << f.dump();
        }
    }
    EXPECT_TRUE(severity_seen) << "no " << c.severity << " finding for " << c.rule;
    EXPECT_EQ(v.report["valid"], c.severity != "error");

    // The text form lists the same findings at the same lines.
    const CommandResult text = run_agent({"validate", path});
    EXPECT_EQ(text.exit_code, v.run.exit_code);
    for (const auto& f : v.report["findings"]) {
        const int64_t line = f["line"];
        const std::string where = line > 0 ? path + ":" + std::to_string(line) : path;
        EXPECT_NE(text.out.find(where + ": " + f["severity"].get<std::string>() + ": [" +
                                f["rule"].get<std::string>() + "] " +
                                f["message"].get<std::string>() + "\n"),
                  std::string::npos)
            << text.out;
    }
    if (c.severity == "error") {
        EXPECT_NE(text.err.find(path), std::string::npos) << text.err;
        EXPECT_NE(text.err.find("not a valid VCF"), std::string::npos) << text.err;
    } else {
        EXPECT_EQ(text.err, "");
    }
}

INSTANTIATE_TEST_SUITE_P(
    Validate, RuleTest,
    testing::Values(
        RuleCase{"header.fileformat.missing", "error", "##source=crafted-without-fileformat"},
        RuleCase{"header.fileformat.misplaced", "error", "##fileformat"},
        RuleCase{"header.fileformat.invalid", "error", "##fileformat"},
        RuleCase{"header.fileformat.version", "warning", "##fileformat"},
        RuleCase{"header.info.malformed", "error", "ID=BAD"},
        RuleCase{"header.format.malformed", "error", "ID=BAD"},
        RuleCase{"header.filter.malformed", "error", "BAD"},
        RuleCase{"header.contig.malformed", "error", "BAD"},
        RuleCase{"header.contig.length", "info", "##contig=<ID=3>"},
        RuleCase{"header.chrom.malformed", "error", "#CHROM"},
        RuleCase{"header.chrom.missing", "error", "\tok1\t"},
        RuleCase{"header.line.malformed", "error", "BAD"},
        RuleCase{"header.line.misplaced", "error", "misplaced"},
        RuleCase{"header.info.duplicate", "warning", "dup definition"},
        RuleCase{"record.columns", "error", "\tshort\t"},
        RuleCase{"record.field.empty", "error", "\tempty\t"},
        RuleCase{"record.pos.nonnumeric", "error", "\tnonnum\t"},
        RuleCase{"record.pos.range", "error", "\trange\t"},
        RuleCase{"record.ref.bases", "error", "\tbadref\t"},
        RuleCase{"record.alt.bases", "error", "\tbadalt\t"},
        RuleCase{"record.alt.padding", "warning", "\tpadding\t"},
        RuleCase{"record.alt.same_as_ref", "warning", "\tsame\t"},
        RuleCase{"record.alt.duplicate", "warning", "\tdup\t"},
        RuleCase{"record.qual.invalid", "error", "\tbadqual\t"},
        RuleCase{"record.qual.negative", "warning", "\tnegqual\t"},
        RuleCase{"record.info.undefined", "warning", "\tfirst-use\t"},
        RuleCase{"record.format.undefined", "warning", "\tfirst-use\t"},
        RuleCase{"record.filter.undefined", "warning", "\tfirst-use\t"},
        RuleCase{"record.filter.reserved", "warning", "\tzero\t"},
        RuleCase{"record.contig.undeclared", "warning", "\tfirst-use\t"},
        RuleCase{"record.chrom.invalid", "warning", "\tbadname\t", "", {"header.contig.malformed"}},
        RuleCase{"record.genotype.count", "error", "\tgtcount-"},
        RuleCase{"record.genotype.invalid", "error", "\tbadgt\t"},
        RuleCase{"record.genotype.allele", "error", "\tallele\t"},
        RuleCase{"record.format.fields", "error", "\tfields\t"},
        RuleCase{"record.format.gt_first", "error", "\tgt-second\t"},
        RuleCase{"record.format.invalid", "error", "\tbadvalue\t"},
        RuleCase{"record.info.count", "warning", "\tcount\t"},
        RuleCase{"record.info.duplicate", "warning", "\tdupinfo\t"},
        RuleCase{"record.format.count", "warning", "\tcount\t"},
        RuleCase{"record.unsorted", "error", "\tunsorted\t"},
        RuleCase{"record.end.before_pos", "error", "\tend\t"},
        RuleCase{"record.blank_line", "warning", ""},
        RuleCase{"file.no_records", "error", "<file>", "header-only.vcf"}),
    case_name);

TEST(Validate, CraftedBaseFileIsClean) {
    const Validation v = validate_json(data_path("bad/valid-base.vcf"));
    EXPECT_EQ(v.run.exit_code, 0) << v.run.out;
    EXPECT_TRUE(v.report["findings"].empty()) << v.run.out;
    EXPECT_EQ(v.report["records"], 3);
}

// --- the real invalid-4.0.vcf ---------------------------------------------------------------

TEST(Validate, Invalid40FlagsItsRealProblemsAtTheirLines) {
    const std::string path = data_path("invalid-4.0.vcf");
    const auto lines = file_lines(path);

    // Ground truth read off the file: the problems a VCFv4.0 reader meets in it.
    std::vector<int64_t> number_minus_one, unquoted_description, backslash_gt, filter_zero,
        negative_qual, first_of_contig, problem_site;
    std::string problem_chrom, problem_pos;  // "##problem1=... at 20:1234567 does not match"
    std::set<std::string> contigs_seen;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        const auto n = static_cast<int64_t>(i + 1);
        ASSERT_EQ(l.rfind("##contig", 0), std::string::npos) << "the file declares no contigs";
        if (l.rfind("##problem1=", 0) == 0) {
            std::smatch m;
            ASSERT_TRUE(std::regex_search(l, m, std::regex(R"( at (\w+):(\d+) )")));
            problem_chrom = m[1];
            problem_pos = m[2];
        }
        if (l.rfind("##INFO=", 0) == 0 && l.find("Number=-1") != std::string::npos)
            number_minus_one.push_back(n);
        if (l.rfind("##FORMAT=", 0) == 0 && l.find("Description=\"") == std::string::npos)
            unquoted_description.push_back(n);
        if (l.empty() || l[0] == '#') continue;
        const auto f = split_tabs(l);
        ASSERT_GE(f.size(), 10u);
        if (std::any_of(f.begin() + 9, f.end(),
                        [](const std::string& s) { return s.find('\\') != std::string::npos; }))
            backslash_gt.push_back(n);
        if (f[6] == "0") filter_zero.push_back(n);
        if (f[5][0] == '-') negative_qual.push_back(n);
        if (contigs_seen.insert(f[0]).second) first_of_contig.push_back(n);
        if (f[0] == problem_chrom && f[1] == problem_pos) problem_site.push_back(n);
    }
    ASSERT_EQ(problem_site.size(), 1u);
    ASSERT_FALSE(number_minus_one.empty());
    ASSERT_FALSE(backslash_gt.empty());

    const Validation v = validate_json(path);
    EXPECT_EQ(v.run.exit_code, 1);
    EXPECT_FALSE(v.report["valid"].get<bool>());
    EXPECT_EQ(lines_of_rule(v.report, "header.info.malformed"), number_minus_one);
    EXPECT_EQ(lines_of_rule(v.report, "header.format.malformed"), unquoted_description);
    EXPECT_EQ(lines_of_rule(v.report, "record.genotype.invalid"), backslash_gt);
    EXPECT_EQ(lines_of_rule(v.report, "record.filter.reserved"), filter_zero);
    EXPECT_EQ(lines_of_rule(v.report, "record.qual.negative"), negative_qual);
    EXPECT_EQ(lines_of_rule(v.report, "record.contig.undeclared"), first_of_contig);
    EXPECT_EQ(lines_of_rule(v.report, "record.alt.padding"), problem_site);

    std::vector<int64_t> errors = number_minus_one;
    errors.insert(errors.end(), backslash_gt.begin(), backslash_gt.end());
    std::sort(errors.begin(), errors.end());
    EXPECT_EQ(error_lines(v.report), errors);
    EXPECT_EQ(rules_in(v.report),
              (std::set<std::string>{"header.info.malformed", "header.format.malformed",
                                     "record.genotype.invalid", "record.filter.reserved",
                                     "record.qual.negative", "record.contig.undeclared",
                                     "record.alt.padding"}));
    int64_t records = 0;
    for (const auto& l : lines) records += !l.empty() && l[0] != '#';
    EXPECT_EQ(v.report["records"], records);
}

// --- real valid files -----------------------------------------------------------------------

TEST(Validate, RealValidFilesHaveNoErrors) {
    for (const std::string name :
         {"valid-4.1.vcf", "chr22.vcf.gz", "hapmap_exome_chr22.vcf.gz", "test.snpeff.vcf"}) {
        SCOPED_TRACE(name);
        const Validation v = validate_json(data_path(name));
        EXPECT_EQ(v.run.exit_code, 0) << v.run.out << v.run.err;
        EXPECT_EQ(v.report["errors"], 0) << v.run.out;
        EXPECT_TRUE(v.report["valid"].get<bool>());
        EXPECT_EQ(v.run.err, "");
    }
    EXPECT_EQ(validate_json(data_path("chr22.vcf.gz")).report["records"], 10376);
    EXPECT_EQ(validate_json(data_path("valid-4.1.vcf")).report["warnings"], 0);
}

TEST(Validate, StructuralVcfEndBeforePosIsFound) {
    // One record's INFO/END lies before its POS; find it by reading the file.
    const std::string path = data_path("structural.vcf");
    std::vector<int64_t> expected;
    const auto lines = file_lines(path);
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].empty() || lines[i][0] == '#') continue;
        const auto f = split_tabs(lines[i]);
        std::smatch m;
        if (std::regex_search(f[7], m, std::regex(R"((^|;)END=(\d+))")) &&
            std::stoll(m[2]) < std::stoll(f[1]))
            expected.push_back(static_cast<int64_t>(i + 1));
    }
    ASSERT_EQ(expected.size(), 1u);
    const Validation v = validate_json(path);
    EXPECT_EQ(v.run.exit_code, 1);
    EXPECT_EQ(lines_of_rule(v.report, "record.end.before_pos"), expected);
    EXPECT_EQ(error_lines(v.report), expected);
}

// --- input forms ----------------------------------------------------------------------------

TEST(Validate, StdinGzipAndBcfInputs) {
    const Validation in = validate_json("-", {}, read_file(data_path("valid-4.1.vcf")));
    EXPECT_EQ(in.run.exit_code, 0) << in.run.out << in.run.err;
    EXPECT_EQ(in.report["records"], 12);

    const std::string bad = data_path("bad/record.columns.vcf");
    const Validation bad_in = validate_json("-", {}, read_file(bad));
    EXPECT_EQ(bad_in.run.exit_code, 1);
    EXPECT_EQ(lines_of_rule(bad_in.report, "record.columns"), lines_with(bad, "\tshort\t"));
    EXPECT_NE(bad_in.run.err.find("<stdin>:" + std::to_string(lines_with(bad, "\tshort\t")[0])),
              std::string::npos)
        << bad_in.run.err;

    TempDir tmp;
    const std::string bcf = tmp.file("valid.bcf");
    vcf_to_bcf(data_path("valid-4.1.vcf"), bcf);
    const Validation b = validate_json(bcf);
    EXPECT_EQ(b.run.exit_code, 0) << b.run.out;
    EXPECT_EQ(b.report["format"], "BCF");
    EXPECT_EQ(b.report["records"], 12);

    const std::string gz = tmp.file("valid.vcf.gz");
    bgzip_bytes(read_file(data_path("valid-4.1.vcf")), gz);
    EXPECT_EQ(validate_json(gz).run.exit_code, 0);
}

TEST(Validate, BcfLinesAreRecordOrdinals) {
    const std::string src = data_path("bad/record.unsorted.vcf");
    // Ordinals (1-based, among the records) of the lines marked unsorted.
    std::vector<int64_t> expected;
    int64_t ordinal = 0;
    for (const auto& l : file_lines(src)) {
        if (l.empty() || l[0] == '#') continue;
        ++ordinal;
        if (l.find("\tunsorted\t") != std::string::npos) expected.push_back(ordinal);
    }
    ASSERT_EQ(expected.size(), 2u);
    TempDir tmp;
    const std::string bcf = tmp.file("unsorted.bcf");
    vcf_to_bcf(src, bcf);
    const Validation v = validate_json(bcf);
    EXPECT_EQ(v.run.exit_code, 1);
    EXPECT_EQ(lines_of_rule(v.report, "record.unsorted"), expected);
    const CommandResult text = run_agent({"validate", bcf});
    EXPECT_NE(text.out.find(bcf + ":" + std::to_string(expected[0]) + ": error: [record.unsorted]"),
              std::string::npos)
        << text.out;
}

TEST(Validate, MissingBgzfEofMarkerIsAWarning) {
    TempDir tmp;
    const std::string gz = tmp.file("no-eof.vcf.gz");
    bgzip_bytes(read_file(data_path("valid-4.1.vcf")), gz);
    std::string bytes = read_file(gz);
    ASSERT_GT(bytes.size(), 28u);
    bytes.resize(bytes.size() - 28);  // the empty EOF block bgzip appends
    write_file(gz, bytes);
    const Validation v = validate_json(gz);
    EXPECT_EQ(v.run.exit_code, 0) << v.run.out;
    EXPECT_EQ(lines_of_rule(v.report, "file.eof_marker.missing"), std::vector<int64_t>{0});
}

// --- output -----------------------------------------------------------------------------------

TEST(Validate, JsonAgreesWithText) {
    const std::string path = data_path("invalid-4.0.vcf");
    const Validation v = validate_json(path);
    const CommandResult text = run_agent({"validate", path});
    EXPECT_EQ(text.exit_code, v.run.exit_code);
    ASSERT_TRUE(v.report.contains("file"));
    EXPECT_EQ(v.report["file"], path);
    for (const char* key : {"valid", "errors", "warnings", "records", "findings"})
        EXPECT_TRUE(v.report.contains(key)) << key;

    const std::regex finding_re(R"(^(.*?)(?::(\d+))?: (error|warning|info): \[([^\]]+)\] (.*)$)");
    std::vector<json> from_text;
    std::string summary;
    std::istringstream in(text.out);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_match(line, m, finding_re)) {
            EXPECT_EQ(m[1].str(), path);
            from_text.push_back({{"rule", m[4].str()},
                                 {"severity", m[3].str()},
                                 {"line", m[2].matched ? std::stoll(m[2]) : 0},
                                 {"message", m[5].str()}});
        } else {
            summary = line;
        }
    }
    ASSERT_EQ(from_text.size(), v.report["findings"].size());
    for (size_t i = 0; i < from_text.size(); ++i) EXPECT_EQ(from_text[i], v.report["findings"][i]);

    const auto count = [&](const std::string& sev) {
        return std::count_if(from_text.begin(), from_text.end(),
                             [&](const json& f) { return f["severity"] == sev; });
    };
    EXPECT_EQ(v.report["errors"], count("error"));
    EXPECT_EQ(v.report["warnings"], count("warning"));
    EXPECT_NE(summary.find("INVALID"), std::string::npos) << summary;
    EXPECT_NE(summary.find(std::to_string(v.report["errors"].get<int>()) + " error(s)"),
              std::string::npos)
        << summary;
    EXPECT_NE(summary.find(std::to_string(v.report["records"].get<int>()) + " record(s)"),
              std::string::npos)
        << summary;
}

TEST(Validate, FindingsAreCappedButCounted) {
    const std::string path = data_path("invalid-4.0.vcf");
    const Validation all = validate_json(path);
    const Validation capped = validate_json(path, {"--max-findings", "2"});
    EXPECT_EQ(capped.run.exit_code, 1);
    EXPECT_EQ(capped.report["findings"].size(), 2u);
    EXPECT_EQ(capped.report["errors"], all.report["errors"]);
    EXPECT_EQ(capped.report["warnings"], all.report["warnings"]);
    EXPECT_EQ(capped.report["findings_omitted"].get<size_t>() + 2, all.report["findings"].size());
    const CommandResult text = run_agent({"validate", "--max-findings", "2", path});
    EXPECT_NE(text.out.find("more finding(s) not shown"), std::string::npos) << text.out;
}

TEST(Validate, ManyFindingsInOneFileAreAllReported) {
    // Validation goes on past errors: 300 bad records give 300 findings at their own lines.
    const auto base = file_lines(data_path("bad/valid-base.vcf"));
    std::string text;
    int64_t n = 0;
    std::vector<int64_t> expected;
    for (const auto& l : base) {
        if (l[0] != '#') break;
        text += l + "\n";
        ++n;
    }
    for (int i = 0; i < 300; ++i) {
        text +=
            "1\t" + std::to_string(100 + i) + "\tx\tA\tJ\t50\tPASS\tDP=1\tGT:DP\t0/1:5\t0/0:5\n";
        expected.push_back(++n);
    }
    TempDir tmp;
    write_file(tmp.file("many.vcf"), text);
    const Validation v = validate_json(tmp.file("many.vcf"));
    EXPECT_EQ(v.run.exit_code, 1);
    EXPECT_EQ(lines_of_rule(v.report, "record.alt.bases"), expected);
    EXPECT_EQ(v.report["errors"], 300);
}

TEST(Validate, AllowEmptyAcceptsHeaderOnly) {
    const Validation v = validate_json(data_path("bad/header-only.vcf"), {"--allow-empty"});
    EXPECT_EQ(v.run.exit_code, 0) << v.run.out;
    EXPECT_TRUE(v.report["findings"].empty());
}

TEST(Validate, UsageErrors) {
    EXPECT_EQ(run_agent({"validate"}).exit_code, 3);
    EXPECT_EQ(run_agent({"validate", "-O", "xml", data_path("valid-4.1.vcf")}).exit_code, 3);
}

}  // namespace
}  // namespace vcfagent::test
