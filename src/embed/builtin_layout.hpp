#pragma once
// Where each feature block of the builtin embedding lives and how much it weighs. The layout is
// a pure function of the dimension, so a stored index built with "builtin/v1/<dim>" can always
// be queried again; docs/embeddings.md describes every block.
#include <array>
#include <string_view>

namespace vcfagent::embed {

inline constexpr int kBuiltinMinDimension = 48;
inline constexpr int kBuiltinMaxDimension = 128;
inline constexpr int kBuiltinDefaultDimension = 64;

struct BuiltinBlock {
    std::string_view name;
    int offset = 0;
    int size = 0;
    float weight = 0.0f;  // applied after the block is built (unit norm for hashed/one-hot blocks)
};

struct BuiltinLayout {
    int dimension = 0;
    BuiltinBlock vclass, length, tstv, kmer, chrom, position, impact, consequence, gene, af,
        quality;

    // Throws EmbedError outside [kBuiltinMinDimension, kBuiltinMaxDimension].
    static BuiltinLayout for_dimension(int dimension);

    // Blocks in vector order; their sizes add up to dimension.
    std::array<const BuiltinBlock*, 11> blocks() const {
        return {&vclass, &length,      &tstv, &kmer, &chrom,  &position,
                &impact, &consequence, &gene, &af,   &quality};
    }
    int position_scales() const { return position.size / 2; }
};

}  // namespace vcfagent::embed
