#include "vcf/pedigree.hpp"

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "common/error.hpp"

namespace vcfagent::vcf {

namespace {

int64_t code(const std::string& path, int64_t line, const std::string& text, const char* what,
             std::initializer_list<const char*> allowed, const char* meaning) {
    for (const char* a : allowed)
        if (text == a) return text == "-9" ? 0 : std::stoll(text);
    throw InputError(path, line, std::string(what) + " '" + text + "' is not one of " + meaning,
                     kExitInvalid);
}

std::string parent(const std::string& text) {
    return text == "0" || text == "." ? "" : text;
}

}  // namespace

std::vector<PedigreeMember> read_pedigree(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open the PED file");
    std::vector<PedigreeMember> members;
    std::unordered_map<std::string, size_t> by_sample;
    std::string text;
    for (int64_t line = 1; std::getline(in, text); ++line) {
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (text.find_first_not_of(" \t") == std::string::npos || text[0] == '#') continue;
        std::istringstream fields(text);
        std::vector<std::string> col;
        for (std::string f; fields >> f;) col.push_back(f);
        if (col.size() < 6)
            throw InputError(path, line,
                             "expected 6 columns (family, sample, father, mother, sex, "
                             "phenotype), found " +
                                 std::to_string(col.size()),
                             kExitInvalid);
        PedigreeMember m;
        m.family = col[0];
        m.sample = col[1];
        m.father = parent(col[2]);
        m.mother = parent(col[3]);
        m.sex =
            code(path, line, col[4], "sex", {"0", "1", "2"}, "1 (male), 2 (female), 0 (unknown)");
        m.phenotype = code(path, line, col[5], "phenotype", {"0", "1", "2", "-9"},
                           "1 (unaffected), 2 (affected), 0 or -9 (unknown)");
        for (size_t i = 6; i < col.size(); ++i) m.extra += (i > 6 ? "\t" : "") + col[i];
        m.line = line;
        if (m.sample == "0" || m.sample == ".")
            throw InputError(path, line, "sample id '" + m.sample + "' is not a name",
                             kExitInvalid);
        if (m.father == m.sample || m.mother == m.sample)
            throw InputError(path, line, "sample " + m.sample + " is its own parent", kExitInvalid);
        if (!m.father.empty() && m.father == m.mother)
            throw InputError(path, line,
                             "sample " + m.sample + " has " + m.father + " as father and mother",
                             kExitInvalid);
        if (!by_sample.emplace(m.sample, members.size()).second)
            throw InputError(path, line,
                             "sample " + m.sample + " is listed again (first on line " +
                                 std::to_string(members[by_sample[m.sample]].line) + ")",
                             kExitInvalid);
        members.push_back(std::move(m));
    }
    // Parents must be members, of the right sex and of the same family.
    for (const auto& m : members) {
        for (const auto& [name, role, wrong_sex] : {std::tuple{m.father, "father", int64_t{2}},
                                                    std::tuple{m.mother, "mother", int64_t{1}}}) {
            if (name.empty()) continue;
            auto it = by_sample.find(name);
            if (it == by_sample.end())
                throw InputError(path, m.line,
                                 std::string(role) + " " + name + " of sample " + m.sample +
                                     " is not a sample of this PED file (give it a line of "
                                     "its own, or 0 for an unknown parent)",
                                 kExitInvalid);
            const auto& p = members[it->second];
            if (p.sex == wrong_sex)
                throw InputError(path, m.line,
                                 std::string(role) + " " + name + " of sample " + m.sample +
                                     " has sex " + std::to_string(p.sex) + " on line " +
                                     std::to_string(p.line),
                                 kExitInvalid);
            if (p.family != m.family)
                throw InputError(path, m.line,
                                 std::string(role) + " " + name + " of sample " + m.sample +
                                     " is in family " + p.family + ", not " + m.family,
                                 kExitInvalid);
        }
    }
    // No sample is its own ancestor: a depth-first walk up the parent links, 0 unvisited,
    // 1 on the current path, 2 done.
    std::vector<int> state(members.size(), 0);
    std::vector<size_t> path_stack;
    auto visit = [&](auto&& self, size_t i) -> void {
        if (state[i] == 2) return;
        if (state[i] == 1) {
            std::string cycle;
            bool in = false;
            for (size_t j : path_stack) {
                if (j == i) in = true;
                if (in) cycle += members[j].sample + " -> ";
            }
            throw InputError(path, members[i].line,
                             "the pedigree has a cycle: " + cycle + members[i].sample +
                                 " (each is a parent of the one before)",
                             kExitInvalid);
        }
        state[i] = 1;
        path_stack.push_back(i);
        for (const auto* p : {&members[i].father, &members[i].mother})
            if (!p->empty()) self(self, by_sample.at(*p));
        path_stack.pop_back();
        state[i] = 2;
    };
    for (size_t i = 0; i < members.size(); ++i) visit(visit, i);
    return members;
}

}  // namespace vcfagent::vcf
