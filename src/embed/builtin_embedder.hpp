#pragma once
// The default embedder: a hand-designed, documented feature vector computed from the Variant
// alone (offline, deterministic, allocation-free apart from the caller's output buffer).
// Block layout and weights: builtin_layout.hpp and docs/embeddings.md.
#include "embed/builtin_layout.hpp"
#include "embed/embedder.hpp"

namespace vcfagent::embed {

class BuiltinEmbedder final : public Embedder {
  public:
    // Throws EmbedError when dimension is outside [kBuiltinMinDimension, kBuiltinMaxDimension].
    explicit BuiltinEmbedder(int dimension = kBuiltinDefaultDimension);

    EmbedderInfo info() const override;
    void embed(std::span<const vcf::Variant> variants, float* out) override;
    std::vector<float> embed_text(const std::string& text) override;

    // One variant into dimension() floats, L2-normalised.
    void embed_one(const vcf::Variant& variant, float* out) const;
    const BuiltinLayout& layout() const { return layout_; }

  private:
    BuiltinLayout layout_;
};

}  // namespace vcfagent::embed
