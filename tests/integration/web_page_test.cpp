// The web page of `vcf-agent serve` in a real browser: Debian's chromium, driven by
// playwright-core (tests/web, pinned in its lockfile), loads the page from a running server,
// saves a reader token, shows the store overview, runs a region query and shows a server error.
// What the page shows is refereed by bcftools.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/server_process.hpp"
#include "support/test_env.hpp"

namespace vcfagent::test {
namespace {

using nlohmann::json;

// A region of tests/data/chr22.vcf.gz with more variants than the page shows by default (50),
// and no multi-allelic record, so bcftools' record count is the store's variant count.
const std::string kRegion = "22:50300000-50310000";
const char* kBrowser = "/usr/bin/chromium";

std::string web_test_dir() {
    return std::string(VCF_AGENT_TEST_DATA) + "/../web";
}

int64_t count_lines(const std::string& command_line) {
    const auto r = run_shell(command_line + " | wc -l");
    if (r.exit_code != 0) return -1;
    return std::stoll(r.out);
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

TEST(WebPageTest, ChromiumShowsOverviewRegionQueryAndErrors) {
    // The browser and its driver are test dependencies like bcftools: missing is a broken
    // set-up, and a skipped test would hide that the page was never loaded in a browser.
    ASSERT_EQ(run_shell("command -v node >/dev/null 2>&1").exit_code, 0)
        << "node is not on PATH; run scripts/setup.sh";
    const std::string web_dir = web_test_dir();
    ASSERT_TRUE(std::filesystem::exists(web_dir + "/node_modules/playwright-core/package.json"))
        << "the web page test driver is not installed (" << web_dir
        << "/node_modules is missing); run scripts/setup.sh";
    ASSERT_TRUE(std::filesystem::exists(kBrowser))
        << kBrowser << " is missing (Debian package chromium); run scripts/setup.sh";

    const std::string vcf = data_path("chr22.vcf.gz");
    const int64_t samples = count_lines("bcftools query -l '" + vcf + "'");
    const int64_t expected_total = count_lines("bcftools view -H -r " + kRegion + " '" + vcf + "'");
    ASSERT_GT(samples, 0) << "bcftools is needed (run scripts/setup.sh)";
    ASSERT_GT(expected_total, 50) << "the region must hold more variants than one page shows";

    TempDir tmp;
    const std::string db = tmp.file("db"), tokens = tmp.file("tokens");
    const auto ingest = run_agent({"ingest", vcf, "--db", db});
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
    const auto added = run_agent({"token", "add", "--role", "reader", "--tokens", tokens});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    const std::string token = trimmed(added.out);
    ASSERT_FALSE(token.empty());
    ASSERT_EQ(token.find('\n'), std::string::npos) << "one token line expected: " << added.out;

    std::unique_ptr<ServerProcess> server;
    try {
        server = std::make_unique<ServerProcess>(
            std::vector<std::string>{"--db", db, "--tokens", tokens});
    } catch (const std::exception& e) {
        FAIL() << e.what();
    }

    const auto r = run_command({"node", web_dir + "/page_test.mjs", "--url", server->url(),
                                "--token", token, "--region", kRegion, "--expect-total",
                                std::to_string(expected_total), "--browser", kBrowser});
    json summary;
    ASSERT_NO_THROW(summary = json::parse(r.out)) << "exit " << r.exit_code << "\n"
                                                  << r.out << r.err << "\nserver:\n"
                                                  << server->log();
    EXPECT_EQ(r.exit_code, 0) << summary.dump(2) << r.err << "\nserver:\n" << server->log();

    // The overview: every sample of the file.
    EXPECT_EQ(summary["overviewSampleCount"], samples) << summary.dump(2);
    // The region query: one page of rows (the default limit), and the total of every match.
    EXPECT_EQ(summary["total"], expected_total) << summary.dump(2);
    EXPECT_EQ(summary["rowsRendered"], std::min<int64_t>(50, expected_total)) << summary.dump(2);
    EXPECT_EQ(summary["dataRows"], summary["rowsRendered"]) << summary.dump(2);
    EXPECT_NE(summary.value("resultSummary", "").find("(truncated)"), std::string::npos)
        << summary.dump(2);
    // The first row is the first variant of the region, bcftools' first record there.
    const auto first = run_shell("bcftools query -r " + kRegion +
                                 " -f '%CHROM:%POS:%REF:%ALT\\n' '" + vcf + "' | head -1");
    ASSERT_TRUE(summary["firstRowCells"].is_array()) << summary.dump(2);
    ASSERT_FALSE(summary["firstRowCells"].empty()) << summary.dump(2);
    EXPECT_EQ(summary["firstRowCells"][0], trimmed(first.out)) << summary.dump(2);
    // A bad region: the server's message, in the page's alert box.
    EXPECT_NE(summary.value("errorText", "").find("region"), std::string::npos) << summary.dump(2);
    // The token survives a reload and is taken from a link's fragment.
    EXPECT_EQ(summary["tokenKeptAfterReload"], true) << summary.dump(2);
    EXPECT_EQ(summary["tokenFromFragment"], true) << summary.dump(2);
    // No script error and no failed request besides the deliberate one.
    EXPECT_TRUE(summary["errors"].empty()) << summary.dump(2);

    // Stopped by SIGTERM, not left for SIGKILL (its clean exit status is the server test's).
    EXPECT_NE(server->terminate(10), 128 + SIGKILL) << "vcf-agent serve ignored SIGTERM:\n"
                                                    << server->log();
}

}  // namespace
}  // namespace vcfagent::test
