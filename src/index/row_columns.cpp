#include "index/row_columns.hpp"

namespace vcfagent::index {

int64_t RowColumns::find(std::string_view key) const {
    return lookup.find(key, [this](uint64_t r) { return key_view(static_cast<int64_t>(r)); });
}

void RowColumns::append(const StoredVariant& sv) {
    attributes.append(sv.variant, sv.source);
    keys.append(sv.variant.key);
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
    return attributes.memory_bytes() + keys.memory_bytes() + lookup.memory_bytes() +
           sites.memory_bytes() + calls.memory_bytes();
}

}  // namespace vcfagent::index
