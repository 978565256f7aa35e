// vcf-agent validate FILE: checks a VCF/BCF against the specification and lists every problem
// with its rule id, severity and line. Exit 0 valid (warnings allowed), 1 invalid, 2 unreadable.
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "vcf/validate.hpp"

namespace vcfagent::cli {

namespace {

struct ValidateArgs {
    std::string file;
    std::string format;
    size_t max_findings = 1000;
    bool allow_empty = false;
};

void write_stdout(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
        throw std::runtime_error("cannot write the validation report to standard output");
}

void run_validate(const ValidateArgs& args) {
    vcf::ValidateOptions opts;
    opts.max_findings = args.max_findings;
    opts.allow_empty = args.allow_empty;
    const vcf::ValidationReport report = vcf::validate_vcf(args.file, opts);
    write_stdout(args.format == "json" ? vcf::validation_to_json(report).dump(2) + "\n"
                                       : vcf::format_validation_text(report));
    const std::string name = args.file == "-" ? "<stdin>" : args.file;
    // The report went to stdout; the error on stderr says in one line why the exit code is
    // not 0, naming the file and the first place to look.
    if (report.unreadable)
        throw InputError(name, report.unreadable_line, report.unreadable_reason, kExitUnreadable);
    if (!report.valid()) {
        std::string reason = "not a valid VCF: " + std::to_string(report.errors) + " error(s)";
        int64_t line = 0;
        for (const vcf::Finding& f : report.findings) {
            if (f.severity != vcf::Severity::kError) continue;
            reason += ", the first: [" + f.rule + "] " + f.message;
            line = f.line;
            break;
        }
        throw InputError(name, line, reason, kExitInvalid);
    }
    set_exit_code(kExitOk);
}

const CommandRegistration registration("validate", [](CLI::App& app) {
    auto args = std::make_shared<ValidateArgs>();
    CLI::App* cmd = app.add_subcommand(
        "validate", "Check a VCF/BCF against the VCF specification and report every problem");
    cmd->add_option("FILE", args->file, "VCF/BCF file (plain, gzip, bgzip or BCF); '-' for stdin")
        ->required();
    add_output_format_option(*cmd, args->format, {"text", "json"});
    cmd->add_option("--max-findings", args->max_findings,
                    "Findings to list; further ones are only counted")
        ->capture_default_str();
    cmd->add_flag("--allow-empty", args->allow_empty, "Accept a file with a header but no records");
    cmd->footer(
        "Exit status: 0 valid (warnings allowed), 1 invalid, 2 unreadable (missing, not "
        "VCF/BCF, truncated or corrupt compressed data).\nText lines read FILE:LINE: severity: "
        "[rule] message; for BCF, LINE is the record number.");
    cmd->callback([args] { run_validate(*args); });
});

}  // namespace

}  // namespace vcfagent::cli
