#include "index/vector_filter.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace vcfagent::index {

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// "chr22" <-> "22" so a filter spelled either way finds the store's contig.
std::string chrom_alias(std::string_view c) {
    if (c.size() > 3 && upper(c.substr(0, 3)) == "CHR") return std::string(c.substr(3));
    return "chr" + std::string(c);
}

uint32_t chrom_code(const StringDictionary& dict, std::string_view name) {
    uint32_t code = dict.find(name);
    if (code == StringDictionary::kNotFound) code = dict.find(chrom_alias(name));
    return code;
}

// A per-code lookup table for a dictionary-encoded column.
std::vector<uint8_t> code_mask(size_t dict_size) {
    return std::vector<uint8_t>(dict_size, 0);
}

struct RegionCode {
    uint32_t chrom;
    int64_t beg, end;
};

}  // namespace

bool VectorFilter::empty() const {
    return chroms.empty() && regions.empty() && classes.empty() && genes.empty() &&
           impacts.empty() && !min_af && !max_af && sources.empty();
}

void RowBitmap::resize(size_t rows) {
    words_.resize((rows + 63) / 64, 0);
    // Bits past the last row stay clear, so whole-word scans never see phantom rows.
    if (rows % 64) words_.back() &= (uint64_t{1} << (rows % 64)) - 1;
    rows_ = rows;
}

size_t RowBitmap::count(size_t begin, size_t end) const {
    end = std::min(end, rows_);
    if (begin >= end) return 0;
    size_t n = 0;
    const size_t wb = begin / 64, we = (end - 1) / 64;
    for (size_t w = wb; w <= we; ++w) {
        uint64_t bits = words_[w];
        if (w == wb) bits &= ~uint64_t{0} << (begin % 64);
        if (w == we && end % 64) bits &= (uint64_t{1} << (end % 64)) - 1;
        n += static_cast<size_t>(__builtin_popcountll(bits));
    }
    return n;
}

RowBitmap select_rows(const AttributeColumns& cols, const VectorFilter& f) {
    const size_t n = cols.size();
    RowBitmap out(n);
    auto& words = out.words();
    // Start from every row, then clear rows failing each constrained field.
    for (auto& w : words) w = ~uint64_t{0};
    out.resize(n);  // clears the bits past the last row that the negation set

    // Evaluates a predicate for whole 64-row words with a branch-free inner loop (the
    // compiler can vectorise it), skipping words where no row is left.
    auto apply = [&](auto&& pass) {
        const size_t full = n / 64;
        for (size_t w = 0; w < full; ++w) {
            if (!words[w]) continue;
            uint64_t keep = 0;
            const size_t base = w * 64;
            for (size_t b = 0; b < 64; ++b) keep |= static_cast<uint64_t>(pass(base + b)) << b;
            words[w] &= keep;
        }
        if (n % 64 && words[full]) {
            uint64_t keep = 0;
            for (size_t b = 0; b < n % 64; ++b)
                keep |= static_cast<uint64_t>(pass(full * 64 + b)) << b;
            words[full] &= keep;
        }
    };

    if (!f.chroms.empty() || !f.regions.empty()) {
        auto chroms = code_mask(cols.chroms().size());
        bool any_chrom = false;
        for (const auto& c : f.chroms) {
            const uint32_t code = chrom_code(cols.chroms(), c);
            if (code != StringDictionary::kNotFound) chroms[code] = 1, any_chrom = true;
        }
        std::vector<RegionCode> regions;
        for (const auto& r : f.regions) {
            const uint32_t code = chrom_code(cols.chroms(), r.chrom);
            if (code != StringDictionary::kNotFound) regions.push_back({code, r.beg, r.end});
        }
        const auto& chrom = cols.chrom();
        const auto& pos = cols.pos();
        const bool need_chrom = !f.chroms.empty(), need_region = !f.regions.empty();
        if ((need_chrom && !any_chrom) || (need_region && regions.empty())) {
            std::fill(words.begin(), words.end(), 0);
        } else {
            if (need_chrom) apply([&](size_t r) { return chroms[chrom[r]] != 0; });
            if (need_region) {
                apply([&](size_t r) {
                    bool in = false;
                    for (const auto& g : regions)
                        in |= chrom[r] == g.chrom && pos[r] >= g.beg && pos[r] <= g.end;
                    return in;
                });
            }
        }
    }
    if (!f.classes.empty()) {
        uint8_t allowed[256] = {};
        for (auto c : f.classes) allowed[static_cast<uint8_t>(c)] = 1;
        const auto& vclass = cols.vclass();
        apply([&](size_t r) { return allowed[vclass[r]] != 0; });
    }
    if (!f.genes.empty()) {
        // Symbols match exactly, as `query gene` matches Gene.symbol.
        auto genes = code_mask(cols.genes().size());
        for (const auto& g : f.genes)
            if (const uint32_t code = cols.genes().find(g); code != StringDictionary::kNotFound)
                genes[code] = 1;
        RowBitmap other(n);
        for (const uint64_t packed : cols.other_genes())
            if (genes[packed & 0xffffffffu]) other.set(static_cast<int64_t>(packed >> 32));
        const auto& gene = cols.gene();
        apply([&](size_t r) { return genes[gene[r]] != 0 || other.test(static_cast<int64_t>(r)); });
    }
    if (!f.impacts.empty()) {
        uint8_t allowed[256] = {};
        for (auto i : f.impacts) allowed[static_cast<uint8_t>(i)] = 1;
        const auto& impact = cols.impact();
        apply([&](size_t r) { return allowed[impact[r]] != 0; });
    }
    if (f.min_af || f.max_af) {
        const float lo = f.min_af.value_or(-INFINITY), hi = f.max_af.value_or(INFINITY);
        const auto& af = cols.af();
        // NaN compares false, so rows without AF drop out.
        apply([&](size_t r) { return af[r] >= lo && af[r] <= hi; });
    }
    if (!f.sources.empty()) {
        const auto& source = cols.source();
        if (f.sources.size() == 1) {
            const uint32_t only = f.sources[0];
            apply([&](size_t r) { return source[r] == only; });
        } else {
            apply([&](size_t r) {
                return std::find(f.sources.begin(), f.sources.end(), source[r]) != f.sources.end();
            });
        }
    }
    return out;
}

}  // namespace vcfagent::index
