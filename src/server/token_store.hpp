#pragma once
// Bearer tokens of the REST server. The tokens file holds one line per token:
// `sha256-hex<TAB>role<TAB>label`; the token itself is shown once, when it is made, and never
// stored, so a leaked file grants nothing.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vcfagent::server {

enum class Role { Reader, Writer };
std::string_view to_string(Role role);
bool parse_role(std::string_view text, Role& out);

struct TokenEntry {
    std::string hash;  // sha256 of the token, lowercase hex
    Role role = Role::Reader;
    std::string label;
};

class TokenStore {
  public:
    // Reads `file` (InputError naming the line of a malformed one). A missing file is empty.
    static TokenStore load(const std::filesystem::path& file);
    // Makes a random token (256 bits), appends its hash to `file` and returns the token.
    static std::string add(const std::filesystem::path& file, Role role, const std::string& label);

    // The role of `token`, or nullopt when it is not one of the file's.
    std::optional<Role> role_of(std::string_view token) const;
    size_t size() const { return entries_.size(); }

  private:
    std::vector<TokenEntry> entries_;
};

std::string sha256_hex(std::string_view data);
// `bytes` random bytes from the system's CSPRNG, as lowercase hex.
std::string random_hex(size_t bytes);

}  // namespace vcfagent::server
