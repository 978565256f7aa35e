#pragma once
// Allele normalisation, classification and the stable variant key `chrom:pos:ref:alt`.
// The same variant seen in two files (or split from differently-shaped multi-allelic records)
// gets the same key, so it becomes one node in the graph and one row of the variant index.
#include <cstdint>
#include <string>
#include <string_view>

#include "vcf/variant.hpp"

namespace vcfagent::vcf {

// Alleles longer than this are replaced in the key by `<length>#<64-bit hash hex>`.
inline constexpr size_t kMaxKeyAlleleLength = 48;

// True for a plain sequence allele (A, C, G, T, N in either case).
bool is_sequence_allele(std::string_view allele);

// Trims the bases REF and ALT share at the end, then at the start (advancing pos), keeping at
// least one base in each: the minimal representation. Non-sequence alleles are left alone.
void trim_to_minimal(int64_t& pos, std::string& ref, std::string& alt);

// Class of ALT relative to REF; expects trimmed alleles for sequence variants.
VariantClass classify_allele(std::string_view ref, std::string_view alt);

// A/G or C/T substitution (case-insensitive); false for anything that is not a single base.
bool is_transition(char ref, char alt);

// FNV-1a 64-bit: stable across runs, platforms and builds (unlike std::hash).
uint64_t stable_hash64(std::string_view data);

std::string make_variant_key(std::string_view chrom, int64_t pos, std::string_view ref, std::string_view alt);

struct ParsedKey {
    std::string chrom;
    int64_t pos = 0;
    std::string ref, alt;
};
// Parses a key (splitting on the last three ':' so contig names may contain ':'); false if malformed.
bool parse_variant_key(std::string_view key, ParsedKey& out);
// A key as a person types it (a long allele spelled out) in the store's spelling (long alleles
// hashed); a text that is not a key is returned unchanged.
std::string canonical_variant_key(std::string_view key);

}  // namespace vcfagent::vcf
