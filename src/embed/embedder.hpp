#pragma once
// One interface for every way of turning a variant into a vector: the offline builtin
// feature embedding and the HTTP embedders (Ollama, OpenAI-compatible). Chosen by
// configuration; the store records which one made its vectors (EmbedderInfo) and refuses a
// search with a different one.
#include <cstddef>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "vcf/variant.hpp"

namespace vcfagent::embed {

struct EmbedderConfig {
    std::string kind = "builtin";  // builtin | ollama | openai
    std::string model;             // HTTP embedders; default nomic-embed-text / text-embedding-3-small
    std::string endpoint;          // base URL, e.g. http://127.0.0.1:11434 ; env OLLAMA_HOST / OPENAI_BASE_URL
    std::string api_key;           // openai; env OPENAI_API_KEY
    int dimension = 0;             // output dimension; 0 = the embedder's natural size
    std::string reduction = "pca"; // pca | truncate, when dimension < natural size (HTTP embedders)
    int batch_size = 64;           // variants per HTTP request
    int concurrency = 4;           // HTTP requests in flight
    int timeout_ms = 30000;
    int max_retries = 4;           // on 429/5xx/connection errors, exponential backoff
    int retry_base_ms = 250;       // first backoff; doubles per attempt, jittered, capped at 10 s
    size_t cache_bytes = 64u << 20;  // LRU cache budget keyed by variant key
};

// Identity of an embedding space: two vectors are comparable only if these match.
struct EmbedderInfo {
    std::string kind;
    std::string model;
    int dimension = 0;
    std::string reduction;  // "" when none
    bool operator==(const EmbedderInfo&) const = default;
    std::string to_string() const;
};

class DimensionReducer;

class Embedder {
public:
    virtual ~Embedder() = default;
    virtual EmbedderInfo info() const = 0;
    int dimension() const { return info().dimension; }
    // Writes variants.size() x dimension() floats, row-major, into out. Thread-safe.
    // Throws EmbedError with a clear message on failure (server down, bad response, ...).
    virtual void embed(std::span<const vcf::Variant> variants, float* out) = 0;
    // Embeds a free-text query (HTTP embedders); the builtin embedder throws EmbedError.
    virtual std::vector<float> embed_text(const std::string& text) = 0;

    // Dimension reduction (HTTP embedders whose config.dimension < the model's natural size).
    // A PCA reducer must be trained (train) or restored (load_reducer) before embed() works;
    // the store records reducer() with its embedder. Builtin: none of this applies.
    virtual bool needs_training() const { return false; }
    // Embeds the sample at the natural size and fits the reducer on it (no-op when none is
    // needed). Needs more variants than the output dimension; thousands are better.
    virtual void train(std::span<const vcf::Variant> sample) { (void)sample; }
    // nullptr when the embedder reduces nothing.
    virtual const DimensionReducer* reducer() const { return nullptr; }
    // Restores a reducer saved with DimensionReducer::save; throws EmbedError when it does not
    // fit the configuration or the model.
    virtual void load_reducer(const std::string& path);
};

class EmbedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::unique_ptr<Embedder> make_embedder(const EmbedderConfig& config);

}  // namespace vcfagent::embed
