#pragma once
// Durable, checksummed files for the variant index. Every file the stamp names is written
// through a HashingWriter so the stamp can record its size and content hash, and verified
// against that digest before anything parses it: a torn or corrupted file is detected at open
// (and the index rebuilt from the graph) instead of yielding wrong neighbours.
#include <faiss/impl/io.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace vcfagent::index {

// Streaming 64-bit content hash (not cryptographic; detects torn and flipped bytes). The
// value does not depend on how the stream is chunked.
class ContentHash {
  public:
    void update(const void* data, size_t size);
    uint64_t digest() const;

  private:
    void mix(uint64_t word);
    uint64_t state_ = 0x9E3779B97F4A7C15ull;
    uint64_t total_ = 0;
    uint8_t pending_[8] = {};
    size_t n_pending_ = 0;
};

std::string hash_hex(uint64_t hash);

struct FileDigest {
    uint64_t size = 0;
    uint64_t hash = 0;
};

// Writes a new file (failing if it exists), hashing every byte. finish() flushes, fsyncs and
// closes; a writer destroyed without finish() leaves a file that no manifest will name.
class HashingWriter : public faiss::IOWriter {
  public:
    explicit HashingWriter(std::filesystem::path path);
    ~HashingWriter() noexcept(false) override;
    HashingWriter(const HashingWriter&) = delete;
    HashingWriter& operator=(const HashingWriter&) = delete;

    size_t operator()(const void* ptr, size_t size, size_t nitems) override;
    void write(const void* data, size_t bytes);
    FileDigest finish();
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
    FILE* fp_ = nullptr;
    ContentHash hash_;
    uint64_t size_ = 0;
};

// Size and content hash of an existing file.
FileDigest digest_file(const std::filesystem::path& path);
// Hashes a whole file and compares it with the digest recorded at commit. Done before any
// parsing, so a corrupted file never reaches a decoder (FAISS trusts the sizes it reads).
void verify_file(const std::filesystem::path& path, const FileDigest& expected);

// Reads a file whose digest was verified; a short read still throws StoreError naming it.
class FileReader : public faiss::IOReader {
  public:
    explicit FileReader(std::filesystem::path path);
    ~FileReader() override;
    FileReader(const FileReader&) = delete;
    FileReader& operator=(const FileReader&) = delete;

    size_t operator()(void* ptr, size_t size, size_t nitems) override;
    void read(void* data, size_t bytes);
    // Throws unless every byte was consumed (a file longer than its format says is damaged).
    void expect_end();
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
    FILE* fp_ = nullptr;
};

// Little helpers for the store's own binary files: fixed-width scalars and length-prefixed
// arrays. Files are read on the machine that wrote them (host byte order).
template <typename T>
void write_pod(HashingWriter& w, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    w.write(&value, sizeof(T));
}
template <typename T>
T read_pod(FileReader& r) {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    r.read(&value, sizeof(T));
    return value;
}
template <typename T>
void write_array(HashingWriter& w, const T* data, size_t count) {
    static_assert(std::is_trivially_copyable_v<T>);
    write_pod<uint64_t>(w, count);
    if (count) w.write(data, count * sizeof(T));
}
[[noreturn]] void throw_count_mismatch(const std::filesystem::path& file, uint64_t found,
                                       uint64_t expected);
// Appends `expected` elements to out; throws StoreError if the stored count differs.
template <typename T>
void read_array_append(FileReader& r, std::vector<T>& out, uint64_t expected) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto count = read_pod<uint64_t>(r);
    if (count != expected) throw_count_mismatch(r.path(), count, expected);
    const size_t old = out.size();
    out.resize(old + count);
    if (count) r.read(out.data() + old, count * sizeof(T));
}
void write_string(HashingWriter& w, std::string_view s);
std::string read_string(FileReader& r);
// Writes the magic tag + format version at the start of a file; checks them on read.
void write_header(HashingWriter& w, std::string_view magic, uint32_t version);
void read_header(FileReader& r, std::string_view magic, uint32_t version);

// fsync a file written by someone else (e.g. a library's own save()).
void fsync_file(const std::filesystem::path& path);
// fsync a directory so renames and new entries in it are durable.
void fsync_directory(const std::filesystem::path& dir);
// Writes `content` to path atomically: tmp file, fsync, rename over path, fsync directory.
void atomic_write_file(const std::filesystem::path& path, std::string_view content);
// Hard-links src to dst (an unchanged file shared by two versions); copies when the file
// system has no hard links.
void link_or_copy(const std::filesystem::path& src, const std::filesystem::path& dst);

}  // namespace vcfagent::index
