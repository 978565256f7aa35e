#pragma once
// Where a model server is, as the embedders and the agent's chat clients both find it: the
// URL given, else the environment (OLLAMA_HOST, OPENAI_BASE_URL, OPENAI_API_KEY), else the
// usual default; and the OpenAI convention that a base URL ends in /v1.
#include <string>
#include <string_view>

#include "embed/endpoint.hpp"

namespace vcfagent::embed {

inline constexpr int kOllamaPort = 11434;

// kind "ollama" or "openai"; `url` empty: the environment's, else the default. EmbedError for
// another kind or a bad URL.
Endpoint model_server_endpoint(std::string_view kind, const std::string& url);
// `api_key` if given, else OPENAI_API_KEY for "openai"; "" for Ollama.
std::string model_server_api_key(std::string_view kind, const std::string& api_key);
// The path of an OpenAI-style API call ("/embeddings", "/chat/completions") under the base
// URL, which by convention ends in /v1 (a bare origin gets /v1 added).
std::string openai_api_path(const Endpoint& endpoint, std::string_view call);

}  // namespace vcfagent::embed
