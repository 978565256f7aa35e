#pragma once
// The variant filters every command over stored variants takes (query, family, ...), spelled
// once: -r/--region, --gene, --impact, --type, --min-af/--max-af, --limit.
#include <CLI/CLI.hpp>

#include <string>

#include "query/graph_queries.hpp"

namespace vcfagent::cli {

struct VariantFilterArgs {
    std::string region;  // chr:beg-end, parsed by resolve()
    query::VariantFilter filter;
    double min_af = 0, max_af = 1;
    CLI::Option* min_af_option = nullptr;
    CLI::Option* max_af_option = nullptr;
    // The filter with the region parsed; InputError (usage) for a bad region or AF range.
    query::VariantFilter resolve() const;
};

void add_variant_filter_options(CLI::App& cmd, VariantFilterArgs& args);

}  // namespace vcfagent::cli
