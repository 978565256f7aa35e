#include "embed/builtin_embedder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numbers>
#include <string_view>

#include "embed/impact.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::embed {

namespace {

using vcf::Variant;
using vcf::VariantClass;

// --- hashing: FNV-1a (stable across builds) finished with a splitmix64 mix so the low bits
// used for bucket choice are well distributed.
constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

inline uint64_t fnv_byte(uint64_t h, unsigned char c) {
    return (h ^ c) * kFnvPrime;
}

inline uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

inline char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

uint64_t hash_text(std::string_view tag, std::string_view text, bool fold_case) {
    uint64_t h = kFnvOffset;
    for (char c : tag) h = fnv_byte(h, static_cast<unsigned char>(c));
    h = fnv_byte(h, 0);
    for (char c : text) h = fnv_byte(h, static_cast<unsigned char>(fold_case ? upper(c) : c));
    return mix64(h);
}

// Signed feature hashing: one hash picks the bucket, its top bit the sign, so unrelated
// features cancel on average instead of piling up.
inline void add_hashed(float* block, int size, uint64_t h, float value) {
    const int bucket = static_cast<int>(h % static_cast<uint64_t>(size));
    block[bucket] += (h >> 63) ? -value : value;
}

void normalise_block(float* block, int size, float weight) {
    double norm = 0;
    for (int i = 0; i < size; ++i) norm += double(block[i]) * block[i];
    if (norm <= 0) return;
    const float scale = weight / static_cast<float>(std::sqrt(norm));
    for (int i = 0; i < size; ++i) block[i] *= scale;
}

// --- variant facts

bool is_base(char c) {
    switch (upper(c)) {
        case 'A':
        case 'C':
        case 'G':
        case 'T':
            return true;
        default:
            return false;
    }
}

int64_t length_change(const Variant& v) {
    if (vcf::is_sequence_allele(v.ref) && vcf::is_sequence_allele(v.alt))
        return static_cast<int64_t>(v.alt.size()) - static_cast<int64_t>(v.ref.size());
    if (v.svlen != 0) return v.svlen;
    if (v.vclass != VariantClass::Symbolic || v.end <= v.pos) return 0;
    const int64_t span = v.end - v.pos;
    std::string_view type = v.svtype;
    if (type.empty() && v.alt.size() > 2) type = std::string_view(v.alt).substr(1, 3);
    if (type.starts_with("DEL")) return -span;
    if (type.starts_with("DUP") || type.starts_with("INS") || type.starts_with("CNV")) return span;
    return 0;
}

int worst_impact(const Variant& v) {
    int worst = kNoImpact;
    for (const auto& a : v.annotations) worst = std::min(worst, impact_rank(a.impact));
    return worst;
}

// The annotations that describe the variant: those at its worst impact (all of them when none
// carries an impact), so a HIGH effect is not drowned by dozens of MODIFIER transcripts.
inline bool is_primary(const vcf::Annotation& a, int worst) {
    return worst == kNoImpact || impact_rank(a.impact) == worst;
}

// "chr1" / "1" / "CHR1" are one chromosome; "MT" and "M" too.
std::string_view chrom_core(std::string_view chrom) {
    if (chrom.size() > 3 && upper(chrom[0]) == 'C' && upper(chrom[1]) == 'H' &&
        upper(chrom[2]) == 'R')
        chrom.remove_prefix(3);
    return chrom;
}

// 0..21 for 1..22, 22 X, 23 Y, 24 M/MT; -1 for any other contig.
int standard_chrom_index(std::string_view core) {
    if (core.size() == 1 || core.size() == 2) {
        int n = 0;
        bool digits = true;
        for (char c : core) {
            if (c < '0' || c > '9')
                digits = false;
            else
                n = n * 10 + (c - '0');
        }
        if (digits && n >= 1 && n <= 22 && core[0] != '0') return n - 1;
    }
    if (core.size() == 1) {
        switch (upper(core[0])) {
            case 'X':
                return 22;
            case 'Y':
                return 23;
            case 'M':
                return 24;
        }
    }
    if (core.size() == 2 && upper(core[0]) == 'M' && upper(core[1]) == 'T') return 24;
    return -1;
}

// --- blocks; each writes into its zero-initialised slice.

void class_block(const Variant& v, const BuiltinBlock& b, float* x) {
    x[b.offset + static_cast<int>(v.vclass) % b.size] = b.weight;
}

constexpr double kMaxLengthChange = 1e6;
// Frame is only meaningful for small, coding-scale indels.
constexpr int64_t kMaxFrameshiftLength = 1000;

void length_block(const Variant& v, const BuiltinBlock& b, float* x) {
    const int64_t delta = length_change(v);
    if (delta == 0) return;
    const double mag =
        std::min(1.0, std::log1p(std::fabs(double(delta))) / std::log1p(kMaxLengthChange));
    x[b.offset] = b.weight * static_cast<float>(delta < 0 ? -mag : mag);
    const int64_t a = delta < 0 ? -delta : delta;
    if (a < kMaxFrameshiftLength && a % 3 != 0) x[b.offset + 1] = b.weight * 0.5f;
}

void tstv_block(const Variant& v, const BuiltinBlock& b, float* x) {
    if (v.vclass != VariantClass::Snv && v.vclass != VariantClass::Mnv) return;
    if (v.ref.size() != v.alt.size()) return;
    float ts = 0, tv = 0;
    for (size_t i = 0; i < v.ref.size(); ++i) {
        const char r = v.ref[i], a = v.alt[i];
        if (upper(r) == upper(a) || !is_base(r) || !is_base(a)) continue;
        (vcf::is_transition(r, a) ? ts : tv) += 1;
    }
    x[b.offset] = ts;
    x[b.offset + 1] = tv;
    normalise_block(x + b.offset, 2, b.weight);
}

// k-mers (k = 1..3) of REF and ALT, each allele scanned over at most this many bases so a
// 10 kb deletion costs the same as a short one.
constexpr size_t kMaxKmerScan = 64;

void add_kmers(char role, std::string_view allele, float* block, int size) {
    allele = allele.substr(0, std::min(allele.size(), kMaxKmerScan));
    for (size_t k = 1; k <= 3; ++k) {
        for (size_t i = 0; i + k <= allele.size(); ++i) {
            uint64_t h = fnv_byte(fnv_byte(kFnvOffset, static_cast<unsigned char>(role)),
                                  static_cast<unsigned char>('0' + k));
            for (size_t j = 0; j < k; ++j)
                h = fnv_byte(h, static_cast<unsigned char>(upper(allele[i + j])));
            add_hashed(block, size, mix64(h), 1.0f);
        }
    }
}

void kmer_block(const Variant& v, const BuiltinBlock& b, float* x) {
    float* block = x + b.offset;
    if (vcf::is_sequence_allele(v.ref) && vcf::is_sequence_allele(v.alt)) {
        add_kmers('R', v.ref, block, b.size);
        add_kmers('A', v.alt, block, b.size);
    } else {
        // Symbolic ALTs (<DEL>, <DUP:TANDEM>) hash as a whole; breakend ALTs embed mate
        // coordinates, which say nothing about the sequence, so they share one token.
        const std::string_view token =
            v.vclass == VariantClass::Breakend ? std::string_view("BND") : std::string_view(v.alt);
        add_hashed(block, b.size, hash_text("alt", token, true), 1.0f);
    }
    normalise_block(block, b.size, b.weight);
}

// Two of the block's dimensions per chromosome: distinct pairs for the 25 standard human
// chromosomes, a hashed pair for other contigs.
void chrom_block(std::string_view core, const BuiltinBlock& b, float* x) {
    const int pairs = b.size * (b.size - 1) / 2;
    int index = standard_chrom_index(core);
    if (index < 0 || index >= pairs)
        index = static_cast<int>(hash_text("chrom", core, true) % static_cast<uint64_t>(pairs));
    int i = 0, j = 1;
    for (int k = 0; k < index; ++k) {
        if (++j == b.size) j = ++i + 1;
    }
    const float value = b.weight * static_cast<float>(std::numbers::sqrt2 / 2);
    x[b.offset + i] = value;
    x[b.offset + j] = value;
}

// Multi-scale sinusoidal encoding of the position: one (sin, cos) pair per scale, angular
// scales geometric from 1 kb (wavelength ~6.3 kb) to a 300 Mb wavelength. Each pair alone is
// periodic, so pair amplitudes grow with the scale (power kScaleExponent / 2): a fine scale
// that has wrapped around adds less than a coarse one gains, which keeps the distance growing
// with the gap (100 bp << 1 kb << 50 kb << 1 Mb << 20 Mb). A per-chromosome phase makes the
// same coordinate on two chromosomes unrelated.
constexpr double kMinScale = 1e3;
constexpr double kMaxScale = 3e8 / (2 * std::numbers::pi);
constexpr double kScaleExponent = 0.5;

void position_block(int64_t pos, std::string_view core, const BuiltinBlock& b, float* x) {
    const int scales = b.size / 2;
    const uint64_t chrom_seed = hash_text("phase", core, true);
    const double ratio = scales > 1 ? std::pow(kMaxScale / kMinScale, 1.0 / (scales - 1)) : 1;
    const double amplitude_step = std::pow(ratio, kScaleExponent / 2);
    double total = 0, amplitude = 1;
    for (int s = 0; s < scales; ++s, amplitude *= amplitude_step) total += amplitude * amplitude;
    amplitude = b.weight / std::sqrt(total);  // the block has norm b.weight
    double scale = kMinScale;
    for (int s = 0; s < scales; ++s, scale *= ratio, amplitude *= amplitude_step) {
        const double phase = double(mix64(chrom_seed + static_cast<uint64_t>(s)) >> 11) * 0x1p-53 *
                             2 * std::numbers::pi;
        // Reduced modulo one period first so large coordinates keep full precision.
        const double angle = std::fmod(double(pos), 2 * std::numbers::pi * scale) / scale + phase;
        x[b.offset + 2 * s] = static_cast<float>(amplitude * std::sin(angle));
        x[b.offset + 2 * s + 1] = static_cast<float>(amplitude * std::cos(angle));
    }
}

// Thermometer code so HIGH is nearer MODERATE than MODIFIER: MODIFIER lights 1 dim, LOW 2,
// MODERATE 3, HIGH 4; no impact lights none.
void impact_block(int worst, const BuiltinBlock& b, float* x) {
    if (worst == kNoImpact) return;
    const int lit = 4 - worst;
    for (int i = 0; i < lit && i < b.size; ++i) x[b.offset + i] = b.weight * 0.5f;
}

void consequence_block(const Variant& v, int worst, const BuiltinBlock& b, float* x) {
    float* block = x + b.offset;
    for (const auto& a : v.annotations) {
        if (!is_primary(a, worst)) continue;
        std::string_view terms = a.consequence;
        while (!terms.empty()) {
            const size_t cut = terms.find_first_of("&,");
            const std::string_view term = terms.substr(0, cut);
            if (!term.empty()) add_hashed(block, b.size, hash_text("csq", term, true), 1.0f);
            if (cut == std::string_view::npos) break;
            terms.remove_prefix(cut + 1);
        }
    }
    normalise_block(block, b.size, b.weight);
}

// The gene of the first primary annotation, spread over three signed buckets so two genes
// rarely coincide even in a small block.
constexpr int kGeneHashes = 3;

void gene_block(const Variant& v, int worst, const BuiltinBlock& b, float* x) {
    std::string_view gene;
    for (const auto& a : v.annotations) {
        if (is_primary(a, worst) && !a.gene.empty()) {
            gene = a.gene;
            break;
        }
    }
    if (gene.empty()) return;
    const uint64_t seed = hash_text("gene", gene, false);
    for (int i = 0; i < kGeneHashes; ++i) add_hashed(x + b.offset, b.size, mix64(seed + i), 1.0f);
    normalise_block(x + b.offset, b.size, b.weight);
}

// log10(AF) over [1e-6, 1] mapped to [0, 1]; the second dim flags a missing AF.
void af_block(const Variant& v, const BuiltinBlock& b, float* x) {
    if (std::isnan(v.af)) {
        x[b.offset + 1] = b.weight;
        return;
    }
    const double af = std::clamp(double(v.af), 1e-6, 1.0);
    x[b.offset] = b.weight * static_cast<float>((std::log10(af) + 6.0) / 6.0);
}

// log10(1 + QUAL) / 4 capped at 1 (QUAL 10,000 and above look alike); FILTER PASS +1,
// failed -1, unfiltered 0.
void quality_block(const Variant& v, const BuiltinBlock& b, float* x) {
    if (!std::isnan(v.qual))
        x[b.offset] = b.weight * static_cast<float>(std::min(
                                     1.0, std::log10(1.0 + std::max(0.0, double(v.qual))) / 4.0));
    if (v.filter == "PASS")
        x[b.offset + 1] = b.weight;
    else if (!v.filter.empty())
        x[b.offset + 1] = -b.weight;
}

}  // namespace

BuiltinEmbedder::BuiltinEmbedder(int dimension)
    : layout_(BuiltinLayout::for_dimension(dimension)) {}

EmbedderInfo BuiltinEmbedder::info() const {
    return {"builtin", "v1", layout_.dimension, ""};
}

void BuiltinEmbedder::embed_one(const Variant& v, float* x) const {
    const BuiltinLayout& l = layout_;
    std::memset(x, 0, sizeof(float) * static_cast<size_t>(l.dimension));
    const std::string_view core = chrom_core(v.chrom);
    const int worst = worst_impact(v);
    class_block(v, l.vclass, x);
    length_block(v, l.length, x);
    tstv_block(v, l.tstv, x);
    kmer_block(v, l.kmer, x);
    chrom_block(core, l.chrom, x);
    position_block(v.pos, core, l.position, x);
    impact_block(worst, l.impact, x);
    consequence_block(v, worst, l.consequence, x);
    gene_block(v, worst, l.gene, x);
    af_block(v, l.af, x);
    quality_block(v, l.quality, x);
    normalise_block(x, l.dimension, 1.0f);
}

void BuiltinEmbedder::embed(std::span<const Variant> variants, float* out) {
    const size_t d = static_cast<size_t>(layout_.dimension);
    for (size_t i = 0; i < variants.size(); ++i) embed_one(variants[i], out + i * d);
}

std::vector<float> BuiltinEmbedder::embed_text(const std::string&) {
    throw EmbedError(
        "the builtin embedder embeds variants, not free text: search by a variant, or "
        "configure an ollama/openai embedder for text queries");
}

}  // namespace vcfagent::embed
