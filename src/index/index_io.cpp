#include "index/index_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/error.hpp"

namespace vcfagent::index {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMul1 = 0x9FB21C651E98DF25ull;
constexpr uint64_t kMul2 = 0xC2B2AE3D27D4EB4Full;

inline uint64_t rotl(uint64_t x, int r) {
    return (x << r) | (x >> (64 - r));
}

[[noreturn]] void fail(const fs::path& path, const std::string& what) {
    throw StoreError(path.string() + ": " + what);
}

[[noreturn]] void fail_errno(const fs::path& path, const std::string& what) {
    fail(path, what + ": " + std::strerror(errno));
}

void fsync_fd_path(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) fail_errno(path, "cannot open for fsync");
    const int rc = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    errno = saved;
    if (rc != 0) fail_errno(path, "fsync failed");
}

}  // namespace

void ContentHash::mix(uint64_t word) {
    state_ = rotl(state_ ^ (word * kMul1), 29) * kMul2;
}

void ContentHash::update(const void* data, size_t size) {
    auto p = static_cast<const uint8_t*>(data);
    total_ += size;
    while (size > 0 && n_pending_ > 0 && n_pending_ < 8) {
        pending_[n_pending_++] = *p++;
        --size;
        if (n_pending_ == 8) {
            uint64_t w;
            std::memcpy(&w, pending_, 8);
            mix(w);
            n_pending_ = 0;
        }
    }
    while (size >= 8) {
        uint64_t w;
        std::memcpy(&w, p, 8);
        mix(w);
        p += 8;
        size -= 8;
    }
    while (size > 0) {
        pending_[n_pending_++] = *p++;
        --size;
    }
}

uint64_t ContentHash::digest() const {
    uint64_t h = state_;
    uint64_t tail = 0;
    std::memcpy(&tail, pending_, n_pending_);
    h = rotl(h ^ (tail * kMul1), 29) * kMul2;
    h ^= total_;
    // Final avalanche so nearby inputs give unrelated digests.
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 33;
    return h;
}

std::string hash_hex(uint64_t hash) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
    return buf;
}

HashingWriter::HashingWriter(fs::path path) : path_(std::move(path)) {
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) fail_errno(path_, "cannot create");
    fp_ = ::fdopen(fd, "wb");
    if (!fp_) {
        ::close(fd);
        fail_errno(path_, "cannot open");
    }
}

HashingWriter::~HashingWriter() noexcept(false) {
    if (fp_) std::fclose(fp_);
}

size_t HashingWriter::operator()(const void* ptr, size_t size, size_t nitems) {
    write(ptr, size * nitems);
    return nitems;
}

void HashingWriter::write(const void* data, size_t bytes) {
    if (bytes == 0) return;
    if (!fp_) fail(path_, "write after close");
    if (std::fwrite(data, 1, bytes, fp_) != bytes) fail_errno(path_, "write failed");
    hash_.update(data, bytes);
    size_ += bytes;
}

FileDigest HashingWriter::finish() {
    if (!fp_) fail(path_, "finished twice");
    FILE* fp = fp_;
    fp_ = nullptr;
    if (std::fflush(fp) != 0) {
        std::fclose(fp);
        fail_errno(path_, "write failed");
    }
    if (::fsync(::fileno(fp)) != 0) {
        std::fclose(fp);
        fail_errno(path_, "fsync failed");
    }
    if (std::fclose(fp) != 0) fail_errno(path_, "close failed");
    return {size_, hash_.digest()};
}

FileDigest digest_file(const fs::path& path) {
    FILE* fp = std::fopen(path.c_str(), "rb");
    if (!fp) fail_errno(path, "cannot open");
    ContentHash hash;
    uint64_t size = 0;
    std::vector<char> buf(1 << 20);
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), fp)) > 0) {
        hash.update(buf.data(), n);
        size += n;
    }
    const bool err = std::ferror(fp);
    std::fclose(fp);
    if (err) fail(path, "read error");
    return {size, hash.digest()};
}

void verify_file(const fs::path& path, const FileDigest& expected) {
    const FileDigest found = digest_file(path);
    if (found.size != expected.size)
        fail(path, "size " + std::to_string(found.size) + " bytes, manifest says " +
                       std::to_string(expected.size) + " (torn or truncated write)");
    if (found.hash != expected.hash)
        fail(path, "content hash " + hash_hex(found.hash) + " does not match manifest " +
                       hash_hex(expected.hash) + " (corrupted file)");
}

FileReader::FileReader(fs::path path) : path_(std::move(path)) {
    fp_ = std::fopen(path_.c_str(), "rb");
    if (!fp_) fail_errno(path_, "cannot open");
}

FileReader::~FileReader() {
    if (fp_) std::fclose(fp_);
}

size_t FileReader::operator()(void* ptr, size_t size, size_t nitems) {
    if (size == 0 || nitems == 0) return 0;
    return std::fread(ptr, size, nitems, fp_);
}

void FileReader::read(void* data, size_t bytes) {
    if (bytes == 0) return;
    if (std::fread(data, 1, bytes, fp_) != bytes) fail(path_, "unexpected end of file");
}

void FileReader::expect_end() {
    if (std::fgetc(fp_) != EOF) fail(path_, "trailing bytes after the end of the data");
}

void throw_count_mismatch(const fs::path& file, uint64_t found, uint64_t expected) {
    fail(file, "holds " + std::to_string(found) + " elements where " + std::to_string(expected) +
                   " were expected");
}

void write_string(HashingWriter& w, std::string_view s) {
    write_pod<uint32_t>(w, static_cast<uint32_t>(s.size()));
    w.write(s.data(), s.size());
}

std::string read_string(FileReader& r) {
    const auto n = read_pod<uint32_t>(r);
    std::string s(n, '\0');
    r.read(s.data(), n);
    return s;
}

void write_header(HashingWriter& w, std::string_view magic, uint32_t version) {
    w.write(magic.data(), magic.size());
    write_pod<uint32_t>(w, version);
}

void read_header(FileReader& r, std::string_view magic, uint32_t version) {
    std::string found(magic.size(), '\0');
    r.read(found.data(), found.size());
    if (found != magic) fail(r.path(), "not a " + std::string(magic) + " file");
    const auto v = read_pod<uint32_t>(r);
    if (v != version)
        fail(r.path(), "format version " + std::to_string(v) + " is not supported (expected " +
                           std::to_string(version) + ")");
}

void fsync_file(const fs::path& path) {
    fsync_fd_path(path, O_RDONLY);
}

void fsync_directory(const fs::path& dir) {
    fsync_fd_path(dir, O_RDONLY | O_DIRECTORY);
}

void atomic_write_file(const fs::path& path, std::string_view content) {
    fs::path tmp = path;
    tmp += ".tmp";
    std::error_code ec;
    fs::remove(tmp, ec);
    {
        HashingWriter w(tmp);
        w.write(content.data(), content.size());
        w.finish();
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail_errno(path, "cannot rename " + tmp.string());
    fsync_directory(path.parent_path().empty() ? fs::path(".") : path.parent_path());
}

void link_or_copy(const fs::path& src, const fs::path& dst) {
    if (::link(src.c_str(), dst.c_str()) == 0) return;
    std::error_code ec;
    fs::copy_file(src, dst, ec);
    if (ec) fail(dst, "cannot link or copy from " + src.string() + ": " + ec.message());
    fsync_fd_path(dst, O_RDONLY);
}

}  // namespace vcfagent::index
