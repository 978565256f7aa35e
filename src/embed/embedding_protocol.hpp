#pragma once
// The wire format of one embedding API: where to POST, the request body, and how to read the
// vectors back. Everything else (batching, concurrency, retries) is shared in RequestPool.
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embed/endpoint.hpp"

namespace vcfagent::embed {

class EmbeddingProtocol {
  public:
    virtual ~EmbeddingProtocol() = default;
    virtual std::string_view name() const = 0;  // "ollama" | "openai"
    // Request path below the endpoint's origin (base path included).
    virtual std::string path(const Endpoint& endpoint) const = 0;
    virtual std::string request_body(const std::string& model,
                                     std::span<const std::string> texts) const = 0;
    // Exactly `expected` vectors in request order; throws EmbedError when the body is not
    // valid JSON of the expected shape or holds another number of vectors.
    virtual std::vector<std::vector<float>> parse_response(std::string_view body,
                                                           size_t expected) const = 0;
};

// Ollama: POST /api/embed {"model","input":[...]} -> {"embeddings":[[...],...]}
std::unique_ptr<EmbeddingProtocol> make_ollama_protocol();
// OpenAI-compatible: POST /v1/embeddings {"model","input":[...]} ->
// {"data":[{"index":i,"embedding":[...]}]}; a base URL already ending in /v1 is not doubled.
std::unique_ptr<EmbeddingProtocol> make_openai_protocol();

}  // namespace vcfagent::embed
