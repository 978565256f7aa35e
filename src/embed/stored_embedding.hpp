#pragma once
// The text form of a model embedding kept in the graph (Variant.emb): the float32 values in
// little-endian byte order, base64-encoded. Text, not a FLOAT[] column, because Kuzu 0.11.3
// parses and appends list columns value by value (a COPY of list columns was minutes where
// strings take seconds). Builtin embeddings are not stored: they are a pure function of the
// variant's columns and are recomputed from them.
#include <span>
#include <string>
#include <string_view>

namespace vcfagent::embed {

std::string encode_embedding(std::span<const float> values);
// Decodes into out; false when the text is not exactly out.size() encoded floats.
bool decode_embedding(std::string_view text, std::span<float> out);

// Plain base64 (RFC 4648, with padding) of any bytes, and back; decode throws
// std::invalid_argument on a malformed text.
std::string base64_encode(std::string_view bytes);
std::string base64_decode(std::string_view text);

}  // namespace vcfagent::embed
