#include "index/row_columns.hpp"

namespace vcfagent::index {

std::string_view RowColumns::key_view(int64_t r) const {
    const uint64_t begin = r == 0 ? 0 : key_ends[r - 1];
    return std::string_view(key_bytes).substr(begin, key_ends[r] - begin);
}

int64_t RowColumns::find(std::string_view key) const {
    return lookup.find(key, [this](uint64_t r) { return key_view(static_cast<int64_t>(r)); });
}

void RowColumns::append(const StoredVariant& sv) {
    attributes.append(sv.variant, sv.source);
    key_bytes += sv.variant.key;
    key_ends.push_back(key_bytes.size());
    sites.append(sv);
}

SiteColumns::Order RowColumns::next_site_order() const {
    return sites.next_order(attributes,
                            [this](size_t r) { return key_view(static_cast<int64_t>(r)); });
}

void RowColumns::index_keys() {
    for (size_t r = lookup.size(); r < size(); ++r)
        lookup.insert(key_view(static_cast<int64_t>(r)), r);
}

size_t RowColumns::memory_bytes() const {
    return attributes.memory_bytes() + key_bytes.capacity() +
           key_ends.capacity() * sizeof(uint64_t) + lookup.memory_bytes() + sites.memory_bytes();
}

}  // namespace vcfagent::index
