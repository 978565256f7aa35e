#pragma once
// Severity order of SnpEff/VEP impact levels, shared by every embedder.
#include <string_view>

namespace vcfagent::embed {

inline constexpr int kNoImpact = 4;  // no annotation gives an impact

// 0 HIGH, 1 MODERATE, 2 LOW, 3 MODIFIER, kNoImpact otherwise: lower is more severe.
inline int impact_rank(std::string_view impact) {
    if (impact == "HIGH") return 0;
    if (impact == "MODERATE") return 1;
    if (impact == "LOW") return 2;
    if (impact == "MODIFIER") return 3;
    return kNoImpact;
}

}  // namespace vcfagent::embed
