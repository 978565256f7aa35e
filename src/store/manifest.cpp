#include "store/manifest.hpp"

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.hpp"

namespace vcfagent::store {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json version_to_json(const ManifestVersion& v) {
    json files = json::array();
    for (const auto& f : v.files)
        files.push_back(
            {{"name", f.name}, {"size", f.digest.size}, {"hash", hash_hex(f.digest.hash)}});
    json sources = json::object();
    for (const auto& [id, label] : v.sources) sources[std::to_string(id)] = label;
    return {
        {"version", v.version},
        {"dir", v.dir},
        {"last_batch_id", v.last_batch_id ? json(*v.last_batch_id) : json(nullptr)},
        {"committed_at", v.committed_at},
        {"rows", v.rows},
        {"main_rows", v.main_rows},
        {"deleted_rows", v.deleted_rows},
        {"embedder",
         {{"kind", v.embedder.kind},
          {"model", v.embedder.model},
          {"dimension", v.embedder.dimension},
          {"reduction", v.embedder.reduction}}},
        {"index",
         {{"requested", std::string(to_string(v.requested_index))},
          {"main", std::string(to_string(v.main_index))},
          {"hnsw_m", v.params.hnsw_m},
          {"hnsw_ef_construction", v.params.hnsw_ef_construction},
          {"hnsw_ef_search", v.params.hnsw_ef_search},
          {"hnsw_ef_max", v.params.hnsw_ef_max},
          {"ivf_nlist", v.params.ivf_nlist},
          {"ivf_nprobe", v.params.ivf_nprobe},
          {"pq_m", v.params.pq_m},
          {"refine_factor", v.params.refine_factor},
          {"trained_rows", v.trained_rows}}},
        {"sources", sources},
        {"files", files},
    };
}

IndexKind kind_field(const json& j, const char* name) {
    IndexKind k;
    if (!parse_index_kind(j.at(name).get<std::string>(), k))
        throw std::invalid_argument(std::string("unknown index kind in ") + name);
    return k;
}

ManifestVersion version_from_json(const json& j) {
    ManifestVersion v;
    v.version = j.at("version").get<uint64_t>();
    v.dir = j.at("dir").get<std::string>();
    uint64_t parsed;
    if (!parse_version_dir_name(v.dir, parsed) || parsed != v.version)
        throw std::invalid_argument("version directory name " + v.dir + " does not match version");
    if (!j.at("last_batch_id").is_null()) v.last_batch_id = j.at("last_batch_id").get<uint64_t>();
    v.committed_at = j.value("committed_at", "");
    v.rows = j.at("rows").get<uint64_t>();
    v.main_rows = j.at("main_rows").get<uint64_t>();
    v.deleted_rows = j.at("deleted_rows").get<uint64_t>();
    if (v.main_rows > v.rows || v.deleted_rows > v.rows)
        throw std::invalid_argument("row counts are inconsistent");
    const auto& e = j.at("embedder");
    v.embedder.kind = e.at("kind").get<std::string>();
    v.embedder.model = e.at("model").get<std::string>();
    v.embedder.dimension = e.at("dimension").get<int>();
    v.embedder.reduction = e.at("reduction").get<std::string>();
    if (v.embedder.dimension <= 0) throw std::invalid_argument("embedder dimension must be > 0");
    const auto& ix = j.at("index");
    v.requested_index = kind_field(ix, "requested");
    v.main_index = kind_field(ix, "main");
    if (v.main_index == IndexKind::Auto) throw std::invalid_argument("main index cannot be auto");
    v.params.hnsw_m = ix.at("hnsw_m").get<int>();
    v.params.hnsw_ef_construction = ix.at("hnsw_ef_construction").get<int>();
    v.params.hnsw_ef_search = ix.at("hnsw_ef_search").get<int>();
    v.params.hnsw_ef_max = ix.at("hnsw_ef_max").get<int>();
    v.params.ivf_nlist = ix.at("ivf_nlist").get<int>();
    v.params.ivf_nprobe = ix.at("ivf_nprobe").get<int>();
    v.params.pq_m = ix.at("pq_m").get<int>();
    v.params.refine_factor = ix.at("refine_factor").get<int>();
    v.trained_rows = ix.at("trained_rows").get<int64_t>();
    for (const auto& [id, label] : j.at("sources").items())
        v.sources[static_cast<uint32_t>(std::stoul(id))] = label.get<std::string>();
    for (const auto& f : j.at("files")) {
        ManifestFile mf;
        mf.name = f.at("name").get<std::string>();
        if (mf.name.empty() || mf.name.find('/') != std::string::npos || mf.name[0] == '.')
            throw std::invalid_argument("bad file name " + mf.name);
        mf.digest.size = f.at("size").get<uint64_t>();
        mf.digest.hash = std::stoull(f.at("hash").get<std::string>(), nullptr, 16);
        v.files.push_back(std::move(mf));
    }
    return v;
}

}  // namespace

const ManifestFile* ManifestVersion::file(const std::string& name) const {
    for (const auto& f : files)
        if (f.name == name) return &f;
    return nullptr;
}

std::string manifest_to_json(const Manifest& m) {
    json j = {{"format", "vcf-agent-vector-store"},
              {"format_version", kManifestFormat},
              {"current", version_to_json(m.current)},
              {"previous", m.previous ? version_to_json(*m.previous) : json(nullptr)}};
    return j.dump(2) + "\n";
}

Manifest manifest_from_json(const std::string& text, const std::string& origin) {
    try {
        const json j = json::parse(text);
        if (j.at("format").get<std::string>() != "vcf-agent-vector-store")
            throw std::invalid_argument("not a vcf-agent vector store manifest");
        const int fv = j.at("format_version").get<int>();
        if (fv != kManifestFormat)
            throw std::invalid_argument("format version " + std::to_string(fv) +
                                        " is not supported (this build reads " +
                                        std::to_string(kManifestFormat) + ")");
        Manifest m;
        m.current = version_from_json(j.at("current"));
        if (!j.at("previous").is_null()) m.previous = version_from_json(j.at("previous"));
        return m;
    } catch (const StoreError&) {
        throw;
    } catch (const std::exception& e) {
        throw StoreError(origin + ": invalid manifest: " + e.what());
    }
}

std::optional<Manifest> read_manifest(const fs::path& store_dir) {
    const fs::path path = store_dir / kManifestName;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (!fs::exists(path, ec)) return std::nullopt;
        throw StoreError(path.string() + ": cannot read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return manifest_from_json(text.str(), path.string());
}

void write_manifest(const fs::path& store_dir, const Manifest& m) {
    atomic_write_file(store_dir / kManifestName, manifest_to_json(m));
}

std::string version_dir_name(uint64_t version) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "v%06" PRIu64, version);
    return buf;
}

bool parse_version_dir_name(const std::string& name, uint64_t& version) {
    if (name.size() < 2 || name[0] != 'v') return false;
    for (size_t i = 1; i < name.size(); ++i)
        if (name[i] < '0' || name[i] > '9') return false;
    try {
        version = std::stoull(name.substr(1));
    } catch (const std::exception&) {
        return false;
    }
    return version_dir_name(version) == name;
}

}  // namespace vcfagent::store
