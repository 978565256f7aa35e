// vcf-agent compare A B: the sites two inputs share and do not share (as bcftools isec), the
// genotype concordance of their common samples (as bcftools stats -s - A B) and a swap check
// (as bcftools gtcheck), streamed over both inputs in one pass.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "compare/compare_output.hpp"
#include "compare/comparison.hpp"
#include "compare/file_site_source.hpp"
#include "compare/stored_site_source.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::cli {

namespace {

struct CompareArgs {
    std::string a, b;
    std::string collapse = "none";
    InputSelection selection;  // regions and threads; samples are paired, not selected
    std::string pairs;
    std::string format;
    std::string output;
    std::string db;
    bool db_given = false;
};

void write_text(const std::string& text, const std::string& path) {
    if (path.empty() || path == "-") {
        if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
            std::fflush(stdout) != 0)
            throw std::runtime_error("cannot write the comparison to standard output");
        return;
    }
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.flush();
    if (!out) throw InputError(path, 0, "cannot write the comparison to this file");
}

// An input named on the command line: a VCF/BCF file, or with --db, when no such file exists,
// a source of the store (its path as ingested, file name or sha256 id), read through `graph`,
// which is opened read-only on first use.
std::unique_ptr<compare::SiteSource> open_input(const std::string& name, const CompareArgs& args,
                                                const vcf::ReaderOptions& options,
                                                std::unique_ptr<store::GraphStore>& graph) {
    if (!args.db_given || name == "-" || std::filesystem::exists(name))
        return std::make_unique<compare::FileSiteSource>(name, options);
    if (!std::filesystem::exists(std::filesystem::path(args.db) / "graph.kz"))
        throw InputError(args.db, 0, "no store here (run `vcf-agent ingest` first)", kExitUsage);
    if (!options.regions.empty())
        throw InputError(name, 0, "-r/-R apply to files; a source of the store is compared whole",
                         kExitUsage);
    if (!graph) {
        store::GraphStoreOptions store_options;
        store_options.read_only = true;
        graph = std::make_unique<store::GraphStore>(args.db, store_options);
    }
    return std::make_unique<compare::StoredSiteSource>(*graph, name);
}

void run_compare(const CompareArgs& args) {
    compare::CompareOptions options;
    if (!compare::parse_collapse_mode(args.collapse, options.mode))
        throw InputError("-c " + args.collapse, 0,
                         "unknown mode: none, snps, indels, both, all, some", kExitUsage);
    if (!args.pairs.empty()) options.pairs = compare::parse_sample_pairs(args.pairs);
    if (args.a == "-" && args.b == "-")
        throw InputError("-", 0, "only one input can be standard input", kExitUsage);
    if (args.format == "vcf" && (args.output.empty() || args.output == "-"))
        throw InputError("-O vcf", 0,
                         "needs -o DIR: the site lists are written as DIR/0000.vcf ... 0003.vcf",
                         kExitUsage);

    const vcf::ReaderOptions reader_options = args.selection.reader_options();
    std::unique_ptr<store::GraphStore> graph;  // outlives the sources that read it
    auto a = open_input(args.a, args, reader_options, graph);
    auto b = open_input(args.b, args, reader_options, graph);

    if (args.format == "tsv") {
        std::unique_ptr<std::ofstream> file;
        std::ostream* out = nullptr;
        if (args.output.empty() || args.output == "-") {
            out = &std::cout;
        } else {
            file = std::make_unique<std::ofstream>(args.output, std::ios::binary);
            if (!*file) throw InputError(args.output, 0, "cannot write the site list here");
            out = file.get();
        }
        compare::TsvSiteWriter writer(*out);
        compare::compare_sources(*a, *b, options, &writer);
        out->flush();
        if (!*out)
            throw InputError(args.output.empty() ? "-" : args.output, 0,
                             "writing the site list failed");
    } else if (args.format == "vcf") {
        std::vector<std::string> contigs = a->contigs();
        for (const auto& c : b->contigs())
            if (std::find(contigs.begin(), contigs.end(), c) == contigs.end()) contigs.push_back(c);
        compare::VcfSiteWriter writer(args.output, contigs, a->name(), b->name());
        const auto result = compare::compare_sources(*a, *b, options, &writer);
        writer.finish();
        write_text(compare::format_text(result), "");
    } else {
        const auto result = compare::compare_sources(*a, *b, options);
        write_text(args.format == "json" ? compare::to_json(result).dump(2) + "\n"
                                         : compare::format_text(result),
                   args.output);
    }
    set_exit_code(kExitOk);
}

const CommandRegistration registration("compare", [](CLI::App& app) {
    auto args = std::make_shared<CompareArgs>();
    CLI::App* cmd = app.add_subcommand(
        "compare",
        "Compare two VCF/BCF files: sites only in A, only in B and in both (as bcftools isec), "
        "genotype concordance of their shared samples (as bcftools stats -s - A B) and a "
        "sample-swap check");
    cmd->add_option("A", args->a, "First VCF/BCF (the reference side of the comparison)")
        ->required();
    cmd->add_option("B", args->b, "Second VCF/BCF")->required();
    cmd->add_option("-c,--collapse", args->collapse,
                    "Which sites count as the same, as bcftools isec -c: none (identical "
                    "alleles), snps, indels, both, all, some")
        ->capture_default_str();
    add_region_options(*cmd, args->selection);
    add_threads_option(*cmd, args->selection.threads);
    cmd->add_option("--pairs", args->pairs,
                    "Compare these samples of A with these of B (A1=B1,A2=B2); default: the "
                    "samples with the same name");
    add_output_format_option(*cmd, args->format, {"text", "json", "tsv", "vcf"});
    cmd->add_option("-o,--output", args->output,
                    "Write to FILE (text, json, tsv) or into directory DIR (vcf: 0000.vcf only "
                    "in A, 0001.vcf only in B, 0002.vcf/0003.vcf A's/B's sites in both)");
    auto* db = cmd->add_option(
        "--db", args->db,
        "Store whose loaded files A and B may name (path as ingested, file name or sha256) "
        "when they are not files");
    cmd->footer(
        "Records are split per ALT allele (as bcftools norm -m-) and alleles trimmed before "
        "matching. Both inputs must be sorted (contigs in the order of A's header, then B's). "
        "-O tsv lists every site: set, chrom, pos, key in A, key in B.");
    cmd->callback([args, db] {
        args->db_given = db->count() > 0;
        run_compare(*args);
    });
});

}  // namespace

}  // namespace vcfagent::cli
