#pragma once
// SHA-256 of a file's bytes (streamed in fixed-size chunks), as lowercase hex. Identifies an
// input file across renames so a re-ingest of the same content is recognised.
#include <string>

namespace vcfagent {

std::string sha256_file(const std::string& path);

}  // namespace vcfagent
