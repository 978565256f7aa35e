#pragma once
// The vector store's manifest, vectors/MANIFEST.json: names the committed version directory
// and every file in it (size + content hash), the embedding space, the index configuration
// and the last committed batch id. It is replaced atomically (tmp + fsync + rename + fsync
// dir), so a reader sees either the old or the new version, never a mix. The previous
// version is described too, so a corrupted current version can fall back to it.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "embed/embedder.hpp"
#include "store/vector_index.hpp"
#include "store/vector_io.hpp"

namespace vcfagent::store {

inline constexpr int kManifestFormat = 1;
inline constexpr const char* kManifestName = "MANIFEST.json";

struct ManifestFile {
    std::string name;
    FileDigest digest;
};

struct ManifestVersion {
    uint64_t version = 0;
    std::string dir;                        // e.g. "v000012", relative to the store directory
    std::optional<uint64_t> last_batch_id;  // none before the first commit with a batch
    std::string committed_at;               // UTC, ISO 8601
    uint64_t rows = 0;                      // main + delta rows, including deleted ones
    uint64_t main_rows = 0;                 // rows in the ANN index; the rest are in the delta
    uint64_t deleted_rows = 0;
    embed::EmbedderInfo embedder;
    IndexKind requested_index = IndexKind::Auto;
    IndexKind main_index = IndexKind::Flat;  // what rows [0, main_rows) are indexed with
    IndexParams params;
    int64_t trained_rows = 0;
    std::map<uint32_t, std::string> sources;  // source id -> label (file path)
    std::vector<ManifestFile> files;

    const ManifestFile* file(const std::string& name) const;
};

struct Manifest {
    ManifestVersion current;
    std::optional<ManifestVersion> previous;
};

std::string manifest_to_json(const Manifest& m);
// Throws StoreError naming `origin` when the text is not a valid manifest.
Manifest manifest_from_json(const std::string& text, const std::string& origin);
// nullopt when the store has no manifest yet.
std::optional<Manifest> read_manifest(const std::filesystem::path& store_dir);
void write_manifest(const std::filesystem::path& store_dir, const Manifest& m);

std::string version_dir_name(uint64_t version);
// Parses "v000012" -> 12; false for other names.
bool parse_version_dir_name(const std::string& name, uint64_t& version);

}  // namespace vcfagent::store
