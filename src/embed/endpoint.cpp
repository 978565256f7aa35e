#include "embed/endpoint.hpp"

#include <charconv>

#include "embed/embedder.hpp"

namespace vcfagent::embed {

std::string Endpoint::origin() const {
    return scheme + "://" + host + ":" + std::to_string(port);
}

std::string Endpoint::url(std::string_view path) const {
    return origin() + base_path + std::string(path);
}

Endpoint parse_endpoint(std::string_view url, int default_port) {
    const std::string original(url);
    while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
    while (!url.empty() && (url.back() == ' ' || url.back() == '\t')) url.remove_suffix(1);
    Endpoint e;
    int port = default_port;
    if (const size_t p = url.find("://"); p != std::string_view::npos) {
        e.scheme = std::string(url.substr(0, p));
        for (char& c : e.scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        url.remove_prefix(p + 3);
        if (e.scheme == "http")
            port = 80;
        else if (e.scheme == "https")
            port = 443;
        else
            throw EmbedError("endpoint '" + original + "': unsupported scheme '" + e.scheme + "'");
    } else {
        e.scheme = "http";
    }
    const size_t slash = url.find('/');
    std::string_view authority = url.substr(0, slash);
    if (slash != std::string_view::npos) e.base_path = std::string(url.substr(slash));
    while (!e.base_path.empty() && e.base_path.back() == '/') e.base_path.pop_back();

    size_t colon = std::string_view::npos;
    if (!authority.empty() && authority.front() == '[') {
        const size_t close = authority.find(']');
        if (close == std::string_view::npos)
            throw EmbedError("endpoint '" + original + "': unterminated IPv6 address");
        if (close + 1 < authority.size() && authority[close + 1] == ':') colon = close + 1;
    } else {
        colon = authority.rfind(':');
    }
    if (colon != std::string_view::npos) {
        const std::string_view digits = authority.substr(colon + 1);
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (ec != std::errc() || ptr != digits.data() + digits.size() || port <= 0 || port > 65535)
            throw EmbedError("endpoint '" + original + "': bad port '" + std::string(digits) + "'");
        authority = authority.substr(0, colon);
    }
    if (authority.empty()) throw EmbedError("endpoint '" + original + "': no host");
    e.host = std::string(authority);
    e.port = port;
    return e;
}

}  // namespace vcfagent::embed
