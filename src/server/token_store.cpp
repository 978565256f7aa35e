#include "server/token_store.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <fstream>
#include <sstream>

#include "common/error.hpp"

namespace vcfagent::server {

std::string_view to_string(Role role) {
    return role == Role::Writer ? "writer" : "reader";
}

bool parse_role(std::string_view text, Role& out) {
    if (text == "reader")
        out = Role::Reader;
    else if (text == "writer")
        out = Role::Writer;
    else
        return false;
    return true;
}

namespace {
std::string hex(const unsigned char* data, size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
    return out;
}
}  // namespace

std::string sha256_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    return hex(md, len);
}

std::string random_hex(size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1)
        throw std::runtime_error("no random bytes");
    return hex(buf.data(), buf.size());
}

TokenStore TokenStore::load(const std::filesystem::path& file) {
    TokenStore store;
    std::ifstream in(file);
    if (!in) return store;
    std::string line;
    for (int64_t n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream f(line);
        TokenEntry e;
        std::string role;
        std::getline(f, e.hash, '\t');
        std::getline(f, role, '\t');
        std::getline(f, e.label);
        if (e.hash.size() != 64 || !parse_role(role, e.role))
            throw InputError(file.string(), n,
                             "not a token line (sha256-hex TAB reader|writer TAB label)",
                             kExitUsage);
        store.entries_.push_back(std::move(e));
    }
    return store;
}

std::string TokenStore::add(const std::filesystem::path& file, Role role,
                            const std::string& label) {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("no random bytes for a token");
    const std::string token = "vat_" + hex(bytes, sizeof bytes);
    std::ofstream out(file, std::ios::app);
    if (!out) throw InputError(file.string(), 0, "cannot write the tokens file", kExitUnreadable);
    std::string clean = label;
    for (char& c : clean)
        if (c == '\t' || c == '\n') c = ' ';
    out << sha256_hex(token) << '\t' << to_string(role) << '\t' << clean << '\n';
    out.flush();
    if (!out) throw InputError(file.string(), 0, "cannot write the tokens file", kExitUnreadable);
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
        std::filesystem::perm_options::replace);
    return token;
}

std::optional<Role> TokenStore::role_of(std::string_view token) const {
    if (token.empty()) return std::nullopt;
    const std::string h = sha256_hex(token);
    std::optional<Role> found;
    // Every entry is compared in constant time, so timing says nothing about which matched.
    for (const auto& e : entries_)
        if (CRYPTO_memcmp(e.hash.data(), h.data(), h.size()) == 0) found = e.role;
    return found;
}

}  // namespace vcfagent::server
