#pragma once
// Base URLs as people write them (OLLAMA_HOST=127.0.0.1:11434, OPENAI_BASE_URL=http://host/v1)
// split into what an HTTP client needs: origin and path prefix.
#include <string>
#include <string_view>

namespace vcfagent::embed {

struct Endpoint {
    std::string scheme;  // "http" or "https"
    std::string host;    // name, IPv4, or IPv6 in brackets
    int port = 0;
    std::string base_path;  // "" or "/prefix", never ending in '/'

    std::string origin() const;                    // scheme://host:port
    std::string url(std::string_view path) const;  // origin + base_path + path
};

// A URL without a scheme is http on default_port (Ollama's habit); with a scheme and no port,
// the scheme's port. Throws EmbedError for an unsupported scheme or a bad port.
Endpoint parse_endpoint(std::string_view url, int default_port);

}  // namespace vcfagent::embed
