#include "store/vector_keys.hpp"

#include "common/error.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::store {

namespace {
constexpr size_t kMinSlots = 64;
}

KeyTable::KeyTable() : offsets_{0}, slots_(kMinSlots, -1) {}

void KeyTable::insert_slot(int64_t row) {
    const size_t mask = slots_.size() - 1;
    size_t i = vcf::stable_hash64(key(row)) & mask;
    while (slots_[i] >= 0) i = (i + 1) & mask;
    slots_[i] = row;
}

void KeyTable::rehash() {
    // Load factor stays <= 1/2 so linear probing stays short.
    size_t cap = kMinSlots;
    while (cap < 2 * size()) cap *= 2;
    slots_.assign(cap, -1);
    for (size_t r = 0; r < size(); ++r) insert_slot(static_cast<int64_t>(r));
}

void KeyTable::append(std::string_view k) {
    blob_.insert(blob_.end(), k.begin(), k.end());
    offsets_.push_back(blob_.size());
    if (2 * size() > slots_.size())
        rehash();
    else
        insert_slot(static_cast<int64_t>(size() - 1));
}

int64_t KeyTable::find(std::string_view k, const std::function<bool(int64_t)>& live) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = vcf::stable_hash64(k) & mask; slots_[i] >= 0; i = (i + 1) & mask) {
        const int64_t row = slots_[i];
        if (key(row) == k && live(row)) return row;
    }
    return -1;
}

void KeyTable::compact(const std::vector<uint8_t>& keep) {
    std::vector<char> blob;
    std::vector<uint64_t> offsets{0};
    for (size_t r = 0; r < size(); ++r) {
        if (!keep[r]) continue;
        auto k = key(static_cast<int64_t>(r));
        blob.insert(blob.end(), k.begin(), k.end());
        offsets.push_back(blob.size());
    }
    blob_ = std::move(blob);
    offsets_ = std::move(offsets);
    rehash();
}

void KeyTable::reserve(size_t rows, size_t bytes) {
    offsets_.reserve(rows + 1);
    blob_.reserve(bytes);
}

void KeyTable::write_rows(HashingWriter& w, size_t begin, size_t end) const {
    // Offsets are written relative to the slice so each segment file stands alone.
    std::vector<uint64_t> lengths;
    lengths.reserve(end - begin);
    for (size_t r = begin; r < end; ++r) lengths.push_back(offsets_[r + 1] - offsets_[r]);
    write_array(w, lengths.data(), lengths.size());
    write_array(w, blob_.data() + offsets_[begin], offsets_[end] - offsets_[begin]);
}

void KeyTable::read_rows_append(FileReader& r, size_t rows) {
    std::vector<uint64_t> lengths;
    read_array_append(r, lengths, rows);
    uint64_t total = 0;
    for (auto n : lengths) total += n;
    const size_t first = size();
    read_array_append(r, blob_, total);
    for (auto n : lengths) offsets_.push_back(offsets_.back() + n);
    if (2 * size() > slots_.size())
        rehash();
    else
        for (size_t row = first; row < size(); ++row) insert_slot(static_cast<int64_t>(row));
}

size_t KeyTable::memory_bytes() const {
    return blob_.capacity() + offsets_.capacity() * 8 + slots_.capacity() * 8;
}

}  // namespace vcfagent::store
