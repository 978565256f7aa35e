#include "compare/swap_check.hpp"

namespace vcfagent::compare {

SwapCheck::SwapCheck(std::vector<std::string> samples_a, std::vector<std::string> samples_b)
    : a_(std::move(samples_a)), b_(std::move(samples_b)) {
    compared_.assign(a_.size() * b_.size(), 0);
    discordant_.assign(a_.size() * b_.size(), 0);
}

void SwapCheck::add(const ComparedSite& a, const ComparedSite& b) {
    if (a.gt.size() != a_.size() || b.gt.size() != b_.size() || b_.empty()) return;
    called_b_.clear();
    for (size_t j = 0; j < b_.size(); ++j)
        if (b.gt[j] != kGtMissing) called_b_.push_back(j);
    for (size_t i = 0; i < a_.size(); ++i) {
        const char ca = a.gt[i];
        if (ca == kGtMissing) continue;
        uint32_t* compared = &compared_[i * b_.size()];
        uint32_t* discordant = &discordant_[i * b_.size()];
        for (size_t j : called_b_) {
            ++compared[j];
            discordant[j] += b.gt[j] != ca;
        }
    }
}

std::vector<SwapRow> SwapCheck::rows(const std::vector<long>& partner) const {
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
