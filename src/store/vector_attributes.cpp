#include "store/vector_attributes.hpp"

#include <algorithm>
#include <cctype>

#include "common/error.hpp"

namespace vcfagent::store {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}

template <typename T>
void compact_column(std::vector<T>& col, const std::vector<uint8_t>& keep) {
    size_t out = 0;
    for (size_t i = 0; i < col.size(); ++i)
        if (keep[i]) col[out++] = col[i];
    col.resize(out);
    col.shrink_to_fit();
}

template <typename T>
void write_slice(HashingWriter& w, const std::vector<T>& col, size_t begin, size_t end) {
    write_array(w, col.data() + begin, end - begin);
}

}  // namespace

std::string_view to_string(Impact impact) {
    switch (impact) {
        case Impact::None:
            return "NONE";
        case Impact::Modifier:
            return "MODIFIER";
        case Impact::Low:
            return "LOW";
        case Impact::Moderate:
            return "MODERATE";
        case Impact::High:
            return "HIGH";
    }
    return "NONE";
}

bool parse_impact(std::string_view name, Impact& out) {
    for (Impact i : {Impact::None, Impact::Modifier, Impact::Low, Impact::Moderate, Impact::High}) {
        if (iequals(name, to_string(i))) {
            out = i;
            return true;
        }
    }
    if (name.empty()) {
        out = Impact::None;
        return true;
    }
    return false;
}

Impact worst_impact(const vcf::Variant& v) {
    Impact worst = Impact::None;
    for (const auto& a : v.annotations) {
        Impact i;
        if (!a.impact.empty() && parse_impact(a.impact, i)) worst = std::max(worst, i);
    }
    return worst;
}

std::string_view primary_gene(const vcf::Variant& v) {
    for (const auto& a : v.annotations)
        if (!a.gene.empty()) return a.gene;
    return {};
}

StringDictionary::StringDictionary() {
    intern("");
}

uint32_t StringDictionary::intern(std::string_view s) {
    if (auto it = codes_.find(std::string(s)); it != codes_.end()) return it->second;
    const auto code = static_cast<uint32_t>(names_.size());
    names_.emplace_back(s);
    codes_.emplace(names_.back(), code);
    return code;
}

uint32_t StringDictionary::find(std::string_view s) const {
    auto it = codes_.find(std::string(s));
    return it == codes_.end() ? kNotFound : it->second;
}

void StringDictionary::write(HashingWriter& w) const {
    write_pod<uint64_t>(w, names_.size());
    for (const auto& n : names_) write_string(w, n);
}

void StringDictionary::read(FileReader& r) {
    names_.clear();
    codes_.clear();
    const auto n = read_pod<uint64_t>(r);
    for (uint64_t i = 0; i < n; ++i) {
        std::string s = read_string(r);
        if (i == 0 && !s.empty())
            throw StoreError(r.path().string() + ": dictionary code 0 is not empty");
        if (codes_.count(s))
            throw StoreError(r.path().string() + ": duplicate dictionary entry " + s);
        codes_.emplace(s, static_cast<uint32_t>(names_.size()));
        names_.push_back(std::move(s));
    }
    if (names_.empty()) intern("");
}

void AttributeColumns::append(const vcf::Variant& v, uint32_t source) {
    chrom_.push_back(chroms_.intern(v.chrom));
    pos_.push_back(v.pos);
    vclass_.push_back(static_cast<uint8_t>(v.vclass));
    gene_.push_back(genes_.intern(primary_gene(v)));
    impact_.push_back(static_cast<uint8_t>(worst_impact(v)));
    af_.push_back(v.af);
    source_.push_back(source);
}

VariantAttributes AttributeColumns::row(int64_t r) const {
    VariantAttributes a;
    a.chrom = chroms_.name(chrom_[r]);
    a.pos = pos_[r];
    a.vclass = static_cast<vcf::VariantClass>(vclass_[r]);
    a.gene = genes_.name(gene_[r]);
    a.impact = static_cast<Impact>(impact_[r]);
    a.af = af_[r];
    a.source = source_[r];
    return a;
}

void AttributeColumns::compact(const std::vector<uint8_t>& keep) {
    compact_column(chrom_, keep);
    compact_column(pos_, keep);
    compact_column(vclass_, keep);
    compact_column(gene_, keep);
    compact_column(impact_, keep);
    compact_column(af_, keep);
    compact_column(source_, keep);
}

void AttributeColumns::reserve(size_t rows) {
    chrom_.reserve(rows);
    pos_.reserve(rows);
    vclass_.reserve(rows);
    gene_.reserve(rows);
    impact_.reserve(rows);
    af_.reserve(rows);
    source_.reserve(rows);
}

void AttributeColumns::write_rows(HashingWriter& w, size_t begin, size_t end) const {
    write_slice(w, chrom_, begin, end);
    write_slice(w, pos_, begin, end);
    write_slice(w, vclass_, begin, end);
    write_slice(w, gene_, begin, end);
    write_slice(w, impact_, begin, end);
    write_slice(w, af_, begin, end);
    write_slice(w, source_, begin, end);
}

void AttributeColumns::read_rows_append(FileReader& r, size_t rows) {
    const size_t first = size();
    read_array_append(r, chrom_, rows);
    read_array_append(r, pos_, rows);
    read_array_append(r, vclass_, rows);
    read_array_append(r, gene_, rows);
    read_array_append(r, impact_, rows);
    read_array_append(r, af_, rows);
    read_array_append(r, source_, rows);
    // Codes index the dictionaries, so a bad code would read out of bounds later.
    for (size_t i = first; i < chrom_.size(); ++i) {
        if (chrom_[i] >= chroms_.size() || gene_[i] >= genes_.size() ||
            vclass_[i] > static_cast<uint8_t>(vcf::VariantClass::NoAlt) ||
            impact_[i] > static_cast<uint8_t>(Impact::High))
            throw StoreError(r.path().string() + ": row " + std::to_string(i) +
                             " holds an out-of-range attribute code");
    }
}

void AttributeColumns::write_dictionaries(HashingWriter& w) const {
    chroms_.write(w);
    genes_.write(w);
}

void AttributeColumns::read_dictionaries(FileReader& r) {
    chroms_.read(r);
    genes_.read(r);
}

size_t AttributeColumns::memory_bytes() const {
    size_t bytes = chrom_.capacity() * 4 + pos_.capacity() * 8 + vclass_.capacity() +
                   gene_.capacity() * 4 + impact_.capacity() + af_.capacity() * 4 +
                   source_.capacity() * 4;
    for (const auto* d : {&chroms_, &genes_})
        for (uint32_t c = 0; c < d->size(); ++c) bytes += 2 * (d->name(c).size() + 48);
    return bytes;
}

}  // namespace vcfagent::store
