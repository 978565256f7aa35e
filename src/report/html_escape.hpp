#pragma once
// Text from a VCF (sample names, genes, consequence terms, the file name) escaped for HTML
// element content and double-quoted attribute values.
#include <string>
#include <string_view>

namespace vcfagent::report {

std::string html_escape(std::string_view text);

}  // namespace vcfagent::report
