#include "store/call_rows.hpp"

#include <algorithm>
#include <charconv>
#include <span>

#include "store/staging_file.hpp"

namespace vcfagent::store {

void stage_call_rows(StagingFile& calls, StagingFile& called_in, int64_t& next_id,
                     const std::string& variant_key, const std::string& source_text,
                     const vcf::CallVector& vector) {
    const auto& gt = vector.gt;
    const std::string carriers = std::to_string(
        std::count_if(gt.begin(), gt.end(), [](char c) { return c == '1' || c == '2'; }));
    const auto width = static_cast<int64_t>(gt.size());
    for (int64_t first = 0; first < width; first += kSamplesPerCallsRow) {
        const auto n = static_cast<size_t>(std::min(kSamplesPerCallsRow, width - first));
        const auto at = static_cast<size_t>(first);
        auto part = [&](const std::vector<int32_t>& numbers) {
            return numbers.size() < at + n
                       ? std::string()
                       : StagingFile::int_list(std::span<const int32_t>(numbers).subspan(at, n));
        };
        const std::string id = std::to_string(next_id++);
        calls.row({id, source_text, std::to_string(first), carriers,
                   std::string_view(gt).substr(at, n), part(vector.dp), part(vector.gq),
                   part(vector.ad_ref), part(vector.ad_alt)});
        called_in.row({variant_key, id});
    }
}

void place_codes(std::string& vector, int64_t first, std::string_view row_codes) {
    if (first < 0) return;
    const auto at = static_cast<size_t>(first);
    if (vector.size() < at + row_codes.size()) vector.resize(at + row_codes.size(), '.');
    std::copy(row_codes.begin(), row_codes.end(), vector.begin() + static_cast<ptrdiff_t>(at));
}

void place_numbers(std::vector<int32_t>& vector, int64_t first, std::string_view row_numbers) {
    if (first < 0 || row_numbers.empty()) return;
    size_t i = static_cast<size_t>(first);
    const char* p = row_numbers.data();
    const char* end = p + row_numbers.size();
    while (p < end) {
        int32_t v = -1;
        const auto r = std::from_chars(p, end, v);
        if (vector.size() <= i) vector.resize(i + 1, -1);
        vector[i++] = r.ec == std::errc() ? v : -1;
        p = std::find(r.ptr, end, ',');
        if (p < end) ++p;
    }
}

}  // namespace vcfagent::store
