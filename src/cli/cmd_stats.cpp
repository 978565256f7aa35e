// vcf-agent stats FILE: the sections of bcftools stats (SN, TSTV, SiS, AF, QUAL, IDD, ST, DP;
// PSC, PSI and HWE with -s/-S), line for line.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "vcf/stats.hpp"

#include <sstream>

#include <filesystem>
#include <iostream>

#include "index/variant_index.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::cli {

namespace {

struct StatsArgs {
    std::string file;  // optional: `stats --db DIR` (store counts) needs no file
    std::string db;
    InputSelection selection;
    std::string format;
};

void write_stdout(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
        throw std::runtime_error("cannot write the statistics to standard output");
}

void run_file_stats(const StatsArgs& args) {
    const bool samples_wanted =
        !args.selection.samples.empty() || !args.selection.samples_file.empty();
    const vcf::VcfStats stats =
        vcf::compute_stats(args.file, args.selection.reader_options(), samples_wanted);
    if (args.format == "json")
        write_stdout(vcf::stats_to_json(stats).dump(2) + "\n");
    else
        write_stdout(vcf::format_stats_text(stats));
}

// Node and edge counts per table of the store, and the rows its variant index files cover.
// Read-only: the graph is opened read-only and the index is not caught up or rebuilt.
void run_store_stats(const StatsArgs& args) {
    if (!std::filesystem::exists(std::filesystem::path(args.db) / "graph.kz"))
        throw InputError(args.db, 0, "no store here (run `vcf-agent ingest` first)", kExitUsage);
    store::GraphStoreOptions options;
    options.read_only = true;
    store::GraphStore graph(args.db, options);
    query::ResultTable table;
    table.columns = {"table", "count"};
    for (const auto& [name, n] : graph.table_counts()) table.rows.push_back({name, n});
    table.rows.push_back(
        {"vectors", static_cast<int64_t>(index::VariantIndex::stamped_rows(args.db))});
    std::ostringstream out;
    table.print(out, args.format == "json" ? "json" : "table");
    write_stdout(out.str());
}

void run_stats(const StatsArgs& args) {
    if (args.file.empty() && !args.db.empty()) {
        run_store_stats(args);
        set_exit_code(kExitOk);
        return;
    }
    if (args.file.empty())
        throw InputError("stats", 0, "no input: give a VCF/BCF FILE ('-' reads standard input)",
                         kExitUsage);
    run_file_stats(args);
    set_exit_code(kExitOk);
}

const CommandRegistration registration("stats", [](CLI::App& app) {
    auto args = std::make_shared<StatsArgs>();
    CLI::App* cmd = app.add_subcommand(
        "stats",
        "Statistics of a VCF/BCF, as bcftools stats (SN, TSTV, SiS, AF, QUAL, IDD, ST, DP; PSC, "
        "PSI, HWE with -s/-S)");
    cmd->add_option("FILE", args->file, "VCF/BCF file (plain, bgzip or BCF); '-' for stdin");
    add_region_options(*cmd, args->selection);
    add_sample_options(*cmd, args->selection);
    add_threads_option(*cmd, args->selection.threads);
    add_output_format_option(*cmd, args->format, {"text", "json"});
    cmd->add_option("--db", args->db, "Print node/edge counts of this store instead of file statistics");
    cmd->footer(
        "Per-sample counts (PSC, PSI, HWE lines) are produced when samples are selected: -s - for "
        "all. The text output is a MultiQC-readable bcftools stats file.");
    cmd->callback([args] { run_stats(*args); });
});

}  // namespace

}  // namespace vcfagent::cli
