#include "query/genotype_filter.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text_join.hpp"

namespace vcfagent::query {

GenotypeGroup parse_genotype_group(const std::string& text) {
    const auto c1 = text.find(':');
    const auto c2 = c1 == std::string::npos ? c1 : text.find(':', c1 + 1);
    if (c2 == std::string::npos)
        throw std::invalid_argument("'" + text +
                                    "': expected QUANTIFIER:GENOTYPE:SAMPLE[,SAMPLE...]");
    GenotypeGroup g;
    const std::string q = text.substr(0, c1);
    g.genotype = text.substr(c1 + 1, c2 - c1 - 1);
    if (q == "all") {
        g.quantifier = GenotypeGroup::Quantifier::All;
    } else if (q == "any") {
        g.quantifier = GenotypeGroup::Quantifier::Any;
    } else if (q == "none") {
        g.quantifier = GenotypeGroup::Quantifier::None;
    } else if (!q.empty() && q.find_first_not_of("0123456789") == std::string::npos &&
               q.size() < 10) {
        g.quantifier = GenotypeGroup::Quantifier::AtLeast;
        g.at_least = std::stoll(q);
    } else {
        throw std::invalid_argument("'" + text + "': the quantifier is all, any, none or a number");
    }
    static const char* const kGenotypes[] = {"het", "hom_alt", "hom_ref", "carrier", "missing"};
    if (std::find_if(std::begin(kGenotypes), std::end(kGenotypes),
                     [&](const char* k) { return g.genotype == k; }) == std::end(kGenotypes))
        throw std::invalid_argument("'" + text +
                                    "': the genotype is het, hom_alt, hom_ref, carrier or missing");
    std::string rest = text.substr(c2 + 1);
    for (size_t at = 0; at <= rest.size();) {
        const auto comma = rest.find(',', at);
        const std::string s =
            rest.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        if (!s.empty()) g.samples.push_back(s);
        if (comma == std::string::npos) break;
        at = comma + 1;
    }
    if (g.samples.empty()) throw std::invalid_argument("'" + text + "': no samples");
    return g;
}

GenotypeCalls genotype_calls(const store::SampleCatalogue& catalogue, const GenotypeFilter& g) {
    GenotypeCalls out;
    out.groups = g.groups;
    auto all_of = [&](const std::vector<std::string>& samples, const char* genotype) {
        if (samples.empty()) return;
        GenotypeGroup group;
        group.genotype = genotype;
        group.samples = samples;
        out.groups.push_back(std::move(group));
    };
    all_of(g.het, "het");
    all_of(g.hom_alt, "hom_alt");
    all_of(g.hom_ref, "hom_ref");
    all_of(g.non_carrier, "hom_ref");
    all_of(g.carrier, "carrier");
    std::vector<std::string> named;
    for (const auto& group : out.groups)
        named.insert(named.end(), group.samples.begin(), group.samples.end());

    // The source whose call vectors hold every named sample (the last such), and each sample's
    // column there.
    std::map<int64_t, std::map<std::string, int64_t>> columns;  // source -> sample -> idx
    for (const auto& sample : named) {
        const auto it = catalogue.columns.find(sample);
        if (it == catalogue.columns.end()) continue;
        for (const auto& [num, idx] : it->second) columns[num][sample] = idx;
    }
    const std::set<std::string> distinct(named.begin(), named.end());
    for (const auto& [num, cols] : columns)
        if (cols.size() == distinct.size()) out.source = num;
    const auto sources = catalogue.sources.size();
    if (named.empty() && sources == 1) out.source = catalogue.sources[0];
    if (!out.source || (g.min_carriers > 0 && sources > 1)) {
        if (!distinct.empty() && columns.empty())
            throw StoreError("no call vectors for samples " +
                             join({distinct.begin(), distinct.end()}, ", ") +
                             " (unknown samples, or loaded before call vectors were stored: "
                             "re-ingest with --force)");
        if (named.empty() && g.min_carriers > 0) {
            // Carriers across every source: the variant's count of its edges.
            out.source.reset();
            out.min_carriers = g.min_carriers;
            return out;
        }
        throw StoreError("samples " + join({distinct.begin(), distinct.end()}, ", ") +
                         " are not all in one loaded file: a genotype filter compares calls of "
                         "one file's samples" +
                         std::string(g.min_carriers > 0 && sources > 1
                                         ? " (and --min-carriers counts one file's samples)"
                                         : ""));
    }
    out.columns = columns[*out.source];
    out.min_carriers = g.min_carriers;
    return out;
}

bool code_matches(char code, const std::string& genotype) {
    if (genotype == "het") return code == '1';
    if (genotype == "hom_alt") return code == '2';
    if (genotype == "hom_ref") return code == '0';
    if (genotype == "missing") return code == '.';
    return code == '1' || code == '2';  // carrier
}

bool calls_pass(const GenotypeCalls& calls, const std::function<char(int64_t)>& code,
                int64_t carriers) {
    using Q = GenotypeGroup::Quantifier;
    for (const auto& group : calls.groups) {
        int64_t matching = 0;
        for (const auto& s : group.samples)
            matching += code_matches(code(calls.columns.at(s)), group.genotype) ? 1 : 0;
        const auto n = static_cast<int64_t>(group.samples.size());
        const bool pass = group.quantifier == Q::All    ? matching == n
                          : group.quantifier == Q::Any  ? matching > 0
                          : group.quantifier == Q::None ? matching == 0
                                                        : matching >= group.at_least;
        if (!pass) return false;
    }
    return carriers >= calls.min_carriers;
}

}  // namespace vcfagent::query
