// vcf-agent graph 'MATCH ...' : read-only Cypher over the store.
#include <iostream>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::cli {
namespace {

struct GraphArgs {
    std::string cypher;
    std::string db;
    std::string format;
};

int run(const GraphArgs& a) {
    store::GraphStoreOptions opt;
    opt.read_only = true;
    store::GraphStore graph(a.db, opt);
    try {
        graph.read_only_query(a.cypher).print(std::cout, a.format);
    } catch (const store::WriteRefused& e) {
        std::cerr << "vcf-agent: " << e.what() << "\n";
        return kExitInvalid;
    }
    return kExitOk;
}

const CommandRegistration registration("graph", [](CLI::App& app) {
    auto args = std::make_shared<GraphArgs>();
    auto* cmd = app.add_subcommand("graph", "Run read-only Cypher on the graph store");
    cmd->add_option("cypher", args->cypher, "Cypher query, e.g. 'MATCH (s:Sample) RETURN s.id'")->required();
    add_db_option(*cmd, args->db);
    add_output_format_option(*cmd, args->format, {"table", "tsv", "json"});
    cmd->callback([args] { set_exit_code(run(*args)); });
});

}  // namespace
}  // namespace vcfagent::cli
