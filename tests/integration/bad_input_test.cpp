// Bad inputs for the commands that read a VCF (validate, stats): each gives a clear error on
// stderr naming the file (and the line where there is one), a non-zero exit and no crash; a
// plain-gzip VCF works.
#include <gtest/gtest.h>
#include <htslib/bgzf.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

class BadInputTest : public testing::TestWithParam<std::string> {
  protected:
    CommandResult run(const std::string& file) { return run_agent({GetParam(), file}); }

    // A failure the user can act on: non-zero, not a crash, the file named on stderr.
    void expect_clear_error(const CommandResult& r, const std::string& file) {
        EXPECT_NE(r.exit_code, 0) << r.out;
        EXPECT_LT(r.exit_code, 128) << "killed by a signal: " << r.err;
        EXPECT_NE(r.err.find(file), std::string::npos)
            << "stderr does not name the file: " << r.err;
        EXPECT_NE(r.err.find("error"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("AddressSanitizer"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << r.err;
    }
};

std::string decompress(const std::string& path) {
    BGZF* fp = bgzf_open(path.c_str(), "r");
    if (!fp) return {};
    std::string out;
    char buf[65536];
    ssize_t n;
    while ((n = bgzf_read(fp, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    bgzf_close(fp);
    return out;
}

TEST_P(BadInputTest, MissingFile) {
    TempDir tmp;
    const std::string f = tmp.file("does-not-exist.vcf");
    const CommandResult r = run(f);
    expect_clear_error(r, f);
    EXPECT_EQ(r.exit_code, 2);
}

TEST_P(BadInputTest, Directory) {
    TempDir tmp;
    const CommandResult r = run(tmp.path().string());
    expect_clear_error(r, tmp.path().string());
    EXPECT_EQ(r.exit_code, 2);
}

TEST_P(BadInputTest, EmptyFile) {
    TempDir tmp;
    const std::string f = tmp.file("empty.vcf");
    write_file(f, "");
    expect_clear_error(run(f), f);
}

TEST_P(BadInputTest, HeaderOnlyFile) {
    const std::string f = data_path("bad/header-only.vcf");
    expect_clear_error(run(f), f);
}

TEST_P(BadInputTest, BinaryGarbage) {
    TempDir tmp;
    const std::string f = tmp.file("garbage.vcf");
    std::string bytes;
    uint32_t x = 12345;
    for (int i = 0; i < 4096; ++i) {
        x = x * 1664525u + 1013904223u;
        bytes += static_cast<char>(x >> 24);
    }
    write_file(f, bytes);
    const CommandResult r = run(f);
    expect_clear_error(r, f);
    EXPECT_EQ(r.exit_code, 2);
}

TEST_P(BadInputTest, TruncatedBgzip) {
    TempDir tmp;
    const std::string text = decompress(data_path("chr22.vcf.gz"));
    ASSERT_GT(text.size(), 1000000u);
    const std::string f = tmp.file("truncated.vcf.gz");
    bgzip_bytes(text, f);
    std::string bytes = read_file(f);
    bytes.resize(bytes.size() * 6 / 10);  // mid-block, well past the header
    write_file(f, bytes);
    const CommandResult r = run(f);
    expect_clear_error(r, f);
    // Corrupt data past the header is reported at a line: after the last complete one.
    int64_t header_lines = 0, total_lines = 0;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l); ++total_lines) header_lines += l[0] == '#';
    const size_t at = r.err.find(f + ":");
    ASSERT_NE(at, std::string::npos) << r.err;
    const int64_t line = std::stoll(r.err.substr(at + f.size() + 1));
    EXPECT_GT(line, header_lines);
    EXPECT_LT(line, total_lines);
    if (GetParam() == "validate") {
        EXPECT_EQ(r.exit_code, 2);
    }
}

TEST_P(BadInputTest, PlainGzipWorks) {
    TempDir tmp;
    const std::string f = tmp.file("plain.vcf.gz");
    const CommandResult gz =
        run_shell("gzip -c '" + data_path("valid-4.1.vcf") + "' > '" + f + "'");
    ASSERT_EQ(gz.exit_code, 0) << gz.err;
    ASSERT_EQ(read_file(f).substr(0, 2), "\x1f\x8b");
    const CommandResult r = run(f);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(r.out.empty());
}

TEST_P(BadInputTest, TooFewColumnsInTheMiddle) {
    const std::string f = data_path("bad/record.columns.vcf");
    // The first record line with fewer than 8 tab-separated columns, found in the fixture.
    int64_t expected = 0, n = 0, records_before = 0;
    std::istringstream in(read_file(f));
    for (std::string l; std::getline(in, l);) {
        ++n;
        if (l.empty() || l[0] == '#') continue;
        size_t tabs = 0;
        for (char c : l) tabs += c == '\t';
        if (tabs + 1 < 8) {
            expected = n;
            break;
        }
        ++records_before;
    }
    ASSERT_GT(expected, 0);
    ASSERT_GT(records_before, 0) << "the bad record must not be the first";
    const CommandResult r = run(f);
    expect_clear_error(r, f);
    EXPECT_NE(r.err.find(f + ":" + std::to_string(expected) + ":"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Commands, BadInputTest, testing::Values("validate", "stats"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace vcfagent::test
