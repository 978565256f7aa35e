#pragma once
// A sample-swap check in the spirit of `bcftools gtcheck`: every sample of A against every
// sample of B over the sites both inputs have, counting the genotype pairs where both are
// called and those that differ. A sample's best match is the B sample with the lowest
// discordance rate; when that is not the sample it is paired with (same name, or --pairs),
// the pairing is suspect.
// Cost: sites are taken 64 at a time as bit masks per sample (called, het, hom-alt), so a
// block of 64 shared sites costs samples(A) x samples(B) popcounts; memory is two 32-bit
// counters per pair of samples.
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
    // partner[i]: index in B of A's sample i, or -1. Counts the sites still in the block.
    std::vector<SwapRow> rows(const std::vector<long>& partner);

  private:
    // One sample's genotypes at the sites of the current block, one bit per site.
    struct Masks {
        uint64_t called = 0, het = 0, hom_alt = 0;
    };
    static void set(Masks& m, char code, uint64_t bit);
    void flush();

    std::vector<std::string> a_, b_;
    std::vector<uint32_t> compared_, discordant_;  // [i * b_.size() + j]
    std::vector<Masks> block_a_, block_b_;
    int in_block_ = 0;  // sites in the current block (< 64)
};

}  // namespace vcfagent::compare
