// vcf-agent query sample|variant|gene|region|shared|genotype : ready-made graph questions.
#include <iostream>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "query/graph_queries.hpp"

namespace vcfagent::cli {
namespace {

struct QueryArgs {
    std::string db;
    std::string format;
    std::string region;
    query::VariantFilter filter;
    std::vector<std::string> positional;
    query::GenotypeFilter gt;
};

query::VariantFilter resolved_filter(const QueryArgs& a) {
    query::VariantFilter f = a.filter;
    if (!a.region.empty()) {
        try {
            auto regions = vcf::parse_regions(a.region);
            if (regions.size() != 1) throw std::invalid_argument("give exactly one region");
            f.region = regions.front();
        } catch (const std::invalid_argument& e) {
            throw InputError("-r " + a.region, 0, e.what(), kExitUsage);
        }
    }
    return f;
}

void add_filters(CLI::App& cmd, QueryArgs& a) {
    add_db_option(cmd, a.db);
    add_output_format_option(cmd, a.format, {"table", "tsv", "json"});
    cmd.add_option("-r,--region", a.region, "Only variants overlapping chr:beg-end");
    cmd.add_option("--gene", a.filter.gene, "Only variants annotated with this gene");
    cmd.add_option("--impact", a.filter.impact, "Only variants with this impact (HIGH, MODERATE, LOW, MODIFIER)");
    cmd.add_option("--type", a.filter.vtype, "Only this variant class (SNV, MNV, INS, DEL, COMPLEX, SV, BND, ...)");
    cmd.add_option("--limit", a.filter.limit, "At most this many rows");
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
        b.region = a.positional[0];
        auto f = resolved_filter(b);
        return q.region_variants(*f.region, f);
    });
    add_query(*cmd, "shared", "Variants both samples carry", "A B", 2, [](auto& q, const QueryArgs& a) {
        return q.shared_variants(a.positional[0], a.positional[1], resolved_filter(a));
    });
    add_query(
        *cmd, "genotype", "GEMINI-style genotype filter, e.g. --het A --hom-ref B --min-carriers 2", "", 0,
        [](auto& q, const QueryArgs& a) { return q.genotype_filter(a.gt, resolved_filter(a)); },
        [](CLI::App& c, QueryArgs& a) {
            c.add_option("--het", a.gt.het, "Samples that must be heterozygous")->delimiter(',');
            c.add_option("--hom-alt", a.gt.hom_alt, "Samples that must be homozygous ALT (or hemizygous)")->delimiter(',');
            c.add_option("--hom-ref", a.gt.hom_ref, "Samples that must not carry the ALT")->delimiter(',');
            c.add_option("--carrier", a.gt.carrier, "Samples that must carry the ALT (any zygosity)")->delimiter(',');
            c.add_option("--non-carrier", a.gt.non_carrier, "Alias of --hom-ref")->delimiter(',');
            c.add_option("--min-carriers", a.gt.min_carriers, "At least this many carriers");
        });
});

}  // namespace
}  // namespace vcfagent::cli
