#include "embed/stored_embedding.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace vcfagent::embed {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> decode_table() {
    std::array<int8_t, 256> t{};
    for (auto& x : t) x = -1;
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
    return t;
}
constexpr auto kDecode = decode_table();
static_assert(std::endian::native == std::endian::little,
              "stored embeddings are little-endian float32; add a byte swap for this host");
}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
    for (; i + 3 <= bytes.size(); i += 3) {
        const uint32_t v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
        for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
    }
    if (const size_t rest = bytes.size() - i; rest > 0) {
        const uint32_t v = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) throw std::invalid_argument("base64 text length is not a multiple of 4");
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (size_t i = 0; i < text.size(); i += 4) {
        uint32_t v = 0;
        int pad = 0;
        for (size_t k = 0; k < 4; ++k) {
            const char c = text[i + k];
            if (c == '=' && i + 4 == text.size() && k >= 2) {
                ++pad;
                v <<= 6;
                continue;
            }
            const int8_t d = kDecode[static_cast<unsigned char>(c)];
            if (d < 0 || pad > 0) throw std::invalid_argument("not a base64 text");
            v = v << 6 | static_cast<uint32_t>(d);
        }
        out += static_cast<char>(v >> 16);
        if (pad < 2) out += static_cast<char>((v >> 8) & 255);
        if (pad < 1) out += static_cast<char>(v & 255);
    }
    return out;
}

std::string encode_embedding(std::span<const float> values) {
    return base64_encode(std::string_view(reinterpret_cast<const char*>(values.data()),
                                          values.size() * sizeof(float)));
}

bool decode_embedding(std::string_view text, std::span<float> out) {
    if (text.size() != (out.size() * sizeof(float) + 2) / 3 * 4) return false;
    std::string bytes;
    try {
        bytes = base64_decode(text);
    } catch (const std::invalid_argument&) {
        return false;
    }
    if (bytes.size() != out.size() * sizeof(float)) return false;
    std::memcpy(out.data(), bytes.data(), bytes.size());
    return true;
}

}  // namespace vcfagent::embed
