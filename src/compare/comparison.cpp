#include "compare/comparison.hpp"

#include <unordered_map>

#include "common/error.hpp"

namespace vcfagent::compare {

namespace {

// Counts the site sets and feeds the shared sites to the concordance and the swap check.
class Collector : public SiteVisitor {
  public:
    Collector(CompareResult& result, SwapCheck* swap, SiteVisitor* lists)
        : result_(result), swap_(swap), lists_(lists) {}
    void only_a(const ComparedSite& a) override {
        ++result_.only_a;
        if (lists_) lists_->only_a(a);
    }
    void only_b(const ComparedSite& b) override {
        ++result_.only_b;
        if (lists_) lists_->only_b(b);
    }
    void both(const ComparedSite& a, const ComparedSite& b) override {
        ++result_.both;
        result_.concordance->add(a, b);
        if (swap_) swap_->add(a, b);
        if (lists_) lists_->both(a, b);
    }

  private:
    CompareResult& result_;
    SwapCheck* swap_;
    SiteVisitor* lists_;
};

std::unordered_map<std::string, size_t> index_of(const std::vector<std::string>& names) {
    std::unordered_map<std::string, size_t> out;
    for (size_t i = 0; i < names.size(); ++i) out.emplace(names[i], i);
    return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_sample_pairs(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        const std::string item = text.substr(start, comma - start);
        start = comma + 1;
        if (item.empty()) continue;
        const size_t eq = item.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
            throw InputError("--pairs", 0,
                             "'" + item + "' is not a pair: write A_SAMPLE=B_SAMPLE[,...]",
                             kExitUsage);
        out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
    return out;
}

CompareResult compare_sources(SiteSource& a, SiteSource& b, const CompareOptions& options,
                              SiteVisitor* lists) {
    CompareResult result;
    result.a_name = a.name();
    result.b_name = b.name();
    result.mode = options.mode;
    result.a_samples = a.samples();
    result.b_samples = b.samples();

    const auto in_a = index_of(result.a_samples);
    const auto in_b = index_of(result.b_samples);
    std::vector<SamplePair> pairs;
    std::vector<long> partner(result.a_samples.size(), -1);
    if (options.pairs.empty()) {
        for (size_t i = 0; i < result.a_samples.size(); ++i) {
            auto it = in_b.find(result.a_samples[i]);
            if (it == in_b.end()) continue;
            pairs.push_back({result.a_samples[i], it->first, i, it->second});
            partner[i] = static_cast<long>(it->second);
        }
    } else {
        for (const auto& [sa, sb] : options.pairs) {
            auto ia = in_a.find(sa);
            if (ia == in_a.end())
                throw InputError(a.name(), 0, "--pairs: no sample " + sa + " in this input",
                                 kExitUsage);
            auto ib = in_b.find(sb);
            if (ib == in_b.end())
                throw InputError(b.name(), 0, "--pairs: no sample " + sb + " in this input",
                                 kExitUsage);
            pairs.push_back({sa, sb, ia->second, ib->second});
            partner[ia->second] = static_cast<long>(ib->second);
        }
    }
    result.concordance = std::make_unique<GenotypeConcordance>(
        std::move(pairs), result.a_samples.size(), result.b_samples.size());

    std::unique_ptr<SwapCheck> swap;
    if (options.swap_check && !result.a_samples.empty() && !result.b_samples.empty())
        swap = std::make_unique<SwapCheck>(result.a_samples, result.b_samples);

    ContigOrder order;
    order.add(a.contigs());
    order.add(b.contigs());
    Collector collector(result, swap.get(), lists);
    match_sites(a, b, order, options.mode, collector);
    if (swap) result.swaps = swap->rows(partner);
    result.contigs = order.names();
    return result;
}

}  // namespace vcfagent::compare
