#include "ingest/pedigree_load.hpp"

#include <algorithm>
#include <unordered_set>

#include "vcf/pedigree.hpp"

namespace vcfagent::ingest {

PedigreeLoadReport load_pedigree_file(store::GraphStore& store, const std::string& path) {
    const auto members = vcf::read_pedigree(path);
    PedigreeLoadReport report;
    report.members = members.size();
    report.not_in_store = store.put_pedigree(members);
    report.stored = members.size() - report.not_in_store.size();
    std::unordered_set<std::string> named;
    for (const auto& m : members) named.insert(m.sample);
    for (const auto& row : store.read("MATCH (s:Sample) RETURN s.id ORDER BY s.id").rows)
        if (!named.count(row[0].get<std::string>()))
            report.not_in_pedigree.push_back(row[0].get<std::string>());
    return report;
}

std::vector<std::string> pedigree_warnings(const PedigreeLoadReport& report) {
    auto listed = [](const std::vector<std::string>& names) {
        std::string out;
        const size_t shown = std::min<size_t>(names.size(), 10);
        for (size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + names[i];
        if (names.size() > shown)
            out += ", ... (" + std::to_string(names.size() - shown) + " more)";
        return out;
    };
    std::vector<std::string> w;
    if (!report.not_in_store.empty())
        w.push_back(std::to_string(report.not_in_store.size()) +
                    " PED samples are not samples of the store and were left out: " +
                    listed(report.not_in_store));
    if (!report.not_in_pedigree.empty())
        w.push_back(std::to_string(report.not_in_pedigree.size()) +
                    " samples of the store are not in the PED: " + listed(report.not_in_pedigree));
    return w;
}

}  // namespace vcfagent::ingest
