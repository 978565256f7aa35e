#pragma once
// Shared test plumbing: paths to fixtures and the built binary, a scratch directory, and a
// child-process runner that captures stdout/stderr and the exit code.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace vcfagent::test {

std::string data_path(const std::string& name);  // tests/data/<name>
std::string agent_binary();                      // the built vcf-agent
std::string generator_binary();                  // the built bench/tools/vcf_generate

struct CommandResult {
    int exit_code = -1;  // exit status, or 128+signal when killed
    std::string out;
    std::string err;
};
// Runs argv[0] with arguments (no shell). Optional stdin text.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text = "");
// Runs a shell command line (for pipelines such as `bcftools ... | grep`).
CommandResult run_shell(const std::string& command_line);
// Runs vcf-agent with the given arguments.
CommandResult run_agent(const std::vector<std::string>& args, const std::string& stdin_text = "");

// Node/edge counts per table of a store (`vcf-agent stats --db DIR -O json`, which includes
// the rows the variant index files cover as "vectors"). Throws when the command fails.
std::map<std::string, int64_t> store_counts(const std::string& db);

// Starts vcf-agent with the given arguments (output discarded), sends it SIGKILL after
// `seconds` unless it has exited by then, and reaps it. True when the kill landed.
bool run_agent_killed_after(const std::vector<std::string>& args, double seconds);

// A fresh directory removed at destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

// A copy of chr22.vcf.gz (the same samples) made to add CarriedBy edges to variants the
// original added: its first 800 records with every hom-ref call made het, then records
// 801-3000 unchanged, then the first 800 again with every hom-ref call made hom-alt (the same
// variants added again by a later record of one load). Written as text VCF to `path`.
void write_more_carriers_chr22(const std::string& path);

void write_file(const std::string& path, const std::string& content);
// Writes `data` BGZF-compressed to `path` (throws on failure).
void bgzip_bytes(const std::string& data, const std::string& path);
std::string read_file(const std::string& path);

}  // namespace vcfagent::test
