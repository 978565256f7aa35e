#pragma once
// The pieces of the catalogue, one per source file of src/tools, gathered by
// ToolRegistry::catalogue() in this order.
#include <vector>

#include "tools/tool_registry.hpp"

namespace vcfagent::tools {

std::vector<Tool> store_tools();    // store_overview, variant_stats
std::vector<Tool> variant_tools();  // region / gene / sample / carriers / shared / genotype
std::vector<Tool> family_tools();   // family_de_novo ... family_mendel_errors
std::vector<Tool> search_tools();   // similar_variants
std::vector<Tool> cypher_tools();   // cypher
std::vector<Tool> file_tools();     // validate_file, file_stats
std::vector<Tool> report_tools();   // file_report, store_report
std::vector<Tool> export_tools();   // variant_genotypes
std::vector<Tool> compare_tools();  // compare_files

}  // namespace vcfagent::tools
