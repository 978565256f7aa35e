#include "embed/protocol_json.hpp"

#include "embed/embedder.hpp"

namespace vcfagent::embed::protocol_json {

namespace {
constexpr size_t kSnippetLength = 160;
}

std::string snippet(std::string_view body) {
    std::string s;
    for (char c : body.substr(0, kSnippetLength))
        s.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
    if (body.size() > kSnippetLength) s += "...";
    return s;
}

nlohmann::json parse_body(std::string_view api, std::string_view body) {
    nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        throw EmbedError(std::string(api) + " returned invalid JSON: '" + snippet(body) + "'");
    if (j.is_object()) {
        if (auto it = j.find("error"); it != j.end() && !it->is_null()) {
            const nlohmann::json& err = *it;
            std::string message = err.is_string() ? err.get<std::string>() : err.dump();
            if (err.is_object() && err.contains("message") && err["message"].is_string())
                message = err["message"].get<std::string>();
            throw EmbedError(std::string(api) + " returned an error: " + message);
        }
    }
    return j;
}

std::vector<float> to_vector(std::string_view api, const nlohmann::json& value,
                             std::string_view what) {
    if (!value.is_array() || value.empty())
        throw EmbedError(std::string(api) + " response: " + std::string(what) +
                         " is not a non-empty array of numbers");
    std::vector<float> v;
    v.reserve(value.size());
    for (const auto& x : value) {
        if (!x.is_number())
            throw EmbedError(std::string(api) + " response: " + std::string(what) +
                             " holds a non-number: " + snippet(x.dump()));
        v.push_back(x.get<float>());
    }
    return v;
}

}  // namespace vcfagent::embed::protocol_json
