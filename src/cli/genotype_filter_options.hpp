#pragma once
// The GEMINI-style genotype filter options, spelled once for every command that narrows stored
// variants by genotype (query genotype, export): --het, --hom-alt, --hom-ref, --carrier,
// --non-carrier, --min-carriers, --group, --min-dp, --min-gq.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "query/graph_queries.hpp"

namespace vcfagent::cli {

struct GenotypeFilterArgs {
    query::GenotypeFilter filter;
    std::vector<std::string> groups;  // --group texts, parsed by resolve()
    // True when any option was given.
    bool given() const;
    // The filter with its groups parsed; InputError (usage) naming a bad --group.
    query::GenotypeFilter resolve() const;
};

void add_genotype_filter_options(CLI::App& cmd, GenotypeFilterArgs& args);

}  // namespace vcfagent::cli
