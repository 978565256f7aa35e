#include "vcf/variant_key.hpp"

#include <charconv>
#include <cstdio>

namespace vcfagent::vcf {

std::string_view to_string(VariantClass c) {
    switch (c) {
        case VariantClass::Snv: return "SNV";
        case VariantClass::Mnv: return "MNV";
        case VariantClass::Insertion: return "INS";
        case VariantClass::Deletion: return "DEL";
        case VariantClass::Complex: return "COMPLEX";
        case VariantClass::Symbolic: return "SV";
        case VariantClass::Breakend: return "BND";
        case VariantClass::SpanningDeletion: return "SPANDEL";
        case VariantClass::NoAlt: return "NOALT";
    }
    return "?";
}

bool parse_variant_class(std::string_view name, VariantClass& out) {
    for (int i = 0; i <= static_cast<int>(VariantClass::NoAlt); ++i) {
        auto c = static_cast<VariantClass>(i);
        if (to_string(c) == name) {
            out = c;
            return true;
        }
    }
    return false;
}

std::string_view to_string(Zygosity z) {
    switch (z) {
        case Zygosity::HomRef: return "hom_ref";
        case Zygosity::Het: return "het";
        case Zygosity::HomAlt: return "hom_alt";
        case Zygosity::Hemizygous: return "hemizygous";
        case Zygosity::HetAlt: return "het_alt";
        case Zygosity::OtherAlt: return "other_alt";
        case Zygosity::Missing: return "missing";
    }
    return "?";
}

bool is_sequence_allele(std::string_view allele) {
    if (allele.empty()) return false;
    for (char c : allele) {
        switch (c) {
            case 'A': case 'C': case 'G': case 'T': case 'N':
            case 'a': case 'c': case 'g': case 't': case 'n': break;
            default: return false;
        }
    }
    return true;
}

void trim_to_minimal(int64_t& pos, std::string& ref, std::string& alt) {
    if (!is_sequence_allele(ref) || !is_sequence_allele(alt)) return;
    size_t suffix = 0;
    while (suffix + 1 < ref.size() && suffix + 1 < alt.size() &&
           ref[ref.size() - 1 - suffix] == alt[alt.size() - 1 - suffix])
        ++suffix;
    ref.resize(ref.size() - suffix);
    alt.resize(alt.size() - suffix);
    size_t prefix = 0;
    while (prefix + 1 < ref.size() && prefix + 1 < alt.size() && ref[prefix] == alt[prefix]) ++prefix;
    if (prefix) {
        ref.erase(0, prefix);
        alt.erase(0, prefix);
        pos += static_cast<int64_t>(prefix);
    }
}

VariantClass classify_allele(std::string_view ref, std::string_view alt) {
    if (alt == "*") return VariantClass::SpanningDeletion;
    if (alt == "." || alt.empty()) return VariantClass::NoAlt;
    if (alt.front() == '<') return VariantClass::Symbolic;
    if (alt.find_first_of("[]") != std::string_view::npos || alt.front() == '.' || alt.back() == '.')
        return VariantClass::Breakend;
    if (ref.size() == alt.size()) return ref.size() == 1 ? VariantClass::Snv : VariantClass::Mnv;
    const std::string_view shorter = ref.size() < alt.size() ? ref : alt;
    const std::string_view longer = ref.size() < alt.size() ? alt : ref;
    const bool anchored = shorter.size() == 1 && (longer.front() == shorter.front() || longer.back() == shorter.back());
    if (anchored) return ref.size() < alt.size() ? VariantClass::Insertion : VariantClass::Deletion;
    return VariantClass::Complex;
}

std::string canonical_variant_key(std::string_view key) {
    ParsedKey parsed;
    if (!parse_variant_key(key, parsed)) return std::string(key);
    return make_variant_key(parsed.chrom, parsed.pos, parsed.ref, parsed.alt);
}

bool is_transition(char ref, char alt) {
    auto up = [](char c) { return static_cast<char>(c & ~0x20); };
    const char r = up(ref), a = up(alt);
    return (r == 'A' && a == 'G') || (r == 'G' && a == 'A') || (r == 'C' && a == 'T') || (r == 'T' && a == 'C');
}

uint64_t stable_hash64(std::string_view data) {
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : data) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

namespace {
void append_allele(std::string& key, std::string_view allele) {
    if (allele.size() <= kMaxKeyAlleleLength) {
        key.append(allele);
        return;
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, "%zu#%016llx", allele.size(),
                  static_cast<unsigned long long>(stable_hash64(allele)));
    key.append(buf);
}
}  // namespace

std::string make_variant_key(std::string_view chrom, int64_t pos, std::string_view ref, std::string_view alt) {
    std::string key;
    key.reserve(chrom.size() + ref.size() + alt.size() + 24);
    key.append(chrom);
    key.push_back(':');
    key.append(std::to_string(pos));
    key.push_back(':');
    append_allele(key, ref);
    key.push_back(':');
    append_allele(key, alt);
    return key;
}

bool parse_variant_key(std::string_view key, ParsedKey& out) {
    const size_t c3 = key.rfind(':');
    if (c3 == std::string_view::npos || c3 == 0) return false;
    const size_t c2 = key.rfind(':', c3 - 1);
    if (c2 == std::string_view::npos || c2 == 0) return false;
    const size_t c1 = key.rfind(':', c2 - 1);
    if (c1 == std::string_view::npos || c1 == 0) return false;
    std::string_view pos = key.substr(c1 + 1, c2 - c1 - 1);
    auto [p, ec] = std::from_chars(pos.data(), pos.data() + pos.size(), out.pos);
    if (ec != std::errc() || p != pos.data() + pos.size() || out.pos < 1) return false;
    out.chrom = std::string(key.substr(0, c1));
    out.ref = std::string(key.substr(c2 + 1, c3 - c2 - 1));
    out.alt = std::string(key.substr(c3 + 1));
    return !out.ref.empty() && !out.alt.empty();
}

}  // namespace vcfagent::vcf
