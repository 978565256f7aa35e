#pragma once
// A sample-swap check in the spirit of `bcftools gtcheck`: every sample of A against every
// sample of B over the sites both inputs have, counting the genotype pairs where both are
// called and those that differ. A sample's best match is the B sample with the lowest
// discordance rate; when that is not the sample it is paired with (same name, or --pairs),
// the pairing is suspect.
// Cost: samples(A) x samples(B) counter updates per shared site, two 32-bit counters per pair.
#include <cstdint>
#include <string>
#include <vector>

#include "compare/compared_site.hpp"

namespace vcfagent::compare {

struct SwapRow {
    std::string sample;    // of A
    std::string expected;  // its partner in B (empty when it has none)
    std::string best;      // B sample with the lowest discordance (empty: nothing compared)
    uint64_t best_discordant = 0, best_compared = 0;
    uint64_t expected_discordant = 0, expected_compared = 0;
    double best_rate() const { return best_compared ? double(best_discordant) / best_compared : 0; }
    double expected_rate() const {
        return expected_compared ? double(expected_discordant) / expected_compared : 0;
    }
    // The best match is another sample than the partner, and strictly better.
    bool suspect = false;
};

class SwapCheck {
  public:
    SwapCheck(std::vector<std::string> samples_a, std::vector<std::string> samples_b);
    void add(const ComparedSite& a, const ComparedSite& b);
    // partner[i]: index in B of A's sample i, or -1.
    std::vector<SwapRow> rows(const std::vector<long>& partner) const;

  private:
    std::vector<std::string> a_, b_;
    std::vector<uint32_t> compared_, discordant_;  // [i * b_.size() + j]
    std::vector<size_t> called_b_;                 // scratch: B samples called at a site
};

}  // namespace vcfagent::compare
