// vcf-agent ped load FILE : record a pedigree (PED) on the store's samples.
#include <iostream>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "ingest/pedigree_load.hpp"

namespace vcfagent::cli {
namespace {

struct PedArgs {
    std::string file;
    std::string db;
};

const CommandRegistration registration("ped", [](CLI::App& app) {
    auto* cmd = app.add_subcommand("ped", "Pedigrees (PED files) on the store's samples");
    cmd->require_subcommand(1);
    auto args = std::make_shared<PedArgs>();
    auto* load = cmd->add_subcommand(
        "load",
        "Record a PED file (family, sample, father, mother, sex, phenotype, extra columns) "
        "on the store's samples, replacing what an earlier PED said about them");
    load->add_option("file", args->file, "PED file")->required();
    add_db_option(*load, args->db);
    load->callback([args] {
        store::GraphStore graph(args->db);
        const auto report = ingest::load_pedigree_file(graph, args->file);
        for (const auto& w : ingest::pedigree_warnings(report))
            std::cerr << "vcf-agent: warning: " << w << "\n";
        std::cout << args->file << ": " << report.members << " PED samples, " << report.stored
                  << " recorded on the store's samples\n";
        set_exit_code(kExitOk);
    });
});

}  // namespace
}  // namespace vcfagent::cli
