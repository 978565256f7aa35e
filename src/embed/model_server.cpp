#include "embed/model_server.hpp"

#include <cstdlib>

#include "embed/embedder.hpp"

namespace vcfagent::embed {

namespace {
constexpr const char* kOllamaDefaultEndpoint = "http://127.0.0.1:11434";
constexpr const char* kOpenAiDefaultEndpoint = "https://api.openai.com/v1";

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}
}  // namespace

Endpoint model_server_endpoint(std::string_view kind, const std::string& url) {
    if (kind == "ollama")
        return parse_endpoint(url.empty() ? env_or("OLLAMA_HOST", kOllamaDefaultEndpoint) : url,
                              kOllamaPort);
    if (kind == "openai")
        return parse_endpoint(url.empty() ? env_or("OPENAI_BASE_URL", kOpenAiDefaultEndpoint) : url,
                              80);
    throw EmbedError("unknown model server kind '" + std::string(kind) +
                     "' (expected ollama or openai)");
}

std::string model_server_api_key(std::string_view kind, const std::string& api_key) {
    if (!api_key.empty() || kind != "openai") return api_key;
    return env_or("OPENAI_API_KEY", "");
}

std::string openai_api_path(const Endpoint& endpoint, std::string_view call) {
    const std::string_view base = endpoint.base_path;
    if (base.size() >= 3 && base.substr(base.size() - 3) == "/v1")
        return endpoint.base_path + std::string(call);
    return endpoint.base_path + "/v1" + std::string(call);
}

}  // namespace vcfagent::embed
