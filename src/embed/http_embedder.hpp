#pragma once
// The Ollama and OpenAI-compatible embedders: a text description of each variant, embedded by
// the model server through RequestPool, remembered in an LRU cache keyed by variant key, and
// optionally reduced to the configured dimension (PCA or truncation).
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.hpp"
#include "embed/dimension_reducer.hpp"
#include "embed/embedder.hpp"
#include "embed/embedding_cache.hpp"
#include "embed/request_pool.hpp"

namespace vcfagent::embed {

class HttpEmbedder final : public Embedder {
  public:
    // config.kind is "ollama" or "openai". Empty fields take their defaults: model
    // nomic-embed-text / text-embedding-3-small; endpoint from OLLAMA_HOST / OPENAI_BASE_URL,
    // else http://127.0.0.1:11434 / https://api.openai.com/v1; api_key from OPENAI_API_KEY
    // (openai only). Throws EmbedError for an invalid configuration; contacts no server.
    explicit HttpEmbedder(EmbedderConfig config);
    ~HttpEmbedder() override;

    // May ask the server once for the model's natural size when neither a response nor a
    // loaded reducer has told it yet (and then throws EmbedError if the server is down).
    EmbedderInfo info() const override;
    void embed(std::span<const vcf::Variant> variants, float* out) override;
    std::vector<float> embed_text(const std::string& text) override;

    bool needs_training() const override;
    void train(std::span<const vcf::Variant> sample) override;
    // Valid until the next train / load_reducer.
    const DimensionReducer* reducer() const override;
    void load_reducer(const std::string& path) override;

    // The model's own vectors (natural_dimension() floats per variant, L2-normalised,
    // row-major), through the cache. Useful to train a reducer on a sample held elsewhere.
    std::vector<float> embed_raw(std::span<const vcf::Variant> variants);
    // Fits the PCA reducer on n raw rows of natural_dimension() floats.
    void train_raw(const float* raw, size_t n);
    int natural_dimension() const;

    const EmbedderConfig& config() const { return config_; }
    const EmbeddingCache& cache() const { return cache_; }
    const RequestPool& pool() const { return *pool_; }

  private:
    // The reducer the configuration asks for at natural size d, created on first need; null
    // when no reduction applies. Caller holds reducer_mutex_ exclusively.
    void prepare_reducer_locked(int natural) REQUIRES(reducer_mutex_);
    // Throws EmbedError when the configured dimension exceeds the model's.
    void check_fits(int natural) const;
    void reduce(const float* raw, size_t n, float* out);
    std::string document_text(const vcf::Variant& v) const;
    std::string untrained_message() const;

    EmbedderConfig config_;
    DimensionReducer::Method method_ = DimensionReducer::Method::Pca;
    std::unique_ptr<RequestPool> pool_;
    EmbeddingCache cache_;
    // Guards reducer_, the pointer. An installed reducer is never changed in place, only
    // replaced, so it is read under the shared lock and reducer() may hand it out.
    mutable SharedMutex reducer_mutex_;
    std::unique_ptr<DimensionReducer> reducer_ GUARDED_BY(reducer_mutex_);
    std::string document_prefix_, query_prefix_;
};

}  // namespace vcfagent::embed
