#include "support/stats_text.hpp"

#include <sstream>

namespace vcfagent::test {

std::vector<std::string> section_lines(const std::string& text,
                                       const std::vector<std::string>& sections) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        for (const auto& s : sections)
            if (line.rfind(s + "\t", 0) == 0) {
                out.push_back(line);
                break;
            }
    return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, '\t')) out.push_back(field);
    return out;
}

}  // namespace vcfagent::test
