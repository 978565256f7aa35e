#include <nlohmann/json.hpp>

#include "embed/model_server.hpp"
#include "embed/embedder.hpp"
#include "embed/embedding_protocol.hpp"
#include "embed/protocol_json.hpp"

namespace vcfagent::embed {

namespace {

class OpenAiProtocol final : public EmbeddingProtocol {
  public:
    std::string_view name() const override { return "openai"; }

    std::string path(const Endpoint& endpoint) const override {
        return openai_api_path(endpoint, "/embeddings");
    }

    std::string request_body(const std::string& model,
                             std::span<const std::string> texts) const override {
        nlohmann::json body = {
            {"model", model},
            {"input", nlohmann::json(std::vector<std::string>(texts.begin(), texts.end()))},
            {"encoding_format", "float"}};
        return body.dump();
    }

    // Rows are placed by their "index" (servers may answer out of order); each index
    // 0..expected-1 must appear exactly once.
    std::vector<std::vector<float>> parse_response(std::string_view body,
                                                   size_t expected) const override {
        const nlohmann::json j = protocol_json::parse_body("openai", body);
        const auto it = j.is_object() ? j.find("data") : j.end();
        if (it == j.end() || !it->is_array())
            throw EmbedError("openai response has no \"data\" array: '" +
                             protocol_json::snippet(body) + "'");
        if (it->size() != expected)
            throw EmbedError("openai returned " + std::to_string(it->size()) + " embeddings for " +
                             std::to_string(expected) + " inputs");
        std::vector<std::vector<float>> rows(expected);
        for (size_t i = 0; i < expected; ++i) {
            const nlohmann::json& item = (*it)[i];
            if (!item.is_object() || !item.contains("embedding"))
                throw EmbedError("openai response: data[" + std::to_string(i) +
                                 "] has no embedding");
            size_t index = i;
            if (auto idx = item.find("index"); idx != item.end()) {
                if (!idx->is_number_unsigned() || idx->get<size_t>() >= expected)
                    throw EmbedError("openai response: data[" + std::to_string(i) + "] has index " +
                                     idx->dump() + " outside 0.." + std::to_string(expected - 1));
                index = idx->get<size_t>();
            }
            if (!rows[index].empty())
                throw EmbedError("openai response: index " + std::to_string(index) +
                                 " appears twice");
            rows[index] = protocol_json::to_vector("openai", item["embedding"],
                                                   "data[" + std::to_string(i) + "].embedding");
        }
        return rows;
    }
};

}  // namespace

std::unique_ptr<EmbeddingProtocol> make_openai_protocol() {
    return std::make_unique<OpenAiProtocol>();
}

}  // namespace vcfagent::embed
