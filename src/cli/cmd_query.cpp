// vcf-agent query sample|variant|gene|region|shared|genotype : ready-made graph questions.
#include <iostream>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
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
    query::GenotypeFilter gt;
    std::vector<std::string> groups;  // --group texts, parsed when the query runs
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
        [](auto& q, const QueryArgs& a) {
            query::GenotypeFilter g = a.gt;
            for (const auto& text : a.groups) {
                try {
                    g.groups.push_back(query::parse_genotype_group(text));
                } catch (const std::invalid_argument& e) {
                    throw InputError("--group", 0, e.what(), kExitUsage);
                }
            }
            return q.genotype_filter(g, resolved_filter(a));
        },
        [](CLI::App& c, QueryArgs& a) {
            c.add_option("--het", a.gt.het, "Samples that must be heterozygous")->delimiter(',');
            c.add_option("--hom-alt", a.gt.hom_alt, "Samples that must be homozygous ALT (or hemizygous)")->delimiter(',');
            c.add_option("--hom-ref", a.gt.hom_ref, "Samples that must be hom-ref (called REF/REF)")->delimiter(',');
            c.add_option("--carrier", a.gt.carrier, "Samples that must carry the ALT (any zygosity)")->delimiter(',');
            c.add_option("--non-carrier", a.gt.non_carrier, "Same as --hom-ref")->delimiter(',');
            c.add_option("--min-carriers", a.gt.min_carriers, "At least this many carriers");
            c.add_option("--group", a.groups,
                         "QUANTIFIER:GENOTYPE:SAMPLES, e.g. all:het:A,B  none:carrier:C,D  "
                         "2:carrier:A,B,C (at least 2); genotype het, hom_alt, hom_ref, carrier "
                         "or missing (repeatable)");
            c.add_option("--min-dp", a.gt.min_dp, "Calls the conditions name need FORMAT/DP >= this");
            c.add_option("--min-gq", a.gt.min_gq, "Calls the conditions name need FORMAT/GQ >= this");
        });
});

}  // namespace
}  // namespace vcfagent::cli
