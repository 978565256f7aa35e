// vcf-agent family de-novo|recessive|dominant|x-recessive|x-dominant|x-de-novo|comp-het|
// mendel-errors : inheritance questions over the store's pedigree and call vectors.
#include <iostream>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "cli/variant_filter_options.hpp"
#include "common/error.hpp"
#include "query/family_analysis.hpp"

namespace vcfagent::cli {
namespace {

struct FamilyArgs {
    std::string db;
    std::string format;
    VariantFilterArgs variants;
    query::FamilyOptions options;
    query::InheritanceMode mode = query::InheritanceMode::DeNovo;
};

void add_thresholds(CLI::App& cmd, query::FamilyOptions& o) {
    cmd.add_option("--min-gq", o.child.min_gq, "Child / affected: FORMAT/GQ at least this")
        ->capture_default_str();
    cmd.add_option("--min-dp", o.child.min_dp, "Child / affected: FORMAT/DP at least this")
        ->capture_default_str();
    cmd.add_option("--min-ab", o.child.min_het_ab,
                   "Child / affected het: ALT/(REF+ALT) reads at least this")
        ->capture_default_str();
    cmd.add_option("--max-ab", o.child.max_het_ab,
                   "Child / affected het: ALT/(REF+ALT) reads at most this")
        ->capture_default_str();
    cmd.add_option("--parent-min-gq", o.parent.min_gq,
                   "Parents / unaffected: FORMAT/GQ at least this")
        ->capture_default_str();
    cmd.add_option("--parent-min-dp", o.parent.min_dp,
                   "Parents / unaffected: FORMAT/DP at least this")
        ->capture_default_str();
    cmd.add_option("--parent-max-alt-reads", o.max_parent_alt_reads,
                   "de novo: ALT reads (FORMAT/AD) both parents may show together")
        ->capture_default_str();
    cmd.add_flag("--lenient", o.lenient,
                 "No GQ/DP/allele-balance thresholds; a de novo child may be hom-alt");
}

const CommandRegistration registration("family", [](CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "family", "Inheritance patterns over the store's pedigree (load one with `ped load`)");
    cmd->require_subcommand(1);
    const std::pair<const char*, const char*> modes[] = {
        {"de-novo", "Child carries, both parents hom-ref (thresholds as slivar's)"},
        {"recessive", "Affected hom-alt, their unaffected parents het, unaffected not hom-alt"},
        {"dominant", "Affected het, unaffected hom-ref"},
        {"x-recessive",
         "X outside the PARs: affected females hom-alt, affected males carry, "
         "their mothers het, unaffected males hom-ref"},
        {"x-dominant",
         "X outside the PARs: affected carry, unaffected hom-ref, daughters of "
         "affected fathers affected"},
        {"x-de-novo", "X outside the PARs: child carries, mother hom-ref (and a girl's father)"},
        {"comp-het",
         "Two or more hets in one gene of an affected child, phased by "
         "transmission (priority 1 in trans, 2 phase unknown, 3 weaker)"},
        {"mendel-errors",
         "Trio genotypes impossible under Mendelian transmission, per variant "
         "and per child"},
    };
    for (const auto& [name, help] : modes) {
        auto args = std::make_shared<FamilyArgs>();
        query::parse_inheritance_mode(name, args->mode);
        auto* sub = cmd->add_subcommand(name, help);
        add_db_option(*sub, args->db);
        add_output_format_option(*sub, args->format, {"table", "tsv", "json"});
        add_variant_filter_options(*sub, args->variants);
        sub->add_option("--min-kindreds", args->options.min_kindreds,
                        "The pattern holds in at least this many families")
            ->capture_default_str()
            ->check(CLI::PositiveNumber);
        sub->add_option("--family", args->options.families, "Only these families")->delimiter(',');
        sub->add_option("--build", args->options.build,
                        "Pseudo-autosomal regions of X: GRCh37 or GRCh38")
            ->capture_default_str()
            ->check(CLI::IsMember({"GRCh37", "GRCh38"}));
        add_thresholds(*sub, args->options);
        if (args->mode == query::InheritanceMode::CompHet)
            sub->add_flag("--no-parents", args->options.comp_het_without_parents,
                          "Pair every het of the child in a gene, phase unknown (a child "
                          "sequenced without parents)");
        sub->callback([args] {
            auto o = args->options;
            o.filter = args->variants.resolve();
            store::GraphStoreOptions opt;
            opt.read_only = true;
            store::GraphStore graph(args->db, opt);
            const auto result = query::analyse_families(graph, args->mode, o);
            for (const auto& note : result.notes) std::cerr << "vcf-agent: note: " << note << "\n";
            if (args->format == "json") {
                nlohmann::json out = {{"variants", result.variants.to_json()},
                                      {"total", result.variants.total},
                                      {"notes", result.notes}};
                if (!result.samples.columns.empty()) out["samples"] = result.samples.to_json();
                std::cout << out.dump(2) << "\n";
            } else {
                result.variants.print(std::cout, args->format);
                if (!result.samples.columns.empty()) {
                    std::cout << "\n";
                    result.samples.print(std::cout, args->format);
                }
            }
            set_exit_code(kExitOk);
        });
    }
});

}  // namespace
}  // namespace vcfagent::cli
