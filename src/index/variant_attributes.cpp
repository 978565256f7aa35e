#include "index/variant_attributes.hpp"

#include <algorithm>
#include <cctype>

#include "common/error.hpp"

namespace vcfagent::index {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
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
    uint32_t primary = 0;
    const uint64_t row = pos_.size() - 1;
    for (const auto& a : v.annotations) {
        if (a.gene.empty()) continue;
        const uint32_t code = genes_.intern(a.gene);
        if (primary == 0) {
            primary = code;
        } else if (code != primary) {
            const uint64_t packed = row << 32 | code;
            if (std::find(other_genes_.rbegin(), other_genes_.rend(), packed) ==
                other_genes_.rend())
                other_genes_.push_back(packed);
        }
    }
    gene_.push_back(primary);
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

void AttributeColumns::reserve(size_t rows) {
    chrom_.reserve(rows);
    pos_.reserve(rows);
    vclass_.reserve(rows);
    gene_.reserve(rows);
    impact_.reserve(rows);
    af_.reserve(rows);
    source_.reserve(rows);
}

void AttributeColumns::write(HashingWriter& w) const {
    chroms_.write(w);
    genes_.write(w);
    const size_t n = size();
    write_array(w, chrom_.data(), n);
    write_array(w, pos_.data(), n);
    write_array(w, vclass_.data(), n);
    write_array(w, gene_.data(), n);
    write_array(w, impact_.data(), n);
    write_array(w, af_.data(), n);
    write_array(w, source_.data(), n);
    write_array(w, other_genes_.data(), other_genes_.size());
}

void AttributeColumns::read(FileReader& r) {
    *this = AttributeColumns();
    chroms_.read(r);
    genes_.read(r);
    const auto n = read_pod<uint64_t>(r);
    auto column = [&](auto& col, uint64_t count) {
        col.resize(count);
        if (count) r.read(col.data(), count * sizeof(col[0]));
    };
    column(chrom_, n);
    auto counted = [&](auto& col) {
        const auto count = read_pod<uint64_t>(r);
        if (count != n) throw_count_mismatch(r.path(), count, n);
        column(col, count);
    };
    counted(pos_);
    counted(vclass_);
    counted(gene_);
    counted(impact_);
    counted(af_);
    counted(source_);
    column(other_genes_, read_pod<uint64_t>(r));
    // Codes index the dictionaries, so a bad code would read out of bounds later.
    for (size_t i = 0; i < n; ++i) {
        if (chrom_[i] >= chroms_.size() || gene_[i] >= genes_.size() ||
            vclass_[i] > static_cast<uint8_t>(vcf::VariantClass::NoAlt) ||
            impact_[i] > static_cast<uint8_t>(Impact::High))
            throw StoreError(r.path().string() + ": row " + std::to_string(i) +
                             " holds an out-of-range attribute code");
    }
    for (uint64_t packed : other_genes_)
        if ((packed >> 32) >= n || (packed & 0xffffffffu) >= genes_.size())
            throw StoreError(r.path().string() + ": a gene entry is out of range");
}

size_t AttributeColumns::memory_bytes() const {
    size_t bytes = chrom_.capacity() * 4 + pos_.capacity() * 8 + vclass_.capacity() +
                   gene_.capacity() * 4 + impact_.capacity() + af_.capacity() * 4 +
                   source_.capacity() * 4 + other_genes_.capacity() * 8;
    for (const auto* d : {&chroms_, &genes_})
        for (uint32_t c = 0; c < d->size(); ++c) bytes += 2 * (d->name(c).size() + 48);
    return bytes;
}

}  // namespace vcfagent::index
