#include "embed/builtin_layout.hpp"

#include <algorithm>
#include <string>

#include "embed/embedder.hpp"

namespace vcfagent::embed {

namespace {
// Fixed-size blocks: 9 variant classes, 2 length, 2 Ts/Tv, 4 impact levels, 2 AF, 2 quality.
constexpr int kFixedDims = 9 + 2 + 2 + 4 + 2 + 2;
// The rest is shared by the hashed/encoded blocks in these proportions (out of 43, the share
// they get at the default 64 dimensions).
constexpr int kShareBase = 43;
constexpr int kKmerShare = 8, kChromShare = 8, kPositionPairShare = 7, kConsequenceShare = 6;
// 8 chromosome dims give 28 distinct dimension pairs: one per standard human chromosome.
constexpr int kMinChromDims = 8;
}  // namespace

BuiltinLayout BuiltinLayout::for_dimension(int dimension) {
    if (dimension < kBuiltinMinDimension || dimension > kBuiltinMaxDimension)
        throw EmbedError("builtin embedder: dimension " + std::to_string(dimension) +
                         " is outside [" + std::to_string(kBuiltinMinDimension) + ", " +
                         std::to_string(kBuiltinMaxDimension) + "]");
    const int extra = dimension - kFixedDims;
    const int kmer = extra * kKmerShare / kShareBase;
    const int chrom = std::max(kMinChromDims, extra * kChromShare / kShareBase);
    const int position = 2 * (extra * kPositionPairShare / kShareBase);
    const int consequence = extra * kConsequenceShare / kShareBase;
    const int gene = extra - kmer - chrom - position - consequence;

    BuiltinLayout l;
    l.dimension = dimension;
    int offset = 0;
    auto place = [&offset](BuiltinBlock& b, std::string_view name, int size, float weight) {
        b = BuiltinBlock{name, offset, size, weight};
        offset += size;
    };
    // Weights: the distinctions a person asks "like this one" about most (class, Ts/Tv, gene,
    // consequence, position) dominate; descriptive scalars (AF, quality) only break ties.
    // Ts/Tv outweighs k-mers (1.0 vs 0.5) so two transitions stay nearer each other than to
    // any transversion whatever bases they share (k-mer distance^2 <= 4 * 0.5^2 < 2 * 1.0^2).
    place(l.vclass, "class", 9, 1.0f);
    place(l.length, "length", 2, 0.8f);
    place(l.tstv, "tstv", 2, 1.0f);
    place(l.kmer, "kmer", kmer, 0.5f);
    place(l.chrom, "chrom", chrom, 0.7f);
    place(l.position, "position", position, 1.0f);
    place(l.impact, "impact", 4, 0.8f);
    place(l.consequence, "consequence", consequence, 1.0f);
    place(l.gene, "gene", gene, 1.2f);
    place(l.af, "af", 2, 0.5f);
    place(l.quality, "quality", 2, 0.3f);
    return l;
}

}  // namespace vcfagent::embed
