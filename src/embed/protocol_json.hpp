#pragma once
// JSON helpers shared by the Ollama and OpenAI protocols, so both report malformed responses
// in the same words.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace vcfagent::embed::protocol_json {

// Parses a response body; throws EmbedError quoting the start of the body when it is not JSON,
// and relays an {"error": ...} object from the server.
nlohmann::json parse_body(std::string_view api, std::string_view body);

// A JSON array of numbers as floats; throws EmbedError naming `what` otherwise.
std::vector<float> to_vector(std::string_view api, const nlohmann::json& value,
                             std::string_view what);

// The first bytes of a body, printable, for error messages.
std::string snippet(std::string_view body);

}  // namespace vcfagent::embed::protocol_json
