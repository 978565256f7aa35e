#pragma once
// Reduction of embeddings from a model's natural size to the configured dimension: PCA
// (faiss::PCAMatrix, trained on a sample) or truncation to the leading components for
// Matryoshka-trained models. Outputs are L2-normalised. Persisted with FAISS's own
// VectorTransform format so the store can record it with its embedder.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace faiss {
struct VectorTransform;
}

namespace vcfagent::embed {

class DimensionReducer {
  public:
    enum class Method { Pca, Truncate };

    // Throws EmbedError unless 0 < output_dim < input_dim.
    DimensionReducer(Method method, int input_dim, int output_dim);
    ~DimensionReducer();
    DimensionReducer(DimensionReducer&&) noexcept;
    DimensionReducer& operator=(DimensionReducer&&) noexcept;

    // Reads a reducer written by save(); throws EmbedError naming the path on failure.
    static DimensionReducer load(const std::string& path);
    // Writes atomically (temporary file + rename), so a reader never sees half a file.
    void save(const std::string& path) const;

    Method method() const { return method_; }
    std::string_view name() const;  // "pca" | "truncate", as recorded in EmbedderInfo
    int input_dim() const { return input_dim_; }
    int output_dim() const { return output_dim_; }
    // Truncation needs no training.
    bool is_trained() const;

    // Fits PCA on n rows of input_dim floats; needs n > output_dim (thousands are better).
    // Not concurrent with apply().
    void train(const float* x, size_t n);
    // n rows of input_dim -> n rows of output_dim, each L2-normalised. Thread-safe once trained.
    void apply(const float* in, size_t n, float* out) const;

    static bool parse_method(std::string_view name, Method& out);

  private:
    DimensionReducer() = default;
    Method method_ = Method::Pca;
    int input_dim_ = 0, output_dim_ = 0;
    std::unique_ptr<faiss::VectorTransform> transform_;
};

}  // namespace vcfagent::embed
