#pragma once
// Reading `bcftools stats` text (and ours, which has the same layout) in tests.
#include <string>
#include <vector>

namespace vcfagent::test {

// Data lines of the given sections ("SN", "TSTV", "PSC", ...), in output order.
std::vector<std::string> section_lines(const std::string& text,
                                       const std::vector<std::string>& sections);

// The tab-separated fields of one line.
std::vector<std::string> split_tabs(const std::string& line);

}  // namespace vcfagent::test
