#include "query/result_table.hpp"

#include <algorithm>
#include <cstdio>

namespace vcfagent::query {

std::string cell_text(const nlohmann::json& cell) {
    if (cell.is_null()) return ".";
    if (cell.is_string()) return cell.get<std::string>();
    if (cell.is_number_float()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", cell.get<double>());
        return buf;
    }
    return cell.dump();
}

nlohmann::json ResultTable::to_json() const {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& row : rows) {
        nlohmann::json obj = nlohmann::json::object();
        for (size_t i = 0; i < columns.size() && i < row.size(); ++i) obj[columns[i]] = row[i];
        arr.push_back(std::move(obj));
    }
    return arr;
}

void ResultTable::print(std::ostream& out, const std::string& format) const {
    if (format == "json") {
        out << to_json().dump(2) << "\n";
        return;
    }
    if (format == "tsv") {
        for (size_t i = 0; i < columns.size(); ++i) out << (i ? "\t" : "") << columns[i];
        out << "\n";
        for (const auto& row : rows) {
            for (size_t i = 0; i < row.size(); ++i) out << (i ? "\t" : "") << cell_text(row[i]);
            out << "\n";
        }
        return;
    }
    std::vector<size_t> width(columns.size());
    std::vector<std::vector<std::string>> text;
    text.reserve(rows.size());
    for (size_t i = 0; i < columns.size(); ++i) width[i] = columns[i].size();
    for (const auto& row : rows) {
        auto& t = text.emplace_back();
        for (size_t i = 0; i < row.size() && i < columns.size(); ++i) {
            t.push_back(cell_text(row[i]));
            width[i] = std::min<size_t>(std::max(width[i], t.back().size()), 60);
        }
    }
    auto line = [&](const std::vector<std::string>& cells) {
        for (size_t i = 0; i < cells.size(); ++i) {
            std::string c = cells[i].size() > 60 ? cells[i].substr(0, 57) + "..." : cells[i];
            out << (i ? "  " : "") << c;
            if (i + 1 < cells.size()) out << std::string(width[i] - c.size(), ' ');
        }
        out << "\n";
    };
    line(columns);
    std::vector<std::string> rule;
    for (size_t w : width) rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& t : text) line(t);
    out << "(" << rows.size() << (rows.size() == 1 ? " row" : " rows") << ")\n";
}

}  // namespace vcfagent::query
