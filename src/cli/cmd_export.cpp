// vcf-agent export --db DIR -O vcf|bcf|tsv|json|parquet -o OUT: the variants of a store,
// narrowed by the variant, sample, source and genotype filters, in a format other tools read.
#include <fstream>
#include <iostream>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "cli/genotype_filter_options.hpp"
#include "cli/variant_filter_options.hpp"
#include "common/error.hpp"
#include "export/parquet_export.hpp"
#include "export/table_export.hpp"
#include "export/vcf_export.hpp"

namespace vcfagent::cli {
namespace {

struct ExportArgs {
    std::string db;
    std::string format;
    std::string output;
    std::string rows = "variants";
    std::string source;
    bool no_samples = false;
    VariantFilterArgs variants;
    InputSelection samples;
    GenotypeFilterArgs genotypes;
};

void run_export(const ExportArgs& a) {
    exporting::StoredSelection selection;
    selection.variants = a.variants.resolve();
    selection.samples = a.samples.reader_options().samples;
    selection.no_samples = a.no_samples;
    selection.source = a.source;
    if (a.genotypes.given()) selection.genotypes = a.genotypes.resolve();

    store::GraphStoreOptions options;
    options.read_only = true;
    store::GraphStore graph(a.db, options);

    if (a.format == "parquet") {
        if (a.output.empty() || a.output == "-")
            throw InputError("-o", 0, "-O parquet writes a directory: give it with -o DIR",
                             kExitUsage);
        const auto report = exporting::write_parquet(graph, selection, a.output);
        std::cerr << a.output << ":";
        for (const auto& [table, rows] : report.rows) std::cerr << " " << table << " " << rows;
        std::cerr << " rows in " << report.partitions << " chromosome partitions\n";
        return;
    }
    exporting::StoredRecordReader reader(graph, selection);
    if (a.format == "vcf" || a.format == "bcf") {
        const std::string path = a.output.empty() ? "-" : a.output;
        if (a.format == "bcf" && path == "-")
            throw InputError("-o", 0, "-O bcf writes a file: give it with -o FILE", kExitUsage);
        const auto report = exporting::write_vcf(
            reader, path,
            a.format == "bcf" ? exporting::VcfFormat::Bcf : exporting::VcfFormat::Vcf);
        std::cerr << path << ": " << report.records << " records, " << reader.samples().size()
                  << " samples" << (report.index_path.empty() ? "" : ", indexed") << "\n";
        return;
    }
    const auto rows =
        a.rows == "carriers" ? exporting::TableRows::Carriers : exporting::TableRows::Variants;
    const auto format =
        a.format == "json" ? exporting::TableFormat::Json : exporting::TableFormat::Tsv;
    if (a.output.empty() || a.output == "-") {
        exporting::write_table(reader, std::cout, rows, format);
        std::cout.flush();
        if (!std::cout) throw std::runtime_error("cannot write the table to standard output");
        return;
    }
    std::ofstream out(a.output);
    if (!out) throw InputError(a.output, 0, "cannot open for writing", kExitUsage);
    exporting::write_table(reader, out, rows, format);
    out.close();
    if (!out) throw std::runtime_error(a.output + ": cannot write the table");
}

const CommandRegistration registration("export", [](CLI::App& app) {
    auto args = std::make_shared<ExportArgs>();
    auto* cmd = app.add_subcommand(
        "export",
        "Write a store's variants as bgzipped+indexed VCF, BCF, TSV/JSON tables or Parquet "
        "(partitioned by chromosome), narrowed by variant, sample and genotype filters");
    add_db_option(*cmd, args->db);
    add_output_format_option(*cmd, args->format, {"vcf", "bcf", "tsv", "json", "parquet"});
    cmd->add_option("-o,--output", args->output,
                    "Output file (vcf: bgzipped with a .tbi; bcf: with a .csi; '-' or none: "
                    "standard output, vcf as plain text) or, for parquet, a new directory");
    cmd->add_option("--rows", args->rows,
                    "tsv/json: one row per variant, or per variant and carrier")
        ->check(CLI::IsMember({"variants", "carriers"}))
        ->capture_default_str();
    cmd->add_option("--source", args->source,
                    "Only the variants (and samples) of this loaded file: its path as ingested, "
                    "file name or sha256 id");
    cmd->add_flag("--no-samples", args->no_samples, "Sites only: no sample columns or calls");
    add_variant_filter_options(*cmd, args->variants);
    add_sample_options(*cmd, args->samples);
    add_genotype_filter_options(*cmd, args->genotypes);
    cmd->callback([args] {
        run_export(*args);
        set_exit_code(kExitOk);
    });
});

}  // namespace
}  // namespace vcfagent::cli
