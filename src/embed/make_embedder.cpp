#include "embed/builtin_embedder.hpp"
#include "embed/embedder.hpp"
#include "embed/http_embedder.hpp"

namespace vcfagent::embed {

std::unique_ptr<Embedder> make_embedder(const EmbedderConfig& config) {
    if (config.kind.empty() || config.kind == "builtin")
        return std::make_unique<BuiltinEmbedder>(config.dimension > 0 ? config.dimension
                                                                      : kBuiltinDefaultDimension);
    if (config.kind == "ollama" || config.kind == "openai")
        return std::make_unique<HttpEmbedder>(config);
    throw EmbedError("unknown embedder '" + config.kind + "' (expected builtin, ollama or openai)");
}

}  // namespace vcfagent::embed
