// vcf-agent query sample|variant|gene|region|shared|genotype : ready-made graph questions.
#include <iostream>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "cli/genotype_filter_options.hpp"
#include "cli/variant_filter_options.hpp"
#include "common/error.hpp"
#include "query/graph_queries.hpp"

namespace vcfagent::cli {
namespace {

struct QueryArgs {
    std::string db;
    std::string format;
    VariantFilterArgs variants;
    std::vector<std::string> positional;
    GenotypeFilterArgs gt;
};

query::VariantFilter resolved_filter(const QueryArgs& a) { return a.variants.resolve(); }

void add_filters(CLI::App& cmd, QueryArgs& a) {
    add_db_option(cmd, a.db);
    add_output_format_option(cmd, a.format, {"table", "tsv", "json"});
    add_variant_filter_options(cmd, a.variants);
}

using Runner = std::function<query::ResultTable(query::GraphQueries&, const QueryArgs&)>;

void add_query(CLI::App& parent, const std::string& name, const std::string& help, const std::string& pos_help,
               size_t n_positional, Runner runner, const std::function<void(CLI::App&, QueryArgs&)>& extra = {}) {
    auto args = std::make_shared<QueryArgs>();
    auto* cmd = parent.add_subcommand(name, help);
    if (n_positional) cmd->add_option("args", args->positional, pos_help)->required()->expected(static_cast<int>(n_positional));
    add_filters(*cmd, *args);
    if (extra) extra(*cmd, *args);
    cmd->callback([args, runner] {
        store::GraphStoreOptions opt;
        opt.read_only = true;
        store::GraphStore graph(args->db, opt);
        query::GraphQueries q(graph);
        runner(q, *args).print(std::cout, args->format);
        set_exit_code(kExitOk);
    });
}

const CommandRegistration registration("query", [](CLI::App& app) {
    auto* cmd = app.add_subcommand("query", "Ready-made questions over the graph store");
    cmd->require_subcommand(1);
    add_query(*cmd, "sample", "Variants a sample carries, with genotype", "SAMPLE", 1,
              [](auto& q, const QueryArgs& a) { return q.sample_variants(a.positional[0], resolved_filter(a)); });
    add_query(*cmd, "variant", "Carriers of a variant (key chrom:pos:ref:alt or rsID)", "KEY|RSID", 1,
              [](auto& q, const QueryArgs& a) { return q.variant_carriers(a.positional[0]); });
    add_query(*cmd, "gene", "Variants in a gene, with annotation and carriers", "GENE", 1,
              [](auto& q, const QueryArgs& a) { return q.gene_variants(a.positional[0], resolved_filter(a)); });
    add_query(*cmd, "region", "Variants overlapping a region", "CHR:BEG-END", 1, [](auto& q, const QueryArgs& a) {
        QueryArgs b = a;
        b.variants.region = a.positional[0];
        auto f = resolved_filter(b);
        return q.region_variants(*f.region, f);
    });
    add_query(*cmd, "shared", "Variants both samples carry", "A B", 2, [](auto& q, const QueryArgs& a) {
        return q.shared_variants(a.positional[0], a.positional[1], resolved_filter(a));
    });
    add_query(
        *cmd, "genotype", "GEMINI-style genotype filter, e.g. --het A --hom-ref B --min-carriers 2", "", 0,
        [](auto& q, const QueryArgs& a) { return q.genotype_filter(a.gt.resolve(), resolved_filter(a)); },
        [](CLI::App& c, QueryArgs& a) { add_genotype_filter_options(c, a.gt); });
});

}  // namespace
}  // namespace vcfagent::cli
