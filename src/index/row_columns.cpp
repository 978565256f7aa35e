#include "index/row_columns.hpp"

namespace vcfagent::index {

std::string RowColumns::key(int64_t r) const {
    const uint64_t begin = r == 0 ? 0 : key_ends[r - 1];
    return key_bytes.substr(begin, key_ends[r] - begin);
}

void RowColumns::append(const StoredVariant& sv) {
    attributes.append(sv.variant, sv.source);
    key_bytes += sv.variant.key;
    key_ends.push_back(key_bytes.size());
}

size_t RowColumns::memory_bytes() const {
    return attributes.memory_bytes() + key_bytes.capacity() +
           key_ends.capacity() * sizeof(uint64_t);
}

}  // namespace vcfagent::index
