#include "compare/swap_check.hpp"

namespace vcfagent::compare {

SwapCheck::SwapCheck(std::vector<std::string> samples_a, std::vector<std::string> samples_b)
    : a_(std::move(samples_a)), b_(std::move(samples_b)) {
    compared_.assign(a_.size() * b_.size(), 0);
    discordant_.assign(a_.size() * b_.size(), 0);
    block_a_.resize(a_.size());
    block_b_.resize(b_.size());
}

void SwapCheck::set(Masks& m, char code, uint64_t bit) {
    if (code == kGtMissing) return;
    m.called |= bit;
    if (code == kGtHet) m.het |= bit;
    if (code == kGtHomAlt) m.hom_alt |= bit;
}

void SwapCheck::add(const ComparedSite& a, const ComparedSite& b) {
    if (a.gt.size() != a_.size() || b.gt.size() != b_.size() || b_.empty()) return;
    const uint64_t bit = uint64_t{1} << in_block_;
    for (size_t i = 0; i < a_.size(); ++i) set(block_a_[i], a.gt[i], bit);
    for (size_t j = 0; j < b_.size(); ++j) set(block_b_[j], b.gt[j], bit);
    if (++in_block_ == 64) flush();
}

void SwapCheck::flush() {
    if (in_block_ == 0) return;
    for (size_t i = 0; i < a_.size(); ++i) {
        const Masks& x = block_a_[i];
        if (!x.called) continue;
        uint32_t* compared = &compared_[i * b_.size()];
        uint32_t* discordant = &discordant_[i * b_.size()];
        for (size_t j = 0; j < b_.size(); ++j) {
            const Masks& y = block_b_[j];
            const uint64_t both = x.called & y.called;
            // Called genotypes differ when their het or hom-alt bits differ (hom-ref: neither).
            const uint64_t differ = both & ((x.het ^ y.het) | (x.hom_alt ^ y.hom_alt));
            compared[j] += static_cast<uint32_t>(__builtin_popcountll(both));
            discordant[j] += static_cast<uint32_t>(__builtin_popcountll(differ));
        }
    }
    for (auto& m : block_a_) m = Masks{};
    for (auto& m : block_b_) m = Masks{};
    in_block_ = 0;
}

std::vector<SwapRow> SwapCheck::rows(const std::vector<long>& partner) {
    flush();
    std::vector<SwapRow> out;
    for (size_t i = 0; i < a_.size(); ++i) {
        SwapRow row;
        row.sample = a_[i];
        const long p = i < partner.size() ? partner[i] : -1;
        if (p >= 0) {
            const size_t k = i * b_.size() + static_cast<size_t>(p);
            row.expected = b_[static_cast<size_t>(p)];
            row.expected_compared = compared_[k];
            row.expected_discordant = discordant_[k];
        }
        // Lowest rate wins; on a tie the partner, then the earlier sample.
        long best = -1;
        for (size_t j = 0; j < b_.size(); ++j) {
            const size_t k = i * b_.size() + j;
            if (compared_[k] == 0) continue;
            if (best < 0) {
                best = static_cast<long>(j);
                continue;
            }
            const size_t kb = i * b_.size() + static_cast<size_t>(best);
            // Compare discordant/compared without division: d_j * c_best vs d_best * c_j.
            const uint64_t lhs = uint64_t(discordant_[k]) * compared_[kb];
            const uint64_t rhs = uint64_t(discordant_[kb]) * compared_[k];
            if (lhs < rhs || (lhs == rhs && static_cast<long>(j) == p)) best = static_cast<long>(j);
        }
        if (best >= 0) {
            const size_t kb = i * b_.size() + static_cast<size_t>(best);
            row.best = b_[static_cast<size_t>(best)];
            row.best_compared = compared_[kb];
            row.best_discordant = discordant_[kb];
        }
        row.suspect = p >= 0 && best >= 0 && best != p &&
                      (row.expected_compared == 0 || row.best_rate() < row.expected_rate());
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace vcfagent::compare
