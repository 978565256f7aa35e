// vcf-agent: entry point. Builds the CLI from the self-registered subcommands and maps
// errors to exit codes (see common/error.hpp).
#include <htslib/hts.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/command_registry.hpp"
#include "common/error.hpp"
#include "common/version.hpp"

namespace vcfagent::cli {

std::vector<RegisteredCommand>& registered_commands() {
    static std::vector<RegisteredCommand> commands;
    return commands;
}

CommandRegistration::CommandRegistration(std::string name, CommandSetup setup) {
    registered_commands().push_back({std::move(name), std::move(setup)});
}

namespace {
int g_exit_code = kExitOk;
}
void set_exit_code(int code) { g_exit_code = code; }
int exit_code() { return g_exit_code; }

}  // namespace vcfagent::cli

int main(int argc, char** argv) {
    using namespace vcfagent;
    CLI::App app{"vcf-agent: ingest VCF/BCF into a graph store with a similarity index and query it", "vcf-agent"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("vcf-agent ") + kVersion);
    hts_set_log_level(HTS_LOG_OFF);  // our own errors name file and line; htslib's are noise
    app.add_flag_callback("-v,--verbose", [] { hts_set_log_level(HTS_LOG_WARNING); },
                          "Show htslib diagnostics (put before the command)");
    auto& commands = cli::registered_commands();
    std::sort(commands.begin(), commands.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (auto& c : commands) c.setup(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : kExitUsage;
    } catch (const InputError& e) {
        std::fflush(stdout);
        std::cerr << "vcf-agent: error: " << e.what() << "\n";
        return e.exit_code();
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::cerr << "vcf-agent: error: " << e.what() << "\n";
        return kExitInvalid;
    }
    return cli::exit_code();
}
