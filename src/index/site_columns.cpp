#include "index/site_columns.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "common/error.hpp"

namespace vcfagent::index {

namespace {

// `value` in T, or std::length_error naming `what`.
template <typename T>
T narrow(int64_t value, const char* what) {
    if (value < std::numeric_limits<T>::min() || value > std::numeric_limits<T>::max())
        throw std::length_error(std::string("the variant index keeps ") + what +
                                " in 32 bits; a row has " + std::to_string(value));
    return static_cast<T>(value);
}

}  // namespace

void SiteColumns::append(const StoredVariant& sv) {
    const auto& v = sv.variant;
    ref_.append(v.ref);
    alt_.append(v.alt);
    rsid_.append(v.id);
    filter_.push_back(filters_.intern(v.filter));
    qual_.push_back(sv.qual);
    af_.push_back(sv.af);
    span_.push_back(narrow<int32_t>(v.end - v.pos, "END - POS"));
    trimmed_.push_back(narrow<int32_t>(v.pos - v.record_pos, "POS - the record's POS"));
    carriers_.push_back(narrow<uint32_t>(sv.carriers, "carriers"));
}

void SiteColumns::set_carriers(size_t r, int64_t n) {
    carriers_[r] = narrow<uint32_t>(n, "carriers");
}

void SiteColumns::reserve(size_t rows) {
    for (auto* t : {&ref_, &alt_, &rsid_}) t->ends.reserve(rows);  // bytes: mostly a few each
    filter_.reserve(rows);
    qual_.reserve(rows);
    af_.reserve(rows);
    span_.reserve(rows);
    trimmed_.reserve(rows);
    carriers_.reserve(rows);
}

SiteColumns::Order SiteColumns::next_order(
    const AttributeColumns& attributes,
    const std::function<std::string_view(size_t)>& key_of) const {
    const size_t n = size();
    Order next;
    if (order_.rows == n) return order_;
    if (attributes.size() < n)
        throw std::logic_error("site columns hold rows the attribute columns do not");
    const auto& chrom = attributes.chrom();
    const auto& pos = attributes.pos();
    auto before = [&](uint32_t a, uint32_t b) {
        return pos[a] != pos[b] ? pos[a] < pos[b] : key_of(a) < key_of(b);
    };
    // The new rows by contig, each run sorted, then merged behind the contig's ordered rows.
    std::vector<std::vector<uint32_t>> added;
    for (size_t r = order_.rows; r < n; ++r) {
        const uint32_t c = chrom[r];
        if (c >= added.size()) added.resize(c + 1);
        added[c].push_back(static_cast<uint32_t>(r));
    }
    next.by_chrom = order_.by_chrom;
    next.max_span = order_.max_span;
    if (next.by_chrom.size() < added.size()) {
        next.by_chrom.resize(added.size());
        next.max_span.resize(added.size(), 0);
    }
    for (uint32_t c = 0; c < added.size(); ++c) {
        auto& rows = added[c];
        if (rows.empty()) continue;
        std::sort(rows.begin(), rows.end(), before);
        for (const uint32_t r : rows)
            next.max_span[c] = std::max<int64_t>(next.max_span[c], span_[r]);
        auto& all = next.by_chrom[c];
        const auto middle = static_cast<std::ptrdiff_t>(all.size());
        all.insert(all.end(), rows.begin(), rows.end());
        std::inplace_merge(all.begin(), all.begin() + middle, all.end(), before);
    }
    next.rows = n;
    return next;
}

void SiteColumns::overlapping(const AttributeColumns& attributes, uint32_t chrom, int64_t beg,
                              int64_t end, const std::function<bool(size_t)>& visit) const {
    if (chrom >= order_.by_chrom.size()) return;
    const auto& rows = order_.by_chrom[chrom];
    const auto& pos = attributes.pos();
    // A row starting more than the contig's longest span before `beg` ends before it.
    const int64_t first = beg - order_.max_span[chrom];
    auto it =
        std::partition_point(rows.begin(), rows.end(), [&](uint32_t r) { return pos[r] < first; });
    for (; it != rows.end() && pos[*it] <= end; ++it)
        if (end_pos(*it, pos[*it]) >= beg && !visit(*it)) return;
}

// Each park writes, for its n rows, the FILTER codes, QUAL, AF, spans, trims and carriers in
// that order; unpark reads them back chunk by chunk in the same order.
void SiteColumns::park(SpillFile& spill) {
    const size_t n = filter_.size();
    if (n == 0) return;
    auto out = [&](auto& column) {
        spill.append(column.data(), column.size() * sizeof(column[0]));
        column.clear();
        column.shrink_to_fit();
    };
    out(filter_);
    out(qual_);
    out(af_);
    out(span_);
    out(trimmed_);
    out(carriers_);
    parked_chunks_.push_back(static_cast<uint32_t>(n));
    parked_rows_ += n;
}

void SiteColumns::unpark(const SpillFile& spill) {
    if (parked_rows_ == 0) return;
    // Parked rows come first; rows appended since the last park follow them.
    auto make_room = [&](auto& column) { column.insert(column.begin(), parked_rows_, {}); };
    make_room(filter_);
    make_room(qual_);
    make_room(af_);
    make_room(span_);
    make_room(trimmed_);
    make_room(carriers_);
    uint64_t at = 0;
    size_t row = 0;
    for (const uint32_t n : parked_chunks_) {
        auto in = [&](auto& column) {
            const size_t bytes = n * sizeof(column[0]);
            spill.read(at, column.data() + row, bytes);
            at += bytes;
        };
        in(filter_);
        in(qual_);
        in(af_);
        in(span_);
        in(trimmed_);
        in(carriers_);
        row += n;
    }
    parked_rows_ = 0;
    parked_chunks_.clear();
}

void SiteColumns::write(HashingWriter& w) const {
    const size_t n = size();
    ref_.write(w);
    alt_.write(w);
    rsid_.write(w);
    filters_.write(w);
    write_array(w, filter_.data(), n);
    write_array(w, qual_.data(), n);
    write_array(w, af_.data(), n);
    write_array(w, span_.data(), n);
    write_array(w, trimmed_.data(), n);
    write_array(w, carriers_.data(), n);
}

void SiteColumns::read(FileReader& r, uint64_t rows) {
    *this = SiteColumns();
    ref_.read(r, rows);
    alt_.read(r, rows);
    rsid_.read(r, rows);
    filters_.read(r);
    read_array_append(r, filter_, rows);
    for (const uint32_t code : filter_)
        if (code >= filters_.size())
            throw StoreError(r.path().string() + ": a FILTER code is out of range");
    read_array_append(r, qual_, rows);
    read_array_append(r, af_, rows);
    read_array_append(r, span_, rows);
    read_array_append(r, trimmed_, rows);
    read_array_append(r, carriers_, rows);
}

size_t SiteColumns::memory_bytes() const {
    size_t bytes = ref_.memory_bytes() + alt_.memory_bytes() + rsid_.memory_bytes() +
                   filter_.capacity() * 4 + (qual_.capacity() + af_.capacity()) * 8 +
                   (span_.capacity() + trimmed_.capacity() + carriers_.capacity()) * 4;
    for (uint32_t c = 0; c < filters_.size(); ++c) bytes += 2 * (filters_.name(c).size() + 48);
    for (const auto& rows : order_.by_chrom) bytes += rows.capacity() * 4;
    return bytes;
}

}  // namespace vcfagent::index
