#include <nlohmann/json.hpp>

#include "embed/embedder.hpp"
#include "embed/embedding_protocol.hpp"
#include "embed/protocol_json.hpp"

namespace vcfagent::embed {

namespace {

class OllamaProtocol final : public EmbeddingProtocol {
  public:
    std::string_view name() const override { return "ollama"; }

    std::string path(const Endpoint& endpoint) const override {
        return endpoint.base_path + "/api/embed";
    }

    std::string request_body(const std::string& model,
                             std::span<const std::string> texts) const override {
        nlohmann::json body = {
            {"model", model},
            {"input", nlohmann::json(std::vector<std::string>(texts.begin(), texts.end()))}};
        return body.dump();
    }

    std::vector<std::vector<float>> parse_response(std::string_view body,
                                                   size_t expected) const override {
        const nlohmann::json j = protocol_json::parse_body("ollama", body);
        const auto it = j.is_object() ? j.find("embeddings") : j.end();
        if (it == j.end() || !it->is_array())
            throw EmbedError("ollama response has no \"embeddings\" array: '" +
                             protocol_json::snippet(body) + "'");
        if (it->size() != expected)
            throw EmbedError("ollama returned " + std::to_string(it->size()) + " embeddings for " +
                             std::to_string(expected) + " inputs");
        std::vector<std::vector<float>> rows;
        rows.reserve(expected);
        for (size_t i = 0; i < expected; ++i)
            rows.push_back(protocol_json::to_vector("ollama", (*it)[i],
                                                    "embeddings[" + std::to_string(i) + "]"));
        return rows;
    }
};

}  // namespace

std::unique_ptr<EmbeddingProtocol> make_ollama_protocol() {
    return std::make_unique<OllamaProtocol>();
}

}  // namespace vcfagent::embed
