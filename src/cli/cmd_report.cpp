// vcf-agent report FILE -o report.html: one self-contained HTML page of the file's statistics,
// and beside it the bcftools-stats text of the same numbers (report.vchk) for MultiQC.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "cli/variant_filter_options.hpp"
#include "common/error.hpp"
#include "export/stored_selection.hpp"
#include "report/file_report.hpp"
#include "report/report_html.hpp"
#include "report/store_report.hpp"
#include "vcf/stats.hpp"

namespace vcfagent::cli {

namespace {

struct ReportArgs {
    std::string file;
    std::string db;      // --db DIR: report on a store instead of a file
    std::string source;  // with --db: one loaded file
    std::string output;
    std::string vchk;  // empty: the output's name with the extension .vchk
    InputSelection selection;
};

// Written whole to a temporary name, then renamed: a failed run leaves no half page behind.
void write_text_file(const std::string& path, const std::string& text) {
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) throw InputError(path, 0, "cannot create the file", kExitUsage);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.close();
        if (!out) throw InputError(path, 0, "cannot write the file", kExitUsage);
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) throw InputError(path, 0, "cannot write the file: " + ec.message(), kExitUsage);
}

std::string default_vchk_path(const std::string& output) {
    return std::filesystem::path(output).replace_extension(".vchk").string();
}

// A store's report: its variants (of one loaded file, one region, some samples) read back.
report::ReportData report_of_store(const ReportArgs& args) {
    if (!args.selection.regions_file.empty())
        throw InputError("-R", 0, "a store's report takes one region (-r chr:beg-end)", kExitUsage);
    exporting::StoredSelection selection;
    VariantFilterArgs region;  // the one meaning of a region over stored variants
    region.region = args.selection.regions;
    selection.variants = region.resolve();
    selection.samples = args.selection.reader_options().samples;
    selection.source = args.source;
    store::GraphStoreOptions options;
    options.read_only = true;
    store::GraphStore graph(args.db, options);
    return report::store_report(graph, selection, args.db);
}

void run_report(const ReportArgs& args) {
    if (args.file.empty() == args.db.empty())
        throw InputError("report", 0,
                         "give a VCF/BCF FILE ('-' reads standard input) or --db DIR, not both",
                         kExitUsage);
    if (!args.source.empty() && args.db.empty())
        throw InputError("--source", 0, "--source names a loaded file of a store: add --db DIR",
                         kExitUsage);
    const std::string vchk = args.vchk.empty() ? default_vchk_path(args.output) : args.vchk;
    if (vchk == args.output)
        throw InputError(vchk, 0, "the page and the stats text need different names", kExitUsage);
    const report::ReportData data =
        args.db.empty() ? report::file_report(args.file, args.selection.reader_options())
                        : report_of_store(args);
    write_text_file(vchk, vcf::format_stats_text(data.stats));
    write_text_file(args.output, report::render_report_html(data));
    set_exit_code(kExitOk);
}

const CommandRegistration registration("report", [](CLI::App& app) {
    auto args = std::make_shared<ReportArgs>();
    CLI::App* cmd = app.add_subcommand(
        "report",
        "One self-contained HTML report of a VCF/BCF or a store (and its bcftools stats text)");
    cmd->add_option("FILE", args->file, "VCF/BCF file (plain, bgzip or BCF); '-' for stdin");
    cmd->add_option("-o,--output", args->output, "The HTML page to write")->required();
    cmd->add_option("--db", args->db,
                    "Report on this store's variants instead of a file (split and trimmed, as "
                    "after bcftools norm -m -any); -r takes one region");
    cmd->add_option("--source", args->source,
                    "With --db: only this loaded file's variants and samples (its path as "
                    "ingested, file name or sha256 id)");
    cmd->add_option("--vchk", args->vchk,
                    "Where to write the bcftools stats text (default: the page's name with .vchk)");
    add_region_options(*cmd, args->selection);
    add_sample_options(*cmd, args->selection);
    add_threads_option(*cmd, args->selection.threads);
    cmd->footer(
        "Per-sample numbers cover every sample unless -s/-S selects some. The .vchk file holds "
        "the sections `bcftools stats -s -` prints (MultiQC reads it).");
    cmd->callback([args] { run_report(*args); });
});

}  // namespace

}  // namespace vcfagent::cli
