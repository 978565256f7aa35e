#pragma once
// How the store keeps a call vector (vcf::CallVector: every sample's call at a variant, per
// file): split over Calls rows of at most kSamplesPerCallsRow samples each, the row's `first`
// being the SampleOf.idx of its first sample, with one CalledIn edge from the variant to each
// row. Rows are bounded because Kuzu holds a node group's strings (2^17 rows) in memory whole
// when a checkpoint rewrites the group after an append: with one row per variant, a
// 2,500-sample file put ~330 MB of codes in a group and ran the buffer pool out after ~11k
// variants. Bounded rows keep that memory independent of the number of samples.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vcf/variant.hpp"

namespace vcfagent::store {

class StagingFile;

inline constexpr int64_t kSamplesPerCallsRow = 128;

// The `first` of the Calls row holding sample column `col`.
constexpr int64_t calls_row_first(int64_t col) {
    return col - col % kSamplesPerCallsRow;
}

// The Cypher variable naming the Calls row that starts at `first` in statements that join
// several rows of one variant: g0, g128, ...
inline std::string calls_row_variable(int64_t first) {
    std::string name = "g";  // (appended: GCC 12's -Wrestrict misfires on "g" + to_string)
    name += std::to_string(first);
    return name;
}

// Stages one variant's call vector as Calls rows (ids from `next_id` on, advanced) and their
// CalledIn edges from `variant_key`. `carriers` on each row counts the '1'/'2' codes of the
// whole vector, so a carrier-count condition reads one row.
void stage_call_rows(StagingFile& calls, StagingFile& called_in, int64_t& next_id,
                     const std::string& variant_key, const std::string& source_text,
                     const vcf::CallVector& vector);

// Readers rebuild vectors of a source's full width from the rows they read: codes and numbers
// outside the rows read stay missing ('.' and -1).
void place_codes(std::string& vector, int64_t first, std::string_view row_codes);
// `row_numbers` is a row's comma-separated text (-1 missing); an empty text leaves `vector`
// as it is (the file has no such field).
void place_numbers(std::vector<int32_t>& vector, int64_t first, std::string_view row_numbers);

}  // namespace vcfagent::store
